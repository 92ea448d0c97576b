"""The periods a return covers, as people write them: a quarter, a financial year, a run of months.

``2026Q3`` is the calendar quarter July to September 2026; ``2026-27`` the
financial year 1 April 2026 to 31 March 2027; ``2026-10..2026-12`` the months
October to December 2026 (one month: ``2026-10..2026-10``). The period before is
the one of the same kind just before it: 2026Q2, 2025-26, 2026-07..2026-09.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict

from rsqm.base.dates import add_months
from rsqm.base.errors import UsageError

_QUARTER = re.compile(r"(\d{4})Q([1-4])")
_FINANCIAL = re.compile(r"(\d{4})-(\d{2})")
_MONTHS = re.compile(r"(\d{4})-(\d{2})\.\.(\d{4})-(\d{2})")


class Period(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str  # as written: 2026Q3, 2026-27, 2026-10..2026-12
    start: date
    end: date


def _month_label(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _months(first: date, count: int) -> Period:
    """``count`` whole months from the first of ``first``'s month."""
    end = add_months(first, count) - timedelta(days=1)
    return Period(label=f"{_month_label(first)}..{_month_label(end)}", start=first, end=end)


def parse_period(text: str) -> Period:
    """The period ``text`` names; ``UsageError`` saying what is accepted when it names none."""
    text = text.strip()
    if found := _QUARTER.fullmatch(text):
        year, quarter = int(found[1]), int(found[2])
        start = date(year, 3 * quarter - 2, 1)
        return Period(label=text, start=start, end=add_months(start, 3) - timedelta(days=1))
    if found := _FINANCIAL.fullmatch(text):
        year, following = int(found[1]), int(found[2])
        if following == (year + 1) % 100:
            return Period(label=text, start=date(year, 4, 1), end=date(year + 1, 3, 31))
        if following <= 12:
            raise UsageError(f"--period {text}: a month alone is not a period; write {text}..{text} for one month")
        raise UsageError(f"--period {text}: a financial year is written with the next year's last two digits, "
                         f"such as {year}-{(year + 1) % 100:02d}")
    if found := _MONTHS.fullmatch(text):
        first_year, first_month, last_year, last_month = map(int, found.groups())
        if not (1 <= first_month <= 12 and 1 <= last_month <= 12):
            raise UsageError(f"--period {text}: months run from 01 to 12")
        count = (last_year - first_year) * 12 + last_month - first_month + 1
        if count < 1:
            raise UsageError(f"--period {text}: the last month is before the first")
        return _months(date(first_year, first_month, 1), count).model_copy(update={"label": text})
    raise UsageError(f"--period {text}: write a quarter (2026Q3), a financial year (2026-27) "
                     "or a run of months (2026-10..2026-12)")


def period_before(period: Period) -> Period:
    """The period of the same kind just before ``period``."""
    if found := _QUARTER.fullmatch(period.label):
        year, quarter = int(found[1]), int(found[2])
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
        return parse_period(f"{year}Q{quarter}")
    if _FINANCIAL.fullmatch(period.label):
        year = period.start.year - 1
        return parse_period(f"{year}-{(year + 1) % 100:02d}")
    count = (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1
    return _months(add_months(period.start, -count), count)
