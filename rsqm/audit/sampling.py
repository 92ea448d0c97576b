"""Drawing a fair, reproducible sample of closed case files.

The draw does not use a language's random-number generator, whose algorithm may
change between versions: each case is ranked by SHA-256 of ``"<seed>:<case_ref>"``
and the lowest-ranked cases of each stratum are taken. Anyone can repeat it by
hand, on any machine, from the case list and the seed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Sequence
from datetime import date

from pydantic import BaseModel

from rsqm.base.errors import InputRefused
from rsqm.files.models import CASE_COLUMNS, Case, Population, Sample, SampleMethod

SAMPLE_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62}[A-Za-z0-9])?")
RESERVED_NAMES = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{i}" for p in ("COM", "LPT") for i in range(1, 10)}
NOT_STRATA = ("case_ref", "referred_on", "closed_on")


class SamplingError(InputRefused, ValueError):
    """A sampling request that cannot be honoured; the message says why."""


class Draw(BaseModel):
    cases: list[str]
    allocation: dict[str, int]  # stratum label -> cases drawn
    stratum_sizes: dict[str, int]  # stratum label -> cases in the population


def check_sample_name(name: str) -> None:
    """Sample names become file names: letters, digits, '.', '_' and '-' only, at most 64 characters."""
    if not SAMPLE_NAME.fullmatch(name) or name.split(".")[0].upper() in RESERVED_NAMES:
        raise SamplingError(
            f"sample name {name!r} is not a safe file name: use letters, digits, '.', '_' or '-' "
            "(starting and ending with a letter or digit, at most 64 characters), e.g. 2025-Q4"
        )


def population(cases: Sequence[Case], closed_from: date | None, closed_to: date | None) -> list[Case]:
    """Closed cases within the period (both ends included), sorted by case_ref."""
    chosen = [
        c
        for c in cases
        if c.closed_on is not None
        and (closed_from is None or c.closed_on >= closed_from)
        and (closed_to is None or c.closed_on <= closed_to)
    ]
    return sorted(chosen, key=lambda c: c.case_ref)


def population_sha256(rows: Sequence[Case]) -> str:
    """Hash of the population rows in case_ref order, one canonical CSV line each.

    Lines are written as the csv module writes them (fields quoted only when they
    hold a comma or quote), ``\\n`` line ends, columns in ``CASE_COLUMNS`` order.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for case in sorted(rows, key=lambda c: c.case_ref):
        values = case.model_dump(mode="json")
        writer.writerow([values[c] or "" for c in CASE_COLUMNS])
    return hashlib.sha256(buffer.getvalue().encode()).hexdigest()


def _rank(seed: int, case_ref: str) -> str:
    return hashlib.sha256(f"{seed}:{case_ref}".encode()).hexdigest()


def stratum_label(case: Case, strata: Sequence[str]) -> str:
    return " / ".join(str(getattr(case, s)) for s in strata) if strata else "all"


def allocate(sizes: dict[str, int], total: int) -> dict[str, int]:
    """Proportional allocation by largest remainder, at least one per stratum when total allows.

    Integer arithmetic only, so every machine gets the same answer. Ties go to the
    stratum whose label sorts first. When a stratum would get no case, one is moved
    to it from the stratum furthest above its exact share.
    """
    population_size = sum(sizes.values())
    if population_size <= 0 or not 0 <= total <= population_size:
        raise SamplingError(f"cannot allocate {total} cases over a population of {population_size}")
    allocation = {k: total * n // population_size for k, n in sizes.items()}
    remainder = {k: total * n % population_size for k, n in sizes.items()}
    leftover = total - sum(allocation.values())
    for key in sorted(sizes, key=lambda k: (-remainder[k], k))[:leftover]:
        allocation[key] += 1
    if total >= len(sizes):
        for key in sorted(k for k, n in allocation.items() if n == 0):
            # excess over the exact share total*n/N, compared as whole numbers scaled by N
            donor = max(
                (k for k in allocation if allocation[k] > 1),
                key=lambda k: (allocation[k] * population_size - total * sizes[k], k),
            )
            allocation[donor] -= 1
            allocation[key] += 1
    return allocation


def draw(rows: Sequence[Case], size: int, seed: int, strata: Sequence[str] = ()) -> Draw:
    """The sample: per stratum, the ``allocation`` cases ranking lowest by SHA-256 of seed and case_ref."""
    if not rows:
        raise SamplingError("the population is empty: no closed cases in that period")
    if size < 1:
        raise SamplingError("sample size must be at least 1")
    if size > len(rows):
        raise SamplingError(f"sample size {size} is larger than the population of {len(rows)} cases")
    unknown = [s for s in strata if s not in CASE_COLUMNS or s in NOT_STRATA]
    if unknown:
        allowed = ", ".join(c for c in CASE_COLUMNS if c not in NOT_STRATA)
        raise SamplingError(f"cannot stratify by {', '.join(unknown)}; choose from {allowed}")
    if len(set(strata)) != len(strata):
        raise SamplingError("a stratum column is named twice")
    groups: dict[str, list[Case]] = {}
    for case in rows:
        groups.setdefault(stratum_label(case, strata), []).append(case)
    allocation = allocate({k: len(v) for k, v in groups.items()}, size)
    chosen: list[str] = []
    for key in sorted(groups):
        ranked = sorted(groups[key], key=lambda c: _rank(seed, c.case_ref))
        chosen.extend(c.case_ref for c in ranked[: allocation[key]])
    return Draw(
        cases=sorted(chosen),
        allocation=dict(sorted(allocation.items())),
        stratum_sizes={k: len(groups[k]) for k in sorted(groups)},
    )


def new_sample(
    cases: Sequence[Case],
    *,
    name: str,
    size: int,
    seed: int,
    strata: Sequence[str] = (),
    closed_from: date | None = None,
    closed_to: date | None = None,
    drawn_on: date,
    drawn_by: str,
    reason: str = "",
) -> tuple[Sample, Draw]:
    """A new frozen sample over the closed cases of the period; raises ``SamplingError``."""
    check_sample_name(name)
    if closed_from and closed_to and closed_from > closed_to:
        raise SamplingError(f"the period is empty: closed-from {closed_from} is after closed-to {closed_to}")
    if not drawn_by.strip():
        raise SamplingError("no one is named as having drawn the sample: say who drew it")
    rows = population(cases, closed_from, closed_to)
    result = draw(rows, size, seed, strata)
    sample = Sample.model_validate(
        {
            "schema": "rsqm/sample@1",
            "name": name,
            "drawn_on": drawn_on,
            "drawn_by": drawn_by,
            "reason": reason,
            "population": Population(
                closed_from=closed_from, closed_to=closed_to, size=len(rows), sha256=population_sha256(rows)
            ),
            "method": SampleMethod(kind="stratified" if strata else "simple", strata=list(strata), size=size, seed=seed),
            "cases": result.cases,
        }
    )
    return sample, result
