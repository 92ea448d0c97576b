"""Edits made outside rsqm are seen: the next command records "changed outside rsqm" in the change log, once."""

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
    assert (newest.who, newest.file, newest.change) == ("outside rsqm", REGISTER, "changed outside rsqm")
    assert "changed outside rsqm" in cli("log", "-w", str(ws.root)).out

    cli("validate", "-w", str(ws.root))
    assert [e.change for e in read_change_log(ws.root)].count("changed outside rsqm") == 1  # reported once


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
