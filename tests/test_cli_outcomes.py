"""rsqm outcomes: the period's aggregates in the terminal and as JSON; misuse exits 2."""

from __future__ import annotations

import json

import pytest

from builders import case


@pytest.fixture
def cases_ws(ws):
    ws.write("evidence/cases.csv", "\n".join([
        "case_ref,referred_on,closed_on,process,offence_category,initiator,practitioner,outcome,first_contact_on,offer_accepted,referral_source",
        "RJ-2025-0001,2025-04-17,2025-06-01,letter,theft,harmed_person,P01,,2025-04-24,yes,police",
        "RJ-2025-0002,2025-05-23,,letter,theft,harmed_person,P01,,2025-05-30,no,police",
        "RJ-2024-0003,2024-05-01,2024-07-01,shuttle,theft,harmed_person,P01,,2024-05-02,yes,court",
    ]) + "\n")
    return ws


def test_outcomes_json_gives_the_period_and_the_one_before(cases_ws, cli):
    result = cli("outcomes", "--period", "2025", "--json", "-w", str(cases_ws.root))
    assert result.code == 0, result.text
    data = json.loads(result.out)
    assert (data["current"]["start"], data["current"]["end"]) == ("2025-01-01", "2025-12-31")
    assert data["current"]["referrals"] == 2 and data["previous"]["referrals"] == 1
    assert data["current"]["take_up"] == {"k": 1, "n": 2, "rate": 0.5, "ci_low": pytest.approx(0.0945, abs=1e-4),
                                          "ci_high": pytest.approx(0.9055, abs=1e-4)}
    assert data["current"]["first_contact"]["median_days"] == 3.5  # 3 over Easter, 4 over the spring bank holiday


def test_outcomes_table_lists_each_measure_with_its_count(cases_ws, cli):
    result = cli("outcomes", "--from", "2025-01-01", "--to", "2025-12-31", "-w", str(cases_ws.root))
    assert result.code == 0
    assert "Outcomes 2025-01-01 to 2025-12-31 (previous period 2024-01-01 to 2024-12-31)" in result.out
    took_up = next(line for line in result.out.splitlines() if line.startswith("Took up the offer"))
    assert "50%" in took_up and "1 of 2" in took_up and "9%–91%" in took_up and took_up.endswith("100% (1 of 1)")


def test_values_read_as_labels_or_as_the_service_wrote_them_and_json_keeps_them(ws, cli):
    ws.write("evidence/cases.csv", "\n".join([
        "case_ref,referred_on,closed_on,process,offence_category,initiator,practitioner,outcome,referral_source",
        "RJ-2025-0001,2025-04-17,2025-06-01,face_to_face,theft,harmed_person,P01,,HMP Westmoor",
        "RJ-2025-0002,2025-05-23,2025-07-01,shuttle_and_letter,theft,harmed_person,P01,,victim_services",
    ]) + "\n")
    table = cli("outcomes", "--period", "2025", "-w", str(ws.root)).out
    # a built-in code by its label (rsqm.base.labels.CASE_VALUE), another code in words, the service's own words unchanged
    for said in ("source: HMP Westmoor", "source: Victim services", "process: Direct face-to-face", "process: shuttle and letter"):
        assert said in table, table
    data = json.loads(cli("outcomes", "--period", "2025", "--json", "-w", str(ws.root)).out)
    assert {c["label"] for c in data["current"]["by_source"]} == {"HMP Westmoor", "victim_services"}


@pytest.mark.parametrize(
    "args",
    [("--period", "2025", "--from", "2025-01-01"), ("--from", "2025-01-01"), ("--from", "2025-02-01", "--to", "2025-01-01"),
     ("--period", "25")],
)
def test_a_period_given_wrongly_is_misuse(cases_ws, cli, args):
    result = cli("outcomes", *args, "-w", str(cases_ws.root))
    assert result.code == 2 and "rsqm outcomes:" in result.err


def test_the_default_period_is_the_year_up_to_the_assessment_date(ws, cli):
    ws.cases(case("RJ-2026-0001", closed_on="", referred_on="2026-06-30"), case("RJ-2025-0002", closed_on="", referred_on="2025-06-30"))
    data = json.loads(cli("outcomes", "--json", "-w", str(ws.root)).out)
    assert (data["current"]["start"], data["current"]["end"], data["current"]["referrals"]) == ("2025-07-01", "2026-06-30", 1)
