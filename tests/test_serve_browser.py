"""rsqm serve in a real browser: with accounts, the dashboard it serves on the given host asks for a sign-in first."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_cli_serve import served
from test_ui_browser import ARGS

from rsqm.server.accounts import add_user

pytestmark = pytest.mark.browser
playwright = pytest.importorskip("playwright.sync_api")


def test_the_served_dashboard_asks_for_a_sign_in_before_showing_anything(demo_copy: Path, chromium: str, artifacts: Path) -> None:
    add_user(demo_copy, "j.coordinator", "coordinator", "correct horse battery", actor="p07")
    with served(demo_copy, "--host", "0.0.0.0") as (address, _), playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS, headless=True)
        tab = browser.new_page(viewport={"width": 1200, "height": 800})
        tab.set_default_timeout(30_000)
        tab.goto(address)
        tab.get_by_role("heading", name="Sign in").wait_for()
        tab.get_by_role("textbox", name="Password").wait_for()
        tab.screenshot(path=artifacts / "serve-sign-in.png", full_page=True)
        main = tab.locator('[data-testid="stMain"]').inner_text()
        assert "Username" in main and "Password" in main
        assert "Overall readiness" not in main and "RJ-20" not in tab.content()
        tab.get_by_role("textbox", name="Username").fill("j.coordinator")
        tab.get_by_role("textbox", name="Password").fill("correct horse battery")
        tab.get_by_role("button", name="Sign in").click()
        tab.get_by_text("Overall readiness").wait_for()
        tab.screenshot(path=artifacts / "serve-signed-in.png", full_page=True)
        browser.close()
