"""Per checklist item results over a set of audits: the numbers gaps and summaries share."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, computed_field

from rsqm.base.stats import wilson_interval
from rsqm.files.models import AnswerResult, Audit, Checklist

ItemVerdict = Literal["meets_target", "below_target", "too_few_meeting", "too_few_below", "no_answers"]
UNDER_TARGET: frozenset[ItemVerdict] = frozenset({"below_target", "too_few_below"})  # the rate is under the target, judged or not


def item_verdict(rate: float | None, target: float, enough: bool) -> ItemVerdict:
    """How an item stands against its target; judged only with ``enough`` applicable cases (the checklist's min_sample)."""
    if rate is None:
        return "no_answers"
    if rate < target:
        return "below_target" if enough else "too_few_below"
    return "meets_target" if enough else "too_few_meeting"


class AuditItemResult(BaseModel):
    item: str
    section: str
    critical: bool
    target: float
    applicable: int  # answered and not n_a
    met: int
    partly_met: int
    not_met: int
    n_a: int
    rate: float | None  # met / applicable
    ci_low: float | None
    ci_high: float | None
    enough: bool  # applicable >= the checklist's min_sample
    rounds: list[str] = []  # the samples counted, when chosen by round (rsqm.audit.rounds.counted_results)

    @property
    def verdict(self) -> ItemVerdict:
        return item_verdict(self.rate, self.target, self.enough)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def met_target(self) -> bool:
        """Judged (enough cases) and at or above the target."""
        return self.verdict == "meets_target"


Tally = dict[str, dict[AnswerResult, int]]  # item id -> answers given, by result


def _blank(checklist: Checklist) -> Tally:
    return {item.id: dict.fromkeys(AnswerResult, 0) for item in checklist.items}


def _count(audit: Audit, counts: Tally) -> None:
    for item_id, answer in audit.final_answers().items():
        if item_id in counts and answer.result is not None:
            counts[item_id][answer.result] += 1


def tally(audits: Iterable[Audit], checklist: Checklist) -> Tally:
    """Answers per checklist item and result, agreed moderation answers where present; blank answers not counted."""
    counts = _blank(checklist)
    for audit in audits:
        _count(audit, counts)
    return counts


def sample_tallies(audits: Iterable[Audit], checklist: Checklist) -> dict[str, Tally]:
    """Sample name -> the tally of its audits: every answer is read once, however the tallies are combined after."""
    tallies: dict[str, Tally] = {}
    for audit in audits:
        counts = tallies.get(audit.sample)
        if counts is None:
            counts = tallies[audit.sample] = _blank(checklist)
        _count(audit, counts)
    return tallies


def pooled(tallies: Iterable[Tally], checklist: Checklist) -> Tally:
    """Several tallies added up."""
    total = _blank(checklist)
    for counts in tallies:
        for item_id, by_result in counts.items():
            into = total[item_id]
            for result, n in by_result.items():
                into[result] += n
    return total


def item_results(audits: Iterable[Audit], checklist: Checklist) -> list[AuditItemResult]:
    """Results per checklist item in checklist order, counting agreed moderation answers where present.

    Blank answers (not yet given) are not counted at all; ``n_a`` is counted but left
    out of the rate.
    """
    return results_from(tally(audits, checklist), checklist)


def results_from(counts: Tally, checklist: Checklist) -> list[AuditItemResult]:
    """The results of a tally, in checklist order."""
    results = []
    for item in checklist.items:
        tally_ = counts[item.id]
        met = tally_[AnswerResult.met]
        applicable = met + tally_[AnswerResult.partly_met] + tally_[AnswerResult.not_met]
        low, high = wilson_interval(met, applicable) if applicable else (None, None)
        results.append(
            AuditItemResult(
                item=item.id,
                section=item.section,
                critical=item.critical,
                target=item.target,
                applicable=applicable,
                met=met,
                partly_met=tally_[AnswerResult.partly_met],
                not_met=tally_[AnswerResult.not_met],
                n_a=tally_[AnswerResult.n_a],
                rate=met / applicable if applicable else None,
                ci_low=low,
                ci_high=high,
                enough=applicable >= checklist.min_sample,
            )
        )
    return results


def sampled_audits(audits: dict[str, Audit], samples: Iterable[str] | None = None) -> list[Audit]:
    """Completed audits (audited_on set), optionally only those of the named samples."""
    wanted = set(samples) if samples is not None else None
    return [a for a in audits.values() if a.audited_on is not None and (wanted is None or a.sample in wanted)]
