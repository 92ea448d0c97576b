"""How numbers read to people, the same in the terminal, the dashboard and the pack."""

from __future__ import annotations

CHECKSUM_DIGITS = 10  # hexadecimal digits of a SHA-256 shown to people (the pack's evidence index)


def percent(value: float | None, decimals: int = 0, missing: str = "–") -> str:
    """A share from 0 to 1 as a percentage; ``missing`` when there is none."""
    return missing if value is None else f"{value:.{decimals}%}"


def file_size(count: int) -> str:
    """A number of bytes as people read it: bytes, KiB, MiB or GiB."""
    if count < 1024:
        return f"{count} bytes"
    if count >= 2**30:
        return f"{count / 2**30:.1f} GiB"
    return f"{count / 2**20:.1f} MiB" if count >= 2**20 else f"{count / 1024:.0f} KiB"


def and_list(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""
