"""The Workforce page adds and changes staff through the same functions as `rsqm workforce add` and `update`.

Staff codes only, never names; a refused entry is said in words and writes nothing;
each save is one line of the change log naming the coordinator.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from test_ui_apptest import open_page

from rsqm.workspace.store import read_change_log


@pytest.fixture
def workspace(demo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RSQM_WORKSPACE", str(demo_copy))
    return demo_copy


def staff(workspace: Path) -> dict[str, dict]:
    data = yaml.safe_load((workspace / "evidence/workforce.yaml").read_text(encoding="utf-8"))
    return {m["code"]: m for m in data["staff"]}


def fill_new(at, code: str) -> None:
    at.text_input(key="member_code").set_value(code)
    at.radio(key="member-kind-A new member of staff").set_value("Volunteer")
    at.date_input(key="member-started-A new member of staff").set_value(date(2026, 9, 1))
    at.selectbox(key="member-training-A new member of staff").set_value("foundation")
    at.date_input(key="member-trained-A new member of staff").set_value(date(2026, 10, 2))
    at.date_input(key="member-probation-A new member of staff").set_value(date(2027, 3, 1))


def test_the_coordinator_adds_a_member_of_staff(workspace: Path) -> None:
    at = open_page("coordinator", "workforce")
    fill_new(at, "V09")
    at.button(key="FormSubmitter:member-A new member of staff-Add").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    added = staff(workspace)["V09"]
    assert (added["paid"], str(added["started"]), added["training"]["level"], str(added["probation_until"])) == \
        (False, "2026-09-01", "foundation", "2027-03-01")
    entry = read_change_log(workspace)[0]
    assert (entry.who, entry.change, entry.item) == ("coordinator (demo)", "add V09 (volunteer)", "V09")


def test_changing_a_member_saves_only_what_changed(workspace: Path) -> None:
    at = open_page("coordinator", "workforce")
    at.selectbox(key="member_pick").set_value("P01").run()
    at.date_input(key="member-expires-P01").set_value(date(2028, 9, 30))
    at.button(key="FormSubmitter:member-P01-Save changes").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert str(staff(workspace)["P01"]["registration"]["expires"]) == "2028-09-30"
    assert read_change_log(workspace)[0].change == "update P01: registration"


@pytest.mark.parametrize(("code", "said"), [
    ("Jo Bloggs", "looks like a name: the register keeps staff codes only"),
    ("P01", "P01 is already in the workforce register"),
])
def test_a_name_or_a_code_already_there_is_refused_and_nothing_written(workspace: Path, code: str, said: str) -> None:
    before = (workspace / "evidence/workforce.yaml").read_text()
    at = open_page("coordinator", "workforce")
    fill_new(at, code)
    at.button(key="FormSubmitter:member-A new member of staff-Add").click().run()
    assert said in at.error[0].value
    assert (workspace / "evidence/workforce.yaml").read_text() == before


def test_without_a_register_the_first_member_starts_one(workspace: Path) -> None:
    (workspace / "evidence/workforce.yaml").unlink()
    at = open_page("coordinator", "workforce")
    assert "No workforce register yet" in at.info[0].value
    fill_new(at, "P20")
    at.button(key="FormSubmitter:member-A new member of staff-Add").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert list(staff(workspace)) == ["P20"]


def test_supervisors_see_no_form(workspace: Path) -> None:
    at = open_page("supervisor", "workforce")
    assert not [s for s in at.selectbox if s.key == "member_pick"]
