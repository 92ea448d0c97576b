"""How numbers read to people, the same in the terminal, the dashboard and the pack."""

from __future__ import annotations


def percent(value: float | None, decimals: int = 0, missing: str = "–") -> str:
    """A share from 0 to 1 as a percentage; ``missing`` when there is none."""
    return missing if value is None else f"{value:.{decimals}%}"
