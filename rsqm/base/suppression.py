"""Small-number suppression: the one rule every equality figure passes through before anyone reads it.

A count under 5 reads "fewer than 5" (``FEWER``). That alone is not enough: a
row of counts is read beside its total, so a single hidden cell is the total
minus the others. More cells are hidden ("not shown", ``HIDDEN``), the smallest
shown first, until the hidden cells together hold at least 5 (the total less
the shown cells is never itself a small number) and no hidden cell can be worked
out from the total and what a reader knows of each hidden cell (one reading
"fewer than 5" holds 0 to 4, one "not shown" holds 5 or more, one unknown to
begin with anything). The rule is
described for people in docs/commissioning.md.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict

SMALL = 5  # a count under this is never shown
FEWER = f"fewer than {SMALL}"
HIDDEN = "not shown"
_UNBOUNDED = 10**12  # stands for "no upper bound" in the interval arithmetic


class Cell(BaseModel):
    """One count as it may be read: the number, or None and why it is not shown."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    count: int | None
    shown: str  # the number as text, FEWER or HIDDEN

    @classmethod
    def of(cls, count: int) -> Cell:
        return cls(count=count, shown=str(count))


def suppress(counts: Mapping[str, int | None], total: int) -> dict[str, Cell]:
    """The cells of one row summing to ``total`` (shown beside them), with small counts and enough others hidden.

    ``counts`` keeps its order; a value of None is a cell already unknown (a sum with a hidden part), which stays
    hidden and may hold any number. The counts that are known must not exceed ``total``.
    """
    fewer = {label for label, n in counts.items() if n is not None and n < SMALL}
    hidden = fewer | {label for label, n in counts.items() if n is None}
    while hidden and _recoverable(counts, total, hidden, fewer):
        shown = [label for label in counts if label not in hidden]
        if not shown:
            break  # everything is hidden already: only the total is left, which was public anyway
        hidden.add(min(shown, key=lambda label: (counts[label], list(counts).index(label))))
    return {
        label: Cell.of(n) if label not in hidden and n is not None else Cell(count=None, shown=FEWER if label in fewer else HIDDEN)
        for label, n in counts.items()
    }


def _recoverable(counts: Mapping[str, int | None], total: int, hidden: set[str], fewer: set[str]) -> bool:
    """Whether the hidden cells sum to a small number, or some hidden cell has one value only, given the total less
    the shown cells and every cell's bounds."""
    rest = total - sum(n or 0 for label, n in counts.items() if label not in hidden)
    if rest < SMALL:
        return True
    bounds = {label: (0, SMALL - 1) if label in fewer else (SMALL, _UNBOUNDED) if counts[label] is not None else (0, _UNBOUNDED)
              for label in hidden}
    low_sum = sum(low for low, _ in bounds.values())
    high_sum = sum(high for _, high in bounds.values())
    for low, high in bounds.values():
        least = max(low, rest - (high_sum - high))
        most = min(high, rest - (low_sum - low))
        if least >= most:
            return True
    return False
