"""Measured requirements: k of n on an as-of date D, computed from the service's own records.

The counting rules (docs/measures.md) are written beside each
function. Every function is pure: it takes models and D and returns a
``MeasureResult``. ``shortfalls`` names staff codes or case references and is
for the coordinator only; ``counts_only()`` drops it for everything else (the
gap analysis, leadership, the pack).

"The 12 months before D" are calendar months, the dates d with ``add_months(D, -12) < d <= D``
(``year_before`` in rsqm/base/dates.py gives the first of them).

Every measure is counted on one day: D, or the day the records end when D lies
ahead of today (``counted_on``); what falls due between the two is listed as due
before D, never counted as failed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from itertools import pairwise
from operator import attrgetter
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from rsqm.base.dates import add_months, counted_because, workspace_today, year_before, year_end
from rsqm.base.errors import InputRefused
from rsqm.base.labels import MEASURE
from rsqm.base.stats import wilson_interval
from rsqm.base.workdays import add_working_days, elapsed_working_days
from rsqm.files.models import Case, FeedbackResponse, Level, LocalTarget, MeasureSpec, StaffMember

if TYPE_CHECKING:
    from rsqm.files.folder import Workspace

SUPERVISION_GAP_DAYS = 84  # twelve weeks
CPD_HOURS = {Level.foundation: Decimal(6), Level.intermediate: Decimal(12), Level.advanced: Decimal(16)}
CASE_DATE_COLUMNS = ("reported_on", "referred_on", "closed_on", "first_contact_on", "rj_info_offered_on")
LOCAL = "local"  # the framework column of a local target (rsqm.yaml local_targets): the service's own, not a framework's
COLUMN_WORDS = {
    "reported_on": "the crime being reported",
    "referred_on": "referral",
    "closed_on": "closure",
    "first_contact_on": "first contact",
    "rj_info_offered_on": "information about restorative justice",
}


class UnknownMeasure(InputRefused, ValueError):
    """A measure name no built-in measure answers to (validation reports it at its line)."""


class MeasureResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    measure: str
    label: str  # what is counted, in words, for people
    k: int
    n: int
    rate: float | None  # k / n; None when n = 0
    ci_low: float | None  # 95% Wilson interval; None when n = 0
    ci_high: float | None
    target: float
    met: bool  # n >= 1 and k / n >= target
    note: str = ""  # why there is no data, when n = 0
    shortfalls: list[str] = []  # who or which case falls short, and why: coordinator only
    counted_on: date | None = None  # D lies after the records end: counted on the day they end instead
    due_by: date | None = None  # with counted_on: D, the date by which ``due`` falls due
    due: list[str] = []  # with counted_on: who or which case has something due before D, and what: coordinator only
    due_count: int = 0  # how many entries ``due`` holds (kept when the names are dropped)

    def counted_when(self, today: date, when: Callable[[date], str] = date.isoformat) -> str:
        """'' when counted on D; else the day it was counted on (and why: ``counted_because``) and what falls due
        before D, in words."""
        if self.counted_on is None or self.due_by is None:
            return ""
        due = (f"; {self.due_count} more fall{'s' * (self.due_count == 1)} due before {when(self.due_by)}"
               if self.due_count else "")
        return f"counted on {when(self.counted_on)}, {counted_because(self.counted_on, today)}{due}"

    def counts_only(self) -> MeasureResult:
        """The same result without the names of who falls short or has something due."""
        return self.model_copy(update={"shortfalls": [], "due": []})


def result(spec: MeasureSpec, label: str, k: int, n: int, shortfalls: list[str], note: str = "") -> MeasureResult:
    low, high = wilson_interval(k, n) if n else (None, None)
    rate = k / n if n else None
    return MeasureResult(
        measure=spec.measure, label=label, k=k, n=n, rate=rate, ci_low=low, ci_high=high, target=spec.target,
        met=n >= 1 and k / n >= spec.target, note=note if not n else "", shortfalls=shortfalls,
    )


# --- who is counted ----------------------------------------------------------


def delivering(member: StaffMember, as_of: date) -> bool:
    """Delivers RJ on D: not admin_only, active, started <= D, and not left on or before D."""
    return not member.admin_only and member.active and member.started <= as_of and (member.left is None or member.left > as_of)


LEVEL_ORDER = {Level.foundation: 1, Level.intermediate: 2, Level.advanced: 3}


def counted_for_registration(member: StaffMember, as_of: date) -> bool:
    """The RJC 60% rule's population on D: those ``not_counted_because`` gives no reason for."""
    return not_counted_because(member, as_of) is None


def not_counted_because(member: StaffMember, as_of: date) -> str | None:
    """Why ``member`` is left out of the 60% rule's population on D, in words; None when counted. Counted: delivering
    on D and either paid and trained (completed <= D), unless in probation (``probation_until`` after D) with
    ``prior_experience``, or a volunteer who started more than 12 months before D (``started < add_months(D, -12)``:
    exactly 12 months is not yet)."""
    if not delivering(member, as_of):
        if member.admin_only:
            return "administration only"
        if member.started > as_of:
            return f"starts on {member.started}"
        if member.left is not None and member.left <= as_of:
            return f"left on {member.left}"
        return "not active"
    if member.paid:
        if member.training is None or member.training.completed > as_of:
            return "training not completed"
        if member.probation_until is not None and member.probation_until > as_of and member.prior_experience:
            return f"in probation until {member.probation_until}, with prior experience"
        return None
    if member.started < add_months(as_of, -12):
        return None
    return f"volunteer for 12 months or less (started {member.started})"


def registered_on(member: StaffMember, day: date) -> bool:
    """On the RJC practitioner register on ``day``: a registration that expires on or after it."""
    return member.registration is not None and member.registration.expires >= day


def registered_at_level(member: StaffMember, day: date) -> bool:
    """Registered on ``day`` at a level at least the training level (foundation < intermediate < advanced)."""
    if not registered_on(member, day):
        return False
    assert member.registration is not None
    return member.training is None or LEVEL_ORDER[member.registration.level] >= LEVEL_ORDER[member.training.level]


# --- the workforce measures --------------------------------------------------


def registered_practitioners(spec: MeasureSpec, staff: Sequence[StaffMember], as_of: date) -> MeasureResult:
    """n: staff counted for the 60% rule on D (``counted_for_registration``); k: those of them with a
    registration that expires on or after D at a level at least their training level."""
    counted = [m for m in staff if counted_for_registration(m, as_of)]
    short = [_registration_shortfall(m, as_of) for m in counted if not registered_at_level(m, as_of)]
    return result(spec, MEASURE[spec.measure], len(counted) - len(short), len(counted), short)


def _registration_shortfall(member: StaffMember, as_of: date) -> str:
    return f"{member.code}: {registration_gap(member, as_of)}"


def registration_gap(member: StaffMember, as_of: date) -> str:
    """Why a counted practitioner is not registered at the right level on D, in words."""
    if member.registration is None:
        return "not on the RJC practitioner register"
    if registered_on(member, as_of):
        assert member.training is not None  # registered on D but not at level: below the training level
        return (f"registered at {member.registration.level.value}, trained to {member.training.level.value}: "
                "not registered at the level of their training")
    return f"registration expired {member.registration.expires}, {_days((as_of - member.registration.expires).days)} before {as_of}"


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def supervision_every_12_weeks(spec: MeasureSpec, staff: Sequence[StaffMember], as_of: date) -> MeasureResult:
    """n: staff delivering on D. For each, the window runs from the later of ``started`` and add_months(D, -12)
    to D; the first point is the last supervision on or before the window's start (on or after ``started``), else
    the window's start, so a gap that began before the window and ends inside it is judged. k: those for whom
    every gap between consecutive points of [first point, supervisions inside the window..., D] is at most 84 days."""
    population = [m for m in staff if delivering(m, as_of)]
    short = [s for s in (_supervision_shortfall(m, as_of) for m in population) if s]
    return result(spec, MEASURE[spec.measure], len(population) - len(short), len(population), short)


def _supervision_shortfall(member: StaffMember, as_of: date) -> str | None:
    window = max(member.started, add_months(as_of, -12))
    start = max((d for d in member.supervision if member.started <= d <= window), default=window)
    inside = sorted({d for d in member.supervision if window < d <= as_of})
    points = [start, *inside, as_of]
    gaps = [(later - earlier).days for earlier, later in pairwise(points)]
    if max(gaps) <= SUPERVISION_GAP_DAYS:
        return None
    if gaps[-1] > SUPERVISION_GAP_DAYS:
        if inside:
            return f"{member.code}: last supervision {inside[-1]}, {gaps[-1]} days before {as_of}"
        return f"{member.code}: no supervision since {start}, {gaps[-1]} days before {as_of}"
    worst = max(range(len(gaps)), key=gaps.__getitem__)
    return f"{member.code}: {gaps[worst]} days without supervision from {points[worst]} to {points[worst + 1]}"


def observed_practice_yearly(spec: MeasureSpec, staff: Sequence[StaffMember], as_of: date) -> MeasureResult:
    """n: staff delivering on D who started on or before add_months(D, -12); k: those with an observed practice
    dated in the 12 months before D."""
    population = [m for m in staff if delivering(m, as_of) and m.started < year_before(as_of)]
    short = [_observation_shortfall(m, as_of) for m in population if not _observed_in_year(m, as_of)]
    return result(spec, MEASURE[spec.measure], len(population) - len(short), len(population), short)


def _observed_in_year(member: StaffMember, as_of: date) -> bool:
    return any(year_before(as_of) <= d <= as_of for d in member.observed_practice)


def _observation_shortfall(member: StaffMember, as_of: date) -> str:
    earlier = [d for d in member.observed_practice if d <= as_of]
    if not earlier:
        return f"{member.code}: no observed practice recorded"
    return f"{member.code}: last observed practice {max(earlier)}, {(as_of - max(earlier)).days} days before {as_of}"


def cpd_hours(spec: MeasureSpec, staff: Sequence[StaffMember], as_of: date) -> MeasureResult:
    """n: staff delivering on D, registered on D and started on or before add_months(D, -12); k: those whose CPD
    hours dated in the 12 months before D reach 6 / 12 / 16 for a foundation / intermediate / advanced registration,
    with RJC-approved hours at least half of that requirement."""
    population = [m for m in staff if delivering(m, as_of) and registered_on(m, as_of) and m.started < year_before(as_of)]
    short = [s for s in (_cpd_shortfall(m, as_of) for m in population) if s]
    return result(spec, MEASURE[spec.measure], len(population) - len(short), len(population), short)


def cpd_in_year(member: StaffMember, as_of: date) -> tuple[Decimal, Decimal]:
    """(all hours, RJC-approved hours) dated in the 12 months before D, summed exactly."""
    entries = [e for e in member.cpd if year_before(as_of) <= e.date <= as_of]
    total = sum((Decimal(str(e.hours)) for e in entries), Decimal(0))
    approved = sum((Decimal(str(e.hours)) for e in entries if e.rjc_approved), Decimal(0))
    return total, approved


def _cpd_shortfall(member: StaffMember, as_of: date) -> str | None:
    assert member.registration is not None  # the population is registered on D
    needed = CPD_HOURS[member.registration.level]
    total, approved = cpd_in_year(member, as_of)
    if total >= needed and approved >= needed / 2:
        return None
    return (f"{member.code}: {total:g} CPD hours in the past year ({approved:g} RJC-approved); "
            f"{member.registration.level.value} registration needs {needed:g} ({needed / 2:g} approved)")


# --- the case and feedback measures ------------------------------------------


def period_start(as_of: date, months: int) -> date:
    """D - period_months: dates strictly after it (and on or before D) lie in the period."""
    return add_months(as_of, -months)


def has_enhanced_rights(case: Case, enhanced_categories: frozenset[str] | set[str] = frozenset()) -> bool:
    """The case's own enhanced_rights (yes / no) when given; when blank, yes if its offence category is one a
    framework lists in ``enhanced_offence_categories`` or the victim was under 18 (``victim_under_18``, or, when that is
    blank, the equality monitoring's ``age_band``)."""
    if case.enhanced_rights is not None:
        return case.enhanced_rights
    under_18 = case.victim_under_18 if case.victim_under_18 is not None else case.age_band == "under_18"
    return case.offence_category in enhanced_categories or under_18


def working_days(spec: MeasureSpec, cases: Sequence[Case], as_of: date,
                 enhanced_categories: frozenset[str] | set[str] = frozenset()) -> MeasureResult:
    """n: cases whose ``from`` date lies in the period (D - period_months < from <= D) and that have a
    ``to`` date on or before D, or none yet while already past the limit on D (a failure); cases with
    no ``to`` date still inside the limit are pending and left out. k: cases whose working days from
    ``from`` to ``to`` (d with from < d <= to) are at most ``limit`` (``enhanced_limit`` when
    the case has enhanced rights, ``has_enhanced_rights``). A ``to`` date after D is not known on D and counts as none yet. When no
    case records a ``to`` date at all, the records the measure needs are absent: no data, not failures."""
    assert spec.from_ and spec.to and spec.limit is not None  # validation requires them
    since = period_start(as_of, spec.period_months)
    label = _working_days_label(spec)
    if not any(map(attrgetter(spec.to), cases)):
        return result(spec, label, 0, 0, [], note=f"no case records the date of {COLUMN_WORDS.get(spec.to, spec.to)}" if cases else "no case list")
    k = n = 0
    short = []
    for case, (start, end) in zip(cases, map(attrgetter(spec.from_, spec.to), cases), strict=True):
        if start is None or not since < start <= as_of:
            continue
        limit = spec.enhanced_limit if has_enhanced_rights(case, enhanced_categories) and spec.enhanced_limit is not None else spec.limit
        if end is None or end > as_of:
            elapsed = elapsed_working_days(start, as_of)
            if elapsed <= limit:
                continue  # pending
            n += 1
            short.append(f"{case.case_ref}: no {COLUMN_WORDS.get(spec.to, spec.to)} yet, {elapsed} working days after "
                         f"{COLUMN_WORDS.get(spec.from_, spec.from_)} on {start} (limit {limit})")
            continue
        n += 1
        elapsed = elapsed_working_days(start, end)
        if elapsed <= limit:
            k += 1
        else:
            short.append(f"{case.case_ref}: {elapsed} working days from {COLUMN_WORDS.get(spec.from_, spec.from_)} on {start} "
                         f"to {COLUMN_WORDS.get(spec.to, spec.to)} on {end} (limit {limit})")
    return result(spec, label, k, n, short)


def _working_days_label(spec: MeasureSpec) -> str:
    assert spec.from_ and spec.to
    enhanced = f" ({spec.enhanced_limit} with enhanced rights)" if spec.enhanced_limit is not None else ""
    return (f"Cases with {COLUMN_WORDS.get(spec.to, spec.to)} within {spec.limit} working days{enhanced} of "
            f"{COLUMN_WORDS.get(spec.from_, spec.from_)}, past {spec.period_months} months")


def feedback_share(spec: MeasureSpec, responses: Sequence[FeedbackResponse], as_of: date, question: str = "") -> MeasureResult:
    """n: feedback responses received in the period (D - period_months < received_on <= D) that answered
    the question; k: those answering yes. ``question`` is the wording, for the label."""
    assert spec.question  # validation requires it
    since = period_start(as_of, spec.period_months)
    answers = [r.answers.get(spec.question) for r in responses if since < r.received_on <= as_of]
    given = [a for a in answers if a is not None]
    label = f"Feedback answering yes to '{question or spec.question}', past {spec.period_months} months"
    return result(spec, label, sum(given), len(given), [], note="" if responses else "no feedback responses")


# --- dispatch ----------------------------------------------------------------


@dataclass(frozen=True)
class Builtin:
    method: str  # how it is counted, in a sentence, for the pack
    compute: Callable[[MeasureSpec, Workspace, date], MeasureResult]
    needs: tuple[str, ...] = ()  # spec fields that must be given
    due: Callable[[MeasureSpec, Workspace, date, date], list[str]] | None = None  # what falls due after the records end


def _staff(ws: Workspace) -> list[StaffMember]:
    return list(ws.workforce.staff) if ws.workforce else []


def enhanced_categories(ws: Workspace) -> frozenset[str]:
    """The offence categories any framework in the workspace gives enhanced rights (``enhanced_offence_categories``)."""
    return frozenset(c for framework in ws.frameworks.values() for c in framework.enhanced_offence_categories)


def _workforce(function: Callable[[MeasureSpec, Sequence[StaffMember], date], MeasureResult]):
    def compute(spec: MeasureSpec, ws: Workspace, as_of: date) -> MeasureResult:
        measured = function(spec, _staff(ws), as_of)
        return measured if ws.workforce else measured.model_copy(update={"note": "no workforce register"})
    return compute


# --- what falls due between the records' end (day) and D ----------------------


def _due_window(day: date, due: date, as_of: date) -> bool:
    return day < due <= as_of


def registrations_due(spec: MeasureSpec, ws: Workspace, day: date, as_of: date) -> list[str]:
    """Registrations of counted staff that run out after the records end and on or before D."""
    return [f"{m.code}: registration renewal due by {m.registration.expires}" for m in _staff(ws)
            if counted_for_registration(m, day) and m.registration is not None and _due_window(day, m.registration.expires, as_of)]


def supervisions_due(spec: MeasureSpec, ws: Workspace, day: date, as_of: date) -> list[str]:
    """Staff whose next supervision (84 days after the last, or after starting) falls due after the records end."""
    due = []
    for member in (m for m in _staff(ws) if delivering(m, day)):
        last = max((d for d in member.supervision if member.started <= d <= day), default=member.started)
        if _due_window(day, next_due := last + timedelta(days=SUPERVISION_GAP_DAYS), as_of):
            due.append(f"{member.code}: supervision due by {next_due}")
    return due


def observation_due(member: StaffMember, day: date) -> date:
    """The last day ``observed_practice_yearly`` is met without another observation: the last day whose 12 months
    before still hold the last observed practice on or before ``day`` (``year_end``, calendar months), or, never
    observed, the last day before the member has been in post 12 months."""
    return year_end(max((d for d in member.observed_practice if d <= day), default=member.started))


def observations_due(spec: MeasureSpec, ws: Workspace, day: date, as_of: date) -> list[str]:
    """Staff whose yearly observed practice (``observation_due``) falls due after the records end."""
    due = []
    for member in (m for m in _staff(ws) if delivering(m, day)):
        if _due_window(day, next_due := observation_due(member, day), as_of):
            due.append(f"{member.code}: observed practice due by {next_due}")
    return due


def cpd_due(spec: MeasureSpec, ws: Workspace, day: date, as_of: date) -> list[str]:
    """Registered staff whose CPD meets their level on the records' end but not yet over the year before D."""
    due = []
    for member in (m for m in _staff(ws) if delivering(m, day) and registered_on(m, day) and registered_on(m, as_of)):
        if _cpd_shortfall(member, day) is None and (short := _cpd_shortfall(member, as_of)):
            due.append(f"{short} by {as_of}")
    return due


def time_limits_due(spec: MeasureSpec, ws: Workspace, day: date, as_of: date) -> list[str]:
    """Cases still inside their limit on the records' end whose limit runs out on or before D."""
    assert spec.from_ and spec.to and spec.limit is not None
    since = period_start(day, spec.period_months)
    categories = enhanced_categories(ws)
    due = []
    for case in ws.cases:
        start, end = getattr(case, spec.from_), getattr(case, spec.to)
        if start is None or not since < start <= day or (end is not None and end <= day):
            continue
        limit = spec.enhanced_limit if has_enhanced_rights(case, categories) and spec.enhanced_limit is not None else spec.limit
        if _due_window(day, by := add_working_days(start, limit), as_of):
            due.append(f"{case.case_ref}: {COLUMN_WORDS.get(spec.to, spec.to)} due by {by}")
    return due


BUILTINS: dict[str, Builtin] = {
    "registered_practitioners": Builtin(
        "Practitioners who deliver restorative justice (paid staff once trained and past probation, volunteers after "
        "their first year), against those of them on the RJC practitioner register on the date.",
        _workforce(registered_practitioners),
        due=registrations_due,
    ),
    "supervision_every_12_weeks": Builtin(
        "Practitioners who deliver restorative justice, against those of them with no gap of more than 84 days "
        "without case supervision over the past year (or since they started).",
        _workforce(supervision_every_12_weeks),
        due=supervisions_due,
    ),
    "observed_practice_yearly": Builtin(
        "Practitioners in post for at least a year, against those of them observed in practice in the past year.",
        _workforce(observed_practice_yearly),
        due=observations_due,
    ),
    "cpd_hours": Builtin(
        "Registered practitioners in post for at least a year, against those of them with 6, 12 or 16 hours of "
        "CPD in the past year for a foundation, intermediate or advanced registration, half of it RJC-approved.",
        _workforce(cpd_hours),
        due=cpd_due,
    ),
    "working_days": Builtin(
        "Cases in the period, against those where the step came within the time limit in working days "
        "(weekends and bank holidays of England and Wales left out); cases still within the limit are not counted yet.",
        lambda spec, ws, as_of: working_days(spec, ws.cases, as_of, enhanced_categories(ws)),
        needs=("from_", "to", "limit"),
        due=time_limits_due,
    ),
    "feedback_share": Builtin(
        "Feedback responses in the period that answered the question, against those answering yes.",
        lambda spec, ws, as_of: feedback_share(spec, ws.feedback, as_of, ws.settings.feedback_questions.get(spec.question or "", "")),
        needs=("question",),
    ),
}
WORKFORCE_MEASURES = ("registered_practitioners", "supervision_every_12_weeks", "observed_practice_yearly", "cpd_hours")


def records_end(ws: Workspace) -> date | None:
    """The latest date anything is recorded on: staff events, case dates, feedback received."""
    latest: date | None = None
    for member in _staff(ws):
        latest = max(filter(None, (latest, member.started, member.left, *member.supervision, *member.observed_practice,
                                   *(entry.date for entry in member.cpd))))
    case_days = (max(filter(None, map(attrgetter(column), ws.cases)), default=None) for column in CASE_DATE_COLUMNS)
    latest = max(filter(None, (latest, *case_days)), default=latest)
    return max(filter(None, (latest, *(response.received_on for response in ws.feedback))), default=latest)


def records_end_once(ws: Workspace) -> Callable[[], date | None]:
    """``records_end(ws)``, found on the first call only: most as-of dates never need it (a scan of every case)."""
    return cache(lambda: records_end(ws))


def counting_day(ws: Workspace, as_of: date, records_to: Callable[[], date | None] | None = None) -> date:
    """The one day figures that depend on events are counted on (docs/measures.md): D, or, when D lies ahead of
    today (what is counted has not happened yet), the day the records end. With no dated record, today."""
    today = workspace_today(ws.settings)
    if as_of <= today:
        return as_of
    end = records_to() if records_to is not None else records_end(ws)
    return min(as_of, end or today)


def evaluate(spec: MeasureSpec, ws: Workspace, as_of: date, records_to: Callable[[], date | None] | None = None) -> MeasureResult:
    """The measure ``spec`` names (docs/measures.md), counted on ``counting_day``; ``UnknownMeasure`` for a name with
    no built-in measure. ``records_to`` shares the records' end between measures (``records_end_once``).

    When D lies after the records end, the result is counted on that day and says so (``counted_on``); what falls
    due between then and D is listed in ``due``: a plan, not a shortfall.
    """
    builtin = BUILTINS.get(spec.measure)
    if builtin is None:
        raise UnknownMeasure(f"unknown measure '{spec.measure}' (known: {', '.join(BUILTINS)})")
    day = counting_day(ws, as_of, records_to)
    found = builtin.compute(spec, ws, day)
    if isinstance(spec, LocalTarget):
        found = found.model_copy(update={"label": f"Local target: {found.label[0].lower()}{found.label[1:]}"})
    if day >= as_of:
        return found
    due = builtin.due(spec, ws, day, as_of) if builtin.due is not None else []
    return found.model_copy(update={"counted_on": day, "due_by": as_of, "due": due, "due_count": len(due)})


@dataclass(frozen=True)
class FrameworkMeasure:
    framework: str
    indicator: str
    result: MeasureResult


def framework_specs(ws: Workspace) -> list[tuple[str, str, MeasureSpec]]:
    """(framework id, indicator id, spec) of every measure: primary framework first, then rsqm.yaml order, then the
    rest; then the service's local targets (rsqm.yaml ``local_targets``) as (``LOCAL``, target id, target)."""
    order = [ws.settings.framework, *ws.settings.frameworks, *sorted(ws.frameworks)]
    return [
        *((fid, indicator.id, spec)
          for fid in dict.fromkeys(order) if fid in ws.frameworks
          for _, indicator in ws.frameworks[fid].indicators()
          for spec in indicator.measures),
        *((LOCAL, target.id, target) for target in ws.settings.local_targets),
    ]


def workspace_measures(ws: Workspace, as_of: date) -> list[FrameworkMeasure]:
    """Every measure of every framework in the workspace, in ``framework_specs`` order."""
    end = records_end_once(ws)
    return [FrameworkMeasure(fid, ind, evaluate(spec, ws, as_of, end)) for fid, ind, spec in framework_specs(ws)]


def spec_problems(spec: MeasureSpec) -> list[tuple[str, str]]:
    """What makes ``spec`` unusable, as (key of the spec to point at, message); empty when it can be computed."""
    builtin = BUILTINS.get(spec.measure)
    if builtin is None:
        return [("measure", f"unknown measure '{spec.measure}' (known: {', '.join(BUILTINS)})")]
    problems = [(need.rstrip("_"), f"measure {spec.measure} needs '{need.rstrip('_')}'") for need in builtin.needs if getattr(spec, need) is None]
    for key, column in (("from", spec.from_), ("to", spec.to)):
        if spec.measure == "working_days" and column is not None and column not in CASE_DATE_COLUMNS:
            problems.append((key, f"'{column}' is not a date column of the case list (one of {', '.join(CASE_DATE_COLUMNS)})"))
    return problems
