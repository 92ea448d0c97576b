"""The dashboard for daily work (issue 21), page by page in Streamlit's AppTest: fast, no browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from test_ui_apptest import PAGES as ROLE_PAGES
from test_ui_apptest import button, open_page, page_text

from rsqm.server.access import PERMISSIONS, Role, allowed
from rsqm.server.accounts import list_accounts
from rsqm.ui.main import PAGES
from rsqm.workspace.store import read_change_log

SNAKE_CASE = re.compile(r"\b[a-z]+_[a-z_]+\b")


@pytest.fixture
def workspace(demo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RSQM_WORKSPACE", str(demo_copy))
    return demo_copy


def test_navigation_offers_exactly_the_pages_the_access_table_allows() -> None:
    for role in Role:
        expected = [file.removesuffix(".py") for file, _, _, action in PAGES if allowed(role, action)]
        assert expected == ROLE_PAGES[role.value], role
    assert {action for *_, action in PAGES} <= set(PERMISSIONS)


@pytest.mark.parametrize(("role", "page"), [(r, p) for r in ("coordinator", "leadership") for p in ROLE_PAGES[r]])
def test_no_page_shows_a_snake_case_code_to_the_coordinator_or_leadership(workspace: Path, role: str, page: str) -> None:
    at = open_page(role, page)
    if page == "standards":  # every standard, every framework
        for framework in next(s for s in at.selectbox if s.label == "Framework").options:
            next(s for s in at.selectbox if s.label == "Framework").set_value(framework).run()
            next(s for s in at.selectbox if s.label == "Standard").set_value("All standards").run()
            assert not SNAKE_CASE.findall(page_text(at)), framework
    if page == "audits":  # every section of the page
        for section in ("Audit a case", "Second marking", "Results"):
            at.session_state["audit_section"] = section
            assert not SNAKE_CASE.findall(page_text(at.run())), section
    assert not SNAKE_CASE.findall(page_text(at))


def test_the_overview_counts_evidence_that_already_ran_out(workspace: Path) -> None:
    at = open_page("coordinator")
    metrics = {m.label: m.value for m in at.metric}
    listed = at.dataframe[-1].value
    assert int(metrics["Evidence expired or expiring"]) == len(listed) == 5
    assert "ran out on 1 November 2023" in set(listed["Counts until"])
    assert "today is" in at.caption[0].value


def test_the_register_judges_expiry_on_the_as_of_date_like_the_overview(workspace: Path) -> None:
    frame = open_page("coordinator", "evidence").dataframe[0].value.set_index("Id")
    assert frame.loc["E012", "Expiry"] == "ran out" and frame.loc["E002", "Expiry"] == "runs out before the assessment"
    assert frame.loc["E001", "Expiry"] == ""


def test_a_save_that_changes_nothing_writes_nothing(workspace: Path) -> None:
    before = read_change_log(workspace)
    at = open_page("coordinator", "actions")
    button(at, "Save action plan").click().run()
    assert "No change to save." in [i.value for i in at.info]
    assert read_change_log(workspace) == before and not at.success


def test_leadership_sees_the_action_plan_in_counts_only(workspace: Path) -> None:
    at = open_page("leadership", "actions")
    metrics = {m.label: m.value for m in at.metric}
    assert set(metrics) == {"Open actions", "Done", "Overdue", "Next due"}
    titles = [a["title"] for a in yaml.safe_load((workspace / "evidence/actions.yaml").read_text())["actions"]]
    assert not [t for t in titles if t in page_text(at)] and not at.dataframe


def test_actions_filter_by_owner_and_flag_the_overdue(workspace: Path) -> None:
    at = open_page("supervisor", "actions")
    frame = at.dataframe[-1].value
    owner = frame["Owner"].iloc[0]
    next(m for m in at.multiselect if m.label == "Owner").set_value([owner]).run()
    assert set(at.dataframe[-1].value["Owner"]) == {owner}
    next(m for m in at.multiselect if m.label == "Owner").set_value([]).run()
    next(m for m in at.multiselect if m.label == "Status").set_value(["Overdue"]).run()
    assert set(at.dataframe[-1].value["Overdue"]) <= {"overdue"}


def test_an_overview_blocker_links_to_its_indicator_which_opens_expanded(workspace: Path) -> None:
    at = open_page("coordinator")
    links = at.get("page_link")
    assert links and all(link.proto.page.endswith("standards") for link in links)
    at.query_params["indicator"] = "5.2"
    at.switch_page("rsqm/ui/standards.py").run()
    assert next(s for s in at.selectbox if s.label == "Standard").value == "5"
    assert "What the indicator asks for:" in page_text(at)


def test_the_coordinator_adds_an_account_with_a_role(workspace: Path) -> None:
    at = open_page("coordinator", "users")
    next(t for t in at.text_input if t.label == "Username").set_value("coord")
    next(t for t in at.text_input if t.label.startswith("Password")).set_value("a long enough password")
    next(s for s in at.selectbox if s.key == "user_add_role").set_value(Role.coordinator)
    button(at, "Add account").click().run()
    assert [(a.name, a.role) for a in list_accounts(workspace)] == [("coord", Role.coordinator)]
    assert read_change_log(workspace, 1)[0].change == "add account"


def test_a_weak_password_is_refused_and_nothing_is_written(workspace: Path) -> None:
    at = open_page("coordinator", "users")
    next(t for t in at.text_input if t.label == "Username").set_value("p07")
    next(t for t in at.text_input if t.label.startswith("Password")).set_value("short")
    button(at, "Add account").click().run()
    assert "password is too short" in at.error[0].value and list_accounts(workspace) == []


def test_removing_a_link_asks_for_confirmation_and_is_logged(workspace: Path) -> None:
    at = open_page("coordinator", "evidence")
    next(s for s in at.selectbox if s.key == "remove_item").set_value("E001").run()
    link = next(s for s in at.selectbox if s.key == "remove_link")
    indicator = link.value
    assert next(b for b in at.button if b.key == "remove_submit").disabled
    next(c for c in at.checkbox if c.label.startswith("Yes, remove")).check().run()
    next(b for b in at.button if b.key == "remove_submit").click().run()
    register = yaml.safe_load((workspace / "evidence/register.yaml").read_text())
    item = next(i for i in register["items"] if i["id"] == "E001")
    assert indicator not in [link["indicator"] for link in item.get("links", [])]
    assert read_change_log(workspace, 1)[0].change == f"link from E001 to {indicator} removed"
    assert f"Link from E001 to {indicator} removed" in at.success[0].value


def test_the_coordinator_closes_a_safeguarding_concern_like_the_cli(workspace: Path) -> None:
    at = open_page("coordinator", "audits")
    at.session_state["audit_section"] = "Results"
    at.run()
    case = next(s for s in at.selectbox if s.key == "concern_case")
    case_ref = case.value
    next(t for t in at.text_area if t.key == f"concern_resolution-{case_ref}").set_value("Referred to the local authority team.")
    button(at, "Record as resolved").click().run()
    record = yaml.safe_load((workspace / f"evidence/audits/{case_ref}.yaml").read_text())
    assert record["resolved_by"] == "coordinator (demo)" and record["resolution_note"].startswith("Referred")
    assert read_change_log(workspace, 1)[0].change == f"safeguarding concern in {case_ref} resolved"


def signed_in_as_coordinator(workspace: Path):
    from streamlit.testing.v1 import AppTest
    from test_ui_apptest import APP

    from rsqm.server.accounts import add_user

    add_user(workspace, "coord", "coordinator", "a long enough password", actor="test")
    add_user(workspace, "p07", "supervisor", "a long enough password", actor="test")
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.text_input[0].set_value("coord")
    at.text_input[1].set_value("a long enough password")
    button(at, "Sign in").click().run()
    at.switch_page("rsqm/ui/users.py").run()
    return at


def test_a_role_change_and_a_removal_go_through_the_same_functions_as_the_cli(workspace: Path) -> None:
    at = signed_in_as_coordinator(workspace)
    next(s for s in at.selectbox if s.key == "user_role_name").set_value("p07")
    next(s for s in at.selectbox if s.key == "user_role_role").set_value(Role.leadership)
    button(at, "Change role").click().run()
    assert ("p07", Role.leadership) in [(a.name, a.role) for a in list_accounts(workspace)]
    assert "p07 is now leadership." in at.success[0].value

    next(s for s in at.selectbox if s.key == "user_remove_name").set_value("p07").run()
    assert next(b for b in at.button if b.key == "user_remove").disabled  # not without the confirmation
    next(c for c in at.checkbox if c.key == "user_remove_sure").check().run()
    next(b for b in at.button if b.key == "user_remove").click().run()
    assert [a.name for a in list_accounts(workspace)] == ["coord"]


def test_the_last_coordinator_cannot_be_removed(workspace: Path) -> None:
    at = signed_in_as_coordinator(workspace)
    next(s for s in at.selectbox if s.key == "user_remove_name").set_value("coord").run()
    next(c for c in at.checkbox if c.key == "user_remove_sure").check().run()
    next(b for b in at.button if b.key == "user_remove").click().run()
    assert at.error and "coord" in [a.name for a in list_accounts(workspace)]


def audit_page_with_new_sample(workspace: Path, size: int = 3):
    at = open_page("supervisor", "audits")
    next(t for t in at.text_input if t.label == "Sample name").set_value("2026-flow")
    at.number_input(key="draw_size").set_value(size)
    at.button(key="draw_submit").click().run()
    return at


def questions(workspace: Path) -> dict[str, str]:
    items = yaml.safe_load((workspace / "standards/rj-case-file-audit.yaml").read_text())["items"]
    return {item["id"]: " ".join(item["question"].split()) for item in items}


def test_save_and_next_case_completes_the_audit_stays_on_the_section_and_opens_the_next_case(workspace: Path) -> None:
    at = audit_page_with_new_sample(workspace)
    cases = [option.split(" — ")[0] for option in at.selectbox(key="audit_case").options]
    first = at.selectbox(key="audit_case").value
    for item in questions(workspace):
        at.radio(key=f"answer-{first}-{item}").set_value("met")
    at.button(key=f"audit-next-{first}").click().run()
    assert yaml.safe_load((workspace / f"evidence/audits/{first}.yaml").read_text())["audited_on"]
    assert at.session_state["audit_section"] == "Audit a case"
    assert at.selectbox(key="audit_case").value == cases[1]
    assert "1 of 3 audited" in at.get("progress")[0].proto.text


def test_a_refused_completion_names_questions_and_keeps_the_answers_given_as_a_draft(workspace: Path) -> None:
    at = audit_page_with_new_sample(workspace)
    case_ref = at.selectbox(key="audit_case").value
    asked = questions(workspace)
    first, *rest = asked
    at.radio(key=f"answer-{case_ref}-{first}").set_value("not_met")
    at.button(key=f"audit-complete-{case_ref}").click().run()
    message = at.error[0].value
    assert f"not answered: {asked[rest[0]]}" in message and rest[0] not in message  # questions, not ids
    record = yaml.safe_load((workspace / f"evidence/audits/{case_ref}.yaml").read_text())
    assert record["audited_on"] is None and record["answers"][first]["result"] == "not_met"  # nothing lost


def test_a_completed_audit_opens_read_only(workspace: Path) -> None:
    at = open_page("supervisor", "audits")
    at.session_state["audit_section"] = "Audit a case"
    at.run()
    at.pills(key="audit_filter").set_value(["done"]).run()
    case_ref = at.selectbox(key="audit_case").value
    assert not [b for b in at.button if b.key == f"audit-complete-{case_ref}"]
    assert "mark it again under Second marking" in at.info[0].value


def test_the_case_filter_shows_only_audits_awaiting_second_marking(workspace: Path) -> None:
    at = open_page("coordinator", "audits")
    at.session_state["audit_section"] = "Audit a case"
    at.run()
    at.pills(key="audit_filter").set_value(["awaiting second marking"]).run()
    states = set(at.dataframe[0].value["State"])
    assert states and states <= {"audited", "second marking in progress"}


def test_a_new_action_row_without_an_owner_is_never_reported_saved_and_is_saved_once_corrected(workspace: Path) -> None:
    before = (workspace / "evidence/actions.yaml").read_bytes()
    rows = len(yaml.safe_load(before)["actions"])
    at = open_page("coordinator", "actions")
    at.session_state["action_plan"] = {"edited_rows": {}, "added_rows": [{"Action": "Update the leaflet"}], "deleted_rows": []}
    button(at.run(), "Save action plan").click().run()
    assert f"row {rows + 1} (A{rows + 1}): missing required field 'owner'" in at.error[0].value
    assert not at.success and (workspace / "evidence/actions.yaml").read_bytes() == before

    at.session_state["action_plan"] = {"edited_rows": {}, "added_rows": [{"Action": "Update the leaflet", "Owner": "Coordinator"}],
                                       "deleted_rows": []}
    button(at.run(), "Save action plan").click().run()
    assert at.success[0].value.startswith(f"A{rows + 1} added")
    assert read_change_log(workspace, 1)[0].change == f"A{rows + 1} added"


def test_leadership_is_not_told_there_is_no_evidence_where_evidence_is_linked_but_does_not_count(workspace: Path) -> None:
    at = open_page("leadership", "standards")
    next(s for s in at.selectbox if s.label == "Standard").set_value("All standards").run()
    text = page_text(at)
    assert "no evidence yet" not in text
    assert "not enough evidence that counts yet" in text


def test_the_agreement_form_shows_both_markers_answers_under_the_question_they_belong_to(workspace: Path) -> None:
    at = open_page("supervisor", "audits")
    at.session_state["audit_section"] = "Second marking"
    at.run()
    at.selectbox(key="moderate_case").set_value("RJ-2026-0028").run()
    asked = questions(workspace)
    radios = [r for r in at.radio if r.key.startswith("agreed-RJ-2026-0028-")]
    assert len(radios) == 1  # one answer differs
    item = radios[0].key.removeprefix("agreed-RJ-2026-0028-")
    assert radios[0].label.startswith(asked[item])

    def walk(node):
        for child in getattr(node, "children", {}).values():
            yield child
            yield from walk(child)

    shown = list(walk(at.main))
    at_question = next(i for i, e in enumerate(shown) if getattr(e, "key", None) == radios[0].key)
    under = shown[at_question + 1]  # straight under its question, not under the one before
    assert type(under).__name__ == "Caption" and under.value.startswith("First marker: ") and "· second marker: " in under.value
