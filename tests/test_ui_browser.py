"""The dashboard in a real browser: Chromium driven by Playwright against `streamlit run app.py`."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml

from rsqm.pack.verify import verify_pack
from rsqm.ui.widgets import LEAVE_QUESTION
from script_runs import click_when_still, settle, watch
from servers import checked_server, free_port

pytestmark = pytest.mark.browser
playwright = pytest.importorskip("playwright.sync_api")

REPO = Path(__file__).resolve().parent.parent
CASE_REF = re.compile(r"[A-Z]{2,5}-\d{4}-\d{3,5}")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ROLE_PAGES = {
    "Coordinator": ["Overview", "Standards and gaps", "Evidence register", "Case audits", "Outcomes", "Case data", "Actions",
                    "Workforce", "Export", "Clarification requests", "Submitted packs", "Portfolio", "History", "Users", "Settings"],
    "Supervisor": ["Overview", "Standards and gaps", "Evidence register", "Case audits", "Outcomes", "Actions", "Workforce",
                   "History"],
    "Leadership": ["Overview", "Standards and gaps", "Outcomes", "Actions", "Clarification requests", "Portfolio"],
    "Assessor": ["Overview", "Standards and gaps", "Outcomes", "Actions", "Clarification requests", "Submitted packs"],
    "Commissioner": ["Overview", "Standards and gaps", "Outcomes", "Actions", "Portfolio"],
}
SNAKE_CASE = re.compile(r"\b[a-z]+_[a-z_]+\b")


@pytest.fixture
def app_url(demo_copy: Path, chromium: str) -> Iterator[str]:
    """`streamlit run app.py` on a free port over a copy of the demo workspace."""
    with running_dashboard(demo_copy, REPO, free_port()) as url:
        yield url


@contextmanager
def running_dashboard(workspace: Path, cwd: Path, port: int, host: str = "127.0.0.1") -> Iterator[str]:
    """`streamlit run app.py` over ``workspace`` from ``cwd`` (where Streamlit looks for .streamlit/secrets.toml);
    yields its URL once the health check answers, and fails the test if the server printed a traceback."""
    env = os.environ | {"RSQM_WORKSPACE": str(workspace), "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    # no file watcher, as rsqm serve runs it: a source file saved during a run would reload rsqm's modules under the
    # objects the server has cached (pydantic then refuses its own models, "Input should be ... AuditItemResult")
    command = [sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"), "--server.port", str(port), "--server.headless", "true",
               "--server.fileWatcherType", "none"]
    with checked_server(command, port, cwd=cwd, env=env, host=host, seconds=30) as server:
        yield server.url


def keep_if_failed(request: pytest.FixtureRequest, tab, artifacts: Path) -> None:
    """A screenshot of a browser test whose body failed, the window grown to the page's height first (Streamlit's main
    area scrolls inside the window, so a full-page shot alone stops at its bottom edge): what it waited on is there."""
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        height = tab.evaluate("() => Math.max(0, ...[...document.querySelectorAll('[data-testid=\"stMain\"], "
                              "[data-testid=\"stMainBlockContainer\"]')].map(e => e.scrollHeight))")
        tab.set_viewport_size({"width": tab.viewport_size["width"], "height": min(max(int(height) + 200, 900), 12000)})
        tab.wait_for_timeout(500)
        tab.screenshot(path=artifacts / f"failed-{request.node.name}.png", full_page=True)


@pytest.fixture
def page(app_url: str, chromium: str, artifacts: Path, request: pytest.FixtureRequest):
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS, headless=True)
        tab = watch(browser.new_page(viewport={"width": 1400, "height": 1600}, accept_downloads=True))
        tab.set_default_timeout(45_000)  # generous: CI and developers share two cores
        tab.goto(app_url)
        tab.get_by_text("Overall readiness").wait_for()
        yield tab
        keep_if_failed(request, tab, artifacts)
        browser.close()


def choose(tab, label: str, option: str, within=None) -> None:
    """Pick an option of a Streamlit selectbox found by its label (inside ``within`` when given)."""
    root = within or tab
    box = root.locator('[data-testid="stSelectbox"]').filter(has=tab.get_by_text(label, exact=True)).first
    box.click()
    tab.keyboard.type(option)  # long lists render only the options in view: filter first
    tab.get_by_role("option", name=option, exact=False).first.click()
    settle(tab)


def as_role(tab, role: str) -> None:
    choose(tab, "Role", role, within=tab.locator('[data-testid="stSidebar"]'))


def go(tab, title: str) -> None:
    """Open a page from the navigation and wait until its own heading is drawn (a busy machine is slow to start the run)."""
    link = tab.locator('[data-testid="stSidebarNav"] a', has_text=title).first
    heading = tab.locator('[data-testid="stMain"] h1').first
    before = heading.inner_text() if heading.count() else ""
    already = link.evaluate("a => a.href.replace(/\\/$/, '') === location.href.replace(/\\/$/, '')")
    link.click()
    if not already:
        tab.wait_for_function("prev => { const h = document.querySelector('[data-testid=\"stMain\"] h1');"
                              " return h && h.innerText !== prev; }", arg=before)
    settle(tab)


def indicator_label(tab, indicator: str) -> str:
    """The expander heading of an indicator on the standards page: '6.1 Title — ● Met'."""
    return tab.locator('[data-testid="stExpander"] summary', has_text=f"{indicator} ").first.inner_text().strip()


def main_text(tab) -> str:
    return tab.locator('[data-testid="stMain"]').inner_text()


def words_shown(tab) -> str:
    """The main area's text as a person reads it: Material icons (ligatures such as keyboard_arrow_down) drawn, not read."""
    return tab.evaluate("""() => {
        const main = document.querySelector('[data-testid="stMain"]').cloneNode(true);
        main.querySelectorAll('[data-testid="stIconMaterial"]').forEach(icon => icon.remove());
        document.body.appendChild(main);
        const text = main.innerText;
        main.remove();
        return text;
    }""")


def test_overview_renders_for_a_new_visitor(page) -> None:
    """A second browser with an empty cache gets the whole Overview (its speed is measured in bench/)."""
    context = page.context.browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = watch(context.new_page())
    tab.goto(page.url)
    tab.get_by_text("Status by standard").wait_for()
    tab.locator('[data-testid="stVegaLiteChart"]').first.wait_for()
    assert "Overall readiness" in main_text(tab)
    context.close()


def test_every_page_for_every_role_with_screenshots_no_codes_and_no_case_refs_for_leadership(page, artifacts: Path) -> None:
    for role, titles in ROLE_PAGES.items():
        as_role(page, role)
        visible = page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
        assert [t.strip().split("\n")[-1] for t in visible] == titles
        for title in titles:
            go(page, title)
            text = main_text(page)
            assert text.strip() and "Traceback" not in text and "Error" not in text.split("\n")[0]
            assert not page.locator('[data-testid="stException"]').count(), f"{role} {title}"
            if role in ("Coordinator", "Leadership"):
                codes = SNAKE_CASE.findall(words_shown(page))
                assert not codes, f"codes on {title} for {role}: {codes}"
            page.screenshot(path=artifacts / f"ui-{role.lower()}-{title.lower().replace(' ', '-')}.png", full_page=True)
            if role in ("Leadership", "Assessor"):  # no case access: the one guard (rsqm.server.access.View.release)
                assert not CASE_REF.findall(text), f"case refs on {title} for {role}: {CASE_REF.findall(text)}"
        go(page, "Overview")


def test_adding_evidence_with_a_file_closes_the_gap(page, demo_copy: Path, tmp_path: Path, artifacts: Path) -> None:
    go(page, "Standards and gaps")
    choose(page, "Standard", "6. Professional standards")
    assert indicator_label(page, "6.1").endswith("Partly met")

    go(page, "Evidence register")
    upload = tmp_path / "Insurance.txt"
    upload.write_text("Public and professional liability insurance schedule for 2026.\n")
    form = page.locator('[data-testid="stForm"]').first
    form.get_by_label("Title", exact=True).fill("Insurance schedule 2026")
    choose(page, "Type", "Insurance certificate or schedule", within=form)
    form.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(upload)
    form.get_by_text("Insurance.txt").wait_for()
    choose(page, "Indicator", "6.1 ", within=form)
    form.get_by_label("Where in the document (page or section)").fill("schedule, p. 1")
    form.get_by_text("Approve now").click()
    form.get_by_role("button", name="Save evidence item").click()
    settle(page)
    page.get_by_text("The workspace is valid").wait_for()
    page.screenshot(path=artifacts / "ui-evidence-added.png", full_page=True)
    items = yaml.safe_load((demo_copy / "evidence/register.yaml").read_text())["items"]
    assert items[-1]["file"] == "files/insurance.txt" and items[-1]["status"] == "approved"
    assert (demo_copy / "evidence/files/insurance.txt").read_text().startswith("Public and professional")

    go(page, "Standards and gaps")
    choose(page, "Standard", "6. Professional standards")
    assert indicator_label(page, "6.1").endswith("Met") and "Partly" not in indicator_label(page, "6.1")


ITEM = "Was a written risk assessment completed"  # risk_assessed_before_contact, named by its question


def item_row(tab) -> list[str]:
    """The cells of one item's row in the audit results table (item, section, applicable, met, ..., rate, ...)."""
    row = tab.locator('[data-testid="stTable"] tbody tr', has_text=ITEM).first
    row.wait_for()
    return row.locator("td").all_inner_texts()


def section(tab, name: str) -> None:
    """Open a section of the case-audits page (a keyed control: a save's rerun stays where it was)."""
    tab.locator('[data-testid="stButtonGroup"]').first.get_by_text(name, exact=True).click()
    settle(tab)


def draw_sample(tab, name: str, size: int) -> None:
    """Draw a sample from the Samples section; the page then opens it for auditing."""
    tab.get_by_text("Draw a new sample").click()
    tab.get_by_role("textbox", name="Sample name").fill(name)
    tab.get_by_role("spinbutton", name="Cases to draw").fill(str(size))
    tab.keyboard.press("Tab")  # the number is the form's once the field is left, before the submit
    click_when_still(tab, tab.get_by_role("button", name="Draw sample"))
    settle(tab)
    progress = tab.get_by_text(re.compile(r"^Sample .+: \d+ of \d+ audited"))
    progress.wait_for()
    assert progress.inner_text() == f"Sample {name}: 0 of {size} audited"


def test_completing_an_audit_changes_the_item_rates(page, demo_copy: Path, artifacts: Path) -> None:
    as_role(page, "Supervisor")
    go(page, "Case audits")
    section(page, "Results")
    before = item_row(page)

    section(page, "Samples")
    draw_sample(page, "browser-test", 2)
    assert (demo_copy / "evidence/samples/browser-test.yaml").exists()
    questions = page.locator('[data-testid="stForm"]').get_by_role("radiogroup")
    questions.first.wait_for()  # the form is drawn after the progress line: wait before counting its questions
    groups = questions.all()
    assert len(groups) > 10
    for group in groups:
        group.get_by_text("Not met", exact=True).click()
    page.get_by_role("button", name="Complete audit").click()
    settle(page)
    page.get_by_text("The workspace is valid").wait_for()
    page.get_by_text("Sample browser-test: 1 of 2 audited").wait_for()  # still on the audit, its progress moved on
    section(page, "Results")
    after = item_row(page)
    page.screenshot(path=artifacts / "ui-audit-completed.png", full_page=True)
    assert int(after[2]) == int(before[2]) + 1  # one more applicable answer
    assert after[7] != before[7]  # and so a different rate


def test_export_builds_a_pack_that_downloads_and_verifies(page, artifacts: Path) -> None:
    go(page, "Export")
    page.get_by_role("button", name="1. Run the privacy pre-flight").click()
    settle(page)
    page.get_by_text("Pre-flight passed").wait_for()
    page.get_by_role("button", name="2. Build the pack").click()
    settle(page)
    with page.expect_download() as download:
        page.get_by_role("button", name=re.compile(r"^3\. Download")).click()
    target = artifacts / "ui-downloaded-pack.zip"
    download.value.save_as(target)
    page.screenshot(path=artifacts / "ui-export.png", full_page=True)
    assert verify_pack(target).intact


def test_an_action_row_without_an_owner_is_refused_with_its_reason_and_kept(page, demo_copy: Path, artifacts: Path) -> None:
    before = (demo_copy / "evidence/actions.yaml").read_text()
    go(page, "Actions")
    page.get_by_text("Save action plan").wait_for()
    page.wait_for_timeout(1000)  # the grid draws after the button
    rows = len(yaml.safe_load(before)["actions"])
    editor = page.locator('[data-testid="stDataFrame"]').last
    editor.hover()
    page.get_by_role("button", name="Add row").click()
    grid = editor.locator("canvas").first.bounding_box()
    new_row = grid["y"] + 35 * (rows + 1) + 17  # below the header and the existing rows

    action_cell = (grid["x"] + 200, new_row)  # the grid is a canvas: cells by position, then the keyboard
    page.mouse.dblclick(*action_cell)
    page.wait_for_timeout(500)
    page.keyboard.type("Update the participant leaflet", delay=20)
    page.keyboard.press("Tab")  # commits the cell; the owner stays empty
    page.wait_for_timeout(500)
    page.get_by_role("button", name="Save action plan").click()
    settle(page)
    page.get_by_text("Not saved: correct these rows").wait_for()
    page.screenshot(path=artifacts / "ui-actions-refused.png", full_page=True)
    text = main_text(page)
    assert f"row {rows + 1}" in text and "owner" in text and "Saved" not in text and "saved in" not in text
    assert (demo_copy / "evidence/actions.yaml").read_text() == before  # nothing written

    cells = editor.locator('[role="gridcell"]').all_inner_texts()
    assert "Update the participant leaflet" in cells  # the refused row is kept for correction

    assert "The table has changes that are not saved yet" in text
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.locator('[data-testid="stSidebarNav"] a', has_text="Overview").first.click()
    page.wait_for_timeout(1000)
    assert asked == [LEAVE_QUESTION]
    assert page.locator('[data-testid="stMain"] h1').first.inner_text() == "Actions"  # stayed, the edits with it
    assert "Update the participant leaflet" in editor.locator('[role="gridcell"]').all_inner_texts()


def test_the_overview_counts_expired_evidence_and_offers_the_board_report(page, artifacts: Path) -> None:
    metric = page.locator('[data-testid="stMetric"]', has_text="Evidence expired or expiring")
    assert metric.locator('[data-testid="stMetricValue"]').inner_text().strip() == "5"
    assert "today is" in main_text(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Board report (one page, .docx)").click()
    target = artifacts / "ui-board-report.docx"
    download.value.save_as(target)
    import docx

    text = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
    assert "Summary" in text and "Action plan:" in text and not CASE_REF.findall(text)
    page.screenshot(path=artifacts / "ui-overview.png", full_page=True)


def test_the_standards_page_prints_every_standard(page, artifacts: Path) -> None:
    go(page, "Standards and gaps")
    choose(page, "Standard", "All standards")
    page.emulate_media(media="print")
    page.wait_for_function("getComputedStyle(document.querySelector('[data-testid=\"stSidebar\"]')).display === 'none'")
    every_one_open = ("() => { const all = document.querySelectorAll('[data-testid=\"stExpander\"]').length;"
                      " return all >= 20 && document.querySelectorAll('[data-testid=\"stExpander\"] details[open]').length === all; }")
    page.wait_for_function(every_one_open, timeout=10_000)  # the page may still be drawing the run just finished
    expanders = page.locator('[data-testid="stExpander"] details[open]')
    assert expanders.count() == page.locator('[data-testid="stExpander"]').count() >= 20
    page.pdf(path=str(artifacts / "ui-standards-print.pdf"))
    page.screenshot(path=artifacts / "ui-standards-print.png", full_page=True)
    page.emulate_media(media="screen")


def test_leaving_a_typed_narrative_asks_first_and_saving_it_does_not(page, demo_copy: Path) -> None:
    go(page, "Standards and gaps")
    choose(page, "Standard", "All standards")  # every indicator open
    settle(page)
    box = page.get_by_role("textbox", name="Narrative (Markdown)").first
    box.fill("We meet this through monthly supervision.")
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.locator('[data-testid="stSidebarNav"] a', has_text="Evidence register").first.click()
    page.wait_for_timeout(1000)
    assert asked == [LEAVE_QUESTION]
    assert box.input_value() == "We meet this through monthly supervision."  # still here, the text with it

    page.get_by_role("button", name="Save narrative").first.click()
    settle(page)
    page.get_by_text("The workspace is valid").wait_for()
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    go(page, "Evidence register")  # saved: nothing to lose, so no question
    assert asked == [LEAVE_QUESTION]


def test_a_blocker_on_the_overview_opens_its_indicator(page, artifacts: Path) -> None:
    link = page.locator('[data-testid="stPageLink"] a').first
    indicator = re.search(r"\d+\.\d+", link.inner_text()).group(0)
    link.click()
    settle(page)
    opened = page.locator('[data-testid="stExpander"] details[open]', has_text=f"{indicator} ").first
    opened.get_by_text("What the indicator asks for").wait_for()
    page.screenshot(path=artifacts / "ui-blocker-opened.png", full_page=True)


def test_leadership_sees_outcomes_as_charts_and_counts_without_a_case(page, artifacts: Path) -> None:
    as_role(page, "Leadership")
    go(page, "Outcomes")
    choose(page, "Period", "2025")
    page.locator('[data-testid="stVegaLiteChart"]').nth(2).wait_for()
    page.get_by_text("2025-01-01 to 2025-12-31").first.wait_for()
    page.wait_for_timeout(1500)  # charts and the table draw after the script has run
    text = main_text(page)
    page.screenshot(path=artifacts / "ui-leadership-outcomes-2025.png", full_page=True)
    assert "Took up RJ" in text and "Referrals by source" in text and "95% interval" in text
    assert not CASE_REF.findall(text)


def test_the_coordinator_uploads_an_export_checks_the_map_and_imports(page, demo_copy: Path, tmp_path: Path, artifacts: Path) -> None:
    export = tmp_path / "cms-export.csv"
    rows = ["Case Reference,Referral Date,Date Closed,Process Type,Offence,Initiated By,Facilitator Code,Victim Name",
            "RJ-2026-0901,02/03/2026,,Shuttle,theft,Victim,P03,Zebedee Quillfeather",
            "RJ-2026-0902,09/03/2026,,Shuttle,burglary,Offender,P04,Ottoline Brackenridge"]
    export.write_bytes(("\r\n".join(rows) + "\r\n").encode("utf-8-sig"))
    go(page, "Case data")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(export)
    settle(page)
    page.get_by_text("Check every column and value").wait_for()
    page.get_by_text("Words no row used before").wait_for()  # the guessed map keeps "Victim" as a word of theirs
    assert "initiator: offender, victim" in main_text(page)
    editor = page.get_by_label("Import map", exact=True)
    editor.fill(editor.input_value().replace("victim", "harmed_person").replace("offender", "person_responsible"))
    editor.press("Control+Enter")
    settle(page)
    page.get_by_role("button", name="Import into evidence/cases.csv").wait_for()
    page.get_by_text("Words no row used before").wait_for(state="detached")  # the translated words are the list's own
    page.wait_for_timeout(1000)  # let the previous run's elements go
    page.screenshot(path=artifacts / "ui-case-data-preview.png", full_page=True)
    assert "Zebedee" not in main_text(page)
    page.get_by_role("button", name="Import into evidence/cases.csv").click()
    settle(page)
    page.get_by_text("The workspace is valid").wait_for()
    text = (demo_copy / "evidence/cases.csv").read_text(encoding="utf-8")
    assert "RJ-2026-0901,2026-03-02,,shuttle,theft,harmed_person,P03" in text
    known = demo_copy / ".rsqm/known-names.txt"  # the one place a name is kept: private, for the pre-flight
    assert "Zebedee Quillfeather" in known.read_text(encoding="utf-8") and known.stat().st_mode & 0o077 == 0
    assert all(b"Zebedee" not in f.read_bytes() for f in demo_copy.rglob("*") if f.is_file() and f != known)


@pytest.fixture
def accounts(demo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo workspace with a coordinator and a supervisor: every visitor must sign in."""
    from rsqm.server.accounts import add_user

    add_user(demo_copy, "alice", "coordinator", "otter kettle window brass", actor="setup")
    add_user(demo_copy, "sam", "supervisor", "copper lantern meadow fig", actor="alice")
    return demo_copy


def test_a_reload_keeps_the_session_and_a_removed_account_meets_the_sign_in_form(accounts, chromium, artifacts) -> None:
    from test_cli_serve import served
    from test_serve_browser import session_cookies

    from rsqm.cli import main

    with served(accounts) as (app_url, _), playwright.sync_playwright() as p:  # rsqm serve: the cookie route is there
        browser = p.chromium.launch(executable_path=chromium, args=ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1400, "height": 1200})  # one cookie jar for both tabs
        context.set_default_timeout(45_000)  # generous: CI and developers share two cores
        tab = watch(context.new_page())
        tab.goto(app_url)
        tab.get_by_label("Username").fill("sam")
        tab.get_by_role("textbox", name="Password").fill("copper lantern meadow fig")
        tab.get_by_role("button", name="Sign in").click()
        tab.get_by_text("Overall readiness").wait_for()
        settle(tab)
        assert session_cookies(context)  # the trip to the cookie route that follows the sign-in is over
        tab.reload()
        tab.get_by_text("Overall readiness").wait_for()
        assert "Signed in as sam" in tab.locator('[data-testid="stSidebar"]').inner_text()
        [session] = [c for c in context.cookies() if c["name"] == "rsqm_session"]
        assert session["httpOnly"] and session["sameSite"] == "Strict"  # set by the server's answer, out of scripts' reach
        assert tab.evaluate("document.cookie").find("rsqm_session") < 0
        second = watch(context.new_page())  # a second tab
        second.goto(app_url)
        second.get_by_text("Overall readiness").wait_for()
        tab.screenshot(path=artifacts / "ui-session-after-reload.png", full_page=True)
        assert main(["users", "remove", "sam", "-w", str(accounts)]) == 0
        go(tab, "Standards and gaps")
        tab.get_by_role("button", name="Sign in").wait_for()
        assert "Your session has ended" in main_text(tab)
        tab.screenshot(path=artifacts / "ui-session-after-removal.png", full_page=True)
        second.reload()
        second.get_by_role("button", name="Sign in").wait_for()
        browser.close()


def test_a_blocked_export_shows_its_findings_and_one_is_accepted_with_a_reason(page, demo_copy: Path, artifacts: Path) -> None:
    narrative = demo_copy / "evidence/narratives/1.2.md"
    narrative.write_text(narrative.read_text() + "\nOur office is at EX1 1AA.\n")
    go(page, "Export")
    page.get_by_role("button", name="1. Run the privacy pre-flight").click()
    settle(page)
    page.get_by_text("The pre-flight blocks the export").wait_for()
    page.get_by_label("Why it is not personal data").fill("the service's own office, printed on every leaflet")
    page.screenshot(path=artifacts / "ui-export-blocked.png", full_page=True)
    page.get_by_role("button", name="Accept this finding").click()
    settle(page)
    page.get_by_role("button", name="1. Run the privacy pre-flight").click()
    settle(page)
    page.get_by_text("Pre-flight passed").wait_for()
    assert "EX1 1AA" in (demo_copy / "evidence/privacy-review.yaml").read_text()


def test_save_and_next_case_in_the_browser_then_the_completed_audit_is_read_only(page, demo_copy: Path, artifacts: Path) -> None:
    as_role(page, "Supervisor")
    go(page, "Case audits")
    draw_sample(page, "browser-flow", 2)
    first = yaml.safe_load((demo_copy / "evidence/samples/browser-flow.yaml").read_text())["cases"][0]
    page.get_by_role("button", name="Complete audit").click()
    settle(page)
    refusal = page.locator('[data-testid="stAlert"]', has_text="Not completed").inner_text()
    assert "not answered: Was a written risk assessment completed" in refusal and "risk_assessed" not in refusal
    for group in page.locator('[data-testid="stForm"]').get_by_role("radiogroup").all():
        group.get_by_text("Met", exact=True).click()
    page.get_by_role("button", name="Save and next case").click()
    settle(page)
    page.get_by_text("1 of 2 audited").wait_for()
    page.screenshot(path=artifacts / "ui-audit-next-case.png", full_page=True)
    assert first not in page.locator('[data-testid="stSelectbox"]', has_text="Case to audit").inner_text()

    page.locator('[data-testid="stButtonGroup"]').last.get_by_text("done", exact=True).click()  # the filter: done audits
    settle(page)
    page.locator('[data-testid="stButtonGroup"]').last.get_by_text("done", exact=True).click()
    settle(page)
    choose(page, "Case to audit", first)
    assert "A completed audit is not edited" in main_text(page)
    assert not page.get_by_role("button", name="Complete audit").count()
    page.screenshot(path=artifacts / "ui-audit-read-only.png", full_page=True)


def test_audit_rounds_draw_incomplete_samples_as_incomplete_and_each_item_round_by_round(page, demo_copy: Path, artifacts: Path) -> None:
    sample = yaml.safe_load((demo_copy / "evidence/samples/2026-Q3.yaml").read_text())
    for case_ref in sample["cases"][:4]:
        (demo_copy / f"evidence/audits/{case_ref}.yaml").unlink()
    page.reload()  # the page the fixture opened was drawn before the files changed
    page.get_by_text("Overall readiness").wait_for()
    as_role(page, "Coordinator")
    go(page, "Overview")
    page.get_by_text("incomplete: 11 of 15").wait_for()  # the chart's label on the pale bar
    assert "Re-audit overdue: “Where a safeguarding or vulnerability concern arose" in main_text(page)
    assert "31 case files audited in 2 sample(s)" in main_text(page)
    assert "2026-Q3 is not fully audited yet." in main_text(page)
    page.screenshot(path=artifacts / "ui-rounds-overview.png", full_page=True)
    go(page, "Case audits")
    section(page, "Results")
    choose(page, "Checklist item", "Is there a record that the case was discussed in supervision")
    text = main_text(page)
    assert "Round by round" in text and "real improvement" in text
    page.locator('[data-testid="stVegaLiteChart"]').last.scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "ui-rounds-trend.png", full_page=True)
