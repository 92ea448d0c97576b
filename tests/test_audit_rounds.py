"""Audit rounds: per-sample results, the change between rounds, which rounds count, overdue re-audits."""

from __future__ import annotations

import json
import math

import pytest

from builders import WorkspaceBuilder
from round_fixtures import add_round, cases_for, newcombe_rounds, results
from rsqm.server.access import Role, View
from rsqm.workspace.load import load_workspace

Z = 1.959963984540054


@pytest.fixture
def two_rounds(ws: WorkspaceBuilder) -> WorkspaceBuilder:
    return newcombe_rounds(ws)


def wilson(x: int, n: int) -> tuple[float, float]:
    p = x / n
    centre, half = p + Z * Z / (2 * n), Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    return (centre - half) / (1 + Z * Z / n), (centre + half) / (1 + Z * Z / n)


def newcombe_by_hand(x1: int, n1: int, x2: int, n2: int) -> tuple[float, float, float]:
    p1, p2 = x1 / n1, x2 / n2
    (l1, u1), (l2, u2) = wilson(x1, n1), wilson(x2, n2)
    return p1 - p2, p1 - p2 - math.hypot(p1 - l1, u2 - p2), p1 - p2 + math.hypot(u1 - p1, p2 - l2)


# --- rsqm audit-summary --by-sample -----------------------------------------------


def test_by_sample_json_gives_each_rounds_counts_in_drawn_order_and_the_change(two_rounds, cli):
    result = cli("audit-summary", "--by-sample", "--json", "-w", str(two_rounds.root))
    assert result.code == 0, result.text
    data = json.loads(result.out)
    items = {i["item"]: i for i in data["items"]}
    assert list(items) == ["risk_checked", "consent_recorded", "closed_properly"]
    risk = items["risk_checked"]
    assert [(s["sample"], s["applicable"], s["met"]) for s in risk["samples"]] == [("r1", 80, 48), ("r2", 70, 56)]
    assert {"sample", "applicable", "met", "rate", "ci_low", "ci_high"} <= risk["samples"][0].keys()
    assert risk["samples"][1]["rate"] == 0.8
    low, high = wilson(56, 70)
    assert (risk["samples"][1]["ci_low"], risk["samples"][1]["ci_high"]) == (round(low, 4), round(high, 4))
    change = risk["change"]
    assert {"from", "to", "diff", "ci_low", "ci_high"} <= change.keys()
    assert (change["from"], change["to"], change["diff"]) == ("r1", "r2", 0.2)
    assert (change["ci_low"], change["ci_high"]) == (0.0524, 0.3339)  # Newcombe (1998), table II, method 10
    assert change["verdict"] == "real_improvement"
    consent = items["consent_recorded"]["change"]
    assert (consent["diff"], consent["ci_low"], consent["ci_high"]) == (0.6, 0.1705, 0.809)
    closed = items["closed_properly"]["change"]
    diff, low, high = newcombe_by_hand(2, 10, 10, 10)
    assert (closed["diff"], closed["ci_low"], closed["ci_high"]) == (round(diff, 4), round(low, 4), round(high, 4))
    assert closed["verdict"] == "real_decline"
    assert [(r["sample"], r["cases"], r["audited"], r["complete"]) for r in data["rounds"]] == [("r1", 80, 80, True), ("r2", 70, 70, True)]


def test_by_sample_text_says_which_changes_are_real(two_rounds, cli):
    result = cli("audit-summary", "--by-sample", "-w", str(two_rounds.root))
    assert result.code == 0, result.text
    blocks = {block.splitlines()[0].split(" (")[0]: block for block in result.out.split("\n\n")}  # each item in words
    assert "change r1 → r2: +20.0 points (95% CI +5.2 to +33.4): real improvement" in blocks["Risk checked"]
    assert "48/80" in blocks["Risk checked"] and "56/70" in blocks["Risk checked"]
    assert "real decline" in blocks["Closed properly"]
    assert "r1 drawn 2026-01-05: 80 of 80 audited" in result.out


def test_an_overlapping_interval_is_no_clear_change_and_one_round_has_no_change(ws, cli):
    add_round(ws, "r1", "2026-01-05", results("risk_checked", 8, 2))
    cases_for(ws)
    data = json.loads(cli("audit-summary", "--by-sample", "--json", "-w", str(ws.root)).out)
    assert data["items"][0]["change"] is None
    add_round(ws, "r2", "2026-04-05", results("risk_checked", 9, 1), prefix="RJ-2027")
    cases_for(ws)
    change = json.loads(cli("audit-summary", "--by-sample", "--json", "-w", str(ws.root)).out)["items"][0]["change"]
    assert change["ci_low"] < 0 < change["ci_high"] and change["verdict"] == "no_clear_change"


def test_by_sample_and_a_single_sample_do_not_go_together(two_rounds, cli):
    assert cli("audit-summary", "--by-sample", "--sample", "r1", "-w", str(two_rounds.root)).code == 2


# --- a round's progress -------------------------------------------------------------


def test_progress_counts_audited_in_progress_second_marked_and_awaiting_second_marking_or_agreement(ws, cli):
    refs = add_round(ws, "r1", "2026-01-05", results("risk_checked", 4, 0), unaudited=2)
    cases_for(ws)
    ws.write_yaml(f"evidence/audits/{refs[4]}.yaml", {
        "schema": "rsqm/audit@1", "case_ref": refs[4], "sample": "r1", "auditor": "S01", "answers": {}})
    first = {"schema": "rsqm/audit@1", "sample": "r1", "auditor": "S01", "audited_on": "2026-01-05",
             "answers": {"risk_checked": {"result": "met"}}}
    ws.write_yaml(f"evidence/audits/{refs[0]}.yaml", first | {"case_ref": refs[0], "moderation": {
        "moderator": "S02", "moderated_on": "2026-01-06", "answers": {"risk_checked": {"result": "not_met"}}}})
    ws.write_yaml(f"evidence/audits/{refs[1]}.yaml", first | {"case_ref": refs[1], "moderation": {
        "moderator": "S02", "moderated_on": "2026-01-06", "answers": {"risk_checked": {"result": None}}}})
    data = json.loads(cli("audit-summary", "--by-sample", "--json", "-w", str(ws.root)).out)
    (state,) = data["rounds"]
    assert (state["cases"], state["audited"], state["in_progress"], state["second_marked"], state["awaiting_second_marking"],
            state["awaiting_agreement"], state["complete"]) == (6, 4, 1, 1, 1, 1, False)
    text = cli("audit-summary", "--by-sample", "-w", str(ws.root)).out
    assert ("r1 drawn 2026-01-05: 4 of 6 audited, 1 in progress, 1 second-marked, 1 awaiting second marking, "
            "1 awaiting agreement (incomplete)") in text


# --- which rounds count in the gap analysis ----------------------------------------


def b1_audit(cli, root) -> tuple[dict, list[dict]]:
    data = json.loads(cli("gaps", "--json", "-w", str(root)).out)
    b1 = next(i for i in data["indicators"] if i["id"] == "B1")
    return b1["audit"][0], b1["reasons"]


def test_gaps_count_the_latest_complete_round_by_default(two_rounds, cli):
    audit, _ = b1_audit(cli, two_rounds.root)
    assert (audit["applicable"], audit["met"], audit["rounds"]) == (70, 56, ["r2"])


def test_pool_rounds_pools_every_complete_round_in_the_window(two_rounds, cli):
    two_rounds.settings(pool_rounds=True)
    audit, _ = b1_audit(cli, two_rounds.root)
    assert (audit["applicable"], audit["met"], audit["rounds"]) == (150, 104, ["r1", "r2"])


def test_rounds_outside_the_window_or_after_the_as_of_date_do_not_count(two_rounds, cli):
    two_rounds.settings(audit_window_months=3)  # as of 2026-06-30: drawn after 2026-03-30
    assert b1_audit(cli, two_rounds.root)[0]["rounds"] == ["r2"]
    two_rounds.settings(audit_window_months=2, assessment_date="2026-03-31")  # r2 not drawn yet; r1 too old
    audit, reasons = b1_audit(cli, two_rounds.root)
    assert (audit["applicable"], audit["rounds"]) == (0, [])
    assert any("no complete audit round in the 2 months to 2026-03-31" in r["message"] for r in reasons)


def test_an_incomplete_latest_round_leaves_the_previous_complete_one_counting(two_rounds, cli):
    add_round(two_rounds, "r3", "2026-05-05", results("risk_checked", 5, 0), unaudited=1, prefix="RJ-2027")
    cases_for(two_rounds)
    assert b1_audit(cli, two_rounds.root)[0]["rounds"] == ["r2"]


# --- re-audits promised in the action plan ------------------------------------------


def actions(b: WorkspaceBuilder, **fields: str | None) -> None:
    """One action A4 on risk_checked, due 2026-02-01, re-audit by 2026-03-31; a field given as None is left out."""
    action = {"id": "A4", "title": "Brief staff on risk checks", "indicator": "B1", "owner": "Practice lead",
              "due": "2026-02-01", "audit_item": "risk_checked", "re_audit_by": "2026-03-31"} | fields
    action = {key: value for key, value in action.items() if value is not None}
    b.write_yaml("evidence/actions.yaml", {"schema": "rsqm/actions@1", "actions": [action]})


def test_a_re_audit_not_done_by_its_date_is_a_reason_and_an_overview_line(ws, cli):
    add_round(ws, "r1", "2026-01-05", results("risk_checked", 8, 2))
    cases_for(ws)
    actions(ws)
    _, reasons = b1_audit(cli, ws.root)
    (overdue,) = [r for r in reasons if r["code"] == "re_audit_overdue"]
    assert overdue["refs"] == ["risk_checked", "A4"] and "due by 2026-03-31" in overdue["message"]
    assert overdue["blocking"] is False
    overview = View(load_workspace(ws.root), Role.leadership).overview()
    assert [(o.action, o.item, str(o.re_audit_by)) for o in overview.re_audits_overdue] == [("A4", "risk_checked", "2026-03-31")]


def test_a_complete_round_drawn_after_the_action_is_the_re_audit(ws, cli):
    add_round(ws, "r1", "2026-01-05", results("risk_checked", 8, 2))
    add_round(ws, "r2", "2026-04-10", results("risk_checked", 10, 0), unaudited=1, prefix="RJ-2027")
    cases_for(ws)
    actions(ws)
    _, reasons = b1_audit(cli, ws.root)
    (overdue,) = [r for r in reasons if r["code"] == "re_audit_overdue"]
    assert "drawn but not complete: r2 (10 of 11 audited)" in overdue["message"]  # late and not finished
    actions(ws, re_audit_by="2026-07-31")  # not due yet on the as-of date
    assert not [r for r in b1_audit(cli, ws.root)[1] if r["code"] == "re_audit_overdue"]
    add_round(ws, "r3", "2026-05-10", results("risk_checked", 10, 0), prefix="RJ-2028")
    cases_for(ws)
    actions(ws)
    assert not [r for r in b1_audit(cli, ws.root)[1] if r["code"] == "re_audit_overdue"]


@pytest.mark.parametrize(("fields", "expected"), [
    ({"audit_item": "risk_chekced"},  # line 8 of the file: schema, actions, id, title, indicator, owner, due, audit_item
     "evidence/actions.yaml:8: error: action A4: unknown audit item 'risk_chekced'"),
    ({"re_audit_by": "2026-01-15"}, "evidence/actions.yaml:9: error: action A4: the re-audit date 2026-01-15 is before its due date 2026-02-01"),
    ({"audit_item": None}, "error: action A4: a re-audit date needs the checklist item to re-audit"),
    ({"due": None}, "error: action A4: a re-audit date needs a due date"),
])
def test_an_unknown_audit_item_or_an_impossible_re_audit_date_is_a_located_error(ws, cli, fields, expected):
    actions(ws, **fields)
    result = cli("validate", "-w", str(ws.root))
    assert result.code == 1
    assert expected in result.out
