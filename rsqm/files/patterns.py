"""Whether a user-supplied regular expression can be matched in bounded time.

Python's ``re`` backtracks: a pattern with a repeat inside a repeat, such as
``^(\\d+)+$``, or a repeated alternation, such as ``(a|ab)*``, can take
exponential time on a short string that almost matches, and every command
would hang on it. Such patterns are refused when the settings are validated,
before anything is matched.
"""

from __future__ import annotations

import re
from typing import Any

try:
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser as _p  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python before 3.11
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

MAX_PATTERN_LENGTH = 200
MAX_OPEN_REPEATS = 2  # each `+` or `*` can multiply the work of the others on long text
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", _c.MAX_REPEAT)}


def backtracking_risk(pattern: str) -> str | None:
    """Why matching ``pattern`` could take exponential time, or None when it is safe to use."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        return f"longer than {MAX_PATTERN_LENGTH} characters"
    try:
        parsed = _p.parse(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        return f"not a valid regular expression: {exc}"
    open_repeats: list[int] = []
    why = _walk(parsed, 0, open_repeats)
    if why is None and len(open_repeats) > MAX_OPEN_REPEATS:
        why = f"more than {MAX_OPEN_REPEATS} unbounded repeats ('+', '*', '{{n,}}')"
    return why


def _walk(items: Any, outer: int, open_repeats: list[int]) -> str | None:
    """``outer``: 0 outside any repeat, 1 inside a fixed count (``{4}``), 2 inside a bounded range (``{1,30}``),
    3 inside an unbounded one. A repeat inside a repeat is refused unless both are fixed counts: ``(\\d{1,30}){1,30}``
    is bounded, but tries 30^30 ways of splitting a string that almost matches."""
    for op, arg in items:
        why = None
        if op in _REPEATS:
            low, high, body = arg
            kind = 3 if high == _c.MAXREPEAT else 0 if high <= 1 else 1 if low == high else 2
            if kind == 3:
                open_repeats.append(low)
            if kind and outer and max(kind, outer) >= 2:
                return "a repeat inside a repeat (such as '(\\d+)+') can take exponential time; remove the outer or inner repeat"
            why = _walk(body, max(outer, kind), open_repeats)
        elif op == _c.BRANCH:
            if outer >= 2:
                return "a repeated alternation (such as '(a|ab)*') can take exponential time; list the formats without repeating the group"
            why = next((w for branch in arg[1] if (w := _walk(branch, outer, open_repeats))), None)
        elif op == _c.SUBPATTERN:
            why = _walk(arg[-1], outer, open_repeats)
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            why = _walk(arg[1], outer, open_repeats)
        elif op == getattr(_c, "ATOMIC_GROUP", None):
            why = _walk(arg, outer, open_repeats)
        elif op in (_c.GROUPREF, _c.GROUPREF_EXISTS):
            return "back-references are not supported in this pattern"
        if why:
            return why
    return None
