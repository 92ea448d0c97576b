"""docs/formats.md and `rsqm schema`: generated from the models, so they cannot drift from them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from rsqm.files.formats_doc import FORMATS, formats_markdown
from rsqm.files.models import FEEDBACK_COLUMNS, EvidenceItem
from rsqm.imports.caselist import parse_cases

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_docs_formats_md_is_regenerated_whenever_a_model_changes():
    written = (DOCS / "formats.md").read_text(encoding="utf-8")
    assert written == formats_markdown(), "a model changed: run `rsqm schema --markdown > docs/formats.md`"


def test_every_field_of_every_format_is_documented_with_its_meaning():
    page = formats_markdown()
    for fmt in FORMATS:
        assert f"## {fmt.name}\n\n`{fmt.file}`" in page
        for name, info in fmt.model.model_fields.items():
            assert f"| `{info.alias or name}` |" in page
            assert info.description, f"{fmt.model.__name__}.{name} has no description"
    for name, info in EvidenceItem.model_fields.items():
        assert info.description and info.description in page, name


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_every_example_on_the_page_is_valid(fmt):
    if fmt.name == "cases":
        cases, _, problems = parse_cases(fmt.example, "evidence/cases.csv", r".*")
        assert problems == [] and len(cases) == 2
    elif fmt.name == "feedback":
        for row in csv.DictReader(io.StringIO(fmt.example)):
            fixed = {k: row.pop(k) for k in FEEDBACK_COLUMNS}
            fmt.model.model_validate(fixed | {"answers": row})
    else:
        fmt.model.model_validate(yaml.safe_load(fmt.example))


@pytest.mark.parametrize("fmt", [f for f in FORMATS if not f.file.endswith(".csv")], ids=lambda f: f.name)
def test_rsqm_schema_gives_a_json_schema_the_example_satisfies(cli, fmt):
    result = cli("schema", fmt.name)
    assert result.code == 0, result.text
    schema = json.loads(result.out)
    assert schema["title"] == f"rsqm {fmt.name}: {fmt.file}"
    data = json.loads(json.dumps(yaml.safe_load(fmt.example), default=str))  # YAML dates become ISO text, as editors see them
    jsonschema.validate(data, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data | {"misspelt_key": 1}, schema)


def test_rsqm_schema_markdown_prints_the_page_and_misuse_exits_2(cli):
    assert cli("schema", "--markdown").out == formats_markdown()
    unknown = cli("schema", "registry")
    assert unknown.code == 2 and "unknown format 'registry' (formats: workspace, framework" in unknown.err
    assert cli("schema").code == 2
