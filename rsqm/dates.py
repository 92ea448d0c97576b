"""Calendar arithmetic, and the one clock: what "today" is for a workspace."""

from __future__ import annotations

import calendar
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rsqm.models import WorkspaceSettings


def workspace_today(settings: WorkspaceSettings | None = None) -> date:
    """Today for a workspace: a demonstration's fixed day (``demo_date`` in rsqm.yaml), else the computer's clock."""
    fixed = settings.demo_date if settings is not None else None
    return fixed or date.today()


def default_as_of(settings: WorkspaceSettings, as_of: date | None = None) -> date:
    """The date figures are counted on: the one asked for, else the assessment date, else today."""
    return as_of or settings.assessment_date or workspace_today(settings)


def add_months(day: date, months: int) -> date:
    """Calendar month arithmetic, clamping the day to the month's end (31 Jan + 1 = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
