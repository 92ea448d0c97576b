"""Calendar arithmetic: months, the year before a date, and which day a question is asked about."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rsqm.files.models import WorkspaceSettings


def add_months(day: date, months: int) -> date:
    """Calendar month arithmetic, clamping the day to the month's end (31 Jan + 1 = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def year_before(day: date) -> date:
    """First day of "the 12 months before D": the dates d with add_months(D, -12) < d <= D, calendar months, so a
    leap day shifts no one out (D = 28 February 2025 reaches back to 29 February 2024; D = 29 February 2028 to
    1 March 2027). The one rule for every measure, period and tenure."""
    return add_months(day, -12) + timedelta(days=1)


def year_end(start: date) -> date:
    """The last day D whose year before still reaches back to ``start``: the inverse of ``year_before``."""
    day = start + timedelta(days=366)
    while year_before(day) > start:
        day -= timedelta(days=1)
    return day


def workspace_today(settings: WorkspaceSettings | None = None) -> date:
    """Today for a workspace: a demonstration's fixed day (``demo_date`` in rsqm.yaml), else the computer's clock."""
    fixed = settings.demo_date if settings is not None else None
    return fixed or date.today()


def counted_because(day: date, today: date) -> str:
    """Why figures are counted on ``day`` rather than on an as-of date still ahead (docs/measures.md): the records end
    that day, or, with nothing recorded after it, it is today."""
    return "today" if day >= today else "when the records end"


def default_as_of(settings: WorkspaceSettings, as_of: date | None = None) -> date:
    """The day a question is asked about: the as-of date given, else the assessment date, else today."""
    return as_of or settings.assessment_date or workspace_today(settings)
