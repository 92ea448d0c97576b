"""The action plan read and edited as a whole: overdue actions, the summary leadership sees, edits in words.

Pure functions over ``ActionPlan``. The dashboard's table editor hands back
rows; ``plan_from_rows`` turns them into a plan, or into one problem per bad
row (nothing is dropped: the shell keeps the rows for correction and writes
nothing). ``plan_changes`` says what an edit changed, so a save can report it
and a save that changes nothing writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from pydantic import BaseModel, ConfigDict, ValidationError

from rsqm.files.models import Action, ActionPlan, ActionStatus
from rsqm.files.yamlio import describe_error
from rsqm.workspace.register_edits import next_id

SCHEMA = "rsqm/actions@1"


class PlanSummary(BaseModel):
    """What anyone may see of the plan: counts and a date, never an action's text."""

    model_config = ConfigDict(frozen=True)

    open: int
    in_progress: int
    done: int
    overdue: int
    next_due: date | None  # the earliest due date among unfinished actions that are not overdue
    judged_on: date  # overdue means due before this day: today, or the day the records end when the as-of date lies ahead
    due_before_as_of: int = 0  # unfinished actions due from ``judged_on`` up to the as-of date: a plan, not a shortfall


def is_overdue(action: Action, on: date) -> bool:
    return action.due is not None and action.due < on and action.status != ActionStatus.done


def plan_summary(plan: ActionPlan, on: date, as_of: date | None = None) -> PlanSummary:
    """Counts on ``on``; with ``as_of`` (lying ahead of ``on``), the unfinished actions due in between too."""
    unfinished = [a for a in plan.actions if a.status != ActionStatus.done]
    upcoming = sorted(a.due for a in unfinished if a.due is not None and a.due >= on)
    return PlanSummary(
        judged_on=on,
        due_before_as_of=sum(1 for due in upcoming if as_of is not None and due <= as_of),
        open=sum(a.status == ActionStatus.open for a in plan.actions),
        in_progress=sum(a.status == ActionStatus.in_progress for a in plan.actions),
        done=sum(a.status == ActionStatus.done for a in plan.actions),
        overdue=sum(is_overdue(a, on) for a in plan.actions),
        next_due=upcoming[0] if upcoming else None,
    )


def _blank(value: object) -> bool:
    return value is None or value == "" or value != value  # NaN and NaT are not equal to themselves


def plan_from_rows(rows: list[Mapping[str, object]]) -> tuple[ActionPlan | None, list[str]]:
    """(the plan, []) or (None, one 'row N: field: problem' line per fault); empty rows are skipped, new rows get ids."""
    cleaned = [{k: v for k, v in row.items() if not _blank(v)} for row in rows]
    taken = [str(row["id"]) for row in cleaned if "id" in row]
    actions, problems = [], []
    for number, row in enumerate(cleaned, start=1):
        if not row or set(row) <= {"status"}:
            continue  # a row added and left empty
        if "id" not in row:
            row["id"] = next_id(taken, "A")
            taken.append(row["id"])
        try:
            actions.append(Action.model_validate(row))
        except ValidationError as exc:
            problems += [f"row {number} ({row['id']}): {describe_error(e, Action)}" for e in exc.errors()]
    duplicates = sorted({a.id for a in actions if [b.id for b in actions].count(a.id) > 1})
    problems += [f"{d}: two rows have this id; give one of them another id or leave it empty for a new one" for d in duplicates]
    if problems:
        return None, problems
    return ActionPlan.model_validate({"schema": SCHEMA, "actions": actions}), []


def plan_changes(old: ActionPlan, new: ActionPlan) -> list[str]:
    """What changed, one phrase per action: 'A007 added', 'A002 status changed', 'A004 removed'."""
    before, after = {a.id: a for a in old.actions}, {a.id: a for a in new.actions}
    said = []
    for action_id, action in after.items():
        previous = before.get(action_id)
        if previous is None:
            said.append(f"{action_id} added")
        elif previous != action:
            fields = [name for name in Action.model_fields if getattr(previous, name) != getattr(action, name)]
            said.append(f"{action_id} {' and '.join(FIELD_WORDS.get(f, f) for f in fields)} changed")
    said += [f"{action_id} removed" for action_id in before if action_id not in after]
    return said


FIELD_WORDS = {"title": "action", "indicator": "indicator", "owner": "owner", "due": "due date", "status": "status",
               "note": "note", "id": "id", "audit_item": "audit item", "re_audit_by": "re-audit date"}
