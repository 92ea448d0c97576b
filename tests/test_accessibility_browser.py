"""Every page, as every role, checked by axe-core in Chromium against WCAG 2.0, 2.1 and 2.2 A and AA (docs/accessibility.md).

axe-core comes from npm (package.json at the repository root; `npm ci` installs it, as `make test` and CI do). The window is
grown to the page's full height first, so axe judges everything a person could scroll to, not just the first screen.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from test_ui_browser import ARGS, ROLE_PAGES, app_url, as_role, go, keep_if_failed  # noqa: F401  (fixtures and helpers of the browser suite)

from conftest import ARTIFACTS
from script_runs import click_when_still, settle, watch

pytestmark = pytest.mark.browser
playwright = pytest.importorskip("playwright.sync_api")

REPO = Path(__file__).resolve().parent.parent
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SEVERE = {"serious", "critical"}

# Violations inside Streamlit's own widgets that no page of ours can change, each with its reason (docs/accessibility.md):
# (rule id, text the offending node's CSS path contains, why it stays). Empty: the theme and ACCESSIBLE_CSS worked round
# every one axe-core found on the demo (the segmented control's tint, the date input's parts).
STREAMLIT_LIMITS: list[tuple[str, str, str]] = []


def allowed(rule: str, node: dict) -> bool:
    path = " ".join(map(str, node["target"]))
    return any(rule == rid and part in path for rid, part, _ in STREAMLIT_LIMITS)


@pytest.fixture
def axe_source() -> str:
    """axe-core's script: the test skips without it on a developer's machine, and fails where browsers are required."""
    if not AXE.is_file():
        reason = f"axe-core is not installed ({AXE.relative_to(REPO)} missing): run `npm ci` at the repository root"
        if os.environ.get("RSQM_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return AXE.read_text()


def full_height(tab) -> None:
    """Grow the window to the height of everything the main area and sidebar hold, so nothing is off screen."""
    height = tab.evaluate("""() => Math.max(...['[data-testid="stMain"]', '[data-testid="stSidebarContent"]',
        '[data-testid="stMainBlockContainer"]'].map(s => document.querySelector(s)).filter(Boolean).map(e => e.scrollHeight))""")
    tab.set_viewport_size({"width": 1400, "height": min(max(int(height) + 200, 900), 16000)})
    tab.wait_for_timeout(400)


def severe_violations(tab, source: str) -> list[dict]:
    """axe-core's serious and critical WCAG A/AA violations on the page as it is, less the listed Streamlit limits.

    Judged once the run has finished and Streamlit has dropped the faded (stale) elements of the run before."""
    settle(tab)
    tab.wait_for_function("!document.querySelector('[data-stale=\"true\"]')", timeout=30_000)
    if not tab.evaluate("() => typeof window.axe !== 'undefined'"):
        tab.add_script_tag(content=source)
    result = tab.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                          WCAG_AA)
    found = []
    for rule in result["violations"]:
        if rule["impact"] not in SEVERE:
            continue
        nodes = [n for n in rule["nodes"] if not allowed(rule["id"], n)]
        if nodes:
            found.append({"rule": rule["id"], "impact": rule["impact"], "help": rule["help"],
                          "nodes": [{"target": n["target"], "summary": n.get("failureSummary", "")[:300]} for n in nodes]})
    return found


@pytest.fixture
def browser_tab(app_url: str, chromium: str, artifacts: Path, request: pytest.FixtureRequest):  # noqa: F811
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS, headless=True)
        tab = watch(browser.new_page(viewport={"width": 1400, "height": 1000}))
        tab.set_default_timeout(45_000)
        tab.goto(app_url)
        tab.get_by_text("Overall readiness").wait_for()
        yield tab
        keep_if_failed(request, tab, artifacts)
        browser.close()


def pages_to_check() -> dict[str, list[str]]:
    """Every page of every role, or those named in RSQM_AXE_PAGES ("Overview,Case audits") while developing."""
    only = [p.strip() for p in os.environ.get("RSQM_AXE_PAGES", "").split(",") if p.strip()]
    return {role: [t for t in titles if not only or t in only] for role, titles in ROLE_PAGES.items()}


def section(name: str):
    """Open a section of the Case audits page (its segmented control)."""
    return lambda tab: tab.locator('[data-testid="stButtonGroup"] button', has_text=name).first.click()


def open_tables(tab) -> None:
    """Open every chart's data table."""
    for summary in tab.locator('[data-testid="stExpander"] summary', has_text="Table:").all():
        summary.click()


def draw_sample(tab) -> None:
    """Draw a new sample (its save opens the first case's audit form, every question unanswered)."""
    section("Samples")(tab)
    settle(tab)
    tab.locator('[data-testid="stExpander"] summary', has_text="Draw a new sample").click()
    tab.get_by_role("textbox", name="Sample name").fill("2026-axe")
    click_when_still(tab, tab.get_by_role("button", name="Draw sample"))
    settle(tab)
    tab.locator('[data-testid="stForm"]').filter(has_text="Complete audit").wait_for(timeout=120_000)  # a busy machine is slow


def run_check(tab) -> None:
    tab.get_by_role("button", name="1. Run the privacy pre-flight").click()
    settle(tab)
    tab.get_by_text("What the document will say").wait_for(timeout=120_000)


# More states than a page's first view: the forms people fill in by keyboard, the results, the opened tables.
STATES = [
    ("Supervisor", "Case audits", "audit a case", section("Audit a case")),
    ("Supervisor", "Case audits", "second marking", section("Second marking")),
    ("Supervisor", "Case audits", "a new sample's audit form", draw_sample),
    ("Coordinator", "Case audits", "results", section("Results")),
    ("Coordinator", "Overview", "chart tables open", open_tables),
    ("Coordinator", "Outcomes", "chart tables open", open_tables),
    ("Coordinator", "Export", "after the pre-flight", run_check),
]


def check(tab, source: str, report: dict, where: str) -> None:
    full_height(tab)
    found = severe_violations(tab, source)
    if found:
        report[where] = found


def test_no_serious_or_critical_violation_on_any_page_for_any_role(axe_source: str, browser_tab) -> None:  # axe first: skip fast
    report: dict[str, list[dict]] = {}
    pages = pages_to_check()
    for role, titles in pages.items():
        as_role(browser_tab, role)
        for title in titles:
            browser_tab.set_viewport_size({"width": 1400, "height": 1000})
            go(browser_tab, title)
            check(browser_tab, axe_source, report, f"{role} / {title}")
        for state_role, title, state, act in STATES:
            if state_role == role and title in titles:
                browser_tab.set_viewport_size({"width": 1400, "height": 1000})
                go(browser_tab, title)
                act(browser_tab)
                settle(browser_tab)
                check(browser_tab, axe_source, report, f"{role} / {title} / {state}")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "axe-report.json").write_text(json.dumps(report, indent=1))
    count = sum(len(r["nodes"]) for found in report.values() for r in found)
    assert not report, f"{count} serious or critical violation(s):\n" + json.dumps(
        {where: [(r["rule"], r["help"], [n["target"] for n in r["nodes"]][:5]) for r in found] for where, found in report.items()},
        indent=1)


def focused(tab) -> str:
    """The element that has the keyboard focus: its Streamlit test id (or tag) and its text."""
    return tab.evaluate("""() => { const e = document.activeElement;
        const box = e.closest('[data-testid]'); return (box ? box.dataset.testid : e.tagName) + ': ' + e.innerText; }""")


def wait_for_focus_on_a_message(tab, words: str = "") -> None:
    """The guard's script moves the focus to the message a save showed, once both are drawn: give it the time."""
    tab.wait_for_function("""words => { const box = document.activeElement && document.activeElement.closest('[data-testid="stAlert"]');
        return box && box.innerText.includes(words); }""", arg=words, timeout=30_000)


def test_the_audit_form_by_keyboard(browser_tab) -> None:
    """No invisible Tab stop, every note named by its question, a section that Enter cannot clear, focus on the saved message."""
    tab = browser_tab
    as_role(tab, "Supervisor")
    go(tab, "Case audits")
    # the unsaved-edit guard's frame hides itself once its script has run: wait for that, then look at every frame
    tab.wait_for_function("() => [...document.querySelectorAll('iframe')].some(f => f.getAttribute('aria-hidden'))",
                          timeout=30_000)
    frames = tab.evaluate("[...document.querySelectorAll('iframe')].map(f => [f.tabIndex, f.getAttribute('aria-hidden'), f.offsetHeight])")
    assert frames and all(index == -1 and hidden == "true" for index, hidden, _ in frames), frames

    draw_sample(tab)
    wait_for_focus_on_a_message(tab, "Sample drawn")
    assert focused(tab).startswith("stAlert") and "Sample drawn" in focused(tab)  # not the top of the page
    notes = tab.locator('[data-testid="stForm"] input[type="text"]').evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    assert len(notes) >= 20 and len(set(notes)) == len(notes), notes
    assert all(n.startswith("Note on: ") for n in notes), notes[:3]

    chosen = tab.locator('[data-testid="stButtonGroup"] button', has_text="Audit a case").first
    chosen.focus()
    tab.keyboard.press("Enter")
    settle(tab)
    assert chosen.get_attribute("aria-checked") == "true" or chosen.get_attribute("data-selected") == "true"
    assert tab.locator('[data-testid="stForm"]').filter(has_text="Complete audit").count() == 1  # still the audit form

    form = tab.locator('[data-testid="stForm"]').filter(has_text="Complete audit")
    form.locator('input[type="text"]').last.focus()
    tab.keyboard.press("Tab")  # from the last note to the safeguarding checkbox: its focus ring is 3 px, not a faint tint
    ring = tab.evaluate("""() => { const e = document.activeElement, label = e.closest('label');
        if (!label) return [e.tagName, e.outerHTML.slice(0, 120)];
        const style = getComputedStyle(label); return [e.type, style.outlineStyle, style.outlineWidth]; }""")
    assert ring == ["checkbox", "solid", "3px"], ring
    form.locator('input[type="text"]').first.fill("Checked on file (no names)")
    form.get_by_role("button", name="Save draft").click()
    settle(tab)
    tab.get_by_text("draft saved").first.wait_for()
    wait_for_focus_on_a_message(tab, "draft saved")
    assert focused(tab).startswith("stAlert") and "draft saved" in focused(tab)
