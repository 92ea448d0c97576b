"""The workspace as it stood on an as-of date: what happened later is not counted.

A pack "as of 30 June" must not count an approval given in July or an audit
completed in August. ``as_seen_on`` returns a copy of the workspace without
them, so every result built from it (gaps, audit summary, the document) agrees.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from rsqm.files.folder import Workspace
from rsqm.files.models import Audit, EvidenceItem, EvidenceStatus, Register


def _item_on(item: EvidenceItem, as_of: date) -> EvidenceItem:
    """An item approved after ``as_of`` was still awaiting approval on that date."""
    if item.status == EvidenceStatus.approved and item.approved_on is not None and item.approved_on > as_of:
        return item.model_copy(update={"status": EvidenceStatus.in_review, "approved_on": None, "approved_by": None})
    return item


def _audit_on(audit: Audit, as_of: date) -> Audit | None:
    """None when the audit was not completed by ``as_of``; second marking done later is left out."""
    if audit.audited_on is None or audit.audited_on > as_of:
        return None
    if audit.moderation is not None and audit.moderation.moderated_on > as_of:
        return audit.model_copy(update={"moderation": None})
    return audit


def as_seen_on(ws: Workspace, as_of: date) -> Workspace:
    """A copy of ``ws`` holding only what existed on ``as_of`` (approvals, samples, audits, second marking)."""
    samples = {name: s for name, s in ws.samples.items() if s.drawn_on <= as_of}
    audits = {}
    for ref, audit in ws.audits.items():
        kept = _audit_on(audit, as_of) if audit.sample in samples else None
        if kept is not None:
            audits[ref] = kept
    items = [_item_on(item, as_of) for item in ws.register.items]
    register = Register.model_validate({"schema": "rsqm/register@1", "items": items}) if items != ws.register.items else ws.register
    return dataclasses.replace(ws, samples=samples, audits=audits, register=register)
