"""rsqm.privacy.names: the case export's name columns feed a private list the pre-flight blocks everywhere."""

from __future__ import annotations

import stat

import pytest
from test_cli_cases import HEADER, MAP, ROWS, csv_export

from builders import dump
from pack_fixtures import filled
from rsqm.privacy.names import is_name_column, name_forms, with_names

KNOWN = ".rsqm/known-names.txt"
# Names whose forenames were on no list of the pre-flight when the issue was filed (Faker's lists know them now,
# tests/test_name_lists.py): the case export tells the pre-flight they are participants, however written.
PEOPLE = ["Adaeze Okonkwo", "Niamh O'Sullivan", "Cerys Llewelyn"]


@pytest.fixture
def imported(ws, cli, tmp_path):
    """The filled workspace after importing an export whose ignored "Victim Name" column names PEOPLE."""
    full = filled(ws)
    rows = [[*row[:7], person, *row[8:]] for row, person in zip(ROWS, PEOPLE, strict=True)]
    export, map_file = csv_export(tmp_path / "export.csv", rows), tmp_path / "map.yaml"
    map_file.write_text(dump(MAP), encoding="utf-8")
    result = cli("cases", "import", str(export), "--map", str(map_file), "-w", str(full.root))
    assert result.code == 0, result.text
    assert f"kept the names in the columns the map ignores in {KNOWN} (private, never exported)" in result.out
    return full


def test_the_names_of_an_ignored_name_column_are_kept_privately_and_nothing_else(imported):
    path = imported.root / KNOWN
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    lines = [line for line in path.read_text().splitlines() if not line.startswith("#")]
    assert lines == sorted(PEOPLE)  # "Case Status" is ignored too, but holds no names


@pytest.mark.parametrize("written", ["Adaeze Okonkwo", "OKONKWO, ADAEZE", "Niamh O'Sullivan", "cerys llewelyn"])
def test_a_known_name_in_a_narrative_blocks_the_export_however_it_is_written(imported, cli, tmp_path, written):
    imported.write("evidence/narratives/B1.md", f"Supervisors check risk.\n{written} agreed to meet.\n")
    out = tmp_path / "pack.zip"
    result = cli("export", "-w", str(imported.root), "--out", str(out))
    assert result.code == 1 and not out.exists()
    assert f"evidence/narratives/B1.md:2: error: participant's name '{written}'" in result.err


def test_without_the_import_a_name_on_no_list_passes_unnoticed(ws, cli, tmp_path):
    full = filled(ws)  # neither forename nor surname is on a name list (tests/test_name_lists.py): only the export tells
    full.write("evidence/narratives/B1.md", "Zephyrine Thistlewood agreed to meet.\n")
    result = cli("export", "--check", "-w", str(full.root))
    assert "Thistlewood" not in result.err


def test_importing_again_adds_only_new_names_and_a_dry_run_keeps_none(ws, cli, tmp_path):
    map_file = tmp_path / "map.yaml"
    map_file.write_text(dump(MAP), encoding="utf-8")
    export = csv_export(tmp_path / "export.csv", ROWS)
    assert cli("cases", "import", str(export), "--map", str(map_file), "-w", str(ws.root), "--dry-run").code == 0
    assert not (ws.root / KNOWN).exists()
    cli("cases", "import", str(export), "--map", str(map_file), "-w", str(ws.root))
    again = cli("cases", "import", str(export), "--map", str(map_file), "-w", str(ws.root))
    assert "kept the names" not in again.out


def test_which_headers_hold_names():
    assert all(map(is_name_column, ["Victim Name", "Offender surname", "Forename", "Family name", "Harmed person given name"]))
    assert not any(map(is_name_column, ["Case Reference", "Pseudonym", "File name", "Team name", "Service name", "Case Status"]))
    assert HEADER[7] == "Victim Name"


def test_a_name_is_looked_for_as_written_and_surname_first():
    assert name_forms("Adaeze  Okonkwo") == ["Adaeze Okonkwo", "Okonkwo Adaeze"]
    assert name_forms("Okonkwo, Adaeze") == ["Okonkwo Adaeze", "Adaeze Okonkwo"]
    assert name_forms("X") == []


def test_the_list_grows_sorted_without_repeats_and_is_left_alone_when_nothing_is_new():
    text, change = with_names(["Cerys Llewelyn", "Adaeze  Okonkwo"])(None)
    assert text.splitlines()[1:] == ["Adaeze Okonkwo", "Cerys Llewelyn"] and change == "keep 2 name(s) from a case export"
    assert with_names(["Cerys Llewelyn"])(text.encode()) is None
