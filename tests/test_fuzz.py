"""Fuzzing: whatever text or structure lands in a workspace file, the loader and `rsqm validate`
answer with problems (exit 0 or 1), never an exception or a traceback."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builders import CHECKLIST, FRAMEWORK, build, dump
from conftest import run_cli
from rsqm.files.models import Audit, Checklist, Framework, Register, Sample, WorkspaceSettings
from rsqm.files.yamlio import YamlRefused, load_yaml_text, parse_model
from rsqm.workspace.load import load_workspace

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
MODELS = [WorkspaceSettings, Framework, Checklist, Register, Sample, Audit]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.dates(min_value=dt.date(1, 1, 1)),
    st.sampled_from(["met", "n_a", "E001", "A1", "rsqm/register@1", "2026-02-30", "files/../x", "RT-2025-001", "=1+1", ""]),
)
structures = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12) | st.integers(), children, max_size=5),
    max_leaves=30,
)
nasty = st.sampled_from([
    "a: 2025-13-45\n", "a: !!int x\n", "&a [*a]\n", "a: &x {b: *x}\n", "a: !!python/name:os.system\n", "? [a]\n: b\n",
    "schema: rsqm/register@1\nitems: [{id: E1, dated: 2025-02-30}]\n", "{a: 1, a: 2}\n", "a: !!binary x\n", "- " * 500,
    "\ufeffa: 1\n", "a: 1\n---\nb: 2\n", "a: !!timestamp 2025-99-99\n", "a: !!float x\n", "[" * 70,
])
yaml_like_text = st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"#?,\n \t0123456789.%@`\\")), max_size=200)

SAMPLE = {
    "schema": "rsqm/sample@1", "name": "s1", "drawn_on": "2026-01-05", "drawn_by": "sup1",
    "population": {"size": 1, "sha256": "0" * 64}, "method": {"kind": "simple", "size": 1, "seed": 1},
    "cases": ["RT-2025-001"],
}
AUDIT = {
    "schema": "rsqm/audit@1", "case_ref": "RT-2025-001", "sample": "s1", "auditor": "sup1", "audited_on": "2026-01-20",
    "answers": {"risk_checked": {"result": "met", "note": "seen"}},
    "moderation": {"moderator": "sup2", "moderated_on": "2026-01-21", "agreed": {"risk_checked": {"result": "met"}}},
}
REGISTER = {
    "schema": "rsqm/register@1",
    "items": [{"id": "E001", "title": "Policy", "type": "policy", "file": "files/E001.pdf", "owner": "Manager",
               "dated": "2026-01-01", "status": "approved", "links": [{"indicator": "A1", "locator": "p. 1"}]}],
}
SETTINGS = {"schema": "rsqm/workspace@1", "service": "Test", "framework": "test-fw", "checklist": "test-checklist",
            "not_applicable": {"A2": "not offered"}}
VALID_FILES: dict[str, Any] = {
    "rsqm.yaml": SETTINGS,
    "standards/test-fw.yaml": FRAMEWORK,
    "standards/test-checklist.yaml": CHECKLIST,
    "evidence/register.yaml": REGISTER,
    "evidence/samples/s1.yaml": SAMPLE,
    "evidence/audits/RT-2025-001.yaml": AUDIT,
}
CASES = "case_ref,referred_on,closed_on,process,offence_category,initiator,practitioner,outcome\nRT-2025-001,2025-06-01,2025-11-15,letter,theft,harmed_person,P01,completed\n"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Iterator[Path]:
    ws = build(tmp_path_factory.mktemp("fuzz") / "ws")
    for rel, data in VALID_FILES.items():
        ws.write_yaml(rel, data)
    ws.write("evidence/cases.csv", CASES)
    yield ws.root


def replaced(data: Any, path: list[int], value: Any) -> Any:
    """``data`` with the subtree reached by ``path`` (indices chosen modulo the size) replaced by ``value``."""
    if not path or not isinstance(data, dict | list) or not data:
        return value
    if isinstance(data, dict):
        key = list(data)[path[0] % len(data)]
        return data | {key: replaced(data[key], path[1:], value)}
    index = path[0] % len(data)
    return [*data[:index], replaced(data[index], path[1:], value), *data[index + 1:]]


def assert_clean_validate(root: Path) -> None:
    ws = load_workspace(root)  # must not raise
    assert all(p.path and p.message for p in ws.problems)
    result = run_cli("validate", "-w", str(root))
    assert result.code in (0, 1), result.text
    assert "Traceback" not in result.text and "internal error" not in result.text, result.text
    assert result.code == (1 if ws.errors else 0)


@FUZZ
@given(st.text(max_size=300) | yaml_like_text | nasty)
def test_any_text_either_loads_or_is_refused_with_a_problem(text):
    try:
        loaded = load_yaml_text(text, "f.yaml")
    except YamlRefused as refused:
        assert refused.problem.path == "f.yaml" and refused.problem.is_error
        return
    for model in MODELS:
        if isinstance(loaded.data, dict):
            parsed, problems = parse_model(model, loaded, "f.yaml")
            assert (parsed is None) == bool(problems)


@FUZZ
@given(structures, st.sampled_from(MODELS))
def test_any_structure_dumped_as_yaml_parses_to_a_model_or_problems(data, model):
    loaded = load_yaml_text(dump({"schema": "x", "data": data} if not isinstance(data, dict) else data), "f.yaml")
    parsed, problems = parse_model(model, loaded, "f.yaml")
    assert (parsed is None) == bool(problems)
    assert all(p.line is None or p.line >= 1 for p in problems)


@FUZZ
@given(st.sampled_from(sorted(VALID_FILES)), st.lists(st.integers(min_value=0, max_value=50), max_size=6), structures)
def test_a_valid_file_with_any_part_replaced_validates_cleanly(workspace, rel, path, value):
    original = (workspace / rel).read_bytes()
    try:
        (workspace / rel).write_text(dump(replaced(VALID_FILES[rel], path, value)), encoding="utf-8")
        assert_clean_validate(workspace)
    finally:
        (workspace / rel).write_bytes(original)


@FUZZ
@given(st.sampled_from([*sorted(VALID_FILES), "evidence/cases.csv", "evidence/narratives/A1.md", "evidence/actions.yaml"]),
       st.binary(max_size=300) | nasty.map(str.encode) | yaml_like_text.map(str.encode) | st.text(max_size=200).map(str.encode))
def test_any_bytes_in_any_workspace_file_validate_cleanly(workspace, rel, raw):
    target = workspace / rel
    original = target.read_bytes() if target.exists() else None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(raw)
        assert_clean_validate(workspace)
    finally:
        if original is None:
            target.unlink()
        else:
            target.write_bytes(original)


@FUZZ
@given(st.lists(st.lists(st.text(max_size=12) | st.sampled_from(["RT-2025-002", "2025-06-01", "", "P01", '"', "=cmd"]), max_size=10), max_size=6))
def test_any_case_list_rows_validate_cleanly(workspace, rows):
    original = (workspace / "evidence/cases.csv").read_bytes()
    try:
        text = CASES + "\n".join(",".join(row) for row in rows)
        (workspace / "evidence/cases.csv").write_text(text, encoding="utf-8")
        assert_clean_validate(workspace)
    finally:
        (workspace / "evidence/cases.csv").write_bytes(original)
