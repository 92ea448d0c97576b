"""An audit item's verdict against its target, judged on the result model itself (one rule for every reader)."""

from __future__ import annotations

import pytest

from rsqm.audit.rates import AuditItemResult


def result(met: int, applicable: int, target: float = 0.9, min_sample: int = 10) -> AuditItemResult:
    rate = met / applicable if applicable else None
    enough = applicable >= min_sample
    return AuditItemResult(item="risk", section="Safety", critical=True, target=target, applicable=applicable, met=met,
                           partly_met=0, not_met=applicable - met, n_a=0, rate=rate, ci_low=None, ci_high=None,
                           enough=enough, met_target=enough and rate is not None and rate >= target)


@pytest.mark.parametrize(("met", "applicable", "verdict"), [
    (18, 20, "meets_target"),
    (15, 20, "below_target"),
    (5, 5, "too_few_meeting"),
    (3, 5, "too_few_below"),
    (0, 0, "no_answers"),
])
def test_the_verdict_follows_the_rate_the_target_and_the_sample_size(met, applicable, verdict):
    assert result(met, applicable).verdict == verdict


def test_only_a_judged_item_at_or_above_target_meets_it():
    assert all((r.verdict == "meets_target") == r.met_target for r in (result(18, 20), result(15, 20), result(5, 5), result(0, 0)))
