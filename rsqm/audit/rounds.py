"""Audit rounds: every sample is one round of the case-file audit (docs/audit-rounds.md).

A round's progress, each checklist item round by round with the change between
the last two (Newcombe's hybrid score interval), which rounds count in the gap
analysis, and the re-audits promised in the action plan that are overdue. Pure
functions over the loaded workspace.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date
from itertools import islice
from typing import Literal

from pydantic import BaseModel

from rsqm.audit.audits import audit_state, awaiting_agreement
from rsqm.audit.rates import AuditItemResult, Tally, item_results, pooled, results_from, tally
from rsqm.base.dates import add_months
from rsqm.base.stats import newcombe_interval
from rsqm.files.folder import Workspace
from rsqm.files.models import Audit, Checklist, Sample, WorkspaceSettings

Verdict = Literal["real_improvement", "real_decline", "no_clear_change", "not_comparable"]


class SampleProgress(BaseModel):
    """How far the audit of one sample has got."""

    sample: str
    drawn_on: date
    cases: int
    audited: int  # completed audits (audited_on set)
    in_progress: int  # records started but not completed
    second_marked: int  # completed audits with a finished second marking
    awaiting_second_marking: int  # a second marking was started (rsqm audit second-mark) and is not finished
    awaiting_agreement: int  # second-marked audits whose differing answers have no agreed answer yet

    @property
    def complete(self) -> bool:
        """Every sampled case has a completed audit."""
        return self.cases > 0 and self.audited >= self.cases

    def describe(self) -> str:
        """'3 of 17 audited, 1 in progress, 2 second-marked, 1 awaiting second marking'."""
        parts = [f"{self.audited} of {self.cases} audited"]
        if self.in_progress:
            parts.append(f"{self.in_progress} in progress")
        if self.second_marked:
            parts.append(f"{self.second_marked} second-marked")
        if self.awaiting_second_marking:
            parts.append(f"{self.awaiting_second_marking} awaiting second marking")
        if self.awaiting_agreement:
            parts.append(f"{self.awaiting_agreement} awaiting agreement")
        return ", ".join(parts)


class RoundResult(BaseModel):
    """One checklist item in one round."""

    sample: str
    drawn_on: date
    complete: bool
    applicable: int
    met: int
    rate: float | None
    ci_low: float | None
    ci_high: float | None


class Change(BaseModel):
    """Latest round minus the round before, with the 95% Newcombe (hybrid score) interval."""

    before: str  # sample name
    after: str
    diff: float | None  # None when either round has no applicable answers
    ci_low: float | None
    ci_high: float | None

    @property
    def verdict(self) -> Verdict:
        if self.diff is None or self.ci_low is None or self.ci_high is None:
            return "not_comparable"
        if self.ci_low > 0:
            return "real_improvement"
        if self.ci_high < 0:
            return "real_decline"
        return "no_clear_change"


class ItemTrend(BaseModel):
    item: str
    section: str
    question: str
    critical: bool
    target: float
    rounds: list[RoundResult]  # drawn_on order
    change: Change | None  # None with fewer than two rounds


class OverdueReAudit(BaseModel):
    """An action promised a re-audit of an item by a date that has passed without one."""

    action: str
    item: str
    due: date | None
    re_audit_by: date
    pending: list[str]  # rounds drawn since the action that are not complete yet, described


def _by_sample(audits: Iterable[Audit]) -> dict[str, list[Audit]]:
    grouped: dict[str, list[Audit]] = defaultdict(list)
    for audit in audits:
        grouped[audit.sample].append(audit)
    return grouped


def ordered(samples: Iterable[Sample]) -> list[Sample]:
    """Oldest draw first; samples drawn the same day by name."""
    return sorted(samples, key=lambda s: (s.drawn_on, s.name))


def progress(samples: Iterable[Sample], audits: Iterable[Audit]) -> dict[str, SampleProgress]:
    """Sample name -> its progress, in drawn_on order."""
    grouped = _by_sample(audits)
    result = {}
    for sample in ordered(samples):
        cases = set(sample.cases)
        mine = [a for a in grouped.get(sample.name, []) if a.case_ref in cases]
        done = [a for a in mine if a.audited_on is not None]
        moderated = [a for a in done if a.moderation is not None]  # the others are "audited", with nothing to agree
        states = Counter(map(audit_state, moderated))
        result[sample.name] = SampleProgress(
            sample=sample.name,
            drawn_on=sample.drawn_on,
            cases=len(cases),
            audited=len(done),
            in_progress=len(mine) - len(done),
            second_marked=states["second marked"] + states["awaiting agreement"],
            awaiting_second_marking=states["second marking in progress"],
            awaiting_agreement=sum(map(awaiting_agreement, moderated)),
        )
    return result


def _completed_by_sample(audits: Iterable[Audit]) -> dict[str, list[Audit]]:
    return _by_sample(a for a in audits if a.audited_on is not None)


def _completed_in(sample: Sample, audits: dict[str, Audit]) -> list[Audit]:
    """The sample's completed audits, reached through its case list rather than a walk over every audit.

    The same audits as those naming the sample: validation refuses an audit of a case outside its sample.
    """
    found = (audits.get(case_ref) for case_ref in sample.cases)
    return [a for a in found if a is not None and a.sample == sample.name and a.audited_on is not None]


def _complete(sample: Sample, completed: list[Audit]) -> bool:
    """``progress(...)[sample.name].complete`` from the sample's completed audits alone (one audit per case ref)."""
    cases = set(sample.cases)
    return bool(cases) and sum(a.case_ref in cases for a in completed) >= len(cases)


def _answered(audits: Iterable[Audit]) -> set[str]:
    """Checklist items given an answer (n_a included) in these audits."""
    return {item for audit in audits for item, answer in audit.final_answers().items() if answer.result is not None}


def _change(before: RoundResult, after: RoundResult) -> Change:
    if not before.applicable or not after.applicable:
        return Change(before=before.sample, after=after.sample, diff=None, ci_low=None, ci_high=None)
    diff, low, high = newcombe_interval(after.met, after.applicable, before.met, before.applicable)
    return Change(before=before.sample, after=after.sample, diff=diff, ci_low=low, ci_high=high)


def item_trends(samples: Iterable[Sample], audits: Iterable[Audit], checklist: Checklist) -> list[ItemTrend]:
    """Every checklist item, round by round (completed audits only), with the change between the last two rounds."""
    rounds = ordered(samples)
    completed = _completed_by_sample(audits)
    per_round = {s.name: {r.item: r for r in item_results(completed.get(s.name, []), checklist)} for s in rounds}
    complete = {s.name: _complete(s, completed.get(s.name, [])) for s in rounds}
    trends = []
    for item in checklist.items:
        results = [
            RoundResult(
                sample=s.name, drawn_on=s.drawn_on, complete=complete[s.name],
                **per_round[s.name][item.id].model_dump(include={"applicable", "met", "rate", "ci_low", "ci_high"}),
            )
            for s in rounds
        ]
        trends.append(ItemTrend(
            item=item.id, section=item.section, question=item.question, critical=item.critical, target=item.target,
            rounds=results, change=_change(results[-2], results[-1]) if len(results) >= 2 else None,
        ))
    return trends


def latest_change(ws: Workspace) -> list[ItemTrend]:
    """Every checklist item over the last two rounds only: the change leadership sees, without tallying older rounds."""
    if ws.checklist is None:
        return []
    last = ordered(ws.samples.values())[-2:]
    names = {s.name for s in last}
    return item_trends(last, [a for a in ws.audits.values() if a.sample in names], ws.checklist)


def counting_rule(settings: WorkspaceSettings) -> str:
    """The rule that picks the rounds counted in the gap analysis, in plain words (for the pack)."""
    which = ("every complete round" if settings.pool_rounds else
             "for each checklist item, the latest complete round in which the item was audited")
    tail = " is pooled" if settings.pool_rounds else " counts"
    return (f"A round counts once every case in its sample has a completed audit. Of the rounds drawn in the "
            f"{settings.audit_window_months} months up to the as-of date, {which}{tail}.")


def counted_results(ws: Workspace, as_of: date) -> dict[str, AuditItemResult]:
    """Item id -> its result over the rounds that count on ``as_of`` (``rounds`` names them).

    Rounds drawn in the ``audit_window_months`` before ``as_of`` (after the start, up to
    and including ``as_of``) that are complete; per item the latest one that audited the
    item, or all of them pooled when ``pool_rounds`` is set. No such round: no answers.
    """
    checklist = ws.checklist
    if checklist is None:
        return {}
    since = add_months(as_of, -ws.settings.audit_window_months)
    window = [s for s in ws.samples.values() if since < s.drawn_on <= as_of]
    newest_first = list(reversed(ordered(window)))
    completed: dict[str, list[Audit] | None] = {}  # sample -> its completed audits; None when the round is not complete
    tallies: dict[str, Tally] = {}

    def answers(sample: Sample, item: str) -> bool:  # rounds are looked at and tallied only when asked about, newest first
        if sample.name not in completed:
            audits = _completed_in(sample, ws.audits)
            completed[sample.name] = audits if _complete(sample, audits) else None
        audits = completed[sample.name]
        if audits is None:
            return False
        if sample.name not in tallies:
            tallies[sample.name] = tally(audits, checklist)
        return any(tallies[sample.name][item].values())

    computed: dict[tuple[str, ...], dict[str, AuditItemResult]] = {}
    results = {}
    for item in checklist.items:
        covering = (s.name for s in newest_first if answers(s, item.id))
        chosen = tuple(covering) if ws.settings.pool_rounds else tuple(islice(covering, 1))
        if chosen not in computed:
            computed[chosen] = {r.item: r for r in results_from(pooled((tallies[name] for name in chosen), checklist), checklist)}
        results[item.id] = computed[chosen][item.id].model_copy(update={"rounds": list(reversed(chosen))})
    return results


def overdue_re_audits(ws: Workspace, as_of: date) -> list[OverdueReAudit]:
    """Actions whose ``re_audit_by`` lies before ``as_of`` with no re-audit done.

    The re-audit is done when a round drawn on or after the action's ``due`` date (the
    change is in place) and on or before ``as_of`` is complete and audited the item.
    """
    actions = [a for a in ws.actions.actions if a.audit_item and a.re_audit_by is not None and a.re_audit_by < as_of]
    if not actions:
        return []
    states = progress(ws.samples.values(), ws.audits.values())
    completed = _completed_by_sample(ws.audits.values())
    overdue = []
    for action in actions:
        assert action.audit_item is not None and action.re_audit_by is not None
        since = [s for s in ordered(ws.samples.values()) if s.drawn_on <= as_of and (action.due is None or s.drawn_on >= action.due)]
        if any(states[s.name].complete and action.audit_item in _answered(completed.get(s.name, [])) for s in since):
            continue
        overdue.append(OverdueReAudit(
            action=action.id, item=action.audit_item, due=action.due, re_audit_by=action.re_audit_by,
            pending=[f"{s.name} ({states[s.name].describe()})" for s in since if not states[s.name].complete],
        ))
    return overdue
