"""Working days in England and Wales, for the Victims' Code time limits.

A working day is Monday to Friday, less the bank holidays of England and Wales
as the `holidays` package lists them (GB, subdivision ENG), substitute days
included (Christmas Day on a Saturday moves to the Monday after Boxing Day).
Pure: the only state is a per-year cache of the holiday dates and of the working days counted up to each day
(so a span is two look-ups, whatever its length).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache


@cache
def bank_holidays(year: int) -> frozenset[date]:
    """The bank holidays of England and Wales in `year`."""
    import holidays  # imported on first use: most commands never count working days

    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


@cache
def _year_counts(year: int) -> tuple[int, tuple[int, ...]]:
    """The ordinal of 1 January of ``year`` and, at index i, the working days among the year's first i days."""
    first = date(year, 1, 1).toordinal()
    off = {day.toordinal() - first for day in bank_holidays(year)}
    counts = [0]
    for index in range(date(year + 1, 1, 1).toordinal() - first):
        counts.append(counts[-1] + ((first + index + 6) % 7 < 5 and index not in off))  # (ordinal + 6) % 7 is the weekday
    return first, tuple(counts)


def elapsed_working_days(start: date, end: date) -> int:
    """Working days d with start < d <= end: the day of the event is not counted,
    the day of the answer is. 0 when end is on or before start."""
    if end <= start:
        return 0
    start_first, start_counts = _year_counts(start.year)
    if end.year == start.year:
        return start_counts[end.toordinal() - start_first + 1] - start_counts[start.toordinal() - start_first + 1]
    end_first, end_counts = _year_counts(end.year)
    between = sum(_year_counts(year)[1][-1] for year in range(start.year, end.year))
    return end_counts[end.toordinal() - end_first + 1] - start_counts[start.toordinal() - start_first + 1] + between


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
