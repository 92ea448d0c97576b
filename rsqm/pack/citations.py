"""Evidence ids the pack's own words cite: each must be an item in the pack.

The text that leaves in the document (the service's accounts of every assessed framework, its reasons an
indicator does not apply, the action plan, its answers to the assessor and the claims of its evidence links) is
read for evidence ids (E followed by digits). An id that is not in the pack is a citation to nothing: a retired
(superseded) or unapproved item, one that does not qualify, or one no register holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rsqm.assess.lifecycle import answered_between
from rsqm.base.paths import ACTIONS_FILE, NARRATIVES_DIR, REQUESTS_FILE, SETTINGS_FILE
from rsqm.pack.omissions import left_out
from rsqm.pack.plan import PackPlan

EVIDENCE_ID = re.compile(r"\bE\d+\b")


@dataclass(frozen=True)
class DeadCitation:
    evidence_id: str
    where: str  # the workspace file (and entry) that cites it: for the service, never for the document
    why: str  # why the item is not in the pack, as a sentence naming it


def _order(evidence_id: str) -> tuple[int, str]:
    return len(evidence_id), evidence_id


def cited_text(plan: PackPlan) -> list[tuple[str, str]]:
    """(where, text) for every piece of the service's own words that the document carries."""
    ws, pieces = plan.ws, []
    keys = {r.id: r.id for r in plan.assessment.indicators}
    keys |= {f"{other.framework_id}:{r.id}": r.id for other in plan.others for r in other.indicators}
    for key in sorted(keys):
        text = ws.narratives.get(key)
        if text:
            pieces.append((ws.narrative_files.get(key, f"{NARRATIVES_DIR}/{key}.md"), text))
    for indicator, why in sorted(ws.settings.not_applicable.items()):
        pieces.append((f"{SETTINGS_FILE} (not applicable: {indicator})", why))
    for action in ws.actions.actions:
        pieces.append((f"{ACTIONS_FILE} (action {action.id})", f"{action.title}\n{action.note}"))
    for request in answered_between(ws.requests, None, plan.as_of):
        pieces.append((f"{REQUESTS_FILE} (request {request.id})", " ".join([request.response, *request.evidence])))
    packed = {e.item.id for e in plan.evidence}
    for result in (plan.assessment, *plan.others):
        for indicator in result.indicators:
            for evidence_id, _locator, claim in indicator.links:
                if evidence_id in packed and claim:
                    pieces.append((f"the link from {evidence_id} to {indicator.id}", claim))
    return pieces


def dead_citations(plan: PackPlan) -> list[DeadCitation]:
    """Every evidence id cited in the pack's words that is not in the pack, by id then where it is cited."""
    packed = {e.item.id for e in plan.evidence}
    why_not = dict(left_out(plan.ws.register.items, packed, plan.assessment))
    found = set()
    for where, text in cited_text(plan):
        for evidence_id in set(EVIDENCE_ID.findall(text)) - packed:
            why = why_not.get(evidence_id, f"{evidence_id} is not in the evidence register on {plan.as_of}")
            found.add(DeadCitation(evidence_id, where, why))
    return sorted(found, key=lambda d: (_order(d.evidence_id), d.where))


def dead_ids(plan: PackPlan) -> list[str]:
    return sorted({d.evidence_id for d in dead_citations(plan)}, key=_order)
