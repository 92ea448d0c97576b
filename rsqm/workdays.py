"""Working days in England and Wales, for the Victims' Code time limits.

A working day is Monday to Friday, less the bank holidays of England and Wales
as the `holidays` package lists them (GB, subdivision ENG), substitute days
included (Christmas Day on a Saturday moves to the Monday after Boxing Day).
Pure: the only state is a per-year cache of the holiday dates.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, timedelta
from functools import cache

import holidays


@cache
def bank_holidays(year: int) -> frozenset[date]:
    """The bank holidays of England and Wales in `year`."""
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


# _PART_WEEK[w][r]: weekdays among the r days after a day of weekday w (r < 7)
_PART_WEEK = tuple(tuple(sum((w + i) % 7 < 5 for i in range(1, r + 1)) for r in range(7)) for w in range(7))


def _weekdays_after(start: date, end: date) -> int:
    """Monday-to-Friday days d with start < d <= end (0 when end <= start)."""
    days = (end - start).days
    if days <= 0:
        return 0
    full_weeks, rest = divmod(days, 7)
    return 5 * full_weeks + _PART_WEEK[start.weekday()][rest]


@cache
def _weekday_holidays(year: int) -> tuple[date, ...]:
    """The bank holidays of ``year`` that fall Monday to Friday, in date order (substitute days are always weekdays)."""
    return tuple(sorted(day for day in bank_holidays(year) if day.weekday() < 5))


def _holidays_after(start: date, end: date) -> int:
    """Weekday bank holidays d with start < d <= end (end after start)."""
    first, last = _weekday_holidays(start.year), _weekday_holidays(end.year)
    if start.year == end.year:
        return bisect_right(first, end) - bisect_right(first, start)
    between = sum(len(_weekday_holidays(year)) for year in range(start.year + 1, end.year))
    return len(first) - bisect_right(first, start) + between + bisect_right(last, end)


def elapsed_working_days(start: date, end: date) -> int:
    """Working days d with start < d <= end: the day of the event is not counted,
    the day of the answer is. 0 when end is on or before start."""
    if end <= start:
        return 0
    return _weekdays_after(start, end) - _holidays_after(start, end)


def add_working_days(start: date, count: int) -> date:
    """The date on which ``count`` working days have elapsed after ``start``
    (the smallest d with elapsed_working_days(start, d) == count); start itself for 0."""
    day = start
    remaining = count
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day
