"""A pack ready to write: the plan, its rendered document and workbook, and the pre-flight over what would leave."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date

from rsqm.files.folder import Workspace
from rsqm.pack.build import DOCUMENT
from rsqm.pack.crossref import CROSSREF, build_crossref
from rsqm.pack.document import build_document
from rsqm.pack.plan import PackPlan, plan_pack
from rsqm.pack.versions import PreviousPack
from rsqm.privacy.scan import scan


def prepare_pack(ws: Workspace, as_of: date, progress: Callable[[int, int], None] | None = None,
                 previous: PreviousPack | None = None) -> PackPlan:
    """Plan the pack (``plan_pack``), render the document and the cross-reference workbook, and run the
    pre-flight over exactly what would leave: those rendered files and every evidence file's bytes."""
    plan = plan_pack(ws, as_of, progress, previous)
    document, crossref = build_document(plan), build_crossref(plan)
    found = scan(plan.ws, [e.item.id for e in plan.evidence], {DOCUMENT: document, CROSSREF: crossref}, plan.digests)
    return dataclasses.replace(plan, findings=found.problems, reviewable=found.reviewable, document=document, crossref=crossref)
