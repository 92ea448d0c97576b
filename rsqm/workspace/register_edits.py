"""Edits of the evidence register (and the action plan) shared by the CLI and the dashboard.

Pure functions over the models, except ``approval_digest``, which reads the
file being approved. Every refusal is a ``RegisterEditError`` whose message
names the id or indicator at fault; the shells print it and write nothing.

The re-approval rule (docs/design.md, "Evidence and approval") lives in
``save_item``: changing an approved item's file, ``dated`` or ``review_by``
returns it to ``in_review``, so it counts again only once approved again with
a fresh SHA-256.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from rsqm.base.errors import InputRefused
from rsqm.base.labels import FIELD
from rsqm.base.paths import REGISTER_FILE
from rsqm.files.folder import Workspace
from rsqm.files.hashing import sha256_file
from rsqm.files.models import EvidenceItem, EvidenceStatus, Link, Register
from rsqm.workspace.load import evidence_file

REAPPROVAL_FIELDS = ("file", "dated", "review_by")
APPROVAL_FIELDS = ("sha256", "approved_by", "approved_on")


class RegisterEditError(InputRefused, ValueError):
    """An edit that cannot be made; the message says which id or indicator and why, ``where`` names the file at fault."""

    def __init__(self, message: str, where: str = REGISTER_FILE):
        super().__init__(message)
        self.where = where


def next_id(existing: list[str], prefix: str) -> str:
    """The next free id such as E014, padded like the ids in use (three digits when there are none)."""
    numbers = [(int(m.group(1)), len(m.group(1))) for i in existing if (m := re.fullmatch(prefix + r"(\d+)", i))]
    width = max((w for _, w in numbers), default=3)
    return f"{prefix}{max([0, *(n for n, _ in numbers)]) + 1:0{width}d}"


def _listed(values: list[str], limit: int = 12) -> str:
    shown = ", ".join(values[:limit])
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "") if values else "none yet"


def find_item(register: Register, evidence_id: str) -> EvidenceItem:
    for item in register.items:
        if item.id == evidence_id:
            return item
    raise RegisterEditError(f"unknown evidence id '{evidence_id}' (the register has: {_listed([i.id for i in register.items])})")


def check_indicator(ws: Workspace, indicator: str) -> str:
    """The indicator as a link names it: '2.1' in the primary framework, 'framework:C' in another."""
    framework_id, sep, ind = indicator.rpartition(":")
    framework_id = framework_id if sep else ws.settings.framework
    framework = ws.frameworks.get(framework_id)
    if framework is None:
        raise RegisterEditError(f"unknown framework '{framework_id}' in '{indicator}' (known: {_listed(sorted(ws.frameworks))})")
    known = [i.id for _, i in framework.indicators()]
    if ind not in known:
        raise RegisterEditError(f"unknown indicator '{indicator}' in {framework_id} (known: {_listed(known)})",
                                ws.framework_files.get(framework_id, REGISTER_FILE))
    return indicator


def check_type(ws: Workspace, kind: str) -> str:
    known = sorted({t for fw in ws.frameworks.values() for t in fw.evidence_types})
    if known and kind not in known:
        raise RegisterEditError(f"unknown evidence type '{kind}' (known: {', '.join(known)})")
    return kind


def needs_reapproval(old: EvidenceItem, new: EvidenceItem) -> bool:
    """True when an approved item's file, dated or review_by changed: what was approved is not what is there now."""
    return old.status == EvidenceStatus.approved and any(getattr(old, f) != getattr(new, f) for f in REAPPROVAL_FIELDS)


def back_to_review(item: EvidenceItem) -> EvidenceItem:
    return item.model_copy(update={"status": EvidenceStatus.in_review} | dict.fromkeys(APPROVAL_FIELDS))


def save_item(register: Register, item: EvidenceItem) -> tuple[Register, EvidenceItem]:
    """Replace the item with the same id (or append it), applying the re-approval rule; returns the item as saved."""
    old = next((i for i in register.items if i.id == item.id), None)
    if old is not None and needs_reapproval(old, item):
        item = back_to_review(item)
    return upsert_item(register, item), item


def upsert_item(register: Register, item: EvidenceItem) -> Register:
    """Replace the item with the same id, or append it."""
    items = [item if old.id == item.id else old for old in register.items]
    if not any(old.id == item.id for old in register.items):
        items.append(item)
    return register.model_copy(update={"items": items})


def with_link(item: EvidenceItem, link: Link) -> EvidenceItem:
    """Add a link, replacing any existing link to the same indicator."""
    links = [old for old in item.links if old.indicator != link.indicator] + [link]
    return item.model_copy(update={"links": links})


def without_link(item: EvidenceItem, indicator: str) -> EvidenceItem:
    links = [old for old in item.links if old.indicator != indicator]
    if len(links) == len(item.links):
        linked = sorted({link.indicator for link in item.links})
        raise RegisterEditError(f"{item.id} is not linked to '{indicator}' (it is linked to: {_listed(linked)})")
    return item.model_copy(update={"links": links})


def without_item(register: Register, evidence_id: str) -> Register:
    """The register without the item (its links go with it; its file stays in evidence/files/)."""
    item = find_item(register, evidence_id)
    replaced = [other.id for other in register.items if other.superseded_by == item.id]
    if replaced:
        raise RegisterEditError(f"{item.id} replaces {_listed(replaced)}; remove or re-point those first")
    return register.model_copy(update={"items": [other for other in register.items if other.id != item.id]})


def approved(item: EvidenceItem, sha256: str, by: str, on: date) -> EvidenceItem:
    """Approval records what exactly was approved (the file's SHA-256), by whom and when."""
    if item.status == EvidenceStatus.superseded:
        raise RegisterEditError(f"{item.id} is superseded{f' by {item.superseded_by}' if item.superseded_by else ''}; approve the item that replaced it")
    if not by.strip():
        raise RegisterEditError(f"{item.id}: say who approves it (--by NAME)")
    return item.model_copy(update={"status": EvidenceStatus.approved, "sha256": sha256, "approved_by": by.strip(), "approved_on": on})


def approval_digest(root: Path, item: EvidenceItem) -> str:
    """SHA-256 of the item's file as it is now; refuses when there is no file to approve."""
    facts = evidence_file(root, item.file)
    if facts.path is None:
        raise RegisterEditError(f"{item.id}: its file path '{item.file}' leaves the evidence/ folder")
    if not facts.exists:
        raise RegisterEditError(f"{item.id}: its file evidence/{item.file} is not there, so there is nothing to approve yet")
    return sha256_file(facts.path)


def retired(register: Register, evidence_id: str, superseded_by: str) -> Register:
    """Mark an item superseded by a newer one: it stops counting without being reported as a shortfall."""
    item = find_item(register, evidence_id)
    newer = find_item(register, superseded_by)
    if newer.id == item.id:
        raise RegisterEditError(f"{item.id} cannot supersede itself")
    if newer.status == EvidenceStatus.superseded:
        raise RegisterEditError(f"{newer.id} is itself superseded; name the item that is current")
    return upsert_item(register, item.model_copy(update={"status": EvidenceStatus.superseded, "superseded_by": newer.id}))


def item_change(old: EvidenceItem | None, new: EvidenceItem) -> str:
    """An edit in words for the change log and the page: 'E031 added and linked to 3.3', 'E004 title and status changed'."""
    if old is None:
        linked = ", ".join(link.indicator for link in new.links)
        return f"{new.id} added" + (f" and linked to {linked}" if linked else "")
    fields = [FIELD.get(name, name) for name in EvidenceItem.model_fields if getattr(old, name) != getattr(new, name)]
    return f"{new.id} {' and '.join(fields) if len(fields) <= 2 else ', '.join(fields[:-1]) + ' and ' + fields[-1]} changed" \
        if fields else f"{new.id} unchanged"
