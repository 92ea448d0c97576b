"""The YAML loader: lines for every key, and refusals (never crashes) for hostile input."""

from __future__ import annotations

import subprocess
import sys

import pytest

from rsqm.files.models import Register
from rsqm.files.yamlio import MAX_ALIASES, MAX_DEPTH, YamlRefused, decode, dump_yaml, load_yaml_text, parse_model


def refusal(text: str) -> str:
    with pytest.raises(YamlRefused) as caught:
        load_yaml_text(text, "f.yaml")
    return str(caught.value)


def test_every_key_and_list_entry_keeps_its_line():
    loaded = load_yaml_text("a: 1\nb:\n  c: 2\n  d:\n  - x\n  - y\n", "f.yaml")
    assert loaded.data == {"a": 1, "b": {"c": 2, "d": ["x", "y"]}}
    assert loaded.line(("b", "d", 1)) == 6
    assert loaded.line(("b", "c")) == 3
    assert loaded.line(("b", "missing", 0)) == 2  # the deepest key that exists


def test_a_duplicate_key_is_reported_at_the_second_occurrence():
    loaded = load_yaml_text("a: 1\nb: 2\na: 3\n", "f.yaml")
    assert [str(p) for p in loaded.problems] == ["f.yaml:3: error: duplicate key 'a' (first at line 1)"]


def test_a_syntax_error_names_its_line():
    assert refusal("a: 1\nb: [2\nc: 3\n").startswith("f.yaml:3: error: YAML syntax error")


def test_two_documents_are_refused():
    assert "single document" in refusal("a: 1\n---\nb: 2\n")


def test_python_tags_are_refused_not_executed():
    assert "could not determine a constructor" in refusal("a: !!python/object/apply:os.system [echo hi]\n")


def test_an_impossible_date_stays_text_so_the_model_can_say_why():
    loaded = load_yaml_text("dated: 2025-13-45\n", "f.yaml")
    assert loaded.data == {"dated": "2025-13-45"}


def test_a_bad_tagged_scalar_is_refused_at_its_line():
    assert refusal("a: 1\nb: !!int twelve\n").startswith("f.yaml:2: error:")


def test_a_billion_laughs_alias_bomb_is_refused():
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    assert "aliases expand to more than" in refusal("\n".join(lines) + "\n")


def test_many_aliases_are_refused_even_when_each_is_small():
    text = "a: &a [x]\nb: [" + ", ".join(["*a"] * (MAX_ALIASES + 1)) + "]\n"
    assert f"more than {MAX_ALIASES} aliases" in refusal(text)


def test_a_recursive_alias_is_refused():
    assert "recursive" in refusal("a: &x\n  b: *x\n")


def test_a_few_aliases_are_fine():
    assert load_yaml_text("a: &x [1]\nb: *x\n", "f.yaml").data == {"a": [1], "b": [1]}


@pytest.mark.parametrize(
    "text",
    [
        "[" * 10_000 + "]" * 10_000,
        "{a: " * 10_000 + "1" + "}" * 10_000,
        "- " * 10_000 + "x\n",
        "".join(" " * i + "k:\n" for i in range(1_000)),
        "".join(" " * i + "-\n" for i in range(1_000)),
        "".join("  " * i + "- k:\n" for i in range(300)),
    ],
    ids=["flow-seq", "flow-map", "compact-seq", "block-map", "block-seq", "block-mixed"],
)
def test_deep_nesting_is_refused_before_parsing(text):
    message = refusal(text)
    assert "nesting deeper" in message or "indentation deeper than" in message


def test_nesting_up_to_the_limit_is_accepted():
    text = "".join("  " * i + "k:\n" for i in range(MAX_DEPTH)) + "  " * MAX_DEPTH + "v\n"
    assert load_yaml_text(text, "f.yaml").data is not None


@pytest.mark.parametrize("form", ["block", "compact", "flow"])
def test_nesting_that_would_crash_the_c_parser_is_refused_in_a_child_process(form):
    """100,000 levels overflow libyaml's composer (a segfault, not an exception); the guard must stop it first."""
    program = (
        "import sys; from rsqm.files.yamlio import load_yaml_text, YamlRefused\n"
        f"form = {form!r}\n"
        "n = 100_000\n"
        "text = {'block': ''.join(' ' * min(i, 2000) + 'k:\\n' for i in range(n)), 'compact': '- ' * n + 'x', 'flow': '[' * n}[form]\n"
        "try:\n    load_yaml_text(text, 'f.yaml')\nexcept YamlRefused as e:\n    print('refused', e)\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("refused f.yaml:")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a: 1\n".encode("utf-16"), "f.yaml:1: error: file is UTF-16 encoded"),
        (b"a: caf\xe9\n", "f.yaml:1: error: file is not valid UTF-8 text"),
        (b"a: 1\nb: \x00\n", "f.yaml:2: error: file contains NUL bytes"),
    ],
)
def test_text_that_is_not_utf8_is_refused_with_the_file_name(raw, expected):
    with pytest.raises(YamlRefused) as caught:
        decode(raw, "f.yaml")
    assert str(caught.value).startswith(expected)


def test_a_utf8_byte_order_mark_is_tolerated_with_a_warning():
    text, problems = decode(b"\xef\xbb\xbfa: 1\n", "f.yaml")
    assert text == "a: 1\n"
    assert [str(p) for p in problems] == ["f.yaml:1: warning: file starts with a byte-order mark; save it as UTF-8 without BOM"]


def test_model_errors_map_to_the_line_of_the_offending_key():
    loaded = load_yaml_text("schema: rsqm/register@1\nitems:\n- id: X1\n  title: T\n", "r.yaml")
    model, problems = parse_model(Register, loaded, "r.yaml")
    assert model is None
    rendered = [str(p) for p in problems]
    assert "r.yaml:3: error: id: 'X1' is not an evidence id: E followed by digits, such as E014" in rendered
    assert "r.yaml:3: error: missing required field 'type' in items[0]" in rendered


def test_dumped_yaml_loads_back_to_the_same_data():
    data = {"schema": "rsqm/register@1", "items": [{"id": "E1", "title": "Café: ‘quotes’ & #hash", "links": []}]}
    assert load_yaml_text(dump_yaml(data), "f.yaml").data == data


def test_a_date_two_records_share_is_written_in_full_each_time():
    # validated dates come from a cache, so two records often hold the very same object
    items = Register.model_validate({"schema": "rsqm/register@1", "items": [
        {"id": f"E{n}", "title": "Policy", "type": "policy", "file": f"p{n}.pdf", "owner": "Lead", "dated": "2025-04-01",
         "status": "draft"} for n in (1, 2)]}).items
    assert items[0].dated is items[1].dated
    text = dump_yaml({"items": [{"id": item.id, "dated": item.dated} for item in items]})
    assert text.count("dated: 2025-04-01") == 2
    assert "&id" not in text and "*id" not in text


# --- pydantic's messages in the user's terms (describe_error is the one translator) ---


def register_problems(item_yaml: str) -> list[str]:
    text = "schema: rsqm/register@1\nitems:\n" + item_yaml
    return [str(p) for p in parse_model(Register, load_yaml_text(text, "r.yaml"), "r.yaml")[1]]


ITEM = "- id: E1\n  title: T\n  type: policy\n  file: files/a.pdf\n  owner: Coordinator\n  dated: 2026-01-01\n  status: approved\n"


def test_an_unquoted_number_where_an_id_is_expected_says_to_write_it_in_quotes():
    found = register_problems(ITEM + "  links:\n  - indicator: 1.1\n")
    assert found == ['r.yaml:11: error: indicator: 1.1 is read as a number, but this is text; write it in quotes: "1.1"']


def test_a_pattern_error_shows_what_the_field_should_be_not_the_regular_expression():
    found = register_problems(ITEM.replace("id: E1", "id: X1") + "  sha256: abc\n")
    assert found == [
        "r.yaml:3: error: id: 'X1' is not an evidence id: E followed by digits, such as E014",
        "r.yaml:10: error: file fingerprint: 'abc' is not a SHA-256 of the file as approved: 64 lower-case hexadecimal characters"
        " (rsqm evidence approve records it)",
    ]
    assert not any("^" in line or "should match" in line for line in found)


def test_a_workspace_file_says_where_in_words_and_an_import_keeps_the_keys_for_its_headers():
    from pydantic import ValidationError

    from rsqm.files.yamlio import describe_error

    assert register_problems(ITEM + "  review_by: soon\n") == ["r.yaml:10: error: review date: expected a date as YYYY-MM-DD, got 'soon'"]
    with pytest.raises(ValidationError) as caught:
        Register.model_validate(load_yaml_text("schema: rsqm/register@1\nitems:\n" + ITEM + "  review_by: soon\n", "r.yaml").data)
    assert describe_error(caught.value.errors()[0]).startswith("items[0].review_by: ")  # rsqm.imports names it by the export's header


def test_a_staff_code_error_in_the_case_list_shows_the_fields_wording():
    from rsqm.imports.caselist import parse_cases

    header = "case_ref,referred_on,closed_on,process,offence_category,initiator,practitioner,outcome"
    _, _, problems = parse_cases(f"{header}\nRT-2025-001,2025-06-01,,letter,theft,harmed_person,Jo Bloggs,\n", "evidence/cases.csv", r".*")
    assert [str(p) for p in problems] == [
        "evidence/cases.csv:2: error: RT-2025-001: practitioner: 'Jo Bloggs' is not a staff code such as P07, never a name; "
        "blank while the case is not allocated"
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("status: approved", "status: aproved"), "status: 'aproved' is not allowed; use one of 'draft', 'in_review', 'approved'"),
        (("title: T", "title: ''"), "title: must not be empty"),
        (("title: T", "title: [a, b]"), "title: expected text, found a list"),
        (("owner: Coordinator", "owner:"), "owner: expected text, found nothing (an empty value)"),
        (("status: approved", "status: approved\n  links: {a: 1}"), "links: expected a list (lines starting with '- '), found a set of 'key: value' lines"),
    ],
)
def test_common_mistakes_read_in_plain_words(change, expected):
    found = register_problems(ITEM.replace(*change))
    assert any(expected in line for line in found), found
    assert not any("Input should" in line for line in found)


def test_numbers_and_flags_out_of_range_say_the_limit():
    from rsqm.files.models import Checklist

    text = "schema: rsqm/checklist@1\nid: c\ntitle: C\nmin_sample: 0\nitems:\n- {id: a, section: s, question: q, target: 1.5, critical: maybe}\n"
    found = [str(p) for p in parse_model(Checklist, load_yaml_text(text, "c.yaml"), "c.yaml")[1]]
    assert found == [
        "c.yaml:4: error: min sample: 0 is too small: it must be at least 1",
        "c.yaml:6: error: target: 1.5 is too large: it must be at most 1",
        "c.yaml:6: error: critical: expected true or false, found 'maybe'",
    ]
