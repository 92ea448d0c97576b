"""The draw: reproducible from the case list and seed alone, proportional, and refusing what it cannot do."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rsqm.audit.sampling import SamplingError, allocate, check_sample_name, draw, new_sample, population, population_sha256
from rsqm.files.models import Case


def make_case(n: int, process: str = "letter", closed_on: str | None = "2025-11-15", **fields) -> Case:
    return Case.model_validate(
        {
            "case_ref": f"RT-2025-{n:04d}",
            "referred_on": "2025-06-01",
            "closed_on": closed_on or "",
            "process": process,
            "offence_category": "theft",
            "initiator": "harmed_person",
            "practitioner": "P01",
            "outcome": "completed",
        }
        | fields
    )


def mixed_cases(count: int = 60) -> list[Case]:
    processes = ["letter"] * 6 + ["meeting"] * 3 + ["shuttle"]
    return [make_case(n, processes[n % 10]) for n in range(1, count + 1)]


def test_same_cases_and_seed_give_the_same_sample():
    cases = mixed_cases()
    assert draw(cases, 12, seed=7).cases == draw(list(reversed(cases)), 12, seed=7).cases


def test_a_different_seed_gives_a_different_sample():
    cases = mixed_cases()
    assert draw(cases, 12, seed=7).cases != draw(cases, 12, seed=8).cases


def test_the_draw_is_the_documented_sha256_ranking_so_anyone_can_repeat_it():
    import hashlib

    cases = mixed_cases(30)
    expected = sorted(sorted(c.case_ref for c in cases), key=lambda r: hashlib.sha256(f"99:{r}".encode()).hexdigest())[:5]
    assert draw(cases, 5, seed=99).cases == sorted(expected)


def test_the_draw_is_pinned_so_a_recorded_sample_can_be_redrawn_by_later_versions():
    assert draw(mixed_cases(20), 4, seed=42).cases == PINNED_SIMPLE
    assert draw(mixed_cases(60), 10, seed=42, strata=["process"]).cases == PINNED_STRATIFIED


def test_stratified_allocation_is_proportional_and_all_drawn_cases_come_from_their_stratum():
    cases = mixed_cases(60)  # 36 letter, 18 meeting, 6 shuttle
    result = draw(cases, 10, seed=1, strata=["process"])
    assert result.stratum_sizes == {"letter": 36, "meeting": 18, "shuttle": 6}
    assert result.allocation == {"letter": 6, "meeting": 3, "shuttle": 1}
    by_ref = {c.case_ref: c.process for c in cases}
    drawn = [by_ref[r] for r in result.cases]
    assert drawn.count("letter") == 6 and drawn.count("meeting") == 3 and drawn.count("shuttle") == 1


def test_every_stratum_gets_at_least_one_case_when_the_size_allows():
    assert allocate({"big": 97, "small": 2, "tiny": 1}, 5) == {"big": 3, "small": 1, "tiny": 1}


def test_largest_remainder_ties_go_to_the_stratum_sorting_first():
    assert allocate({"b": 5, "a": 5}, 1) == {"a": 1, "b": 0}


def test_allocation_uses_whole_number_arithmetic_so_remainders_never_wobble():
    # 1/3 and 2/6 are the same remainder; the tie is broken by name, not by float noise
    assert allocate({"x": 1, "y": 2, "z": 3}, 3) == {"x": 1, "y": 1, "z": 1}
    assert sum(allocate({"x": 10, "y": 20, "z": 30}, 7).values()) == 7


@given(st.lists(st.integers(1, 40), min_size=1, max_size=6), st.data())
def test_allocation_adds_up_and_stays_within_one_of_the_exact_share(sizes, data):
    strata = {f"s{i}": n for i, n in enumerate(sizes)}
    population_size = sum(sizes)
    total = data.draw(st.integers(len(strata), population_size))
    result = allocate(strata, total)
    assert sum(result.values()) == total
    for key, n in strata.items():
        assert 1 <= result[key] <= n
    if all(total * n / population_size >= 1 for n in sizes):  # no minimum-one moves needed
        assert all(abs(result[k] - total * n / population_size) < 1 for k, n in strata.items())


def test_population_takes_closed_cases_in_the_period_inclusive():
    cases = [
        make_case(1, closed_on="2025-09-30"),
        make_case(2, closed_on="2025-10-01"),
        make_case(3, closed_on="2025-12-31"),
        make_case(4, closed_on="2026-01-01"),
        make_case(5, closed_on=None),
    ]
    rows = population(cases, date(2025, 10, 1), date(2025, 12, 31))
    assert [c.case_ref for c in rows] == ["RT-2025-0002", "RT-2025-0003"]


def test_population_hash_ignores_row_order_but_sees_any_changed_value():
    cases = mixed_cases(10)
    assert population_sha256(cases) == population_sha256(list(reversed(cases)))
    changed = [*cases[:-1], cases[-1].model_copy(update={"outcome": "withdrawn"})]
    assert population_sha256(changed) != population_sha256(cases)


def test_population_hash_is_sha256_of_canonical_csv_lines():
    import hashlib

    case = make_case(1)
    line = "RT-2025-0001,2025-06-01,2025-11-15,letter,theft,harmed_person,P01,completed\n"
    assert population_sha256([case]) == hashlib.sha256(line.encode()).hexdigest()


@pytest.mark.parametrize(
    ("size", "strata", "message"),
    [
        (0, [], "at least 1"),
        (61, [], "larger than the population of 60"),
        (5, ["case_ref"], "cannot stratify by case_ref"),
        (5, ["favourite_colour"], "cannot stratify by favourite_colour"),
        (5, ["process", "process"], "named twice"),
    ],
)
def test_impossible_draws_are_refused_with_the_reason(size, strata, message):
    with pytest.raises(SamplingError, match=message):
        draw(mixed_cases(60), size, seed=1, strata=strata)


def test_an_empty_population_is_refused():
    with pytest.raises(SamplingError, match="population is empty"):
        draw([], 1, seed=1)


@pytest.mark.parametrize("name", ["2025-Q4", "q1_2026", "A", "redraw.2"])
def test_safe_sample_names_are_accepted(name):
    check_sample_name(name)


@pytest.mark.parametrize("name", ["", "../x", "a/b", ".hidden", "x.", "a b", "NUL", "con", "x" * 65, "é"])
def test_sample_names_that_are_not_safe_file_names_are_refused(name):
    with pytest.raises(SamplingError, match="not a safe file name"):
        check_sample_name(name)


def test_new_sample_records_population_method_and_cases():
    cases = mixed_cases(60)
    sample, result = new_sample(
        cases, name="2025-Q4", size=10, seed=42, strata=["process"], closed_from=date(2025, 10, 1),
        closed_to=date(2025, 12, 31), drawn_on=date(2026, 1, 5), drawn_by="sup1", reason="quarterly",
    )
    assert sample.population.size == 60
    assert sample.population.sha256 == population_sha256(cases)
    assert (sample.method.kind, sample.method.strata, sample.method.size, sample.method.seed) == ("stratified", ["process"], 10, 42)
    assert sample.cases == result.cases and len(sample.cases) == 10


def test_new_sample_refuses_a_period_that_ends_before_it_starts():
    with pytest.raises(SamplingError, match="after closed-to"):
        new_sample(mixed_cases(), name="x", size=1, seed=1, closed_from=date(2026, 1, 1), closed_to=date(2025, 1, 1),
                   drawn_on=date(2026, 1, 5), drawn_by="sup1")


PINNED_SIMPLE = ["RT-2025-0001", "RT-2025-0002", "RT-2025-0018", "RT-2025-0019"]
PINNED_STRATIFIED = [
    "RT-2025-0001", "RT-2025-0002", "RT-2025-0019", "RT-2025-0024", "RT-2025-0025",
    "RT-2025-0042", "RT-2025-0043", "RT-2025-0046", "RT-2025-0047", "RT-2025-0048",
]
