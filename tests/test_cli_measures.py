"""rsqm measures and the measures in rsqm gaps: the same numbers, parts of each indicator's status."""

from __future__ import annotations

import copy
import json

import pytest

from builders import FRAMEWORK, build, item
from staff_fixtures import WORKFORCE

D = "2026-06-30"
MEASURE_KEYS = {"measure", "k", "n", "rate", "ci_low", "ci_high", "target", "met"}


def framework_with_measures(measures: list[dict], evidence: dict | None = None) -> dict:
    framework = copy.deepcopy(FRAMEWORK)
    framework["standards"].append({"id": "C", "title": "Charlie", "indicators": [
        {"id": "C1", "title": "Practitioners registered and supported", "evidence": evidence or {"types": [], "min_items": 0},
         "measures": measures},
    ]})
    return framework


@pytest.fixture
def measured(tmp_path):
    builder = build(tmp_path / "ws", framework=framework_with_measures([
        {"measure": "registered_practitioners", "target": 0.5},
        {"measure": "supervision_every_12_weeks", "target": 0.9},
    ]))
    builder.write_yaml("evidence/workforce.yaml", WORKFORCE)
    return builder


def indicator(payload: dict, ind: str) -> dict:
    return next(i for i in payload["indicators"] if i["id"] == ind)


def test_measures_json_gives_k_n_interval_target_and_verdict(measured, cli):
    result = cli("measures", "-w", str(measured.root), "--as-of", D, "--json")
    assert result.code == 0, result.err
    payload = json.loads(result.out)
    assert payload["as_of"] == D
    rows = payload["measures"]
    assert [set(r) for r in rows] == [MEASURE_KEYS | {"framework", "indicator"}] * 2
    registered, supervised = rows
    # counted: P01 and P05 (V01 is in the first year, A01 admin only); registered on D: P01 only
    assert (registered["framework"], registered["indicator"], registered["k"], registered["n"]) == ("test-fw", "C1", 1, 2)
    assert (registered["rate"], registered["ci_low"], registered["ci_high"], registered["met"]) == (0.5, 0.095, 0.905, True)
    # supervised: P01 and V01 in time, P05 not
    assert (supervised["k"], supervised["n"], supervised["rate"], supervised["met"]) == (2, 3, 0.667, False)


def test_measures_and_gaps_agree(measured, cli):
    measures = json.loads(cli("measures", "-w", str(measured.root), "--as-of", D, "--json").out)["measures"]
    gaps = json.loads(cli("gaps", "-w", str(measured.root), "--as-of", D, "--json").out)
    listed = indicator(gaps, "C1")["measures"]
    assert [set(m) for m in listed] == [MEASURE_KEYS] * 2
    assert listed == [{k: v for k, v in m.items() if k in MEASURE_KEYS} for m in measures]


def test_the_text_report_names_who_falls_short(measured, cli):
    result = cli("measures", "-w", str(measured.root), "--as-of", D)
    assert result.code == 0
    assert "Practitioners supervised at least every 12 weeks: 2 of 3 = 67% (95% CI 21%-94%), target 90%: NOT MET" in result.out
    assert "- P05: last supervision 2026-02-19, 131 days before 2026-06-30" in result.out
    assert "- P05: registration expired 2026-06-29, 1 day before 2026-06-30" in result.out


def test_a_measure_below_target_gives_a_reason_without_naming_anyone(measured, cli):
    gaps = json.loads(cli("gaps", "-w", str(measured.root), "--as-of", D, "--json").out)
    c1 = indicator(gaps, "C1")
    # one measure met, one not, no evidence expected: partly met
    assert c1["status"] == "partly_met"
    reasons = [r for r in c1["reasons"] if r["code"].startswith("measure")]
    assert [(r["code"], r["refs"]) for r in reasons] == [("measure_below_target", ["supervision_every_12_weeks"])]
    assert "2 of 3" in reasons[0]["message"] and "P05" not in json.dumps(c1)


def test_an_indicator_whose_only_measure_is_met_is_met(tmp_path, cli):
    builder = build(tmp_path / "ws", framework=framework_with_measures([{"measure": "registered_practitioners", "target": 0.5}]))
    builder.write_yaml("evidence/workforce.yaml", WORKFORCE)
    gaps = json.loads(cli("gaps", "-w", str(builder.root), "--as-of", D, "--json").out)
    assert indicator(gaps, "C1")["status"] == "met"


def test_nothing_qualifying_and_no_measure_met_is_not_met(tmp_path, cli):
    builder = build(tmp_path / "ws", framework=framework_with_measures([{"measure": "registered_practitioners", "target": 0.9}]))
    builder.write_yaml("evidence/workforce.yaml", WORKFORCE)
    gaps = json.loads(cli("gaps", "-w", str(builder.root), "--as-of", D, "--json").out)
    assert indicator(gaps, "C1")["status"] == "not_met"
    assert "C1" in gaps["blockers"]


def test_evidence_met_but_a_measure_not_met_is_partly_met(tmp_path, cli):
    builder = build(tmp_path / "ws", framework=framework_with_measures(
        [{"measure": "registered_practitioners", "target": 0.9}], evidence={"types": ["policy"], "min_items": 1}))
    builder.file("files/E001.pdf")
    builder.evidence(item("E001", links=[{"indicator": "C1", "locator": "p. 1", "claim": "policy"}]))
    builder.write_yaml("evidence/workforce.yaml", WORKFORCE)
    gaps = json.loads(cli("gaps", "-w", str(builder.root), "--as-of", D, "--json").out)
    assert indicator(gaps, "C1")["status"] == "partly_met"


def test_without_a_workforce_register_the_measure_has_no_data(tmp_path, cli):
    builder = build(tmp_path / "ws", framework=framework_with_measures([{"measure": "cpd_hours", "target": 0.8}]))
    gaps = json.loads(cli("gaps", "-w", str(builder.root), "--as-of", D, "--json").out)
    c1 = indicator(gaps, "C1")
    assert c1["status"] == "not_met"
    assert c1["measures"] == [{"measure": "cpd_hours", "k": 0, "n": 0, "rate": None, "ci_low": None, "ci_high": None, "target": 0.8, "met": False}]
    no_data = [r for r in c1["reasons"] if r["code"] == "measure_no_data"]
    assert len(no_data) == 1 and "no workforce register" in no_data[0]["message"]
    text = cli("measures", "-w", str(builder.root), "--as-of", D).out
    assert "Registered practitioners with the CPD hours their level needs: no data (no workforce register), target 80%: NOT MET" in text


def test_an_unknown_measure_is_an_error_at_its_line(tmp_path, cli):
    builder = build(tmp_path / "ws", framework=framework_with_measures([{"measure": "registered_practitioners", "target": 0.6},
                                                                           {"measure": "supervison_every_12_weeks", "target": 0.9}]))
    text = (builder.root / "standards/test-fw.yaml").read_text()
    line = next(n for n, text_line in enumerate(text.splitlines(), 1) if text_line.strip() == "- measure: supervison_every_12_weeks")
    result = cli("validate", "-w", str(builder.root))
    assert result.code == 1
    assert f"standards/test-fw.yaml:{line}: error: indicator C1: unknown measure 'supervison_every_12_weeks'" in result.out
    assert cli("measures", "-w", str(builder.root)).code == 1


def test_a_time_limit_needs_its_columns_and_limit(tmp_path, cli):
    builder = build(tmp_path / "ws", framework=framework_with_measures([{"measure": "working_days", "target": 0.9, "from": "referred_on", "to": "first_contact"}]))
    result = cli("validate", "-w", str(builder.root))
    assert result.code == 1
    assert "indicator C1: measure working_days needs 'limit'" in result.out
    assert "indicator C1: 'first_contact' is not a date column of the case list" in result.out


def test_a_time_limit_is_measured_over_the_case_list(tmp_path, cli):
    builder = build(tmp_path / "ws", framework=framework_with_measures([{"measure": "working_days", "target": 0.9, "from": "referred_on",
                                                                           "to": "first_contact_on", "limit": 5, "enhanced_limit": 1}]))
    builder.write("evidence/cases.csv", "\n".join([
        "case_ref,referred_on,closed_on,process,offence_category,initiator,practitioner,outcome,first_contact_on,enhanced_rights",
        "RJ-2026-001,2026-04-02,,letter,theft,harmed_person,P01,,2026-04-13,no",  # 5 working days over Easter
        "RJ-2026-002,2026-05-22,,letter,theft,harmed_person,P01,,2026-05-27,yes",  # 2 working days, enhanced limit 1
        "RJ-2026-003,2026-06-26,,letter,theft,harmed_person,P01,,,no",  # pending on D
    ]) + "\n")
    rows = json.loads(cli("measures", "-w", str(builder.root), "--as-of", D, "--json").out)["measures"]
    assert [(r["k"], r["n"]) for r in rows] == [(1, 2)]
    text = cli("measures", "-w", str(builder.root), "--as-of", D).out
    assert "- RJ-2026-002: 2 working days from referral on 2026-05-22 to first contact on 2026-05-27 (limit 1)" in text


def test_a_workspace_without_measures_says_so(ws, cli):
    result = cli("measures", "-w", str(ws.root))
    assert result.code == 0 and "No framework in the workspace lists a measure" in result.out


def test_a_feedback_measure_must_name_a_listed_question(tmp_path, cli):
    builder = build(tmp_path / "ws", framework=framework_with_measures([{"measure": "feedback_share", "target": 0.8, "question": "felt_safe"}]))
    builder.settings(feedback_questions={"felt_heard": "Did you feel heard?"})
    result = cli("validate", "-w", str(builder.root))
    assert result.code == 0  # the measure can still run: it finds no answers
    assert "warning: indicator C1: feedback question 'felt_safe' is not one of the feedback questions in rsqm.yaml" in result.out


def test_the_gaps_report_lists_each_measure_under_its_indicator(measured, cli):
    out = cli("gaps", "-w", str(measured.root), "--as-of", D).out
    assert "      Practitioners registered with the RJC: 1 of 2 (50%), target 50%: met" in out
    assert "      Practitioners supervised at least every 12 weeks: 2 of 3 (67%), target 90%: not met" in out


def test_on_a_date_ahead_of_today_measures_are_counted_on_the_day_the_records_end(measured, cli):
    """docs/measures.md: what has not happened yet is not a failure; it is counted on the records' end and the rest listed as due."""
    ahead = json.loads(cli("measures", "-w", str(measured.root), "--as-of", "2999-01-01", "--json").out)
    on_the_last_record = json.loads(cli("measures", "-w", str(measured.root), "--as-of", "2026-06-20", "--json").out)
    assert (ahead["as_of"], ahead["counted_on"]) == ("2999-01-01", "2026-06-20")
    assert [(m["k"], m["n"]) for m in ahead["measures"]] == [(m["k"], m["n"]) for m in on_the_last_record["measures"]]
    assert ahead["due_before_as_of"] > 0 and on_the_last_record["due_before_as_of"] == 0
    text = cli("measures", "-w", str(measured.root), "--as-of", "2999-01-01").out
    assert "(counted on 2026-06-20, when the records end;" in text
    assert "- due before 2999-01-01: P01: supervision due by " in text
    reasons = indicator(json.loads(cli("gaps", "-w", str(measured.root), "--as-of", "2999-01-01", "--json").out), "C1")["reasons"]
    supervision = next(r["message"] for r in reasons if r["refs"] == ["supervision_every_12_weeks"])
    assert supervision.startswith("Practitioners supervised at least every 12 weeks: 2 of 3")  # not "0 of 3": nothing is due yet
    assert "; counted on 2026-06-20, when the records end; " in supervision


def test_a_date_in_the_past_is_counted_on_that_date_however_early_the_records_end(measured, cli):
    payload = json.loads(cli("measures", "-w", str(measured.root), "--as-of", "2026-11-30", "--json").out)
    assert payload["counted_on"] == "2026-11-30" and payload["due_before_as_of"] == 0


def test_observed_practice_due_after_the_records_end_is_the_date_the_workforce_table_gives(tmp_path, cli):
    """One rule for when observed practice falls due (calendar months), in the due list and the coordinator's table."""
    builder = build(tmp_path / "ws", framework=framework_with_measures([{"measure": "observed_practice_yearly", "target": 1.0}]))
    builder.write_yaml("evidence/workforce.yaml", WORKFORCE)  # P01 last observed on 4 November 2025; records end 2026-06-20
    text = cli("measures", "-w", str(builder.root), "--as-of", "2999-01-01").out
    assert "P01: observed practice due by 2026-11-03" in text  # 12 calendar months hold it to 3 November, not 365 days
    table = json.loads(cli("workforce", "-w", str(builder.root), "--as-of", "2026-06-30", "--json").out)
    assert next(row["observed_due"] for row in table["staff"] if row["code"] == "P01") == "2026-11-03"
