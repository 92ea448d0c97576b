"""Evidence expired or expiring before the assessment: one rule, judged on the as-of date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rsqm.assess.expiry import lapses
from rsqm.server.access import View
from rsqm.workspace.load import load_workspace

TODAY = date(2026, 11, 29)


def test_items_that_ran_out_long_ago_are_counted_with_those_running_out_before_the_as_of_date(demo_copy: Path) -> None:
    ws = load_workspace(demo_copy)
    found = {lapse.id: lapse for lapse in lapses(ws, date(2027, 3, 31), TODAY)}
    assert found["E012"].already and found["E012"].sentence() == "ran out on 1 November 2023"  # the data-protection policy
    assert not found["E002"].already and found["E002"].sentence() == "runs out on 31 January 2027"
    assert "E010" not in found  # superseded: deliberately replaced, not a shortfall


def test_an_item_valid_on_the_as_of_date_is_not_listed(demo_copy: Path) -> None:
    ws = load_workspace(demo_copy)
    assert "E001" not in {lapse.id for lapse in lapses(ws, date(2027, 3, 31), TODAY)}  # reviewed by 2028
    assert [lapse.id for lapse in lapses(ws, date(2023, 10, 1), date(2023, 10, 1))] == []  # nothing had run out then


def test_the_overview_counts_what_already_expired(demo_copy: Path) -> None:
    overview = View(load_workspace(demo_copy), "leadership").overview()
    assert "E012" in {e.id for e in overview.expiring}
    assert overview.expiring_evidence == len(overview.expiring) >= 4
