"""The Settings page: the coordinator changes rsqm.yaml through the same functions as `rsqm config set`.

Each change is checked before anything is written, comments in the file are kept,
a refused value is said in words naming the setting, and the change log names who.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from test_ui_apptest import open_page

from rsqm.workspace.store import read_change_log


@pytest.fixture
def workspace(demo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RSQM_WORKSPACE", str(demo_copy))
    settings = demo_copy / "rsqm.yaml"
    settings.write_text("# Kept by the coordinator.\n" + settings.read_text(encoding="utf-8"), encoding="utf-8")
    return demo_copy


def settings_of(workspace: Path) -> dict:
    return yaml.safe_load((workspace / "rsqm.yaml").read_text(encoding="utf-8"))


def test_the_coordinator_changes_settings_and_the_comments_stay(workspace: Path) -> None:
    at = open_page("coordinator", "settings")
    assert [h.value for h in at.header] == ["The service and the assessment", "Feedback questions"]
    at.text_input(key="setting-assessment_date").set_value("2027-04-30")
    at.text_input(key="setting-public_contacts").set_value("01632 960000, hello@example.org")
    at.checkbox(key="setting-pool_rounds").check()
    at.button(key="FormSubmitter:settings-Save settings").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    saved = settings_of(workspace)
    assert (str(saved["assessment_date"]), saved["public_contacts"], saved["pool_rounds"]) == \
        ("2027-04-30", ["01632 960000", "hello@example.org"], True)
    assert (workspace / "rsqm.yaml").read_text().startswith("# Kept by the coordinator.")
    changes = {(e.who, e.change) for e in read_change_log(workspace)}
    assert {("coordinator (demo)", "set assessment date"), ("coordinator (demo)", "set public contacts"),
            ("coordinator (demo)", "set pool rounds")} <= changes


def test_a_refused_value_names_the_setting_and_writes_nothing(workspace: Path) -> None:
    before = (workspace / "rsqm.yaml").read_text()
    at = open_page("coordinator", "settings")
    at.text_input(key="setting-assessment_date").set_value("31/03/2027")
    at.button(key="FormSubmitter:settings-Save settings").click().run()
    assert "Assessment date: expected a date as YYYY-MM-DD, got '31/03/2027'" in at.error[0].value
    assert (workspace / "rsqm.yaml").read_text() == before


def test_local_mode_stays_on_while_no_account_could_sign_in(workspace: Path) -> None:
    before = (workspace / "rsqm.yaml").read_text()
    at = open_page("coordinator", "settings")
    at.checkbox(key="setting-local_mode").uncheck()
    at.button(key="FormSubmitter:settings-Save settings").click().run()
    assert "local mode stays on until an account exists" in at.error[0].value
    assert (workspace / "rsqm.yaml").read_text() == before


def test_a_feedback_question_is_added_by_a_short_name_in_words(workspace: Path) -> None:
    at = open_page("coordinator", "settings")
    at.text_input(key="question-new-id").set_value("Felt heard")
    at.text_input(key="question-new-text").set_value("Did you feel heard?")
    at.button(key="FormSubmitter:feedback-questions-Save questions").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert settings_of(workspace)["feedback_questions"]["felt_heard"] == "Did you feel heard?"


@pytest.mark.parametrize("role", ["supervisor", "leadership", "assessor"])
def test_only_the_coordinator_reaches_the_settings(workspace: Path, role: str) -> None:
    at = open_page(role)
    with pytest.raises(ValueError, match="Could not find"):
        at.switch_page("rsqm/ui/settings.py")
