"""The action plan edited as a whole: bad rows refused with their reason, changes in words, leadership's counts."""

from __future__ import annotations

from datetime import date

from rsqm.files.models import ActionPlan
from rsqm.workspace.action_plan import is_overdue, plan_changes, plan_from_rows, plan_summary

PLAN = ActionPlan.model_validate({"schema": "rsqm/actions@1", "actions": [
    {"id": "A001", "title": "Renew insurance", "owner": "Manager", "due": "2026-10-01", "status": "open"},
    {"id": "A002", "title": "Write guidance", "owner": "Coordinator", "due": "2027-01-15", "status": "in_progress"},
    {"id": "A003", "title": "Train volunteers", "owner": "Coordinator", "due": "2026-09-01", "status": "done"},
]})
ROWS = [a.model_dump(mode="python") for a in PLAN.actions]


def test_a_new_row_without_an_owner_is_refused_with_its_row_and_reason() -> None:
    plan, problems = plan_from_rows([*ROWS, {"id": None, "title": "Update leaflet", "owner": "", "status": "open"}])
    assert plan is None
    assert problems == ["row 4 (A004): missing required field 'owner'"]


def test_a_new_row_gets_the_next_id_and_empty_rows_are_skipped() -> None:
    plan, problems = plan_from_rows([*ROWS, {"title": "Update leaflet", "owner": "Coordinator"}, {"id": None, "title": float("nan")}])
    assert problems == []
    assert [a.id for a in plan.actions] == ["A001", "A002", "A003", "A004"]


def test_two_rows_with_one_id_are_refused() -> None:
    plan, problems = plan_from_rows([*ROWS, ROWS[0]])
    assert plan is None and problems[-1].startswith("A001: two rows have this id")


def test_changes_are_said_per_action_and_an_unchanged_plan_says_nothing() -> None:
    edited = [ROWS[0] | {"status": "done", "note": "renewed"}, ROWS[2], {"title": "New", "owner": "Coordinator"}]
    plan, _ = plan_from_rows(edited)
    assert plan_changes(PLAN, plan) == ["A001 status and note changed", "A004 added", "A002 removed"]
    assert plan_changes(PLAN, plan_from_rows(ROWS)[0]) == []


def test_overdue_means_due_before_the_day_and_not_done() -> None:
    on = date(2026, 11, 29)
    assert [is_overdue(a, on) for a in PLAN.actions] == [True, False, False]
    summary = plan_summary(PLAN, on)
    assert (summary.open, summary.in_progress, summary.done, summary.overdue, summary.next_due) == (1, 1, 1, 1, date(2027, 1, 15))
