"""rsqm config get / set: rsqm.yaml changed by command, checked before writing, its comments kept."""

from __future__ import annotations

import pytest
import yaml

from rsqm.workspace.load import load_workspace
from rsqm.workspace.store import read_change_log

COMMENTED = """\
schema: rsqm/workspace@1
# Our service, as named on the leaflets.
service: Test Service
framework: test-fw
checklist: test-checklist
assessment_date: 2026-06-30  # agreed with the assessor
case_ref_pattern: '^[A-Z]{2,5}-\\d{4}-\\d{3,5}$'
feedback_questions:
  felt_safe: Did you feel safe taking part?
"""


@pytest.fixture
def commented(ws):
    (ws.root / "rsqm.yaml").write_text(COMMENTED, encoding="utf-8")
    return ws


def settings_of(ws):
    return yaml.safe_load((ws.root / "rsqm.yaml").read_text())


@pytest.mark.parametrize(("key", "printed"), [
    ("assessment_date", "2026-06-30"),
    ("local_mode", "no"),
    ("frameworks", "none"),
    ("feedback_questions.felt_safe", "Did you feel safe taking part?"),
    ("feedback_questions", "felt_safe: Did you feel safe taking part?"),
])
def test_get_prints_a_setting_in_words(commented, cli, key, printed):
    result = cli("config", "get", key, "-w", str(commented.root))
    assert result.code == 0, result.text
    assert result.out == printed + "\n"


@pytest.mark.parametrize(("key", "value", "stored"), [
    ("assessment_date", "2027-03-31", ("assessment_date", "2027-03-31")),
    ("local_mode", "yes", ("local_mode", True)),
    ("public_contacts", "01632 960000, hello@test.example", ("public_contacts", ["01632 960000", "hello@test.example"])),
    ("audit_window_months", "18", ("audit_window_months", 18)),
])
def test_set_writes_the_value_keeps_the_comments_and_logs_the_change(commented, cli, key, value, stored):
    result = cli("config", "set", key, value, "-w", str(commented.root), "--by", "coord")
    assert result.code == 0, result.text
    text = (commented.root / "rsqm.yaml").read_text()
    assert "# Our service, as named on the leaflets." in text and "# agreed with the assessor" in text
    got = settings_of(commented)[stored[0]]
    assert (got.isoformat() if hasattr(got, "isoformat") else got) == stored[1]
    assert load_workspace(commented.root).valid
    entry = read_change_log(commented.root)[0]
    assert (entry.who, entry.file, entry.change, entry.item) == ("coord", "rsqm.yaml", f"set {key.replace('_', ' ')}", None)


def test_a_feedback_question_is_added_by_its_id(commented, cli):
    result = cli("config", "set", "feedback_questions.kept_informed", "Were you kept informed?", "-w", str(commented.root))
    assert result.code == 0, result.text
    assert settings_of(commented)["feedback_questions"] == {"felt_safe": "Did you feel safe taking part?",
                                                            "kept_informed": "Were you kept informed?"}


def test_an_empty_value_clears_an_optional_setting(commented, cli):
    assert cli("config", "set", "assessment_date", "", "-w", str(commented.root)).code == 0
    assert "assessment_date" not in settings_of(commented)


@pytest.mark.parametrize(("args", "code", "message"), [
    (["assessment_date", "31/03/2027"], 1, "assessment date: expected a date as YYYY-MM-DD, got '31/03/2027'"),
    (["local_mode", "maybe"], 1, "local mode: 'maybe' is not yes or no"),
    (["audit_window_months", "0"], 1, "audit window months: '0' is too small: it must be at least 1"),
    (["service", ""], 1, "service cannot be empty"),
    (["colour", "blue"], 2, "'colour' is not a setting of rsqm.yaml"),
    (["feedback_questions", "x"], 2, "name one as feedback_questions.ID"),
    (["local_mode.x", "yes"], 2, "'local_mode' is a single setting"),
])
def test_a_bad_value_is_refused_and_nothing_written(commented, cli, args, code, message):
    result = cli("config", "set", *args, "-w", str(commented.root))
    assert result.code == code
    assert message in result.err
    assert (commented.root / "rsqm.yaml").read_text() == COMMENTED
    assert read_change_log(commented.root) == []


def test_setting_the_same_value_changes_nothing(commented, cli):
    result = cli("config", "set", "assessment_date", "2026-06-30", "-w", str(commented.root))
    assert result.code == 0 and "nothing changed" in result.out
    assert read_change_log(commented.root) == []
