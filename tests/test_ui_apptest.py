"""The dashboard, page by page and role by role, through Streamlit's AppTest (no browser)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from rsqm.assess.outcomes import workspace_outcomes
from rsqm.pack.verify import verify_pack
from rsqm.ui import data
from rsqm.workspace.load import load_workspace
from rsqm.workspace.store import read_change_log

APP = str(Path(__file__).resolve().parent.parent / "app.py")
CASE_REF = re.compile(r"[A-Z]{2,5}-\d{4}-\d{3,5}")
PAGES = {
    "coordinator": ["overview", "standards", "evidence", "audits", "outcomes", "case_data", "actions", "workforce", "export",
                    "requests", "packs", "portfolio", "history", "users", "settings"],
    "supervisor": ["overview", "standards", "evidence", "audits", "outcomes", "actions", "workforce", "history"],  # as access allows
    "leadership": ["overview", "standards", "outcomes", "actions", "requests", "portfolio"],
    "assessor": ["overview", "standards", "outcomes", "actions", "requests", "packs"],
    "commissioner": ["overview", "standards", "outcomes", "actions", "portfolio"],
}
TITLES = {
    "standards": "Standards and gaps",
    "evidence": "Evidence register",
    "audits": "Case audits",
    "actions": "Actions",
    "workforce": "Workforce",
    "export": "Export the submission pack",
    "requests": "Clarification requests",
    "packs": "Submitted packs",
    "history": "History",
    "users": "Users",
    "outcomes": "Outcomes",
    "case_data": "Case data",
    "settings": "Settings",
    "portfolio": "Portfolio",
}


@pytest.fixture
def workspace(demo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RSQM_WORKSPACE", str(demo_copy))
    return demo_copy


def open_page(role: str, page: str = "overview") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["demo_role"] = role
    at.run()
    if page != "overview":
        at.switch_page(f"rsqm/ui/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def page_text(at: AppTest) -> str:
    """Everything a person can read on the page: text, labels, table cells, options."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "info", "success", "warning", "error"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [e.label for e in at.expander]
    parts += [d.value.to_csv() for d in [*at.dataframe, *at.table]]
    for box in at.selectbox:
        parts += [box.label, *map(str, box.options)]
    return "\n".join(parts)


LEVELS = {"Title": 1, "Header": 2, "Subheader": 3}


def heading_levels(at: AppTest) -> list[int]:
    """The levels of the page's headings in reading order (title 1, header 2, subheader 3)."""
    def walk(node):
        children = getattr(node, "children", None) or {}
        for child in children.values() if isinstance(children, dict) else children:
            yield child
            yield from walk(child)

    return [LEVELS[type(node).__name__] for node in walk(at.main) if type(node).__name__ in LEVELS]


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


@pytest.mark.parametrize(("role", "page"), [(r, p) for r, pages in PAGES.items() for p in pages])
def test_every_page_a_role_may_see_renders_without_an_error(workspace: Path, role: str, page: str) -> None:
    at = open_page(role, page)
    assert at.title[0].value == TITLES.get(page, "Example Restorative Service")
    assert not at.error, [e.value for e in at.error]
    assert all(grid.proto.HasField("placeholder") and grid.proto.placeholder == "" for grid in at.dataframe), \
        "a grid without placeholder=\"\" shows a missing value as None"
    assert all("None" not in table.value.to_csv() for table in at.table)
    levels = heading_levels(at)
    assert all(b - a <= 1 for a, b in zip([1, *levels], levels, strict=False)), levels  # headings in order (WCAG 1.3.1)


def test_overview_shows_the_verdict_readiness_and_safeguarding_figures(workspace: Path) -> None:
    at = open_page("leadership")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Ready to apply"] in ("Yes", "Not yet")
    assert re.fullmatch(r"\d+%", metrics["Overall readiness"])
    assert metrics["Open safeguarding concerns"].isdigit()
    assert "Safeguarding indicators" in page_text(at)
    assert len(at.get("vega_lite_chart")) == 2  # status by standard, compliance by sample


@pytest.mark.parametrize("page", ["evidence", "audits", "workforce", "export", "history", "case_data", "users"])
def test_leadership_cannot_reach_case_or_evidence_level_pages(workspace: Path, page: str) -> None:
    at = open_page("leadership")
    with pytest.raises(ValueError, match="Could not find"):
        at.switch_page(f"rsqm/ui/{page}.py")


@pytest.mark.parametrize("page", ["overview", "standards", "outcomes", "actions"])
def test_leadership_pages_name_no_case_and_no_practitioner(workspace: Path, page: str) -> None:
    text = page_text(open_page("leadership", page))
    practitioners = {line.split(",")[6] for line in (workspace / "evidence/cases.csv").read_text().splitlines()[1:]}
    assert not CASE_REF.findall(text)
    assert not [code for code in practitioners if re.search(rf"\b{code}\b", text)]
    assert "E0" not in text or page == "overview"  # leadership's standards and actions pages show no evidence ids


def test_case_level_pages_do_show_case_refs_to_supervisors(workspace: Path) -> None:
    at = open_page("supervisor", "audits")
    at.session_state["audit_section"] = "Audit a case"
    assert CASE_REF.search(page_text(at.run()))


def test_a_rerun_with_unchanged_files_does_not_reload_the_workspace(workspace: Path) -> None:
    at = open_page("coordinator")
    loads = dict(data.LOADS)
    at.run()
    at.run()
    assert dict(data.LOADS) == loads
    (workspace / "evidence/narratives/6.1.md").write_text("Our code of conduct and insurance.\n")
    at.run()
    assert data.LOADS["workspace"] == loads["workspace"] + 1
    assert data.LOADS["assessment"] == loads["assessment"] + 1


def test_an_invalid_workspace_shows_its_problems_not_a_traceback(workspace: Path) -> None:
    register = workspace / "evidence/register.yaml"
    register.write_text(register.read_text().replace("status: approved", "status: aproved", 1))
    at = open_page("coordinator")
    assert "evidence/register.yaml" in at.error[0].value
    leadership = open_page("leadership")
    assert "the coordinator can see them" in leadership.error[0].value
    assert "register.yaml" not in leadership.error[0].value


def test_no_workspace_is_a_friendly_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RSQM_WORKSPACE", str(tmp_path))
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert "rsqm.yaml not found" in at.error[0].value


def test_the_coordinator_saves_a_narrative_through_the_store(workspace: Path) -> None:
    at = open_page("coordinator", "standards")
    next(s for s in at.selectbox if s.label == "Standard").set_value("6").run()
    area = next(t for t in at.text_area if t.label == "Narrative (Markdown)")
    area.set_value("We hold a code of conduct and current insurance.")
    button(at, "Save narrative").click().run()
    assert not at.exception
    assert (workspace / "evidence/narratives/rjc-service-provider/6.1.md").read_text() == "We hold a code of conduct and current insurance.\n"
    entry = read_change_log(workspace, 1)[0]
    assert (entry.who, entry.change, entry.item) == ("coordinator (demo)", "narrative edited", "6.1")
    assert "The workspace is valid" in at.success[0].value


def test_supervisors_read_narratives_but_cannot_edit_them(workspace: Path) -> None:
    at = open_page("supervisor", "standards")
    assert not [t for t in at.text_area if t.label == "Narrative (Markdown)"]
    assert "Narrative" in page_text(at)


def test_adding_approved_evidence_closes_the_gap_it_was_missing(workspace: Path) -> None:
    (workspace / "evidence/files/insurance-2026.txt").write_text("Public liability insurance schedule, 2026.\n")
    at = open_page("coordinator", "standards")
    next(s for s in at.selectbox if s.label == "Standard").set_value("6").run()
    assert "Partly met" in next(e.label for e in at.expander if e.label.startswith("6.1"))

    at.switch_page("rsqm/ui/evidence.py").run()
    next(t for t in at.text_input if t.label == "Title").set_value("Insurance schedule 2026")
    next(s for s in at.selectbox if s.label == "Type").set_value("insurance")
    next(t for t in at.text_input if t.label.startswith("…or a file")).set_value("files/insurance-2026.txt")
    next(s for s in at.selectbox if s.label == "Indicator").set_value("6.1")
    next(t for t in at.text_input if t.label.startswith("Where in the document")).set_value("schedule, p. 1")
    next(c for c in at.checkbox if c.label.startswith("Approve now")).check()
    button(at, "Save evidence item").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]

    items = yaml.safe_load((workspace / "evidence/register.yaml").read_text())["items"]
    added = items[-1]
    assert (added["title"], added["status"], added["approved_by"]) == ("Insurance schedule 2026", "approved", "coordinator (demo)")
    assert len(added["sha256"]) == 64
    at.switch_page("rsqm/ui/standards.py").run()
    next(s for s in at.selectbox if s.label == "Standard").set_value("6").run()
    assert "Met" in next(e.label for e in at.expander if e.label.startswith("6.1"))


def test_the_register_says_which_items_hold_no_personal_data_in_words(workspace: Path) -> None:
    register = open_page("coordinator", "evidence").dataframe[0].value
    assert "None" not in set(register["Personal data"]) and "No personal data" in set(register["Personal data"])


def test_an_evidence_item_without_a_title_or_file_is_refused_with_reasons(workspace: Path) -> None:
    before = (workspace / "evidence/register.yaml").read_bytes()
    at = open_page("coordinator", "evidence")
    button(at, "Save evidence item").click().run()
    message = at.error[0].value
    assert "Not saved" in message and "title" in message and "file:" in message
    assert (workspace / "evidence/register.yaml").read_bytes() == before


def test_a_supervisor_draws_a_sample_then_audits_a_case(workspace: Path) -> None:
    at = open_page("supervisor", "audits")
    assert "To estimate a compliance" in at.info[0].value
    next(t for t in at.text_input if t.label == "Sample name").set_value("2026-test")
    at.number_input(key="draw_size").set_value(3)
    at.button(key="draw_submit").click().run()
    assert not at.exception
    sample = yaml.safe_load((workspace / "evidence/samples/2026-test.yaml").read_text())
    assert len(sample["cases"]) == 3 and sample["drawn_by"] == "supervisor (demo)"

    assert at.selectbox(key="audit_sample").value == "2026-test"  # drawing a sample opens it for auditing
    case_ref = at.selectbox(key="audit_case").value
    checklist = yaml.safe_load((workspace / "standards/rj-case-file-audit.yaml").read_text())["items"]
    for item in checklist:
        at.radio(key=f"answer-{case_ref}-{item['id']}").set_value("met")
    at.radio(key=f"answer-{case_ref}-{checklist[0]['id']}").set_value("not_met")
    at.text_input(key=f"answer-{case_ref}-{checklist[0]['id']}-note").set_value("First contact after 20 days.")
    at.button(key=f"audit-complete-{case_ref}").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]

    record = yaml.safe_load((workspace / f"evidence/audits/{case_ref}.yaml").read_text())
    assert record["audited_on"] == date.today().isoformat()
    assert record["answers"][checklist[0]["id"]] == {"result": "not_met", "note": "First contact after 20 days."}
    assert read_change_log(workspace, 1)[0].change == f"audit of {case_ref} completed"
    picker = at.selectbox(key="audit_case")
    said = next(option for option in picker.options if option.startswith(case_ref))
    assert said == f"{case_ref} — audited", picker.options  # the picker says what was just saved, not "not started"


def test_completing_an_audit_with_unanswered_items_is_refused(workspace: Path) -> None:
    at = open_page("supervisor", "audits")
    next(t for t in at.text_input if t.label == "Sample name").set_value("2026-test")
    at.number_input(key="draw_size").set_value(2)
    at.button(key="draw_submit").click().run()
    assert at.selectbox(key="audit_sample").value == "2026-test"  # drawing a sample opens it for auditing
    case_ref = at.selectbox(key="audit_case").value
    at.button(key=f"audit-complete-{case_ref}").click().run()
    assert "not answered" in at.error[0].value
    assert not (workspace / f"evidence/audits/{case_ref}.yaml").exists()


def test_second_marking_records_the_moderators_answers(workspace: Path) -> None:
    at = open_page("coordinator", "audits")
    at.session_state["audit_section"] = "Second marking"
    at.run()
    case_ref = at.selectbox(key="moderate_case").value
    for radio in at.radio:
        if radio.key and radio.key.startswith(f"second-{case_ref}-"):
            radio.set_value("met")
    at.button(key=f"moderate-submit-{case_ref}").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    moderation = yaml.safe_load((workspace / f"evidence/audits/{case_ref}.second.yaml").read_text())  # its own file: blind
    assert "moderation" not in yaml.safe_load((workspace / f"evidence/audits/{case_ref}.yaml").read_text())
    assert moderation["moderator"] == "coordinator (demo)"
    assert set(r["result"] for r in moderation["answers"].values()) == {"met"}


def test_the_coordinator_exports_and_the_pack_verifies(workspace: Path) -> None:
    at = open_page("coordinator", "export")
    at.button(key="export_check").click().run()
    assert not at.exception
    if at.error:  # the demo is meant to pass; if it is blocked, the page must say why
        pytest.fail(at.error[0].value)
    assert "Pre-flight passed" in at.success[0].value
    at.button(key="export_build").click().run()
    assert not at.exception and not at.error
    packs = list((workspace / ".rsqm/exports").glob("*.zip"))
    assert len(packs) == 1 and verify_pack(packs[0]).intact
    assert at.get("download_button")


def test_the_history_lists_changes_with_who_made_them(workspace: Path) -> None:
    at = open_page("coordinator", "standards")
    next(s for s in at.selectbox if s.label == "Standard").set_value("6").run()
    next(t for t in at.text_area if t.label == "Narrative (Markdown)").set_value("Reviewed yearly.")
    button(at, "Save narrative").click().run()
    at.switch_page("rsqm/ui/history.py").run()
    table = at.dataframe[0].value
    assert table.iloc[0]["Who"] == "coordinator (demo)" and table.iloc[0]["Change"] == "narrative edited"


def test_with_accounts_the_dashboard_asks_to_sign_in_and_gives_the_accounts_role(workspace: Path, no_failure_delay) -> None:
    from rsqm.server.accounts import add_user

    add_user(workspace, "coord", "coordinator", "a long enough password", actor="test")  # the first account must be one
    add_user(workspace, "lead.one", "leadership", "a long enough password", actor="test")
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert at.title[0].value == "Sign in" and not at.selectbox  # no role selector once accounts exist
    at.text_input[0].set_value("lead.one")
    at.text_input[1].set_value("wrong password!!")
    button(at, "Sign in").click().run()
    assert "Wrong username or password" in at.error[0].value
    at.text_input[1].set_value("a long enough password")
    button(at, "Sign in").click().run()
    assert at.title[0].value == "Example Restorative Service"
    with pytest.raises(ValueError, match="Could not find"):
        at.switch_page("rsqm/ui/audits.py")


def test_the_sign_in_page_draws_a_chart_and_a_table_so_their_code_loads_while_the_person_types(workspace: Path) -> None:
    from rsqm.server.accounts import add_user

    add_user(workspace, "coord", "coordinator", "a long enough password", actor="test")
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert at.title[0].value == "Sign in"
    assert len(at.get("vega_lite_chart")) == 1 and len(at.dataframe) == 1
    assert at.dataframe[0].value.shape == (1, 1)  # one made-up cell: nothing of the workspace
    at.text_input[0].set_value("coord")
    at.text_input[1].set_value("a long enough password")
    button(at, "Sign in").click().run()
    assert at.title[0].value == "Example Restorative Service" and not at.exception


@pytest.mark.parametrize("role", ["coordinator", "leadership"])
def test_the_standards_page_covers_every_framework_and_shows_related_indicators(workspace: Path, role: str) -> None:
    at = open_page(role, "standards")
    picker = next(s for s in at.selectbox if s.label == "Framework")
    assert list(picker.options) == [
        "rjc-service-provider", "rjc-service-provider-code", "rjc-practitioner-code", "victims-code-2020", "rjc-organisation-2020",
    ]
    assert "**Also relates to:** supports rjc-service-provider-code A" in page_text(at)  # P.3, the declaration

    picker.set_value("rjc-service-provider-code").run()
    assert not at.exception
    labels = [e.label for e in at.expander]
    assert [label.split(" ")[0] for label in labels] == ["A", "B", "C", "D", "E"]
    assert "Service Provider Code of Practice: 75% ready — not ready yet" in page_text(at)
    assert "supported by rjc-service-provider 5.2" in page_text(at)


def test_the_export_preview_shows_what_the_document_will_say(workspace: Path) -> None:
    at = open_page("coordinator", "export")
    at.button(key="export_check").click().run()
    assert not at.exception
    assert "marked **Draft** on every page" in at.warning[0].value
    shown = "\n".join(m.value for m in at.markdown)
    assert "**What this asks:**" in shown and "**The service's account**" in shown
    assert "partly_met" not in shown and "evidence/narratives" not in shown
    assert "Action plan" in [e.label for e in at.expander]
    assert "**Workforce and time limits**" in shown  # the summary page's numbers, as in the document
    measures = next(d.value for d in at.dataframe if "Measure" in d.value.columns)
    assert "Practitioners supervised at least every 12 weeks" in list(measures["Measure"])


def test_the_pre_flight_again_with_nothing_changed_reuses_its_last_run_and_a_changed_file_runs_it_again(workspace: Path) -> None:
    at = open_page("coordinator", "export")
    at.button(key="export_check").click().run()
    runs = data.LOADS["preflight"]
    at.button(key="export_check").click().run()
    other_session = open_page("coordinator", "export")
    other_session.button(key="export_check").click().run()
    assert data.LOADS["preflight"] == runs
    assert "Pre-flight passed" in other_session.success[0].value
    narrative = workspace / "evidence/narratives/1.2.md"
    narrative.write_text(narrative.read_text() + "\nOur office is at EX1 1AA.\n")
    at.button(key="export_check").click().run()
    assert data.LOADS["preflight"] == runs + 1
    assert "The pre-flight blocks the export" in at.error[0].value and "EX1 1AA" in at.error[0].value


def test_the_assessor_raises_a_request_and_the_coordinator_sees_it_on_the_overview(workspace: Path) -> None:
    at = open_page("assessor", "requests")
    assert not at.get("form") or "Answer a request" not in page_text(at)
    next(t for t in at.text_area if t.label == "Question").set_value("Which risk tool is used for conferences?")
    next(b for b in at.button if b.label == "Add request").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    saved = yaml.safe_load((workspace / "evidence/requests.yaml").read_text())["requests"]
    assert [(r["id"], r["status"], r["question"]) for r in saved][-1][1:] == ("open", "Which risk tool is used for conferences?")
    assert read_change_log(workspace, 1)[0].who == "assessor (demo)"
    overview = open_page("coordinator")
    assert "clarification request" in page_text(overview) and "from the assessor open" in page_text(overview)


def test_outcomes_page_gives_leadership_the_shares_charts_and_table_of_a_chosen_year(workspace: Path) -> None:
    at = open_page("leadership", "outcomes")
    assert {m.label for m in at.metric} == {"Referrals", "Took up RJ", "Agreements completed", "First contact in time"}
    assert len(at.get("vega_lite_chart")) == 3  # shares, referral sources, processes
    at.selectbox(key="outcomes_period").set_value("2025").run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "This period" in d.value.columns)  # after the charts' own tables
    expected = workspace_outcomes(load_workspace(workspace), date(2025, 1, 1), date(2025, 12, 31)).current.referrals
    assert table.loc[table["Measure"] == "Referrals received", "This period"].item() == str(expected)
    text = page_text(at)
    assert "Did you feel safe taking part?" in text and not CASE_REF.findall(text)


def test_outcomes_page_offers_leadership_the_commissioners_return_for_a_quarter(workspace: Path) -> None:
    at = open_page("leadership", "outcomes")
    assert at.selectbox(key="return_period").options[:2] == ["2026Q4", "2026Q3"]  # the demo's today: 7 December 2026
    at.selectbox(key="return_period").set_value("2026Q3").run()
    button(at, "Prepare the return (.xlsx)").click().run()
    assert not at.exception, [e.value for e in at.exception]
    download = at.get("download_button")
    assert len(download) == 1 and "Download the return for 2026Q3" in download[0].proto.label


def test_case_data_page_asks_the_coordinator_for_an_export(workspace: Path) -> None:
    at = open_page("coordinator", "case_data")
    assert at.title[0].value == "Case data"
    assert [r.label for r in at.radio] == ["Import into"]
    assert not at.error


# --- audit rounds -------------------------------------------------------------------


def test_results_show_each_item_round_by_round_with_the_verdict_of_the_change(workspace: Path) -> None:
    at = open_page("supervisor", "audits")
    at.session_state["audit_section"] = "Results"
    at.run()
    assert "Round by round" in [h.value for h in at.header]  # h2 under the page's h1: no heading level skipped
    table = next(d.value for d in at.dataframe if "Verdict" in d.value.columns)
    verdicts = dict(zip(table["Item"], table["Verdict"], strict=True))
    supervision, closure = (next(q for q in verdicts if q.startswith(s)) for s in ("Is there a record that the case was discussed",
                                                                                  "Was the case formally closed"))
    assert verdicts[supervision] == "real improvement"  # items by their question
    assert verdicts[closure] == "real decline"
    assert list(table.columns[1:3]) == ["2026-H1", "2026-Q3"]  # the order drawn
    trend = at.selectbox(key="trend_item")
    trend.set_value(next(t for t in trend.options if t.startswith("Was the case formally closed"))).run()
    assert not at.exception, [e.value for e in at.exception]


def test_a_sample_shows_its_progress_and_incomplete_samples_say_so(workspace: Path) -> None:
    sample = yaml.safe_load((workspace / "evidence/samples/2026-Q3.yaml").read_text())
    for case_ref in sample["cases"][:3]:
        (workspace / f"evidence/audits/{case_ref}.yaml").unlink()
    at = open_page("supervisor", "audits")
    at.session_state["audit_section"] = "Audit a case"
    at.run()
    at.selectbox(key="audit_sample").set_value("2026-Q3").run()
    progress = at.get("progress")
    assert progress and "Sample 2026-Q3: 12 of 15 audited" in progress[0].proto.text
    at.session_state["audit_section"] = "Samples"
    samples = at.run().dataframe[0].value
    row = samples[samples["Sample"] == "2026-Q3"].iloc[0]
    assert row["Progress"].startswith("12 of 15 audited") and row["Progress"].endswith("incomplete")


def test_the_overview_names_an_overdue_re_audit_and_each_real_change_since_the_last_round(workspace: Path) -> None:
    at = open_page("leadership")
    changes = [m.value for m in at.markdown if m.value.startswith("**Real")]
    assert changes == [
        "**Real decline** in “Was the case formally closed, with the reason for closure recorded and every participant told that "
        "their case had ended?”: 95% in 2026-H1, 53% in 2026-Q3 (-41.7 points, 95% interval -65.2 to -13.0).",
        "**Real improvement** in “Is there a record that the case was discussed in supervision at key points, with the decisions "
        "and any actions written down?”: 55% in 2026-H1, 100% in 2026-Q3 (+45.0 points, 95% interval +17.0 to +65.8).",
    ]
    warnings = [w.value for w in at.warning]
    assert any(w.startswith("Re-audit overdue: “Where a safeguarding or vulnerability concern arose")
               and w.endswith("was to be re-audited by 31 January 2027 (action A6).") for w in warnings)


def test_the_sample_form_advises_at_the_chosen_confidence_and_says_it_rounds_up(workspace: Path) -> None:
    at = open_page("supervisor", "audits")
    at.selectbox(key="draw_confidence").set_value(0.99).run()
    advice = next(i.value for i in at.info if "closed cases in that period" in i.value)
    assert "(99% confidence)" in advice and "rounded up to the next whole case, the conservative choice" in advice


def test_saving_the_action_plan_keeps_each_actions_audit_item_and_re_audit_date(workspace: Path) -> None:
    at = open_page("coordinator", "actions")
    button(at, "Save action plan").click().run()
    assert not at.exception, [e.value for e in at.exception]
    saved = {a["id"]: a for a in yaml.safe_load((workspace / "evidence/actions.yaml").read_text())["actions"]}
    assert (saved["A6"]["audit_item"], str(saved["A6"]["re_audit_by"])) == ("safeguarding_concerns_acted_on", "2027-01-31")
    assert saved["A4"]["audit_item"] == "follow_up_and_feedback_sought"


def test_a_re_audit_date_before_the_due_date_is_refused_and_nothing_is_written(workspace: Path) -> None:
    before = (workspace / "evidence/actions.yaml").read_bytes()
    at = open_page("coordinator", "actions")
    at.session_state["action_plan"] = {"edited_rows": {5: {"Re-audit by": "2026-11-01"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    button(at, "Save action plan").click().run()
    assert any("action A6: the re-audit date 2026-11-01 is before its due date 2026-11-30" in e.value for e in at.error)
    assert (workspace / "evidence/actions.yaml").read_bytes() == before


def test_the_answer_form_names_each_request_by_its_question(workspace: Path) -> None:
    at = open_page("coordinator", "requests")
    picker = next(s for s in at.selectbox if s.label == "Request")
    assert picker.options == ["R2 (5.2): How is a risk assessment reviewed when circumstances change between preparation and a meeting?"]


def test_the_standards_page_says_what_to_do_in_pages_and_buttons_never_in_commands(workspace: Path) -> None:
    at = open_page("coordinator", "standards")
    at.selectbox(key=at.selectbox[1].key).set_value("All standards").run()
    steps = [line for m in at.markdown for line in m.value.splitlines() if "*What to do:*" in line]
    assert len(steps) >= 5, steps
    said = "\n".join(steps)
    assert "rsqm " not in said and "--" not in said and ".md" not in said and ".yaml" not in said, said
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", said), said  # no field names or codes
    assert "Evidence register" in said or "Case audits page" in said


def test_the_history_says_older_changes_in_words_not_codes(workspace: Path) -> None:
    from rsqm.workspace.store import Store

    Store(workspace, "P07").record("rsqm.yaml", "set public_contacts")  # as an older rsqm logged it
    at = open_page("coordinator", "history")
    assert at.dataframe[0].value.iloc[0]["Change"] == "set public contacts"
