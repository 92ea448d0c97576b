"""The annual renewal return of a Registered Service Provider, filled from the service's own records.

The RJC's renewal form asks, for the 12 months up to the return, for staffing changes, referrals and outcomes,
the main challenges, how practice was evaluated, priorities for the next year and the CPD activities provided to
staff; then the current practitioners (the 60% count, one line each), the new staff and a declaration. Numbers
and the practitioner lines come from the workforce register (by the measures' own rules, rsqm.assess.measures),
the case list, feedback and audit rounds; the challenges and priorities are the service's own words, kept in
``evidence/renewal/YYYY.md`` (YYYY: the year of the return date) under headings of those names. Staff appear by
code only; no case reference or name goes into a return.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from itertools import groupby
from typing import Literal

from pydantic import BaseModel, ConfigDict

from rsqm.assess.measures import MeasureResult, delivering, not_counted_because, registered_at_level, registration_gap
from rsqm.assess.outcomes import Outcomes, workspace_outcomes, year_to
from rsqm.assess.workforce import workforce_measures
from rsqm.audit.audits import AuditError, SampleCompliance, summarise
from rsqm.files.folder import Workspace
from rsqm.files.models import CpdEntry, StaffMember

RENEWAL_DIR = "evidence/renewal"
AT_LEVEL = "registered at the level of their training"  # a counted practitioner's reason when all is well
SECTIONS = {"challenges": "Main challenges", "evaluation": "How practice was evaluated", "priorities": "Priorities for the next year"}


class _Return(BaseModel):
    model_config = ConfigDict(frozen=True)


class StaffingChanges(_Return):
    delivering_at_start: int  # practitioners delivering restorative justice on the first day of the period
    delivering_at_end: int  # and on the return date (``delivering``: active, started, not left, not admin only)
    joined_paid: int
    joined_volunteers: int
    left: int


class Practitioner(_Return):
    """One line of "Current practitioners": someone in post on the return date who is not admin only."""

    code: str
    kind: Literal["paid", "volunteer"]
    trained: str | None  # training level, completed on or before the return date
    registered: str | None  # registration level
    expires: date | None  # registration expiry
    counted: bool  # in the 60% rule's population on the return date
    why: str  # why counted or not, and, when counted, whether registered at the level of their training


class NewStaff(_Return):
    """Someone who started within the period (admin-only staff aside)."""

    code: str
    kind: Literal["paid", "volunteer"]
    started: date
    left: date | None  # left within the period too
    trained: str | None
    trained_on: date | None
    registered: str | None
    expires: date | None


class CpdActivity(_Return):
    """One CPD activity: entries of the same date, title, hours and approval, however many staff attended."""

    day: date
    title: str  # '' when the register does not say
    hours: Decimal  # each
    rjc_approved: bool
    practitioners: int


class CpdDelivered(_Return):
    hours: Decimal
    approved_hours: Decimal  # RJC-approved
    practitioners: int  # with at least one CPD entry in the period
    activities: list[CpdActivity]  # in date order


class RenewalReturn(_Return):
    service: str
    year: int  # the year of the return date; its notes are evidence/renewal/YYYY.md
    start: date  # the first of the 12 months up to the return (``year_to``)
    end: date  # the return date
    staffing: StaffingChanges
    practitioners: list[Practitioner]  # current practitioners, by code
    new_staff: list[NewStaff]
    workforce: list[MeasureResult]  # the four shares on the return date, counts only
    cpd: CpdDelivered
    outcomes: Outcomes
    rounds: list[SampleCompliance]  # audit rounds drawn in the period
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


def _kind(member: StaffMember) -> Literal["paid", "volunteer"]:
    return "paid" if member.paid else "volunteer"


def _level(member: StaffMember, on: date) -> str | None:
    return member.training.level.value if member.training and member.training.completed <= on else None


def practitioner(member: StaffMember, on: date) -> Practitioner:
    """The member's line in "Current practitioners" on the return date, by the 60% rule's own reasons."""
    left_out = not_counted_because(member, on)
    reason = left_out or (AT_LEVEL if registered_at_level(member, on) else registration_gap(member, on))
    registration = member.registration
    return Practitioner(code=member.code, kind=_kind(member), trained=_level(member, on),
                        registered=registration.level.value if registration else None,
                        expires=registration.expires if registration else None,
                        counted=left_out is None, why=reason)


def new_staff(member: StaffMember, on: date) -> NewStaff:
    """The member's "New staff" entry: training completed by the return date, registration, and leaving if they left."""
    registration, trained = member.registration, _level(member, on)
    return NewStaff(code=member.code, kind=_kind(member), started=member.started,
                    left=member.left if member.left is not None and member.left <= on else None,
                    trained=trained, trained_on=member.training.completed if trained and member.training else None,
                    registered=registration.level.value if registration else None,
                    expires=registration.expires if registration else None)


def _activity(pair: tuple[CpdEntry, str]) -> tuple[date, str, bool, float]:
    entry = pair[0]
    return entry.date, entry.title.strip(), entry.rjc_approved, entry.hours


def cpd_delivered(staff: list[StaffMember], start: date, end: date) -> CpdDelivered:
    """CPD dated in start..end: the totals and each activity once, with how many staff it was logged for."""
    entries = sorted(((e, m.code) for m in staff for e in m.cpd if start <= e.date <= end), key=_activity)
    return CpdDelivered(
        hours=sum((Decimal(str(entry.hours)) for entry, _ in entries), Decimal(0)),
        approved_hours=sum((Decimal(str(entry.hours)) for entry, _ in entries if entry.rjc_approved), Decimal(0)),
        practitioners=len({code for _, code in entries}),
        activities=[CpdActivity(day=day, title=title, hours=Decimal(str(hours)), rjc_approved=approved,
                                practitioners=len({code for _, code in group}))
                    for (day, title, approved, hours), group in groupby(entries, key=_activity)],
    )


def renewal_return(ws: Workspace, on: date, notes: str = "") -> RenewalReturn:
    """The return dated ``on``: the 12 months up to it, calendar months (``year_to``: a leap day shifts no one out)."""
    start, end = year_to(on)
    staff = [m for m in (ws.workforce.staff if ws.workforce else []) if not m.admin_only]
    current = [m for m in staff if m.started <= end and (m.left is None or m.left > end)]
    joined = [m for m in staff if start <= m.started <= end]
    try:
        rounds = [s for s in summarise(ws).samples if start <= s.drawn_on <= end]
    except AuditError:  # no checklist: no audit rounds to report
        rounds = []
    return RenewalReturn(
        service=ws.settings.service,
        year=end.year,
        start=start,
        end=end,
        staffing=StaffingChanges(
            delivering_at_start=sum(delivering(m, start) for m in staff),
            delivering_at_end=sum(delivering(m, end) for m in staff),
            joined_paid=sum(m.paid for m in joined),
            joined_volunteers=sum(not m.paid for m in joined),
            left=sum(1 for m in staff if m.left is not None and start <= m.left <= end),
        ),
        practitioners=[practitioner(m, end) for m in sorted(current, key=lambda m: m.code)],
        new_staff=[new_staff(m, end) for m in sorted(joined, key=lambda m: (m.started, m.code))],
        workforce=[m.counts_only() for m in workforce_measures(ws, end)],
        outcomes=workspace_outcomes(ws, start, end),
        rounds=rounds,
        feedback_responses=sum(1 for r in ws.feedback if start <= r.received_on <= end),
        cpd=cpd_delivered(staff, start, end),
        notes=note_sections(notes),
    )
