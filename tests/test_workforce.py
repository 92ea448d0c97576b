"""The workforce register: the coordinator's table, what is due, the cross-check with cases, validation."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from builders import FRAMEWORK, build
from rsqm.assess.workforce import WorkforceError, case_flags, due_soon, record, staff_rows, workforce_measures
from rsqm.files.models import Case, CpdEntry, Workforce
from rsqm.workspace.load import load_workspace
from staff_fixtures import WORKFORCE

D = date(2026, 6, 30)


def register(**changes) -> Workforce:
    data = copy.deepcopy(WORKFORCE)
    for code, fields in changes.items():
        next(m for m in data["staff"] if m["code"] == code).update(fields)
    return Workforce.model_validate(data)


def case(ref: str, practitioner: str, referred: str = "2026-03-02", category: str = "theft", closed: str | None = None) -> Case:
    return Case.model_validate({"case_ref": ref, "referred_on": referred, "process": "letter", "offence_category": category,
                                "initiator": "harmed_person", "practitioner": practitioner, "closed_on": closed})


def test_the_table_shows_registration_due_dates_and_cpd_by_staff_code():
    rows = {r.code: r for r in staff_rows(register(), D)}
    assert list(rows) == ["A01", "P01", "P05", "V01"]
    p01 = rows["P01"]
    assert (p01.registration_level, p01.registration_expires, p01.registered) == ("intermediate", date(2027, 1, 31), True)
    assert (p01.supervision_due, p01.observed_due) == (date(2026, 9, 12), date(2026, 11, 3))  # 84 days after 20 June; 364 after 4 Nov
    assert (p01.cpd_hours, p01.cpd_approved, p01.cpd_required) == (12, 8, 12)
    assert (rows["P05"].registered, rows["P05"].supervision_due) == (False, date(2026, 5, 14))
    assert (rows["A01"].status, rows["A01"].supervision_due) == ("admin only", None)


def test_the_due_list_holds_what_falls_due_within_four_weeks_and_what_is_overdue():
    due = due_soon(staff_rows(register(P01={"supervision": ["2026-05-01"]}), D), D)
    p01 = [(d.what, d.due, d.overdue) for d in due if d.code == "P01"]
    assert p01 == [("supervision", date(2026, 7, 24), False)]  # 84 days after 1 May: inside four weeks
    assert ("supervision", date(2026, 5, 14), True) in [(d.what, d.due, d.overdue) for d in due if d.code == "P05"]
    later = due_soon(staff_rows(register(P01={"supervision": ["2026-05-10"]}), D), D)
    assert not [d for d in later if d.code == "P01"]  # due 2 August: beyond 28 days


def test_a_case_facilitated_by_someone_not_registered_on_the_referral_date_is_flagged():
    # P05's registration runs to 29 June 2026
    flags = case_flags(register(), [case("RJ-2026-002", "P05", "2026-06-30"), case("RJ-2026-003", "V01")], set(), D)
    assert [(f.case_ref, f.why) for f in flags] == [
        ("RJ-2026-002", "P05 was not registered on the referral date 2026-06-30"),
        ("RJ-2026-003", "V01 was not registered on the referral date 2026-03-02"),
    ]


def test_a_registration_that_lapses_while_the_case_is_open_is_flagged_and_one_closed_before_is_not():
    flags = case_flags(register(), [case("RJ-2026-001", "P05", "2026-06-29"), case("RJ-2026-004", "P05", "2026-03-02", closed="2026-06-30"),
                                    case("RJ-2026-005", "P05", "2026-03-02", closed="2026-06-29")], set(), D)
    assert [(f.case_ref, f.why) for f in flags] == [
        ("RJ-2026-001", "P05's registration expired on 2026-06-29 while the case was open (referred 2026-06-29, open on 2026-06-30)"),
        ("RJ-2026-004", "P05's registration expired on 2026-06-29 while the case was open (referred 2026-03-02, closed 2026-06-30)"),
    ]


def test_cases_of_staff_who_left_or_are_not_active_are_flagged():
    workforce = register(P01={"left": "2026-05-31"}, V01={"active": False})
    flags = case_flags(workforce, [case("RJ-2026-006", "P01"), case("RJ-2026-007", "P01", closed="2026-05-31"),
                                   case("RJ-2026-008", "V01", "2026-03-02", closed="2026-06-01"),
                                   case("RJ-2026-009", "V01", "2026-03-02")], set(), D)
    found = [(f.case_ref, f.why) for f in flags]
    assert ("RJ-2026-006", "P01 left on 2026-05-31 while the case was open (still open on 2026-06-30)") in found
    assert ("RJ-2026-009", "V01 is not active but the case is still open on 2026-06-30") in found
    assert not [ref for ref, why in found if ref == "RJ-2026-007" or (ref == "RJ-2026-008" and "active" in why)]


def test_no_lapse_is_reported_before_the_practitioner_started():
    # P09 started 1 May 2026, registered from then; the case was referred in March and handed to P09
    workforce = Workforce.model_validate(copy.deepcopy(WORKFORCE) | {"staff": [
        {"code": "P09", "paid": True, "started": "2026-05-01", "training": {"level": "intermediate", "completed": "2026-04-01"},
         "registration": {"level": "intermediate", "expires": "2027-04-30"}},
        {"code": "P10", "paid": True, "started": "2026-05-01", "training": {"level": "intermediate", "completed": "2026-04-01"}},
    ]})
    flags = case_flags(workforce, [case("RJ-2026-010", "P09"), case("RJ-2026-011", "P10")], set(), D)
    assert [(f.case_ref, f.why) for f in flags] == [("RJ-2026-011", "P10 was not registered when they started on 2026-05-01")]


def test_a_sensitive_case_needs_an_advanced_practitioner():
    workforce = register(P01={"registration": {"level": "advanced", "expires": "2027-01-31"}})
    flags = case_flags(workforce, [case("RJ-2026-004", "P01", category="domestic_abuse"),
                                   case("RJ-2026-005", "P05", category="domestic_abuse", closed="2026-06-01"),
                                   case("RJ-2026-006", "P05", category="theft", closed="2026-06-01")], {"domestic_abuse"}, D)
    assert [(f.case_ref, f.why) for f in flags] == [("RJ-2026-005", "sensitive category domestic abuse facilitated by P05 at foundation level")]


def test_recording_adds_one_entry_in_date_order():
    changed, change = record(register(), "P01", D, supervision=date(2026, 5, 5))
    p01 = next(m for m in changed.staff if m.code == "P01")
    assert p01.supervision[-2:] == [date(2026, 5, 5), date(2026, 6, 20)]
    assert change == "log supervision 2026-05-05"
    changed, change = record(register(), "V01", D, cpd=CpdEntry(date=date(2026, 6, 1), hours=2.5, rjc_approved=False, title="Shuttle work"))
    assert change == "log CPD 2.5 hours on 2026-06-01 (not RJC-approved)"


@pytest.mark.parametrize(("code", "when", "message"), [
    ("P99", date(2026, 5, 5), "no staff code 'P99'"),
    ("P01", date(2026, 6, 20), "already has a supervision on 2026-06-20"),
    ("P01", date(2026, 7, 1), "lies in the future"),
])
def test_recording_refuses_what_cannot_be_right(code, when, message):
    with pytest.raises(WorkforceError, match=message):
        record(register(), code, D, supervision=when)


def test_the_four_shares_take_their_targets_from_the_frameworks_else_the_rjc_defaults(tmp_path):
    framework = copy.deepcopy(FRAMEWORK)
    framework["standards"][0]["indicators"][0]["measures"] = [{"measure": "supervision_every_12_weeks", "target": 0.5}]
    builder = build(tmp_path / "ws", framework=framework)
    builder.write_yaml("evidence/workforce.yaml", WORKFORCE)
    shares = workforce_measures(load_workspace(builder.root), D)
    assert [(m.measure, m.target) for m in shares] == [("registered_practitioners", 0.6), ("supervision_every_12_weeks", 0.5),
                                                       ("observed_practice_yearly", 1.0), ("cpd_hours", 1.0)]


# --- validation ---------------------------------------------------------------


def line_of(builder, text: str, nth: int = 0) -> int:
    lines = (builder.root / "evidence/workforce.yaml").read_text().splitlines()
    return [n for n, line in enumerate(lines, 1) if text in line][nth]


@pytest.mark.parametrize(("change", "key", "nth", "message"), [
    ({"left": "2020-12-31"}, "left:", 0, "P01: the leaving date 2020-12-31 is before the start date 2021-01-04"),
    ({"probation_until": "2020-06-01"}, "probation_until:", 0, "P01: the end of probation 2020-06-01 is before the start date 2021-01-04"),
    ({"supervision": ["2099-01-01"]}, "2099-01-01", 0, "P01: a supervision session on 2099-01-01 lies in the future"),
    ({"code": "P05"}, "code: P05", 1, "duplicate staff code 'P05'"),  # reported at the second P05
])
def test_dates_out_of_order_or_in_the_future_are_errors_at_their_line(tmp_path, cli, change, key, nth, message):
    data = copy.deepcopy(WORKFORCE)
    data["staff"][0].update(change)
    builder = build(tmp_path / "ws")
    builder.write_yaml("evidence/workforce.yaml", data)
    result = cli("validate", "-w", str(builder.root))
    assert result.code == 1
    assert f"evidence/workforce.yaml:{line_of(builder, key, nth)}: error: {message}" in result.out


def test_a_case_whose_practitioner_is_not_in_the_register_is_a_warning(tmp_path, cli):
    builder = build(tmp_path / "ws")
    builder.write_yaml("evidence/workforce.yaml", WORKFORCE)
    builder.cases({"case_ref": "RJ-2026-001", "referred_on": "2026-03-01", "process": "letter", "offence_category": "theft",
                   "initiator": "harmed_person", "practitioner": "P01"},
                  {"case_ref": "RJ-2026-002", "referred_on": "2026-03-01", "process": "letter", "offence_category": "theft",
                   "initiator": "harmed_person", "practitioner": "P42"})
    result = cli("validate", "-w", str(builder.root))
    assert result.code == 0
    assert "evidence/cases.csv:3: warning: RJ-2026-002: practitioner P42 is not in the workforce register" in result.out
    assert "RJ-2026-001" not in result.out


def test_without_a_register_no_practitioner_is_questioned(tmp_path, cli):
    builder = build(tmp_path / "ws")
    builder.cases({"case_ref": "RJ-2026-002", "referred_on": "2026-03-01", "process": "letter", "offence_category": "theft",
                   "initiator": "harmed_person", "practitioner": "P42"})
    assert "not in the workforce register" not in cli("validate", "-w", str(builder.root)).out
