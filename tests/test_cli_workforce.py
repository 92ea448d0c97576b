"""rsqm workforce: the table, the due list and the case cross-check; ``log`` writes one entry and one change-log line."""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest

from builders import FRAMEWORK, build
from rsqm.workspace.load import load_workspace
from rsqm.workspace.store import read_change_log
from staff_fixtures import WORKFORCE

D = "2026-06-30"


@pytest.fixture
def staffed(tmp_path):
    framework = copy.deepcopy(FRAMEWORK) | {"sensitive_offence_categories": ["domestic_abuse"]}
    builder = build(tmp_path / "ws", framework=framework)
    builder.write_yaml("evidence/workforce.yaml", WORKFORCE)
    builder.cases({"case_ref": "RJ-2026-001", "referred_on": "2026-03-02", "process": "letter", "offence_category": "domestic_abuse",
                   "initiator": "harmed_person", "practitioner": "P01"})
    return builder


def test_the_table_lists_every_staff_code_with_what_is_due(staffed, cli):
    result = cli("workforce", "-w", str(staffed.root), "--as-of", D)
    assert result.code == 0, result.err
    assert "P05     paid      delivering             foundation to 2026-06-29 (lapsed)" in result.out
    assert "Practitioners registered with the RJC: 1 of 2 (50%), target 60%: NOT MET" in result.out
    assert "2026-05-14  P05    supervision  OVERDUE" in result.out
    assert "RJ-2026-001: sensitive category domestic abuse facilitated by P01 at intermediate level" in result.out


def test_the_json_holds_shares_staff_due_and_case_flags(staffed, cli):
    payload = json.loads(cli("workforce", "-w", str(staffed.root), "--as-of", D, "--json").out)
    assert payload["as_of"] == D
    assert [s["measure"] for s in payload["shares"]] == ["registered_practitioners", "supervision_every_12_weeks", "observed_practice_yearly", "cpd_hours"]
    assert [r["code"] for r in payload["staff"]] == ["A01", "P01", "P05", "V01"]
    assert {"code": "P05", "what": "supervision", "due": "2026-05-14", "overdue": True} in payload["due"]
    assert [f["case_ref"] for f in payload["case_flags"]] == ["RJ-2026-001"]


def test_a_workspace_without_a_register_is_told_so(ws, cli):
    result = cli("workforce", "-w", str(ws.root))
    assert result.code == 1 and "no workforce register" in result.err


@pytest.mark.parametrize(("args", "change"), [
    (["--supervision", "2026-06-25"], "log supervision 2026-06-25"),
    (["--observed", "2026-06-01"], "log observed practice 2026-06-01"),
    (["--cpd", "3.5", "--approved", "yes", "--date", "2026-05-20", "--title", "Restorative practice with young people"],
     "log CPD 3.5 hours on 2026-05-20 (RJC-approved)"),
])
def test_each_log_writes_one_entry_and_one_change_log_line(staffed, cli, args, change):
    result = cli("workforce", "log", "P05", *args, "-w", str(staffed.root), "--by", "coordinator")
    assert result.code == 0, result.err
    log = read_change_log(staffed.root)
    assert [(e.who, e.file, e.change, e.item) for e in log] == [("coordinator", "evidence/workforce.yaml", change, "P05")]
    ws = load_workspace(staffed.root)
    assert ws.valid, ws.problems
    p05 = next(m for m in ws.workforce.staff if m.code == "P05")
    assert len(p05.supervision) + len(p05.observed_practice) + len(p05.cpd) == 4  # three supervisions before


def test_the_logged_supervision_changes_the_table(staffed, cli):
    cli("workforce", "log", "P05", "--supervision", "2026-06-25", "-w", str(staffed.root), "--by", "coordinator")
    payload = json.loads(cli("workforce", "-w", str(staffed.root), "--as-of", D, "--json").out)
    p05 = next(r for r in payload["staff"] if r["code"] == "P05")
    assert (p05["last_supervision"], p05["supervision_due"]) == ("2026-06-25", "2026-09-17")


@pytest.mark.parametrize(("args", "message"), [
    (["P99", "--supervision", "2026-06-25"], "no staff code 'P99'"),
    (["P05", "--supervision", "2026-02-19"], "already has a supervision on 2026-02-19"),
    (["P05", "--observed", "2999-01-01"], "lies in the future"),
])
def test_a_refused_entry_writes_nothing(staffed, cli, args, message):
    before = (staffed.root / "evidence/workforce.yaml").read_bytes()
    result = cli("workforce", "log", *args, "-w", str(staffed.root), "--by", "coordinator")
    assert result.code == 1 and result.err.startswith("rsqm workforce: error: evidence/workforce.yaml: ") and message in result.err
    assert (staffed.root / "evidence/workforce.yaml").read_bytes() == before
    assert read_change_log(staffed.root) == []


@pytest.mark.parametrize("args", [
    ["P05"],
    ["P05", "--supervision", "2026-06-25", "--observed", "2026-06-25"],
    ["P05", "--cpd", "2"],
    ["P05", "--supervision", "2026-06-25", "--approved", "yes"],
    ["P05", "--cpd", "0", "--approved", "yes", "--date", "2026-06-01"],
])
def test_misuse_exits_2_and_writes_nothing(staffed, cli, args):
    result = cli("workforce", "log", *args, "-w", str(staffed.root), "--by", "coordinator")
    assert result.code == 2
    assert read_change_log(staffed.root) == []


def test_by_default_the_workforce_is_shown_on_the_assessment_date_once_it_has_passed(staffed, cli):
    payload = json.loads(cli("workforce", "-w", str(staffed.root), "--json").out)
    assert payload["as_of"] == "2026-06-30"  # the builder's assessment date, already passed


def test_before_the_assessment_the_workforce_is_shown_on_today(staffed, cli):
    staffed.settings(assessment_date="2999-01-01")
    payload = json.loads(cli("workforce", "-w", str(staffed.root), "--json").out)
    assert payload["as_of"] == date.today().isoformat()
    measures = json.loads(cli("measures", "-w", str(staffed.root), "--json").out)
    assert measures["as_of"] == "2999-01-01"  # measures, like the gap analysis, stay on the assessment date


def test_an_error_in_an_unrelated_file_does_not_block_a_log(staffed, cli):
    staffed.write("evidence/actions.yaml", "schema: rsqm/actions@1\nactions:\n  - id: A1\n    title: x\n    owner: Lead\n    colour: red\n")
    result = cli("workforce", "log", "P05", "--supervision", "2026-06-25", "-w", str(staffed.root), "--by", "coordinator")
    assert result.code == 0 and "error(s) elsewhere" in result.err
    assert len(read_change_log(staffed.root)) == 1


def test_an_error_in_the_register_itself_blocks_a_log(staffed, cli):
    text = (staffed.root / "evidence/workforce.yaml").read_text()
    staffed.write("evidence/workforce.yaml", text.replace("code: A01", "code: A01\n    colour: red"))
    result = cli("workforce", "log", "P05", "--supervision", "2026-06-25", "-w", str(staffed.root), "--by", "coordinator")
    assert result.code == 1 and "evidence/workforce.yaml:" in result.err and "nothing changed" in result.err
    assert read_change_log(staffed.root) == []
