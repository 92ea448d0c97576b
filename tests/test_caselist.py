"""Reading evidence/cases.csv: every bad row reported with its line; nothing personal or formula-like accepted."""

from __future__ import annotations

from datetime import date

import pytest

from rsqm.files.models import CASE_COLUMNS, OPTIONAL_CASE_COLUMNS, Case
from rsqm.imports.caselist import cases_csv, parse_cases

PATTERN = r"^[A-Z]{2,5}-\d{4}-\d{3,5}$"
HEADER = ",".join(CASE_COLUMNS)
ROW = "RT-2025-001,2025-06-01,2025-11-15,letter,theft,harmed_person,P01,completed"


def parse(*rows: str, header: str = HEADER):
    return parse_cases("\n".join([header, *rows]) + "\n", "evidence/cases.csv", PATTERN)


def messages(*rows: str, header: str = HEADER) -> list[str]:
    return [str(p) for p in parse(*rows, header=header)[2]]


def test_a_good_case_list_gives_cases_and_their_lines():
    cases, lines, problems = parse(ROW, ROW.replace("001", "002").replace("2025-11-15", ""))
    assert problems == []
    assert [c.case_ref for c in cases] == ["RT-2025-001", "RT-2025-002"]
    assert cases[0].closed_on == date(2025, 11, 15) and cases[1].closed_on is None
    assert lines == {"RT-2025-001": 2, "RT-2025-002": 3}


def test_a_ragged_row_is_an_error_at_its_line():
    assert messages(ROW, "RT-2025-002,2025-06-01") == ["evidence/cases.csv:3: error: row has 2 fields, the header has 8"]


def test_a_quoted_newline_is_an_error_at_the_row_where_it_starts():
    found = messages(ROW, '"RT-2025-002",2025-06-01,2025-11-15,"letter\nand more",theft,harmed_person,P01,completed', ROW.replace("001", "003"))
    assert found == ["evidence/cases.csv:3: error: a field spans several lines; keep each case on one line"]


def test_a_formula_like_cell_is_refused():
    found = messages(ROW.replace("completed", "=cmd|' /C calc'!A0"))
    assert found == ["evidence/cases.csv:2: error: column 'outcome' holds a formula-like value \"=cmd|' /C calc'!A0\""]


def test_a_column_that_looks_like_personal_data_is_refused_by_name():
    found = messages(ROW + ",someone", header=HEADER + ",email")
    assert found == [
        f"evidence/cases.csv:1: error: unknown column 'email' (it looks like personal data); allowed: {', '.join(CASE_COLUMNS + OPTIONAL_CASE_COLUMNS)}"
    ]


def test_a_missing_column_is_an_error_on_the_header_line():
    assert messages(header="case_ref,referred_on,closed_on") == [
        "evidence/cases.csv:1: error: missing column(s): process, offence_category, initiator, practitioner"
    ]


def test_a_bad_date_and_a_case_ref_off_pattern_are_both_reported():
    found = messages(ROW.replace("2025-06-01", "01/06/2025"), ROW.replace("RT-2025-001", "case one"))
    assert found[0].startswith("evidence/cases.csv:2: error: RT-2025-001: referral date: expected a date as YYYY-MM-DD")
    assert found[1] == "evidence/cases.csv:3: error: the case reference 'case one' does not have this service's form of reference (set in rsqm.yaml)"


def test_closing_before_referral_is_an_error():
    assert messages(ROW.replace("2025-11-15", "2025-01-01")) == ["evidence/cases.csv:2: error: RT-2025-001: closing date is before referral date"]


def test_a_practitioner_must_be_a_staff_code_not_a_name():
    found = messages(ROW.replace("P01", "Jo Bloggs"))
    assert len(found) == 1 and found[0].startswith("evidence/cases.csv:2: error: RT-2025-001: practitioner:")


def test_an_empty_file_has_no_header():
    assert [str(p) for p in parse_cases("", "evidence/cases.csv", PATTERN)[2]] == [
        "evidence/cases.csv:1: error: empty case list: the header row is missing"
    ]


def test_blank_lines_are_skipped_and_lines_still_count():
    _cases, lines, problems = parse(ROW, "", ROW.replace("001", "002"))
    assert problems == [] and lines["RT-2025-002"] == 4


def test_optional_columns_read_yes_no_and_blank_dates():
    header = HEADER + ",first_contact_on,enhanced_rights,offer_accepted"
    cases, _, problems = parse_cases(f"{header}\n{ROW},2025-06-06,yes,\n", "evidence/cases.csv", PATTERN)
    assert problems == []
    assert (cases[0].first_contact_on.isoformat(), cases[0].enhanced_rights, cases[0].offer_accepted) == ("2025-06-06", True, None)


def test_an_optional_yes_no_column_refuses_other_words():
    found = messages(ROW + ",maybe", header=HEADER + ",agreement_reached")
    assert len(found) == 1 and "expected yes, no or blank, got 'maybe'" in found[0]


@pytest.mark.parametrize(
    ("columns", "values", "message"),
    [
        ("first_contact_on", "2025-05-31", "date of first contact is before referral date"),
        ("rj_info_offered_on", "2025-05-01", "date information about restorative justice was given is before referral date"),
        ("reported_on", "2025-06-02", "referral date is before date the crime was reported"),
        ("reported_on,rj_info_offered_on", "2025-05-20,2025-05-19", "date information about restorative justice was given is before date the crime was reported"),
        ("first_contact_on", "2025-11-16", "closing date is before date of first contact"),
        ("rj_info_offered_on", "2025-12-01", "closing date is before date information about restorative justice was given"),
        ("agreement_reached,agreement_completed", "no,yes", "agreement completed is yes but agreement reached is not yes"),
        ("agreement_completed", "yes", "agreement completed is yes but agreement reached is not yes"),
        ("offer_accepted,agreement_reached", "no,yes", "agreement reached is yes but offer accepted is no"),
    ],
)
def test_optional_columns_must_tell_a_possible_story(columns, values, message):
    found = messages(f"{ROW},{values}", header=f"{HEADER},{columns}")
    assert found == [f"evidence/cases.csv:2: error: RT-2025-001: {message}"]


def test_information_about_rj_may_come_before_the_referral_once_the_crime_is_reported():
    # Right 3: the police tell the victim about restorative justice; the referral to the service can come later
    assert messages(f"{ROW},2025-05-20,2025-05-21", header=f"{HEADER},reported_on,rj_info_offered_on") == []


def test_optional_columns_in_order_are_accepted():
    header = HEADER + ",rj_info_offered_on,first_contact_on,offer_accepted,agreement_reached,agreement_completed"
    _cases, _, problems = parse_cases(f"{header}\n{ROW},2025-06-01,2025-06-03,yes,yes,yes\n", "evidence/cases.csv", PATTERN)
    assert problems == []



def test_the_case_list_is_written_with_each_repeated_value_as_the_same_text_in_every_column():
    # each date and yes / no is made into text once and reused wherever it is met again
    rows = [{"offer_accepted": "yes", "agreement_reached": "yes", "first_contact_on": "2025-06-01"},
            {"offer_accepted": "no", "agreement_reached": "", "first_contact_on": "2025-11-15"},
            {"offer_accepted": "", "agreement_reached": "no", "first_contact_on": ""}]
    cases = [Case.model_validate({**dict(zip(CASE_COLUMNS, ROW.replace("001", f"00{n}").split(","), strict=True)), **extra})
             for n, extra in enumerate(rows, start=1)]
    assert cases_csv(cases).splitlines()[1:] == [
        "RT-2025-001,2025-06-01,2025-11-15,letter,theft,harmed_person,P01,completed,2025-06-01,yes,yes",
        "RT-2025-002,2025-06-01,2025-11-15,letter,theft,harmed_person,P01,completed,2025-11-15,no,",
        "RT-2025-003,2025-06-01,2025-11-15,letter,theft,harmed_person,P01,completed,,,no",
    ]
