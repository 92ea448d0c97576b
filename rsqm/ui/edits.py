"""Pure edits of the register and action plan behind the dashboard's forms (no Streamlit, no I/O)."""

from __future__ import annotations

import re
from datetime import date

from rsqm.models import Action, ActionPlan, EvidenceItem, EvidenceStatus, Link, Register


def next_id(existing: list[str], prefix: str) -> str:
    """The next free id such as E014, padded like the ids in use (three digits when there are none)."""
    numbers = [(int(m.group(1)), len(m.group(1))) for i in existing if (m := re.fullmatch(prefix + r"(\d+)", i))]
    width = max((w for _, w in numbers), default=3)
    return f"{prefix}{max([0, *(n for n, _ in numbers)]) + 1:0{width}d}"


def upsert_item(register: Register, item: EvidenceItem) -> Register:
    """Replace the item with the same id, or append it."""
    items = [item if old.id == item.id else old for old in register.items]
    if not any(old.id == item.id for old in register.items):
        items.append(item)
    return register.model_copy(update={"items": items})


def with_link(item: EvidenceItem, link: Link) -> EvidenceItem:
    """Add a link, replacing an existing link to the same indicator."""
    links = [old for old in item.links if old.indicator != link.indicator] + [link]
    return item.model_copy(update={"links": links})


def approved(item: EvidenceItem, sha256: str, by: str, on: date) -> EvidenceItem:
    """Approval records what exactly was approved (the file's SHA-256), by whom and when."""
    return item.model_copy(update={"status": EvidenceStatus.approved, "sha256": sha256, "approved_by": by, "approved_on": on})


def upsert_action(plan: ActionPlan, action: Action) -> ActionPlan:
    actions = [action if old.id == action.id else old for old in plan.actions]
    if not any(old.id == action.id for old in plan.actions):
        actions.append(action)
    return plan.model_copy(update={"actions": actions})
