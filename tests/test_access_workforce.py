"""Roles over the workforce register: leadership gets the four shares and never a staff code."""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest

from builders import FRAMEWORK, build
from rsqm.server.access import PermissionDenied, View
from rsqm.workspace.load import load_workspace
from staff_fixtures import WORKFORCE

D = date(2026, 6, 30)
CODES = [m["code"] for m in WORKFORCE["staff"]]


@pytest.fixture
def staffed(tmp_path):
    framework = copy.deepcopy(FRAMEWORK) | {"sensitive_offence_categories": ["domestic_abuse"]}
    framework["standards"][0]["indicators"][0]["measures"] = [{"measure": "registered_practitioners", "target": 0.6}]
    builder = build(tmp_path / "ws", framework=framework)
    builder.write_yaml("evidence/workforce.yaml", WORKFORCE)
    builder.cases({"case_ref": "RJ-2026-001", "referred_on": "2026-03-02", "process": "letter", "offence_category": "domestic_abuse",
                   "initiator": "harmed_person", "practitioner": "P05"})
    return load_workspace(builder.root)


def test_leadership_sees_the_four_shares_with_targets_and_no_staff_code(staffed):
    shares = View(staffed, "leadership", D).workforce_shares()
    assert [(s.k, s.n, s.target) for s in shares] == [(1, 2, 0.6), (2, 3, 1.0), (1, 2, 1.0), (1, 1, 1.0)]
    text = json.dumps([s.model_dump(mode="json") for s in shares])
    assert not [code for code in CODES if code in text]


def test_every_answer_leadership_may_read_is_free_of_staff_codes(staffed):
    view = View(staffed, "leadership", D)
    text = json.dumps([view.overview().model_dump(mode="json"), [s.model_dump(mode="json") for s in view.workforce_shares()]])
    assert not [code for code in CODES if code in text]


@pytest.mark.parametrize("read", ["workforce_table", "workforce_due", "workforce_case_flags", "measure_shortfalls"])
def test_leadership_cannot_read_anything_by_staff_code(staffed, read):
    with pytest.raises(PermissionDenied):
        getattr(View(staffed, "leadership", D), read)()


def test_supervisors_read_the_table_but_not_who_falls_short(staffed):
    view = View(staffed, "supervisor", D)
    assert [r.code for r in view.workforce_table()] == ["A01", "P01", "P05", "V01"]
    assert any(d.code == "P05" for d in view.workforce_due())
    for read in (view.workforce_case_flags, view.measure_shortfalls):
        with pytest.raises(PermissionDenied):
            read()


def test_the_coordinator_sees_who_falls_short_and_which_cases_to_check(staffed):
    view = View(staffed, "coordinator", D)
    # P05's registration ran out on 29 June while the domestic-abuse case was open, and P05 is foundation level
    assert [f.case_ref for f in view.workforce_case_flags()] == ["RJ-2026-001", "RJ-2026-001"]
    [measured] = view.measure_shortfalls()
    assert measured.result.shortfalls == ["P05: registration expired 2026-06-29, 1 day before 2026-06-30"]


def test_the_assessment_holds_measure_counts_but_not_who_falls_short(staffed):
    indicator = next(i for i in View(staffed, "supervisor", D).assessment().indicators if i.id == "A1")
    assert [(m.k, m.n, m.shortfalls) for m in indicator.measures] == [(1, 2, [])]
