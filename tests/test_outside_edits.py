"""Edits made outside rsqm are seen: the next command records "changed outside rsqm" in the change log, once,
with what changed in outline and in words (records added, removed, fields changed: old -> new)."""

from __future__ import annotations

import json

from rsqm.workspace.store import read_change_log
from staff_fixtures import WORKFORCE

REGISTER = "evidence/workforce.yaml"


def test_a_hand_edit_after_rsqm_wrote_is_recorded_by_the_next_command(ws, cli):
    ws.write_yaml(REGISTER, WORKFORCE)
    assert cli("workforce", "update", "P05", "--expires", "2028-06-30", "-w", str(ws.root), "--by", "coord").code == 0
    path = ws.root / REGISTER
    path.write_text(path.read_text().replace("2028-06-30", "2028-07-31"), encoding="utf-8")  # an editor, not rsqm

    assert cli("validate", "-w", str(ws.root)).code == 0  # any command on the workspace notices it
    newest = read_change_log(ws.root)[0]
    said = "changed outside rsqm: P05 registration expires: 2028-06-30 → 2028-07-31"
    assert (newest.who, newest.file, newest.change) == ("outside rsqm", REGISTER, said)
    assert f"outside rsqm  {REGISTER}  {said}" in cli("log", "-w", str(ws.root)).out

    cli("validate", "-w", str(ws.root))
    assert [e.change.startswith("changed outside rsqm") for e in read_change_log(ws.root)].count(True) == 1  # reported once


def test_the_outline_names_records_added_and_removed_and_fields_in_words(ws, cli):
    ws.write_yaml(REGISTER, WORKFORCE)
    assert cli("workforce", "leave", "P05", "--on", "2026-07-31", "-w", str(ws.root)).code == 0
    path = ws.root / REGISTER
    text = path.read_text()
    path.write_text(text.replace("code: V01", "code: V02").replace("admin_only: true", "admin_only: false"), encoding="utf-8")
    cli("validate", "-w", str(ws.root))
    assert read_change_log(ws.root)[0].change == "changed outside rsqm: V02 added; V01 removed; A01 admin only: yes → no"


def test_a_second_hand_edit_is_told_against_the_first_not_against_what_rsqm_wrote(ws, cli):
    assert cli("config", "set", "assessment_date", "2027-03-31", "-w", str(ws.root)).code == 0
    settings = ws.root / "rsqm.yaml"
    settings.write_text(settings.read_text().replace("2027-03-31", "2027-04-30"), encoding="utf-8")
    cli("validate", "-w", str(ws.root))
    settings.write_text(settings.read_text().replace("2027-04-30", "2027-05-31"), encoding="utf-8")
    cli("validate", "-w", str(ws.root))
    assert [e.change for e in read_change_log(ws.root)[:2]] == ["changed outside rsqm: assessment date: 2027-04-30 → 2027-05-31",
                                                              "changed outside rsqm: assessment date: 2027-03-31 → 2027-04-30"]


def test_long_text_is_said_to_have_changed_not_repeated(ws, cli):
    assert cli("config", "set", "feedback_questions.felt_safe", "Did you feel safe?", "-w", str(ws.root)).code == 0
    settings = ws.root / "rsqm.yaml"
    settings.write_text(settings.read_text().replace("Did you feel safe?", "Did you feel safe at every stage of the meeting and after it?"),
                        encoding="utf-8")
    cli("validate", "-w", str(ws.root))
    assert read_change_log(ws.root)[0].change == "changed outside rsqm: feedback questions felt safe changed"


def test_a_file_removed_by_hand_is_recorded_as_removed(ws, cli):
    ws.write_yaml(REGISTER, WORKFORCE)
    cli("workforce", "leave", "P05", "--on", "2026-07-31", "-w", str(ws.root))
    (ws.root / REGISTER).unlink()
    cli("validate", "-w", str(ws.root))
    assert read_change_log(ws.root)[0].change == "removed outside rsqm"


def test_files_rsqm_wrote_and_nobody_touched_are_not_reported(ws, cli):
    ws.write_yaml(REGISTER, WORKFORCE)
    cli("workforce", "leave", "P05", "--on", "2026-07-31", "-w", str(ws.root))
    cli("config", "set", "local_mode", "yes", "-w", str(ws.root))
    cli("validate", "-w", str(ws.root))
    changes = [json.loads(line)["change"] for line in (ws.root / ".rsqm/changes.jsonl").read_text().splitlines()]
    assert changes == ["P05 left on 2026-07-31", "set local mode"]
