"""Working days in England and Wales, for the Victims' Code time limits.

A working day is Monday to Friday, less the bank holidays of England and Wales
as the `holidays` package lists them (GB, subdivision ENG), substitute days
included (Christmas Day on a Saturday moves to the Monday after Boxing Day).
Pure: the only state is a per-year cache of the holiday dates.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays


@cache
def bank_holidays(year: int) -> frozenset[date]:
    """The bank holidays of England and Wales in `year`."""
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def _weekdays_after(start: date, end: date) -> int:
    """Monday-to-Friday days d with start < d <= end (0 when end <= start)."""
    days = (end - start).days
    if days <= 0:
        return 0
    full_weeks, rest = divmod(days, 7)
    count = 5 * full_weeks
    first_weekday = (start.weekday() + 1) % 7
    count += sum(1 for i in range(rest) if (first_weekday + i) % 7 < 5)
    return count


def elapsed_working_days(start: date, end: date) -> int:
    """Working days d with start < d <= end: the day of the event is not counted,
    the day of the answer is. 0 when end is on or before start."""
    if end <= start:
        return 0
    holidays_in_range = sum(
        1
        for year in range(start.year, end.year + 1)
        for day in bank_holidays(year)
        if start < day <= end and day.weekday() < 5
    )
    return _weekdays_after(start, end) - holidays_in_range


def add_working_days(start: date, count: int) -> date:
    """The date on which `count` working days have elapsed after `start`
    (the smallest d with elapsed_working_days(start, d) == count); start itself for 0."""
    day = start
    remaining = count
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day
