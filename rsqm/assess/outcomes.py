"""What the case list and feedback say about a period: referrals, take-up, agreements, contact times, voice.

Pure: cases and feedback responses in, pydantic models out, each share with its
count and 95% Wilson interval, beside the previous period of the same length.
Aggregates only, never a case reference: leadership and commissioners read it.

Two cohorts, so recent referrals do not look like failures to agree:
- referred in the period: referrals by source, offers made, take-up, time to
  first contact (working days, England and Wales);
- closed in the period: process mix (cases that went ahead: offer not
  declined), agreements reached and completed.
Feedback counts the responses received in the period, all together and for
the people harmed and the people responsible apart. Equality monitoring counts
the referrals in the period by each equality column of the case list, every
count through the one small-number suppression rule (rsqm/base/suppression.py).
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from rsqm.assess.measures import counting_day
from rsqm.base.dates import year_before
from rsqm.base.formatting import percent
from rsqm.base.labels import CASE_VALUE, words
from rsqm.base.stats import wilson_interval
from rsqm.base.suppression import Cell, suppress
from rsqm.base.workdays import elapsed_working_days
from rsqm.files.models import EQUALITY_VALUES, Case, FeedbackResponse, MeasureSpec

if TYPE_CHECKING:
    from rsqm.files.folder import Workspace

NOT_RECORDED = "not recorded"
BLANK = "not_recorded"  # the equality cell of the cases that leave the column blank
PARTIES = ("harmed", "responsible")  # the feedback shares kept apart by party
DEFAULT_LIMIT, DEFAULT_ENHANCED_LIMIT = 5, 1


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Share(_Out):
    k: int
    n: int
    rate: float | None
    ci_low: float | None
    ci_high: float | None


class Count(_Out):
    label: str
    count: int


class FirstContact(_Out):
    limit: int  # working days
    enhanced_limit: int  # for victims entitled to enhanced rights
    contacted: int  # referrals with a first-contact date in the period
    median_days: float | None
    within_limit: Share  # k within the limit, of contacted plus those not yet contacted and past it


class FeedbackShare(_Out):
    question: str
    text: str
    share: Share


class PartyFeedback(_Out):
    party: str  # harmed or responsible
    question: str
    text: str
    share: Share


class Equality(_Out):
    """One equality column over the referrals in the period: every allowed value and the blanks, suppressed."""

    column: str
    kept: bool  # False when no case in the list fills the column in: nothing to count, rather than all blank
    total: int  # the referrals counted (the row's total, shown)
    cells: dict[str, Cell]  # value -> count as it may be read; empty when not kept


class PeriodOutcomes(_Out):
    start: date
    end: date
    referrals: int
    by_source: list[Count]
    by_offence: list[Count]  # referrals by offence category
    offers: Share  # of referrals: information about RJ offered
    take_up: Share  # of decided offers: accepted
    closed: int
    processes: list[Count]  # closed cases that went ahead
    by_outcome: list[Count]  # closed cases by how they ended (the case list's outcome column)
    agreements_reached: Share  # of closed cases with the answer recorded
    agreements_completed: Share  # of agreements reached with the answer recorded
    first_contact: FirstContact
    responses: int
    feedback: list[FeedbackShare]
    feedback_by_party: list[PartyFeedback]
    equality: list[Equality]


class Outcomes(_Out):
    current: PeriodOutcomes
    previous: PeriodOutcomes
    covered_to: date | None = None  # a part period: the records end on this day, before the period does

    @property
    def part(self) -> bool:
        return self.covered_to is not None

    def comparison(self, when: Callable[[date], str] = date.isoformat) -> str:
        """The period's counts against the one before, each with its own length: '54 referrals in the 8 months to
        25 November 2026; 134 in the 12 months before'. A part period is never compared as if it were whole."""
        now, was = self.current, self.previous
        months_before = _months(was.start, was.end)
        if self.covered_to is None:
            return (f"{_plural(now.referrals, 'referral')} in the {_months(now.start, now.end)} to {when(now.end)}; "
                    f"{was.referrals} in the {months_before} before")
        return (f"{_plural(now.referrals, 'referral')} in the {_months(now.start, self.covered_to)} to {when(self.covered_to)}, "
                f"when the records end (a part period: not comparable with a whole one); "
                f"{was.referrals} in the {months_before} before")


def _months(start: date, end: date) -> str:
    """The length of start..end in whole months, rounded: '12 months', '8 months', '1 month'."""
    count = max(1, round(((end - start).days + 1) / 30.44))
    return f"{count} month{'s' * (count != 1)}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' * (count != 1)}"


def share(k: int, n: int) -> Share:
    if n == 0:
        return Share(k=0, n=0, rate=None, ci_low=None, ci_high=None)
    low, high = wilson_interval(k, n)
    return Share(k=k, n=n, rate=k / n, ci_low=low, ci_high=high)


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of the same length just before: 12 months to D (a calendar year among them) give the 12 months
    before them, by calendar months (``year_to``); any other period, as many days."""
    if start == year_before(end):
        return year_to(start - timedelta(days=1))
    length = (end - start).days + 1
    return start - timedelta(days=length), start - timedelta(days=1)


def contact_limits(specs: Sequence[MeasureSpec]) -> tuple[int, int]:
    """The framework's own limits for referral to first contact when it declares them, else 5 and 1 working days."""
    for spec in specs:
        if spec.measure == "working_days" and (spec.from_, spec.to) == ("referred_on", "first_contact_on") and spec.limit is not None:
            return spec.limit, spec.enhanced_limit if spec.enhanced_limit is not None else spec.limit
    return DEFAULT_LIMIT, DEFAULT_ENHANCED_LIMIT


def period_outcomes(
    cases: Sequence[Case], responses: Sequence[FeedbackResponse], questions: Mapping[str, str], period: tuple[date, date], limits: tuple[int, int]
) -> PeriodOutcomes:
    start, end = period
    def inside(day: date | None) -> bool:
        return day is not None and start <= day <= end

    referred = [c for c in cases if inside(c.referred_on)]
    closed = [c for c in cases if inside(c.closed_on)]
    # a column no case fills in is not kept by the service: no data, rather than 0%
    # one rule for "offered", shared with the time-limit measure: the case list records the day information was offered
    # (a recorded accept or decline without that day is not counted as an offer: the record does not say when, or that it was)
    keeps_offers = any(c.rj_info_offered_on is not None for c in cases)
    keeps_contact = any(c.first_contact_on is not None for c in cases)
    offered = [c for c in referred if c.rj_info_offered_on is not None]
    decided = [c for c in referred if c.offer_accepted is not None]
    reached = [c for c in closed if c.agreement_reached is not None]
    completed = [c for c in closed if c.agreement_reached and c.agreement_completed is not None]
    received = [r for r in responses if inside(r.received_on)]
    return PeriodOutcomes(
        start=start,
        end=end,
        referrals=len(referred),
        by_source=_counts(referred, lambda c: c.referral_source or NOT_RECORDED),
        by_offence=_counts(referred, lambda c: c.offence_category),
        offers=share(len(offered), len(referred) if keeps_offers else 0),
        take_up=share(sum(bool(c.offer_accepted) for c in decided), len(decided)),
        closed=len(closed),
        processes=_counts([c for c in closed if c.offer_accepted is not False], lambda c: c.process),
        by_outcome=_counts(closed, lambda c: c.outcome or NOT_RECORDED),
        agreements_reached=share(sum(bool(c.agreement_reached) for c in reached), len(reached)),
        agreements_completed=share(sum(bool(c.agreement_completed) for c in completed), len(completed)),
        first_contact=first_contact(referred if keeps_contact else [], end, *limits),
        responses=len(received),
        feedback=[
            FeedbackShare(question=q, text=text, share=share(sum(bool(a) for a in answers), len(answers)))
            for q, text in questions.items()
            for answers in [[r.answers[q] for r in received if r.answers.get(q) is not None]]
        ],
        feedback_by_party=[
            PartyFeedback(party=party, question=q, text=text, share=share(sum(bool(a) for a in answers), len(answers)))
            for party in PARTIES
            for q, text in questions.items()
            for answers in [[r.answers[q] for r in received if r.party == party and r.answers.get(q) is not None]]
        ],
        equality=[equality(cases, referred, column) for column in EQUALITY_VALUES],
    )


def equality(cases: Sequence[Case], counted: Sequence[Case], column: str) -> Equality:
    """The ``counted`` cases by one equality column, suppressed; a column no case in ``cases`` fills in is not kept."""
    if not any(getattr(c, column) is not None for c in cases):
        return Equality(column=column, kept=False, total=len(counted), cells={})
    found = Counter(getattr(c, column) or BLANK for c in counted)
    values = (*EQUALITY_VALUES[column], BLANK)
    return Equality(column=column, kept=True, total=len(counted), cells=suppress({v: found[v] for v in values}, len(counted)))


def first_contact(referred: Sequence[Case], end: date, limit: int, enhanced_limit: int) -> FirstContact:
    """Working days from referral to first contact, known on ``end``.

    As the ``working_days`` measure counts (docs/case-data.md): a referral
    not yet contacted on ``end`` counts only once it is past its limit (as a
    miss); before that it is pending and left out.
    """
    days, within, counted = [], 0, 0
    for case in referred:
        allowed = enhanced_limit if case.enhanced_rights else limit
        contact = case.first_contact_on if case.first_contact_on and case.first_contact_on <= end else None
        if contact is None:
            counted += elapsed_working_days(case.referred_on, end) > allowed
            continue
        elapsed = elapsed_working_days(case.referred_on, contact)
        days.append(elapsed)
        counted += 1
        within += elapsed <= allowed
    return FirstContact(
        limit=limit, enhanced_limit=enhanced_limit, contacted=len(days),
        median_days=statistics.median(days) if days else None, within_limit=share(within, counted),
    )


def _counts(cases: Sequence[Case], key: Callable[[Case], str]) -> list[Count]:
    found = Counter(key(c) for c in cases)
    return [Count(label=label, count=n) for label, n in sorted(found.items(), key=lambda item: (-item[1], item[0]))]


def outcomes(
    cases: Sequence[Case],
    responses: Sequence[FeedbackResponse],
    questions: Mapping[str, str],
    start: date,
    end: date,
    limits: tuple[int, int] = (DEFAULT_LIMIT, DEFAULT_ENHANCED_LIMIT),
) -> Outcomes:
    return Outcomes(
        current=period_outcomes(cases, responses, questions, (start, end), limits),
        previous=period_outcomes(cases, responses, questions, previous_period(start, end), limits),
    )


def year_to(as_of: date) -> tuple[date, date]:
    """The default period: the 12 months before the as-of date (after add_months(D, -12), up to D), as the measures count it."""
    return year_before(as_of), as_of


def workspace_outcomes(ws: Workspace, start: date, end: date) -> Outcomes:
    """Outcomes of a loaded workspace, with the contact limits its frameworks declare. A period that runs on past
    today and past the records' end is a part period (``covered_to``): counted as far as the records go."""
    specs = [spec for fw in ws.frameworks.values() for _, indicator in fw.indicators() for spec in indicator.measures]
    found = outcomes(ws.cases, ws.feedback, ws.settings.feedback_questions, start, end, contact_limits(specs))
    covered_to = counting_day(ws, end)
    return found.model_copy(update={"covered_to": max(covered_to, start)}) if covered_to < end else found


# --- one table for the terminal, the dashboard and the pack -----------------


class OutcomeRow(_Out):
    measure: str
    now: str  # the value in the period
    count: str  # what it is counted over
    before: str  # the same in the previous period
    ci: str = ""  # 95% interval of a share


def _share_cells(s: Share) -> tuple[str, str, str]:
    if s.rate is None:
        return "no data", "0 recorded", ""
    return percent(s.rate), f"{s.k} of {s.n}", f"{percent(s.ci_low)}–{percent(s.ci_high)}"


def _before_share(s: Share) -> str:
    return "no data" if s.rate is None else f"{percent(s.rate)} ({s.k} of {s.n})"


def outcome_rows(o: Outcomes) -> list[OutcomeRow]:
    """The outcomes as a table: one row per measure, shares with their count and interval, the previous period beside."""
    now, was = o.current, o.previous
    rows = [OutcomeRow(measure="Referrals received", now=str(now.referrals), count="cases referred", before=str(was.referrals))]
    previous_sources = {c.label: c.count for c in was.by_source}
    rows += [
        OutcomeRow(measure=f"  source: {words(c.label, CASE_VALUE)}", now=str(c.count), count=f"of {now.referrals} referrals", before=str(previous_sources.get(c.label, 0)))
        for c in now.by_source
    ]
    shares = [
        ("Offered information about restorative justice", now.offers, was.offers),
        ("Took up the offer", now.take_up, was.take_up),
        ("Agreement reached", now.agreements_reached, was.agreements_reached),
        ("Agreement completed", now.agreements_completed, was.agreements_completed),
    ]
    for label, current, previous in shares[:2]:
        value, count, ci = _share_cells(current)
        rows.append(OutcomeRow(measure=label, now=value, count=count, before=_before_share(previous), ci=ci))
    fc, fc_was = now.first_contact, was.first_contact
    rows.append(OutcomeRow(
        measure="Median working days from referral to first contact",
        now="no data" if fc.median_days is None else f"{fc.median_days:g}",
        count=f"{fc.contacted} contacted", before="no data" if fc_was.median_days is None else f"{fc_was.median_days:g}",
    ))
    value, count, ci = _share_cells(fc.within_limit)
    rows.append(OutcomeRow(
        measure=f"First contact within {fc.limit} working days ({fc.enhanced_limit} with enhanced rights)",
        now=value, count=count, before=_before_share(fc_was.within_limit), ci=ci,
    ))
    rows.append(OutcomeRow(measure="Cases closed", now=str(now.closed), count="cases closed", before=str(was.closed)))
    previous_processes = {c.label: c.count for c in was.processes}
    went_ahead = sum(c.count for c in now.processes)
    rows += [
        OutcomeRow(measure=f"  process: {words(c.label, CASE_VALUE)}", now=str(c.count), count=f"of {went_ahead} that went ahead", before=str(previous_processes.get(c.label, 0)))
        for c in now.processes
    ]
    for label, current, previous in shares[2:]:
        value, count, ci = _share_cells(current)
        rows.append(OutcomeRow(measure=label, now=value, count=count, before=_before_share(previous), ci=ci))
    previous_feedback = {f.question: f.share for f in was.feedback}
    for f in now.feedback:
        value, count, ci = _share_cells(f.share)
        before = previous_feedback.get(f.question)
        rows.append(OutcomeRow(measure=f"Feedback: {f.text}", now=value, count=count, before=_before_share(before) if before else "no data", ci=ci))
    return rows
