"""The annual renewal return of a Registered Service Provider, filled from the service's own records.

The RJC's renewal form asks for staffing changes in the last twelve months,
referrals and outcomes, the main challenges, how practice was evaluated,
priorities for the next year, CPD delivered, and a declaration. Numbers come
from the workforce register, the case list, feedback and audit rounds; the
challenges and priorities are the service's own words, kept in
``evidence/renewal/YYYY.md`` under headings of those names. Counts only: no
staff code, case reference or name goes into a return.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from rsqm.assess.measures import MeasureResult, records_end
from rsqm.assess.outcomes import Outcomes, workspace_outcomes
from rsqm.assess.workforce import workforce_measures
from rsqm.audit.audits import AuditError, SampleCompliance, summarise
from rsqm.base.dates import workspace_today
from rsqm.files.folder import Workspace

RENEWAL_DIR = "evidence/renewal"
SECTIONS = {"challenges": "Main challenges", "evaluation": "How practice was evaluated", "priorities": "Priorities for the next year"}


class _Return(BaseModel):
    model_config = ConfigDict(frozen=True)


class StaffingChanges(_Return):
    delivering_at_start: int  # practitioners delivering restorative justice on the first day of the year
    delivering_at_end: int
    joined_paid: int
    joined_volunteers: int
    left: int


class CpdDelivered(_Return):
    hours: Decimal
    approved_hours: Decimal  # RJC-approved
    practitioners: int  # with at least one CPD entry in the year


class RenewalReturn(_Return):
    service: str
    year: int
    start: date
    end: date  # the last day counted: 31 December, or the last record of a year still running
    staffing: StaffingChanges
    workforce: list[MeasureResult]  # the four shares, counts only
    cpd: CpdDelivered
    outcomes: Outcomes
    rounds: list[SampleCompliance]  # audit rounds drawn in the year
    feedback_responses: int
    notes: dict[str, str]  # section key -> the service's own words (Markdown); missing keys are still to be written

    @property
    def missing(self) -> list[str]:
        """Sections still waiting for the service's own words."""
        return [title for key, title in SECTIONS.items() if key != "evaluation" and not self.notes.get(key, "").strip()]


def notes_path(year: int) -> str:
    return f"{RENEWAL_DIR}/{year}.md"


def note_sections(markdown: str) -> dict[str, str]:
    """The text under each '## Heading' whose words name a section ("## Main challenges" -> challenges)."""
    found: dict[str, str] = {}
    current: str | None = None
    lines: list[str] = []
    for line in [*markdown.splitlines(), "## end"]:
        heading = re.match(r"^#{1,3}\s+(.*)$", line)
        if heading:
            if current:
                found[current] = "\n".join(lines).strip()
            words = heading.group(1).lower()
            current = next((key for key in SECTIONS if key[:8] in words), None)
            lines = []
        elif current:
            lines.append(line)
    return {key: text for key, text in found.items() if text}


def _delivering(ws: Workspace, day: date) -> int:
    staff = ws.workforce.staff if ws.workforce else []
    return sum(1 for m in staff if not m.admin_only and m.started <= day and (m.left is None or m.left > day))


def renewal_return(ws: Workspace, year: int, notes: str = "") -> RenewalReturn:
    """The return for calendar year ``year``; a year still running ends at the last date anything is recorded
    (today, when nothing is)."""
    start, year_end = date(year, 1, 1), date(year, 12, 31)
    end = min(year_end, max(records_end(ws) or workspace_today(ws.settings), start))  # nothing recorded yet: up to today
    staff = [m for m in (ws.workforce.staff if ws.workforce else []) if not m.admin_only]
    joined = [m for m in staff if start <= m.started <= end]
    cpd = [(entry, m.code) for m in staff for entry in m.cpd if start <= entry.date <= end]
    try:
        rounds = [s for s in summarise(ws).samples if start <= s.drawn_on <= end]
    except AuditError:  # no checklist: no audit rounds to report
        rounds = []
    return RenewalReturn(
        service=ws.settings.service,
        year=year,
        start=start,
        end=end,
        staffing=StaffingChanges(
            delivering_at_start=_delivering(ws, start),
            delivering_at_end=_delivering(ws, end),
            joined_paid=sum(m.paid for m in joined),
            joined_volunteers=sum(not m.paid for m in joined),
            left=sum(1 for m in staff if m.left is not None and start <= m.left <= end),
        ),
        workforce=[m.counts_only() for m in workforce_measures(ws, end)],
        outcomes=workspace_outcomes(ws, start, end),
        rounds=rounds,
        feedback_responses=sum(1 for r in ws.feedback if start <= r.received_on <= end),
        cpd=CpdDelivered(
            hours=sum((Decimal(str(entry.hours)) for entry, _ in cpd), Decimal(0)),
            approved_hours=sum((Decimal(str(entry.hours)) for entry, _ in cpd if entry.rjc_approved), Decimal(0)),
            practitioners=len({code for _, code in cpd}),
        ),
        notes=note_sections(notes),
    )
