"""rsqm gaps as a user runs it: the table, the JSON contract, exit codes."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from test_gaps import add_audits, evidence, risk, supervision

from builders import item

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def partly_ready(ws):
    """A1 met, A2 partly met (one of two training records), B1 (critical) met: 15/18 against a target of 0.8."""
    evidence(ws, item("E001"), item("E002", type="training_record", links=[{"indicator": "A2", "locator": ""}]), supervision())
    add_audits(ws, [*risk(*["met"] * 15, *["not_met"] * 3), {"risk_checked": "n_a"}])
    ws.write("evidence/narratives/A1.md", "Our policy is reviewed every year.\n")
    return ws


def test_table_lists_standards_then_indicators_with_reasons_and_ends_with_the_verdict(partly_ready, cli):
    result = cli("gaps", "-w", str(partly_ready.root))
    assert result.code == 0, result.text
    out = result.out
    assert "Test Service: Test framework (version 1) as of 2026-06-30" in out
    assert out.index("A  Alpha") < out.index("B  Bravo") < out.index("Indicators")
    lines = out.splitlines()
    assert any(line.startswith("A  Alpha") and "67%" in line for line in lines)
    assert any(line.startswith("B  Bravo") and "100%" in line for line in lines)
    assert any(line.startswith("  A1") and " met " in line and "E001" in line for line in lines)
    assert any(line.startswith("  A2") and "partly met" in line for line in lines)
    assert any(line.startswith("* B1") and " met " in line for line in lines)
    assert "      - warning evidence link without page or section: link(s) from E002 give no locator (page or section)" in lines
    assert "        next: add 1 more approved item(s) of type Training record dated on or after 2024-06-30 and link them to A2" in lines
    assert lines[-1] == "Verdict: READY to apply - every critical indicator is met and none is not met."


def test_table_names_what_blocks_the_verdict(ws, cli):
    evidence(ws, supervision(dated="2025-01-15"))
    add_audits(ws, risk("met", "met", "not_met", "met"))
    result = cli("gaps", "-w", str(ws.root))
    assert result.code == 0
    lines = result.out.splitlines()
    assert "      - evidence out of date: E010 dated 2025-01-15 is older than 12 months on 2026-06-30 (last counted on 2026-01-15)" in lines
    assert "      - case-file audit below target: risk checked: 3/4 met (75%, 95% CI 30%-95%) against a target of 80%" in lines
    assert any(line.startswith("* B1") and "NOT MET" in line for line in lines)
    assert lines[-1] == "Verdict: NOT READY to apply - blocked by A1, A2, B1."


def test_json_carries_every_contract_key(partly_ready, cli):
    result = cli("gaps", "-w", str(partly_ready.root), "--json")
    assert result.code == 0, result.text
    data = json.loads(result.out)
    assert {"as_of", "framework", "ready", "readiness", "standards", "indicators"} <= data.keys()
    assert data["as_of"] == "2026-06-30"
    assert data["framework"] == {"id": "test-fw", "version": "1", "title": "Test framework"}
    assert data["readiness"] == pytest.approx((1 + 0.5 * 2 + 1) / 4)
    standard = data["standards"][0]
    assert {"id", "title", "readiness", "counts"} <= standard.keys()
    assert standard["counts"] == {"met": 1, "partly_met": 1, "not_met": 0, "not_applicable": 0}
    by_id = {i["id"]: i for i in data["indicators"]}
    for entry in by_id.values():
        assert {"id", "standard", "status", "critical", "evidence", "audit", "reasons"} <= entry.keys()
        for reason in entry["reasons"]:
            assert {"code", "refs", "message"} <= reason.keys()
    b1 = by_id["B1"]
    assert (b1["standard"], b1["status"], b1["critical"], b1["evidence"]) == ("B", "met", True, ["E010"])
    assert b1["audit"] == [{
        "item": "risk_checked", "applicable": 18, "met": 15, "n_a": 1, "rate": 0.833, "ci_low": 0.608,
        "ci_high": 0.942, "target": 0.8, "enough": True, "met_target": True, "rounds": ["s1"],
    }]
    assert [r["code"] for r in by_id["A2"]["reasons"]] == ["no_evidence", "link_without_locator", "no_narrative"]
    assert data["ready"] is True  # A2 partly met is not critical, B1 met at 83% against 80%


def test_json_verdict_is_false_when_a_critical_indicator_is_not_met(ws, cli):
    evidence(ws, item("E001"), *[item(f"E00{n}", type="training_record", links=[{"indicator": "A2", "locator": "p. 1"}]) for n in (2, 3)])
    data = json.loads(cli("gaps", "-w", str(ws.root), "--json").out)
    statuses = {i["id"]: i["status"] for i in data["indicators"]}
    assert statuses == {"A1": "met", "A2": "met", "B1": "not_met"}
    assert data["ready"] is False
    assert data["blockers"] == ["B1"]
    reasons = data["indicators"][2]["reasons"]
    assert ("audit_sample_too_small", ["risk_checked"]) in [(r["code"], r["refs"]) for r in reasons]


def test_as_of_moves_the_assessment_date(ws, cli):
    evidence(ws, item("E001", dated="2025-05-01"))
    on_the_day = json.loads(cli("gaps", "-w", str(ws.root), "--json").out)
    earlier = json.loads(cli("gaps", "-w", str(ws.root), "--json", "--as-of", "2026-04-30").out)
    assert (on_the_day["indicators"][0]["status"], earlier["indicators"][0]["status"]) == ("not_met", "met")
    assert earlier["as_of"] == "2026-04-30"
    assert on_the_day["indicators"][0]["reasons"][0]["code"] == "evidence_expired"


def test_without_an_assessment_date_the_as_of_date_is_today(ws, cli):
    ws.settings(assessment_date=None)
    data = json.loads(cli("gaps", "-w", str(ws.root), "--json").out)
    assert data["as_of"] == date.today().isoformat()


def test_another_framework_can_be_assessed(ws, cli):
    ws.write_yaml("standards/other-fw.yaml", {
        "schema": "rsqm/framework@1", "id": "other-fw", "title": "Other framework", "version": "2", "source": "tests",
        "evidence_types": {"policy": "Policy"},
        "standards": [{"id": "X", "title": "Xray", "indicators": [{"id": "C", "title": "Complaints"}]}],
    })
    evidence(ws, item("E001", links=[{"indicator": "other-fw:C", "locator": "p. 4"}]))
    data = json.loads(cli("gaps", "-w", str(ws.root), "--json", "--framework", "other-fw").out)
    assert data["framework"]["id"] == "other-fw"
    assert [(i["id"], i["status"]) for i in data["indicators"]] == [("C", "met")]


def test_an_unknown_framework_is_misuse(ws, cli):
    result = cli("gaps", "-w", str(ws.root), "--framework", "nope")
    assert result.code == 2
    assert "unknown framework 'nope' (known: test-fw)" in result.err
    assert "Traceback" not in result.text


def test_an_invalid_workspace_prints_its_errors_and_exits_1(ws, cli):
    evidence(ws, item("E001", links=[{"indicator": "Z9", "locator": "p. 2"}]))
    result = cli("gaps", "-w", str(ws.root))
    assert result.code == 1
    assert "evidence/register.yaml:" in result.err and "link to unknown indicator 'Z9'" in result.err
    assert result.out == ""


@pytest.mark.parametrize("args", [("--as-of", "30/06/2026"), ("--bogus",)])
def test_misuse_exits_2(ws, cli, args):
    result = cli("gaps", "-w", str(ws.root), *args)
    assert result.code == 2
    assert "Traceback" not in result.text


def test_no_workspace_exits_2(tmp_path, cli):
    result = cli("gaps", "-w", str(tmp_path))
    assert result.code == 2
    assert "no workspace" in result.err


def test_demo_workspace_tells_a_story(demo_copy, cli):
    """Speed is measured in bench/, not asserted here."""
    if not (REPO / "evidence" / "register.yaml").exists():
        pytest.skip("the demo workspace is not built yet")
    result = cli("gaps", "-w", str(demo_copy), "--json")
    assert result.code == 0, result.text
    data = json.loads(result.out)
    statuses = {i["status"] for i in data["indicators"]}
    assert len(statuses - {"not_applicable"}) >= 2  # a mixed picture, not all one colour


# --- more than one framework --------------------------------------------------


@pytest.fixture
def two_frameworks(partly_ready):
    partly_ready.write_yaml("standards/other-fw.yaml", {
        "schema": "rsqm/framework@1", "id": "other-fw", "title": "Other framework", "version": "2", "source": "tests",
        "evidence_types": {"policy": "Policy"},
        "standards": [{"id": "X", "title": "Xray", "indicators": [{"id": "C", "title": "Complaints"}]}],
    })
    partly_ready.settings(frameworks=["other-fw"])
    return partly_ready


def test_an_unknown_further_framework_is_an_error_at_its_line(ws, cli):
    ws.settings(frameworks=["nope"])
    result = cli("validate", "-w", str(ws.root))
    assert result.code == 1
    assert "rsqm.yaml:8: error: the list of frameworks names an unknown framework 'nope' (known: test-fw)" in result.out


def test_the_table_ends_with_a_verdict_per_framework_and_one_overall(two_frameworks, cli):
    result = cli("gaps", "-w", str(two_frameworks.root))
    assert result.code == 0, result.text
    lines = result.out.splitlines()
    assert lines[-3].startswith("test-fw (1)") and lines[-3].endswith("75%  ready")
    assert lines[-2].startswith("other-fw (2)") and lines[-2].endswith("0%  not ready: C")
    assert lines[-1] == "Overall: NOT READY - not ready against other-fw."


def test_json_keeps_the_documented_keys_and_adds_a_summary_per_framework(two_frameworks, cli):
    data = json.loads(cli("gaps", "-w", str(two_frameworks.root), "--json").out)
    assert {"as_of", "framework", "ready", "readiness", "standards", "indicators"} <= data.keys()
    assert (data["framework"]["id"], data["ready"]) == ("test-fw", True)
    assert data["overall_ready"] is False
    assert data["frameworks"] == [
        {"id": "test-fw", "title": "Test framework", "version": "1", "ready": True, "readiness": 0.75,
         "blockers": [], "counts": {"met": 2, "partly_met": 1, "not_met": 0, "not_applicable": 0}},
        {"id": "other-fw", "title": "Other framework", "version": "2", "ready": False, "readiness": 0.0,
         "blockers": ["C"], "counts": {"met": 0, "partly_met": 0, "not_met": 1, "not_applicable": 0}},
    ]


def test_each_further_framework_can_be_assessed_on_its_own_and_counts_towards_the_overall_verdict(two_frameworks, cli):
    evidence(two_frameworks, item("E001", links=[{"indicator": "A1", "locator": "p. 1"}, {"indicator": "other-fw:C", "locator": "p. 3"}]),
             item("E002", type="training_record", links=[{"indicator": "A2", "locator": ""}]), supervision())
    data = json.loads(cli("gaps", "-w", str(two_frameworks.root), "--json", "--framework", "other-fw").out)
    assert (data["framework"]["id"], data["ready"]) == ("other-fw", True)
    assert data["overall_ready"] is True
    assert cli("gaps", "-w", str(two_frameworks.root)).out.splitlines()[-1] == "Overall: READY against every framework."


def test_next_steps_read_in_words_but_a_command_to_type_keeps_its_spelling(ws, cli):
    add_audits(ws, risk("met", "met"))  # too few cases (3 needed): draw a larger sample, or pool the rounds
    out = cli("gaps", "-w", str(ws.root)).out
    step = next(line for line in out.splitlines() if "pool complete rounds" in line)
    assert "('rsqm config set pool_rounds yes')" in step  # typed as it stands
    assert "where risk checked applies" in step  # the checklist item in words


def test_a_reason_whose_message_is_its_label_is_said_once(demo_copy, cli):
    out = cli("gaps", "-w", str(demo_copy)).out
    assert "warning no narrative written\n" in out and "no narrative written: no narrative written" not in out
