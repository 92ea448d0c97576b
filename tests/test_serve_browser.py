"""rsqm serve in a real browser: with accounts, the dashboard it serves on the given host asks for a sign-in first."""

from __future__ import annotations

import time
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
        # the chart and table drawn to load their code while the person types are there, and nobody sees them
        tab.locator('[data-testid="stDataFrame"]').first.wait_for(state="attached")
        assert tab.locator('[data-testid="stVegaLiteChart"], [data-testid="stDataFrame"]').count() >= 2
        assert not tab.locator('[data-testid="stVegaLiteChart"]:visible, [data-testid="stDataFrame"]:visible').count()
        # the workspace has no Streamlit settings of its own: the accessible theme comes with rsqm serve
        colour = tab.get_by_role("button", name="Sign in").evaluate("b => getComputedStyle(b).backgroundColor")
        assert colour == "rgb(13, 71, 161)", colour  # #0d47a1, white on it 8.6:1
        tab.get_by_role("textbox", name="Username").fill("j.coordinator")
        tab.get_by_role("textbox", name="Password").fill("correct horse battery")
        tab.get_by_role("button", name="Sign in").click()
        tab.get_by_text("Overall readiness").wait_for()
        tab.screenshot(path=artifacts / "serve-signed-in.png", full_page=True)
        browser.close()


def test_signing_out_deletes_the_http_only_session_cookie(demo_copy: Path, chromium: str) -> None:
    add_user(demo_copy, "alice", "coordinator", "otter kettle window brass", actor="setup")
    with served(demo_copy) as (address, _), playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1200, "height": 800})
        tab = context.new_page()
        tab.set_default_timeout(45_000)
        tab.goto(address)
        tab.get_by_role("textbox", name="Username").fill("alice")
        tab.get_by_role("textbox", name="Password").fill("otter kettle window brass")
        tab.get_by_role("button", name="Sign in").click()
        tab.get_by_text("Overall readiness").wait_for()
        assert [c["httpOnly"] for c in session_cookies(context)] == [True]
        tab.get_by_role("button", name="Sign out").click()
        tab.get_by_role("button", name="Sign in").wait_for()
        assert session_cookies(context, gone=True) == []  # deleted by the server's answer
        tab.reload()
        tab.get_by_role("button", name="Sign in").wait_for()
        browser.close()


def session_cookies(context, seconds: float = 30, *, gone: bool = False) -> list[dict]:
    """The session cookie once the page's trip to the cookie route has set it (it follows the first page shown), or,
    ``gone``, once the trip after signing out has deleted it: waited for, as "network idle" never comes to a page that
    keeps its connection to the server open."""
    deadline = time.monotonic() + seconds
    while bool(found := [c for c in context.cookies() if c["name"] == "rsqm_session"]) == gone and time.monotonic() < deadline:
        time.sleep(0.2)
    return found
