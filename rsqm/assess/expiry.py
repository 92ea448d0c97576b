"""Evidence that has run out, or will before the assessment: one date rule for every page.

An item stops counting after its last valid day (``gaps.valid_until``: its
``review_by``, else its date plus the strictest maximum age of the indicators
it is linked to). It is listed when that day falls before the as-of date (the
assessment date, else today), whether it ran out years ago or runs out next
month; ``already`` tells the two apart for the reader, measured against today.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict

from rsqm.assess.gaps import valid_until
from rsqm.files.folder import Workspace
from rsqm.files.models import EvidenceItem, EvidenceStatus


class Lapse(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    until: date  # the last day the item counts
    already: bool  # ran out before today (rather than between today and the as-of date)

    def sentence(self) -> str:
        """'ran out on 1 November 2023' or 'runs out on 31 January 2027'."""
        when = f"{self.until.day} {self.until:%B %Y}"
        return f"ran out on {when}" if self.already else f"runs out on {when}"


def _max_ages(ws: Workspace) -> dict[str, int | None]:
    """Indicator id -> its maximum age in months, for the primary framework's indicators."""
    framework = ws.frameworks.get(ws.settings.framework)
    return {i.id: i.evidence.max_age_months for _, i in framework.indicators()} if framework else {}


def _max_age(ages: dict[str, int | None], item: EvidenceItem) -> int | None:
    """The strictest maximum age among the primary framework's indicators the item is linked to."""
    linked = [ages.get(link.indicator) for link in item.links]
    return min((age for age in linked if age is not None), default=None)


def lapses(ws: Workspace, as_of: date, today: date) -> list[Lapse]:
    """Items (not superseded, existing on ``as_of``) whose last valid day is before ``as_of``, soonest first."""
    ages = _max_ages(ws)
    found = []
    for item in ws.register.items:
        if item.status == EvidenceStatus.superseded or item.dated > as_of:
            continue
        until = valid_until(item, _max_age(ages, item))
        if until is not None and until < as_of:
            found.append(Lapse(id=item.id, title=item.title, until=until, already=until < today))
    return sorted(found, key=lambda lapse: (lapse.until, lapse.id))
