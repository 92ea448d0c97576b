"""Textbook statistics used by the gap analysis and the audit summary."""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import NormalDist

Z95 = 1.959963984540054
CONFIDENCE_LEVELS = (0.9, 0.95, 0.99)  # offered when advising on a sample size
ROUNDING = ("rounded up to the next whole case, the conservative choice "
            "(published tables that round to the nearest case can show one case fewer)")


def wilson_interval(successes: int, trials: int, z: float = Z95) -> tuple[float, float]:
    """95% Wilson score interval for a proportion; (0, 1) when there are no trials."""
    if trials <= 0:
        return 0.0, 1.0
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> float | None:
    """Cohen's kappa for two raters over the same items; None when undefined (no pairs)."""
    if not pairs:
        return None
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    categories = sorted({c for pair in pairs for c in pair})  # a fixed order: the same sum, to the last digit, every run
    expected = sum((sum(a == c for a, _ in pairs) / n) * (sum(b == c for _, b in pairs) / n) for c in categories)
    if expected == 1:
        return 1.0  # both raters used one and the same category throughout
    return (observed - expected) / (1 - expected)


def sample_size(expected: float, margin: float, population: int | None = None, z: float = Z95) -> int:
    """Cases needed for an interval of half-width ``margin`` around ``expected`` (95% unless ``z`` says otherwise).

    n0 = z^2 p (1 - p) / E^2, then the finite-population correction
    n0 / (1 + (n0 - 1) / N), rounded up: the conservative choice.
    """
    if not 0 < expected < 1:
        raise ValueError("expected compliance must be between 0 and 1 (exclusive)")
    if not 0 < margin < 1:
        raise ValueError("margin must be between 0 and 1 (exclusive)")
    n0 = z * z * expected * (1 - expected) / (margin * margin)
    if population:
        return min(population, math.ceil(n0 / (1 + (n0 - 1) / population)))
    return math.ceil(n0)


SIZE_FORMULA = ("Cochran's formula n0 = z² p (1 - p) / E², with the finite population correction "
                "n0 / (1 + (n0 - 1) / N)")


def sample_size_over_n_plus_n0(expected: float, margin: float, population: int, z: float = Z95) -> int:
    """The size calculators that correct by N n0 / (N + n0) give, rounded up: it can be one case below ``sample_size``
    (their correction divides by N + n0 where Cochran's divides by N + n0 - 1)."""
    n0 = z * z * expected * (1 - expected) / (margin * margin)
    return min(population, math.ceil(n0 * population / (population + n0)))


def z_for_confidence(confidence: float) -> float:
    """The two-sided normal quantile for a confidence level: 0.95 -> 1.96."""
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1 (exclusive), e.g. 0.95")
    return NormalDist().inv_cdf(1 - (1 - confidence) / 2)


def newcombe_interval(x1: int, n1: int, x2: int, n2: int, z: float = Z95) -> tuple[float, float, float]:
    """Difference p1 - p2 of two independent proportions with Newcombe's hybrid score interval.

    Newcombe (1998), "Interval estimation for the difference between independent
    proportions: comparison of eleven methods", Statistics in Medicine 17, method 10:
    the Wilson interval (l, u) of each proportion gives
    L = d - sqrt((p1 - l1)^2 + (u2 - p2)^2) and U = d + sqrt((u1 - p1)^2 + (p2 - l2)^2).
    Returns (d, L, U); both groups need at least one trial.
    """
    if n1 <= 0 or n2 <= 0:
        raise ValueError("both proportions need at least one trial")
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson_interval(x1, n1, z)
    l2, u2 = wilson_interval(x2, n2, z)
    d = p1 - p2
    return d, d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
