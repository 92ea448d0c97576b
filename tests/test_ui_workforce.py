"""The Workforce page and the workforce shares on the Overview, role by role (AppTest, no browser)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from rsqm.workspace.store import read_change_log

APP = str(Path(__file__).resolve().parent.parent / "app.py")
STAFF_CODE = re.compile(r"\b[PA]\d{2}\b")


@pytest.fixture
def workspace(demo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo, assessed on 27 November 2026: a date already passed, so the workforce is shown on it, not on today."""
    settings = demo_copy / "rsqm.yaml"
    settings.write_text(re.sub(r"assessment_date: .*", "assessment_date: 2026-11-27", settings.read_text()))
    monkeypatch.setenv("RSQM_WORKSPACE", str(demo_copy))
    return demo_copy


def open_workforce(role: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["demo_role"] = role
    at.run()
    at.switch_page("rsqm/ui/workforce.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_coordinator_sees_the_table_the_due_list_and_the_cases_to_check(workspace):
    at = open_workforce("coordinator")
    assert at.title[0].value == "Workforce"
    rows = at.table[0].value.set_index("Code")
    assert rows.loc["P04", "Registration"] == "intermediate to 2026-08-31 (lapsed)"
    assert rows.loc["P05", "Supervision due"] == "2026-11-04"
    headings = [s.value for s in at.header]
    assert headings == ["By staff code", "Due in the next 4 weeks", "Cases to check against the register", "Record an entry"]
    due = at.table[1].value
    assert list(zip(due["Code"], due["What"], due["Overdue"], strict=True)) == [
        ("P04", "registration renewal", "overdue"), ("P05", "supervision", "overdue"),
        ("P08", "observed practice", "overdue"), ("P06", "supervision", "")]
    assert "P04 was not registered on the referral date 2026-09-28" in at.dataframe[0].value.to_csv()


def test_recording_a_supervision_through_the_form_changes_the_row_and_logs_it(workspace):
    at = open_workforce("coordinator")
    at.selectbox[0].set_value("P05")
    at.radio[0].set_value("Supervision")
    at.date_input[0].set_value(date(2026, 11, 26))
    next(b for b in at.button if b.label == "Record").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    rows = at.table[0].value.set_index("Code")
    assert (rows.loc["P05", "Last supervision"], rows.loc["P05", "Supervision due"]) == ("2026-11-26", "2027-02-18")
    [entry] = read_change_log(workspace)
    assert (entry.file, entry.change, entry.item) == ("evidence/workforce.yaml", "log supervision 2026-11-26", "P05")


def test_supervisors_read_the_table_without_the_form_or_the_cases(workspace):
    at = open_workforce("supervisor")
    assert [s.value for s in at.header] == ["By staff code", "Due in the next 4 weeks"]
    assert not [b for b in at.button if b.label == "Record"]


def test_leadership_sees_the_four_shares_with_targets_and_no_staff_code(workspace):
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["demo_role"] = "leadership"
    at.run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Registered with the RJC"] == "78%"
    assert metrics["Supervised every 12 weeks"] == "90%"
    captions = [c.value for c in at.caption]
    assert "7 of 9 · target 60% · met" in captions
    text = "\n".join([*captions, *(f"{m.label} {m.value} {m.help}" for m in at.metric), *(s.value for s in at.header)])
    assert not STAFF_CODE.findall(text)


def test_the_standards_page_shows_an_indicators_measures_as_counts(workspace):
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["demo_role"] = "supervisor"
    at.run()
    at.switch_page("rsqm/ui/standards.py").run()
    next(s for s in at.selectbox if s.label == "Standard").set_value("P").run()
    assert not at.exception
    [measures] = [t.value for t in at.table if "Measure" in t.value.columns]
    row = measures.iloc[0].to_dict()
    assert row == {"Measure": "Practitioners registered with the RJC", "Counted": 9, "Meeting it": 7, "Rate": "78%",
                   "95% interval": "45%–94%", "Target": "60%", "Judged": "meets target"}
