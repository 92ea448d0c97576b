"""The Workforce page in a real browser: the coordinator records a supervision and sees the row change."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_ui_browser import app_url, go, page  # noqa: F401  (fixtures and helpers of the browser suite)

from conftest import ARTIFACTS
from script_runs import settle

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_copy(demo_copy: Path) -> Path:
    """The demo, assessed on 27 November 2026 (already passed): the workforce is shown on that date, not on today."""
    settings = demo_copy / "rsqm.yaml"
    settings.write_text(re.sub(r"assessment_date: .*", "assessment_date: 2026-11-27", settings.read_text()))
    return demo_copy


def row_text(tab, code: str) -> str:
    """The cells of one row of the staff table."""
    return tab.locator('[data-testid="stTable"] tbody tr', has_text=code).first.inner_text()


def test_the_coordinator_records_a_supervision_and_the_row_changes(page) -> None:  # noqa: F811
    go(page, "Workforce")
    page.get_by_text("By staff code").wait_for()
    before = row_text(page, "P05")
    assert "2026-08-12" in before and "2026-11-04" in before  # last supervision, due date (overdue)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "workforce-before.png"), full_page=True)

    form = page.locator('[data-testid="stForm"]').first  # "Record an entry"; the staff form follows it
    form.locator('[data-testid="stSelectbox"]').click()
    page.keyboard.type("P05")
    page.keyboard.press("Enter")
    form.get_by_text("Supervision", exact=True).click()
    date_box = form.locator('[data-testid="stDateInput"] input')
    date_box.fill("2026-11-26")
    date_box.press("Enter")
    form.get_by_role("button", name="Record").click()
    settle(page)
    page.get_by_text("Log supervision 2026-11-26 (saved in evidence/workforce.yaml).").wait_for()
    after = row_text(page, "P05")
    assert "2026-11-26" in after and "2027-02-18" in after
    page.screenshot(path=str(ARTIFACTS / "workforce-after.png"), full_page=True)
