"""rsqm cases import / map-template: a case-management export into evidence/cases.csv, safely."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from builders import case, dump
from rsqm.workspace.load import load_workspace

HEADER = ["Case Reference", "Referral Date", "Date Closed", "Process Type", "Offence", "Initiated By",
          "Facilitator Code", "Victim Name", "Case Status", "First Contact", "Enhanced"]
# The personal column's values: none of them may reach any file of the workspace.
NAMES = ["Zebedee Quillfeather", "Ottoline Brackenridge", "Peregrine Ashcombe"]
ROWS = [
    ["RJ-2025-0101", "03/02/2025", "28/05/2025", "Direct - Face to Face", "Burglary", "Victim", "P01", NAMES[0], "Closed", "05/02/2025", "Y"],
    ["RJ-2025-0102", "14/03/2025", "", "Shuttle", "Theft", "Offender", "P02", NAMES[1], "Open", "17/03/2025", "N"],
    ["RJ-2025-0103", "25/12/2025", "13/01/2026", "Indirect - Letter", "Criminal damage", "Victim", "P03", NAMES[2], "Closed", "", ""],
]
MAP = {
    "schema": "rsqm/case-import@1",
    "columns": {"case_ref": "Case Reference", "referred_on": "Referral Date", "closed_on": "Date Closed",
                "process": "Process Type", "offence_category": "Offence", "initiator": "Initiated By",
                "practitioner": "Facilitator Code", "first_contact_on": "First Contact", "enhanced_rights": "Enhanced"},
    "dates": "dayfirst",
    "values": {
        "process": {"Direct - Face to Face": "face_to_face", "Shuttle": "shuttle", "Indirect - Letter": "letter"},
        "offence_category": {"Burglary": "burglary", "Theft": "theft", "Criminal damage": "criminal_damage"},
        "initiator": {"Victim": "harmed_person", "Offender": "person_responsible"},
        "enhanced_rights": {"Y": "yes", "N": "no"},
    },
    "ignore": ["Victim Name", "Case Status"],
}


def csv_export(path: Path, rows: list[list[str]], header: list[str] = HEADER, encoding: str = "utf-8-sig") -> Path:
    """An export as case-management systems save it: a byte-order mark and Windows line endings."""
    lines = [",".join(header), *(",".join(row) for row in rows)]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


@pytest.fixture
def export(tmp_path: Path) -> Path:
    return csv_export(tmp_path / "export.csv", ROWS)


@pytest.fixture
def map_file(tmp_path: Path) -> Path:
    path = tmp_path / "map.yaml"
    path.write_text(dump(MAP), encoding="utf-8")
    return path


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file's bytes but locks and the load cache (a cache any load may refresh; deleting it is safe)."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.name.endswith(".lock") and p.name != "load-cache.json"}


def test_an_export_with_bom_crlf_dayfirst_and_mapped_values_imports_into_a_valid_workspace(ws, cli, export, map_file):
    result = cli("cases", "import", str(export), "--map", str(map_file), "-w", str(ws.root))
    assert result.code == 0, result.text
    assert "3 cases: 3 added, 0 updated, 0 unchanged" in result.out
    loaded = load_workspace(ws.root)
    assert loaded.valid, [str(p) for p in loaded.errors]
    by_ref = {c.case_ref: c for c in loaded.cases}
    first = by_ref["RJ-2025-0101"]
    assert (first.referred_on.isoformat(), first.closed_on.isoformat(), first.process, first.initiator) == (
        "2025-02-03", "2025-05-28", "face_to_face", "harmed_person")
    assert first.first_contact_on.isoformat() == "2025-02-05" and first.enhanced_rights is True
    assert by_ref["RJ-2025-0102"].closed_on is None and by_ref["RJ-2025-0102"].enhanced_rights is False


def test_the_ignored_personal_column_reaches_no_file_of_the_workspace_but_the_private_name_list(ws, cli, export, map_file):
    assert cli("cases", "import", str(export), "--map", str(map_file), "-w", str(ws.root)).code == 0
    files = snapshot(ws.root)
    assert ".rsqm/changes.jsonl" in files  # the change log was written, and is searched too
    for rel, content in files.items():
        for name in [*NAMES, "Closed", "Open"]:
            # the names (only they: a status is no name) go to the privacy check's private list (tests/test_privacy_names.py)
            assert name.encode() not in content or (rel == ".rsqm/known-names.txt" and name in NAMES), f"{name} found in {rel}"


def test_reimporting_the_same_export_reports_every_row_unchanged_and_writes_nothing(ws, cli, export, map_file):
    cli("cases", "import", str(export), "--map", str(map_file), "-w", str(ws.root))
    before = snapshot(ws.root)
    again = cli("cases", "import", str(export), "--map", str(map_file), "-w", str(ws.root))
    assert again.code == 0
    assert "3 cases: 0 added, 0 updated, 3 unchanged" in again.out
    assert snapshot(ws.root) == before


def test_an_updated_row_changes_only_its_columns_and_keeps_cases_not_in_the_export(ws, cli, tmp_path, map_file):
    ws.cases(case("RJ-2024-0001"), case("RJ-2025-0101", closed_on="", outcome=""))
    export = csv_export(tmp_path / "export.csv", ROWS[:1])
    result = cli("cases", "import", str(export), "--map", str(map_file), "-w", str(ws.root))
    assert result.code == 0, result.text
    assert "0 added, 1 updated, 0 unchanged" in result.out
    assert "updated RJ-2025-0101: referred_on, closed_on, process, offence_category, first_contact_on, enhanced_rights" in result.out
    cases = {c.case_ref: c for c in load_workspace(ws.root).cases}
    assert set(cases) == {"RJ-2024-0001", "RJ-2025-0101"}
    assert cases["RJ-2025-0101"].outcome == ""  # not in the map: kept as it was


def _extra_column(header, rows):
    return [*header, "Victim Phone"], [[*row, "07700 900123"] for row in rows]


def _impossible_date(header, rows):
    return header, [rows[0], [rows[1][0], "31/02/2025", *rows[1][2:]], rows[2]]


def _unmapped_value(header, rows):
    return header, [rows[0], [*rows[1][:3], "Conference call", *rows[1][4:]], rows[2]]


def test_a_value_the_map_does_not_list_passes_through_and_is_checked_like_any_other(ws, cli, tmp_path, map_file):
    export = csv_export(tmp_path / "export.csv", *reversed(_unmapped_value(HEADER, ROWS)))
    result = cli("cases", "import", str(export), "--map", str(map_file), "-w", str(ws.root))
    assert result.code == 0, result.text
    assert ",Conference call," in (ws.root / "evidence/cases.csv").read_text()
    assert ",face_to_face," in (ws.root / "evidence/cases.csv").read_text()  # the values listed are still translated


@pytest.mark.parametrize(
    ("spoil", "expected"),
    [
        (_extra_column, "export.csv:1: error: column 'Victim Phone' is neither mapped nor ignored"),
        (_impossible_date, "export.csv:3: error: column 'Referral Date': '31/02/2025' is not a real date"),
    ],
    ids=["unmapped column", "impossible date"],
)
def test_a_bad_export_exits_1_naming_file_and_row_and_changes_nothing(ws, cli, tmp_path, map_file, spoil, expected):
    export = csv_export(tmp_path / "export.csv", *reversed(spoil(HEADER, ROWS)))
    before = snapshot(ws.root)
    result = cli("cases", "import", str(export), "--map", str(map_file), "-w", str(ws.root))
    assert result.code == 1
    assert expected in result.err.replace(str(tmp_path) + "/", "")
    assert "nothing imported" in result.err
    assert "07700" not in result.text
    assert snapshot(ws.root) == before


def test_every_bad_row_is_reported_at_once(ws, cli, tmp_path, map_file):
    bad = [[f"RJ-2025-02{n:02d}", "30/02/2025" if n % 2 == 0 else "01/02/2025", *ROWS[0][2:]] for n in range(10)]
    bad[5][6] = "Facilitator Jones"  # a name where a staff code belongs
    export = csv_export(tmp_path / "export.csv", bad)
    result = cli("cases", "import", str(export), "--map", str(map_file), "-w", str(ws.root))
    assert result.code == 1
    lines = [line for line in result.err.splitlines() if ": error: " in line]
    assert len(lines) == 6  # 30/02 on rows 2, 4, 6, 8, 10 (five impossible dates) and row 7's practitioner
    assert any(":7: error: RJ-2025-0205: Facilitator Code: 'Facilitator Jones' is not a staff code such as P07, never a name" in line
               for line in lines)


def test_dry_run_says_what_would_change_and_writes_nothing(ws, cli, export, map_file):
    before = snapshot(ws.root)
    result = cli("cases", "import", str(export), "--map", str(map_file), "-w", str(ws.root), "--dry-run")
    assert result.code == 0
    assert "3 added" in result.out and "added RJ-2025-0103" in result.out and "dry run: nothing written" in result.out
    assert snapshot(ws.root) == before


def test_rows_that_break_the_case_rules_are_refused(ws, cli, tmp_path, map_file):
    early = [*ROWS[0][:9], "01/02/2025", "Y"]  # first contact before the referral
    export = csv_export(tmp_path / "export.csv", [early])
    result = cli("cases", "import", str(export), "--map", str(map_file), "-w", str(ws.root))
    assert result.code == 1
    assert "export.csv:2: error: RJ-2025-0101: First Contact is before Referral Date" in result.err.replace(str(tmp_path) + "/", "")


def test_windows_1252_exports_are_read(ws, cli, tmp_path, map_file):
    header = [h if h != "Case Status" else "Case Status – note" for h in HEADER]
    mapping = MAP | {"ignore": ["Victim Name", "Case Status – note"]}
    (tmp_path / "map.yaml").write_text(dump(mapping), encoding="utf-8")
    export = csv_export(tmp_path / "export.csv", ROWS, header=header, encoding="cp1252")
    result = cli("cases", "import", str(export), "--map", str(map_file), "-w", str(ws.root))
    assert result.code == 0, result.text


def test_an_xlsx_export_imports(ws, cli, tmp_path, map_file):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    from datetime import datetime

    sheet["B2"] = datetime(2025, 2, 3)  # a real date cell, as spreadsheets keep them
    sheet["B3"] = 45730  # a date column formatted as a number: 14 March 2025
    book.save(tmp_path / "export.xlsx")
    result = cli("cases", "import", str(tmp_path / "export.xlsx"), "--map", str(map_file), "-w", str(ws.root))
    assert result.code == 0, result.text
    assert "3 added" in result.out
    cases = {c.case_ref: c for c in load_workspace(ws.root).cases}
    assert (cases["RJ-2025-0101"].referred_on.isoformat(), cases["RJ-2025-0102"].referred_on.isoformat()) == ("2025-02-03", "2025-03-14")


def test_a_map_with_an_unknown_column_of_ours_is_refused(ws, cli, export, tmp_path):
    (tmp_path / "bad.yaml").write_text(dump(MAP | {"columns": {**MAP["columns"], "victim_name": "Victim Name"}}), encoding="utf-8")
    result = cli("cases", "import", str(export), "--map", str(tmp_path / "bad.yaml"), "-w", str(ws.root))
    assert result.code == 1
    assert "unknown column 'victim_name' of ours" in result.err


def test_map_template_guesses_our_columns_and_lists_the_rest_under_ignore(ws, cli, export, tmp_path):
    result = cli("cases", "map-template", str(export), "--out", str(tmp_path / "guess.yaml"))
    assert result.code == 0, result.text
    text = (tmp_path / "guess.yaml").read_text(encoding="utf-8")
    assert 'case_ref: "Case Reference"' in text and 'practitioner: "Facilitator Code"' in text
    assert "dates: dayfirst" in text
    assert '- "Victim Name"' in text and '- "Case Status"' in text
    assert "Zebedee" not in text  # an unrecognised column is listed by name only, never read
    imported = cli("cases", "import", str(export), "--map", str(tmp_path / "guess.yaml"), "-w", str(ws.root), "--dry-run")
    assert imported.code == 0, imported.text  # the guess is usable as it stands (values become slugs)


def test_words_no_case_used_before_are_pointed_out(ws, cli, export, tmp_path):
    ws.cases(case("RJ-2024-0001", initiator="harmed_person", process="letter"))
    mapping = MAP | {"values": {**MAP["values"], "initiator": {"Victim": "victim", "Offender": "person_responsible"}}}
    (tmp_path / "loose.yaml").write_text(dump(mapping), encoding="utf-8")
    result = cli("cases", "import", str(export), "--map", str(tmp_path / "loose.yaml"), "-w", str(ws.root), "--dry-run")
    assert result.code == 0
    assert "note: initiator gets value(s) no row had before: person_responsible, victim;" in result.out
    assert "note: process gets value(s) no row had before: face_to_face, shuttle;" in result.out


def test_an_empty_column_without_a_header_is_harmless_but_one_with_values_stops_the_import(ws, cli, tmp_path, map_file):
    trailing = csv_export(tmp_path / "trailing.csv", [[*row, ""] for row in ROWS], header=[*HEADER, ""])
    assert cli("cases", "import", str(trailing), "--map", str(map_file), "-w", str(ws.root), "--dry-run").code == 0
    filled = csv_export(tmp_path / "filled.csv", [[*ROWS[0], "call back Tuesday"], [*ROWS[1], ""]], header=[*HEADER, ""])
    result = cli("cases", "import", str(filled), "--map", str(map_file), "-w", str(ws.root))
    assert result.code == 1
    assert "filled.csv:2: error: column 12 has no header but holds a value" in result.err
    assert "Tuesday" not in result.err


def test_an_ignored_column_may_appear_twice(ws, cli, tmp_path, map_file):
    export = csv_export(tmp_path / "twice.csv", [[*row, "x"] for row in ROWS], header=[*HEADER, "Victim Name"])
    assert cli("cases", "import", str(export), "--map", str(map_file), "-w", str(ws.root)).code == 0


def test_problems_in_the_map_point_at_its_lines(ws, cli, export, tmp_path):
    (tmp_path / "bad.yaml").write_text(dump(MAP | {"dates": "yearfirst", "ignore": ["Victim Name", "Case Status", "Offence"]}), encoding="utf-8")
    result = cli("cases", "import", str(export), "--map", str(tmp_path / "bad.yaml"), "-w", str(ws.root))
    assert result.code == 1
    assert f"{tmp_path}/bad.yaml:12: error: dates: expected one of dayfirst, monthfirst, iso" in result.err
    (tmp_path / "bad.yaml").write_text(dump(MAP | {"ignore": ["Victim Name", "Case Status", "Offence"]}), encoding="utf-8")
    result = cli("cases", "import", str(export), "--map", str(tmp_path / "bad.yaml"), "-w", str(ws.root))
    assert f"{tmp_path}/bad.yaml:31: error: column 'Offence' is both mapped and ignored" in result.err


def test_an_export_kept_inside_the_workspace_is_pointed_out(ws, cli, map_file):
    inside = csv_export(ws.root / "export.csv", ROWS)
    result = cli("cases", "import", str(inside), "--map", str(map_file), "-w", str(ws.root), "--dry-run")
    assert result.code == 0
    assert "lies inside the workspace; move it out" in result.err
