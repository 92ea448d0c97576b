"""The YAML loader: lines for every key, and refusals (never crashes) for hostile input."""

from __future__ import annotations

import subprocess
import sys

import pytest

from rsqm.models import Register
from rsqm.yamlio import MAX_ALIASES, MAX_DEPTH, YamlRefused, decode, dump_yaml, load_yaml_text, parse_model


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
        "import sys; from rsqm.yamlio import load_yaml_text, YamlRefused\n"
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
    assert "r.yaml:3: error: items[0].id: String should match pattern '^E\\d+$'" in rendered
    assert "r.yaml:3: error: missing required field 'type' in items[0]" in rendered


def test_dumped_yaml_loads_back_to_the_same_data():
    data = {"schema": "rsqm/register@1", "items": [{"id": "E1", "title": "Café: ‘quotes’ & #hash", "links": []}]}
    assert load_yaml_text(dump_yaml(data), "f.yaml").data == data
