"""Equality monitoring: optional aggregate columns on the case list, reported only as suppressed counts.

The rule (docs/commissioning.md): a count under 5 reads "fewer than 5", and
enough other cells are not shown that no hidden count can be worked out from
the row's total: the hidden cells together never hold a small number, and
(checked by brute force) every way of filling the hidden cells that agrees with
what is shown leaves each of them more than one value.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest

from builders import case, dump
from rsqm.base.suppression import FEWER, HIDDEN, SMALL, Cell, suppress
from rsqm.imports.caselist import parse_cases
from rsqm.workspace.load import load_workspace


def possible_values(cells: dict[str, Cell], total: int) -> dict[str, set[int]]:
    """Every value each hidden cell can take, given the total, the shown cells and what each hidden one says."""
    hidden = [label for label, cell in cells.items() if cell.count is None]
    rest = total - sum(cell.count for cell in cells.values() if cell.count is not None)
    ranges = [range(SMALL) if cells[label].shown == FEWER else range(SMALL, rest + 1) for label in hidden]
    found: dict[str, set[int]] = {label: set() for label in hidden}
    for values in itertools.product(*ranges):
        if sum(values) == rest:
            for label, value in zip(hidden, values, strict=True):
                found[label].add(value)
    return found


ROWS = [
    {"asian": 3, "black": 7, "mixed": 12, "white": 40, "other": 9, "not_known": 6},  # one small cell
    {"female": 10, "male": 12, "other": 0, "not_known": 0},  # zeros are small too
    {"yes": 3, "no": 4, "not_known": 30},  # two small cells summing to 7
    {"yes": 3, "no": 20, "not_known": 5},  # the next smallest is exactly 5
    {"under_18": 2, "18_24": 2, "25_44": 2, "45_64": 2, "65_plus": 2, "not_known": 2},  # all small
    {"female": 20, "male": 30, "other": 8},  # nothing small: all shown
    {"white": 30, "asian": 3, "black": 8, "mixed": 6, "other": 0},  # the small cells add up to 3: one more goes
]


@pytest.mark.parametrize("counts", ROWS)
def test_no_hidden_count_can_be_worked_out_from_the_total_and_the_shown_cells(counts):
    total = sum(counts.values())
    cells = suppress(counts, total)
    for label, n in counts.items():
        if n < SMALL:
            assert cells[label].shown == FEWER and cells[label].count is None
        else:
            assert cells[label].shown in (str(n), HIDDEN)
    hidden_sum = total - sum(cell.count for cell in cells.values() if cell.count is not None)
    assert hidden_sum == 0 or hidden_sum >= SMALL or all(cell.count is None for cell in cells.values())
    for label, values in possible_values(cells, total).items():
        assert counts[label] in values
        assert len(values) > 1, f"{label} can be worked out: it can only be {values}"


def test_a_row_with_nothing_small_is_shown_whole():
    assert {k: c.count for k, c in suppress({"female": 20, "male": 30}, 50).items()} == {"female": 20, "male": 30}


def test_a_single_small_cell_takes_the_next_smallest_with_it():
    cells = suppress({"a": 3, "b": 7, "c": 20, "d": 9}, 39)
    assert [(k, c.shown) for k, c in cells.items()] == [("a", FEWER), ("b", HIDDEN), ("c", "20"), ("d", "9")]


def test_a_cell_already_unknown_is_never_left_alone_beside_its_total():
    cells = suppress({"a": None, "b": 40, "c": 20}, 70)
    assert cells["a"].shown == HIDDEN and cells["c"].shown == HIDDEN and cells["b"].count == 40


# --- the case list -------------------------------------------------------------

HEADER = "case_ref,referred_on,closed_on,process,offence_category,initiator,practitioner,outcome,age_band,sex,ethnic_group,disability"


def test_the_equality_columns_read_their_allowed_values_and_blank():
    text = f"{HEADER}\nRJ-2025-0001,2025-06-01,,letter,theft,harmed_person,P01,,18_24,female,black,no\n" \
           "RJ-2025-0002,2025-06-01,,letter,theft,harmed_person,P01,,,,,\n"
    cases, _, problems = parse_cases(text, "evidence/cases.csv", r"^[A-Z]{2,5}-\d{4}-\d{3,5}$")
    assert problems == []
    assert (cases[0].age_band, cases[0].sex, cases[0].ethnic_group, cases[0].disability) == ("18_24", "female", "black", "no")
    assert (cases[1].age_band, cases[1].sex, cases[1].ethnic_group, cases[1].disability) == (None, None, None, None)


def test_a_value_outside_the_list_is_an_error_at_its_line_naming_what_is_allowed():
    text = f"{HEADER}\nRJ-2025-0001,2025-06-01,,letter,theft,harmed_person,P01,,18-24,female,white,no\n"
    _, _, problems = parse_cases(text, "evidence/cases.csv", r"^[A-Z]{2,5}-\d{4}-\d{3,5}$")
    assert len(problems) == 1
    message = str(problems[0])
    assert message.startswith("evidence/cases.csv:2: error:") and "age band" in message and "18_24" in message  # the field in words, the values as typed


def test_an_age_band_that_contradicts_victim_under_18_is_an_error_at_its_line():
    header = f"{HEADER},victim_under_18"
    text = f"{header}\nRJ-2025-0001,2025-06-01,,letter,theft,harmed_person,P01,,25_44,female,white,no,yes\n" \
           "RJ-2025-0002,2025-06-01,,letter,theft,harmed_person,P01,,under_18,male,white,no,yes\n" \
           "RJ-2025-0003,2025-06-01,,letter,theft,harmed_person,P01,,not_known,male,white,no,yes\n"
    _, _, problems = parse_cases(text, "evidence/cases.csv", r"^[A-Z]{2,5}-\d{4}-\d{3,5}$")
    assert [str(p) for p in problems] == [
        "evidence/cases.csv:2: error: RJ-2025-0001: age band is 25_44 but victim under 18 is yes"]


def test_the_equality_columns_import_through_the_map_like_any_other(ws, cli, tmp_path: Path):
    export = tmp_path / "export.csv"
    export.write_text("Ref,Referred,Process,Offence,By,Worker,Age,Gender,Ethnicity,Disabled\n"
                      "RJ-2025-0101,2025-02-03,letter,theft,harmed_person,P01,25-44,F,White British,N\n", encoding="utf-8")
    mapping = tmp_path / "map.yaml"
    mapping.write_text(dump({
        "schema": "rsqm/case-import@1",
        "columns": {"case_ref": "Ref", "referred_on": "Referred", "process": "Process", "offence_category": "Offence",
                    "initiator": "By", "practitioner": "Worker", "age_band": "Age", "sex": "Gender",
                    "ethnic_group": "Ethnicity", "disability": "Disabled"},
        "dates": "iso",
        "values": {"age_band": {"25-44": "25_44"}, "sex": {"F": "female"}, "ethnic_group": {"White British": "white"},
                   "disability": {"N": "no"}},
    }), encoding="utf-8")
    result = cli("cases", "import", str(export), "--map", str(mapping), "-w", str(ws.root))
    assert result.code == 0, result.text
    imported = load_workspace(ws.root).cases[0]
    assert (imported.age_band, imported.sex, imported.ethnic_group, imported.disability) == ("25_44", "female", "white", "no")


def test_an_imported_value_the_map_does_not_translate_is_refused_naming_the_export_row(ws, cli, tmp_path: Path):
    export = tmp_path / "export.csv"
    export.write_text("Ref,Referred,Process,Offence,By,Worker,Gender\n"
                      "RJ-2025-0101,2025-02-03,letter,theft,harmed_person,P01,Woman\n", encoding="utf-8")
    mapping = tmp_path / "map.yaml"
    mapping.write_text(dump({
        "schema": "rsqm/case-import@1", "dates": "iso",
        "columns": {"case_ref": "Ref", "referred_on": "Referred", "process": "Process", "offence_category": "Offence",
                    "initiator": "By", "practitioner": "Worker", "sex": "Gender"},
    }), encoding="utf-8")
    result = cli("cases", "import", str(export), "--map", str(mapping), "-w", str(ws.root))
    assert result.code == 1
    assert "Gender" in result.err and "female" in result.err
    assert load_workspace(ws.root).cases == []


# --- rsqm outcomes -------------------------------------------------------------

ETHNIC = ["white"] * 30 + ["asian"] * 3 + ["black"] * 8 + ["mixed"] * 6 + [""] * 2  # a group of 3


@pytest.fixture
def equality_ws(ws):
    ws.cases(*(case(f"RJ-2025-{i:04d}", closed_on="", referred_on="2025-06-01", ethnic_group=group,
                    sex="female" if i % 2 else "male", disability="no", age_band="25_44")
               for i, group in enumerate(ETHNIC, start=1)))
    return ws


def test_outcomes_json_reports_each_equality_column_with_the_group_of_3_never_a_number(equality_ws, cli):
    result = cli("outcomes", "--from", "2025-01-01", "--to", "2025-12-31", "--json", "-w", str(equality_ws.root))
    assert result.code == 0, result.text
    equality = {e["column"]: e for e in json.loads(result.out)["current"]["equality"]}
    ethnic = equality["ethnic_group"]
    assert ethnic["kept"] and ethnic["total"] == len(ETHNIC)
    assert ethnic["cells"]["asian"] == {"count": None, "shown": FEWER}
    assert ethnic["cells"]["white"] == {"count": 30, "shown": "30"}
    shown = {k: c["count"] for k, c in ethnic["cells"].items() if c["count"] is not None}
    assert 3 not in shown.values()
    assert ethnic["total"] - sum(shown.values()) != 3  # not recoverable as the total less the others
    sex = equality["sex"]["cells"]  # 25 female, 24 male, no other: the three zeros would add up to 0, so male goes too
    assert sex["female"]["count"] == 25 and sex["male"] == {"count": None, "shown": HIDDEN}


def test_outcomes_text_has_an_equality_section_in_words(equality_ws, cli):
    result = cli("outcomes", "--from", "2025-01-01", "--to", "2025-12-31", "-w", str(equality_ws.root))
    assert result.code == 0, result.text
    section = result.out.split("Equality monitoring", 1)[1]
    assert "Ethnic group: asian fewer than 5" in section
    assert "white 30" in section
    assert not re.search(r"asian 3\b", section)


def test_a_case_list_without_equality_columns_says_it_keeps_none(ws, cli):
    ws.cases(case("RJ-2025-0001", referred_on="2025-06-01"))
    result = cli("outcomes", "--from", "2025-01-01", "--to", "2025-12-31", "-w", str(ws.root))
    assert "the case list keeps no equality column" in result.out
