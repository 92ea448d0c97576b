"""rsqm.base.stats against published worked examples."""

import pytest

from rsqm.base.stats import newcombe_interval, z_for_confidence


@pytest.mark.parametrize(("x1", "n1", "x2", "n2", "expected"), [
    (56, 70, 48, 80, (0.2, 0.0524, 0.3339)),  # Newcombe (1998), Statistics in Medicine 17:873-890, table II (a), method 10
    (9, 10, 3, 10, (0.6, 0.1705, 0.8090)),  # table II (b)
    (5, 56, 0, 29, (0.0893, -0.0381, 0.1926)),  # table II (c): a zero count
])
def test_newcombe_hybrid_score_interval_matches_the_published_examples(x1, n1, x2, n2, expected):
    assert tuple(round(v, 4) for v in newcombe_interval(x1, n1, x2, n2)) == expected


def test_newcombe_interval_is_antisymmetric_in_the_two_groups():
    d, low, high = newcombe_interval(56, 70, 48, 80)
    assert newcombe_interval(48, 80, 56, 70) == pytest.approx((-d, -high, -low))


def test_newcombe_interval_needs_trials_in_both_groups():
    with pytest.raises(ValueError, match="at least one trial"):
        newcombe_interval(1, 2, 0, 0)


@pytest.mark.parametrize(("confidence", "z"), [(0.9, 1.6449), (0.95, 1.9600), (0.99, 2.5758)])
def test_confidence_levels_give_the_textbook_normal_quantiles(confidence, z):
    assert round(z_for_confidence(confidence), 4) == z
