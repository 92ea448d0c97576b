"""Registered evidence that a pack leaves out, and why: so nothing drops out of a submission unseen."""

from __future__ import annotations

from rsqm.assess.gaps import Assessment, ReasonCode
from rsqm.files.models import EvidenceItem, EvidenceStatus

ITEM_REASONS = (ReasonCode.evidence_not_approved, ReasonCode.evidence_expired, ReasonCode.evidence_file_missing,
                ReasonCode.evidence_hash_mismatch)


def left_out(items: list[EvidenceItem], packed: set[str], assessment: Assessment) -> list[tuple[str, str]]:
    """(evidence id, why as a sentence naming it) for every registered item not in ``packed``, in register order."""
    why_not: dict[str, str] = {}
    for result in assessment.indicators:
        for reason in result.reasons:
            if reason.code in ITEM_REASONS and len(reason.refs) == 1:
                why_not.setdefault(reason.refs[0], reason.message)
    linked = {e for result in assessment.indicators for e, _locator, _claim in result.links}
    found = []
    for item in items:
        if item.id in packed:
            continue
        if item.status == EvidenceStatus.superseded:
            why = f"{item.id} is superseded{f' by {item.superseded_by}' if item.superseded_by else ''}"
        elif item.id in why_not:
            why = why_not[item.id]
        elif not item.links:
            why = f"{item.id} is not linked to any indicator"
        elif item.id not in linked:
            why = f"{item.id} is linked only to indicators outside {assessment.framework_id}"
        elif item.dated > assessment.as_of:
            why = f"{item.id} is dated {item.dated}, after the position date {assessment.as_of}"
        else:
            why = f"{item.id} does not qualify for any indicator it is linked to"
        found.append((item.id, why))
    return found
