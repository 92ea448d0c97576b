"""rsqm cases import takes a real CMS export: unallocated cases, slash references rewritten, errors in the export's words.

DESIGN.md section 9: a blank practitioner is a case not allocated yet; a
``rewrite:`` rule turns their reference form into ours before checking; every
row error names the export's own header and row with an example, never a
regular expression.
"""

from __future__ import annotations

import re

import pytest
from test_cli_cases import MAP, ROWS, csv_export, snapshot

from builders import dump
from rsqm.workspace.load import load_workspace

REWRITE = {"case_ref": {"match": r"^(\d{4})/(\d{3,5})$", "to": r"RJ-\1-\2"}}
REGEX_LOOK = re.compile(r"\^|\$|\\d|\[A-Z\]|\{\d,\d\}")


def slash(rows):
    return [[f"{r[0][3:7]}/{r[0][8:]}", *r[1:]] for r in rows]  # RJ-2025-0101 -> 2025/0101


def run(ws, cli, tmp_path, rows, mapping=MAP):
    (tmp_path / "map.yaml").write_text(dump(mapping), encoding="utf-8")
    export = csv_export(tmp_path / "export.csv", rows)
    return cli("cases", "import", str(export), "--map", str(tmp_path / "map.yaml"), "-w", str(ws.root))


def test_a_blank_facilitator_is_an_unallocated_case(ws, cli, tmp_path):
    rows = [list(r) for r in ROWS]
    rows[1][6] = ""
    result = run(ws, cli, tmp_path, rows)
    assert result.code == 0, result.text
    loaded = load_workspace(ws.root)
    assert loaded.valid, [str(p) for p in loaded.problems]
    assert {c.case_ref: c.practitioner for c in loaded.cases}["RJ-2025-0102"] == ""


def test_slash_references_are_rewritten_before_they_are_checked(ws, cli, tmp_path):
    result = run(ws, cli, tmp_path, slash(ROWS), MAP | {"rewrite": REWRITE})
    assert result.code == 0, result.text
    assert "added RJ-2025-0101" in result.out
    assert {c.case_ref for c in load_workspace(ws.root).cases} >= {"RJ-2025-0101", "RJ-2025-0102", "RJ-2025-0103"}


def test_without_a_rewrite_a_slash_reference_is_refused_in_the_exports_words(ws, cli, tmp_path):
    before = snapshot(ws.root)
    result = run(ws, cli, tmp_path, slash(ROWS[:1]))
    assert result.code == 1
    assert "export.csv:2: error: Case Reference '2025/0101' on row 2 is not a case reference of this service (expected something like " \
           in result.err
    assert not REGEX_LOOK.search(result.err), result.err
    assert snapshot(ws.root) == before


def test_row_errors_name_the_exports_headers_not_our_fields(ws, cli, tmp_path):
    rows = [list(ROWS[0])]
    rows[0][2] = "01/01/2025"  # closed before the referral on 03/02/2025
    result = run(ws, cli, tmp_path, rows)
    assert result.code == 1
    assert "RJ-2025-0101: Date Closed is before Referral Date" in result.err
    assert "closed_on" not in result.err and "referred_on" not in result.err


@pytest.mark.parametrize(("rule", "key", "message"), [
    ({"match": r"^((\d{4})/(\d+)$", "to": r"RJ-\1"}, "match:", "rewrite: match is not a valid regular expression"),
    ({"match": r"^(\d{4})/(\d+)$", "to": r"RJ-\1-\3"}, "to:", "rewrite: to uses part \\3, but match has only 2 part(s) in brackets"),
])
def test_a_bad_rewrite_is_a_located_error_in_the_map(ws, cli, tmp_path, rule, key, message):
    before = snapshot(ws.root)
    result = run(ws, cli, tmp_path, slash(ROWS), MAP | {"rewrite": {"case_ref": rule}})
    assert result.code == 1
    map_lines = (tmp_path / "map.yaml").read_text().splitlines()
    line = next(n for n, text in enumerate(map_lines, start=1) if text.strip().startswith(key))  # the rule's own line
    assert f"map.yaml:{line}: error: {message}" in result.err
    assert snapshot(ws.root) == before


def test_header_names_in_messages_come_from_the_map():
    from rsqm.imports.case_import import in_their_words

    headers = {"closed_on": "Date Closed", "first_contact_on": "First Contact"}
    assert in_their_words("closed_on is before first_contact_on", headers) == "Date Closed is before First Contact"
    assert in_their_words("column 'closed_on' holds a formula", headers) == "column 'Date Closed' holds a formula"
    assert in_their_words("reclosed_on stays", headers) == "reclosed_on stays"
