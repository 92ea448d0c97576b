"""The bundled standards packs: numbered as the documents they cite, loadable, and carrying the measured rules.

The expected structures below are written from the RJC's published numbering
(docs/sources.md); a pack that drifts from them fails here, standard by standard.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
import yaml
from test_gaps import evidence

from builders import item
from rsqm.files.models import Framework
from rsqm.workspace.load import load_workspace
from rsqm.workspace.scaffold import bundled_mappings, bundled_packs

ORGANISATION = {
    "1": ["1.1", "1.2", "1.3"],
    "2": ["2.1", "2.2", "2.3"],
    "3": ["3.1", "3.2", "3.3"],
    "4": ["4.1", "4.2"],
    "5": ["5.1", "5.2", "5.3", "5.4", "5.5"],
    "6": ["6.1"],
}
PUBLISHED = {
    "rjc-organisation-2020": ORGANISATION,
    "rjc-service-provider": {"P": ["P.1", "P.2", "P.3"], **ORGANISATION},
    "rjc-service-provider-code": {"Code": ["A", "B", "C", "D", "E"]},
    "rjc-practitioner-code": {
        "1": ["1.1", "1.2"],
        "2": ["2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7"],
        "3": ["3.1", "3.2"],
    },
    # our own labels by the Code's rights (Right 3, Right 4 and so on); the paragraphs are named in the guidance
    "victims-code-2020": {"R1": ["R1a"], "R3": ["R3a"], "R4": ["R4a"], "R12": ["R12a"], "F": ["F1"]},
}
PACKS = Path(str(resources.files("rsqm"))) / "packs"
REPO = Path(__file__).resolve().parent.parent


def pack(framework_id: str) -> Framework:
    return Framework.model_validate(yaml.safe_load((PACKS / f"{framework_id}.yaml").read_text("utf-8")))


def indicators(framework_id: str) -> dict:
    return {indicator.id: indicator for _standard, indicator in pack(framework_id).indicators()}


def pack_text(framework_id: str) -> str:
    return (PACKS / f"{framework_id}.yaml").read_text("utf-8")


def measures(framework_id: str, indicator_id: str) -> dict:
    return {m.measure: m for m in indicators(framework_id)[indicator_id].measures}


@pytest.mark.parametrize("framework_id", sorted(PUBLISHED))
def test_each_pack_is_numbered_exactly_as_its_document(framework_id):
    framework = pack(framework_id)
    assert {s.id: [i.id for i in s.indicators] for s in framework.standards} == PUBLISHED[framework_id]
    assert list({s.id: 0 for s in framework.standards}) == list(PUBLISHED[framework_id])  # in the published order


def test_the_organisation_framework_has_six_areas_and_seventeen_standards():
    framework = pack("rjc-organisation-2020")
    assert (len(framework.standards), len(framework.indicators())) == (6, 17)
    assert "indirect and informal" in framework.standards[4].title


@pytest.mark.parametrize("framework_id", sorted(PUBLISHED))
def test_each_source_names_its_document_and_what_is_unverified(framework_id):
    source = pack(framework_id).source
    assert "Unverified" in source or "unverified" in source
    assert "own words" in source


def test_the_bundled_packs_are_the_new_ones_and_the_demo_keeps_the_same_copies():
    names = sorted(p.stem for p in bundled_packs())
    assert names == sorted([*PUBLISHED, "rj-case-file-audit"])
    for path in [*bundled_packs(), *bundled_mappings()]:
        demo_copy = REPO / "standards" / path.relative_to(PACKS)
        assert demo_copy.read_text("utf-8") == path.read_text("utf-8"), demo_copy


def test_a_new_workspace_loads_every_pack_and_mapping_without_a_problem(tmp_path, cli):
    assert cli("init", str(tmp_path / "new")).code == 0
    ws = load_workspace(tmp_path / "new")
    assert ws.problems == []
    assert sorted(ws.frameworks) == sorted(PUBLISHED)
    assert ws.settings.framework == "rjc-service-provider"
    assert len(ws.mappings) == 3
    result = cli("gaps", "-w", str(tmp_path / "new"), "--json")
    assert [f["id"] for f in json.loads(result.out)["frameworks"]] == [
        "rjc-service-provider", "rjc-service-provider-code", "rjc-practitioner-code", "victims-code-2020",
    ]


def test_the_60_percent_rule_is_a_measure_of_the_service_provider_prerequisites():
    rule = measures("rjc-service-provider", "P.2")["registered_practitioners"]
    assert rule.target == 0.6


def test_supervision_observed_practice_and_cpd_are_measures_of_the_practitioner_code():
    assert set(measures("rjc-practitioner-code", "3.1")) == {"supervision_every_12_weeks", "observed_practice_yearly"}
    assert set(measures("rjc-practitioner-code", "3.2")) == {"cpd_hours"}
    for measure in [*measures("rjc-practitioner-code", "3.1").values(), *measures("rjc-practitioner-code", "3.2").values()]:
        assert 0.9 <= measure.target <= 1.0


def test_right_3_information_about_rj_is_due_5_working_days_after_the_crime_is_reported_1_with_enhanced_rights():
    (right_3,) = indicators("victims-code-2020")["R3a"].measures
    assert (right_3.measure, right_3.from_, right_3.to) == ("working_days", "reported_on", "rj_info_offered_on")
    assert (right_3.limit, right_3.enhanced_limit) == (5, 1)


def test_right_4_referral_to_support_is_due_2_working_days_after_the_crime_is_reported_enhanced_or_not():
    (right_4,) = indicators("victims-code-2020")["R4a"].measures
    assert (right_4.measure, right_4.from_, right_4.to) == ("working_days", "reported_on", "referred_on")
    assert (right_4.limit, right_4.enhanced_limit) == (2, 2)


def test_the_victims_code_pack_holds_no_first_contact_target_it_is_a_local_one():
    spans = [(m.from_, m.to) for ind in indicators("victims-code-2020").values() for m in ind.measures]
    assert ("referred_on", "first_contact_on") not in spans
    assert "local_targets" in pack_text("victims-code-2020")


def test_domestic_abuse_and_sexual_offences_carry_enhanced_rights_in_the_victims_code_pack():
    assert {"domestic_abuse", "sexual_offence", "hate_crime"} <= set(pack("victims-code-2020").enhanced_offence_categories)


def test_code_d_names_the_sensitive_cases_and_e_says_it_is_partly_available():
    code = indicators("rjc-service-provider-code")
    for words in ("sexual or domestic violence", "trafficking", "stalking", "child sexual exploitation"):
        assert words in " ".join(code["D"].guidance.split())
    assert "partly available" in code["E"].title
    assert {i for i, ind in code.items() if ind.critical} == {"C", "D", "E"}


def test_the_service_providers_critical_set_is_safeguarding_and_risk_each_saying_why():
    provider = indicators("rjc-service-provider")
    critical = {i for i, ind in provider.items() if ind.critical}
    assert critical == {"2.1", "4.1", "5.1", "5.2"}
    assert all("Critical:" in provider[i].guidance for i in critical)


def test_sensitive_offence_categories_use_the_demo_case_lists_words():
    categories = pack("rjc-service-provider").sensitive_offence_categories
    demo = load_workspace(REPO)
    used = {case.offence_category for case in demo.cases}
    assert {"domestic_abuse", "sexual_offence"} <= set(categories) & used


def test_the_checklist_asks_for_written_consent_the_right_training_level_and_outcome_monitoring():
    items = {i["id"]: " ".join(i["question"].split()) for i in yaml.safe_load((PACKS / "rj-case-file-audit.yaml").read_text())["items"]}
    assert "consent in writing" in items["written_consent_obtained"]
    assert "trained to the level the case needed" in items["facilitated_by_trained_practitioner"]
    assert "monitored" in items["outcome_agreement_monitored"]


# --- a held-out framework: three areas, eleven standards, another numbering -------------------

HELD_OUT = {
    "schema": "rsqm/framework@1",
    "id": "held-out",
    "title": "A framework the code has never seen",
    "version": "3",
    "source": "built in the test suite",
    "evidence_types": {"policy": "Policy", "training_record": "Training record"},
    "standards": [
        {"id": "K", "title": "Knowledge", "indicators": [
            {"id": f"K{n}", "title": f"Knowledge {n}", "evidence": {"types": ["training_record"]}} for n in range(1, 5)]},
        {"id": "S", "title": "Safety", "indicators": [
            {"id": f"S{n}", "title": f"Safety {n}", "critical": n == 1, "weight": 3 if n == 1 else 1,
             "evidence": {"types": ["policy"]}} for n in range(1, 5)]},
        {"id": "Q", "title": "Quality", "indicators": [
            {"id": f"Q{n}", "title": f"Quality {n}", "evidence": {"types": ["policy"]}, "audit_items": ["risk_checked"] if n == 3 else []}
            for n in range(1, 4)]},
    ],
}


def test_a_held_out_framework_loads_and_is_assessed_with_no_code_change(ws, cli):
    ws.write_yaml("standards/held-out.yaml", HELD_OUT)
    ws.settings(frameworks=["held-out"])
    evidence(
        ws,
        item("E001", links=[{"indicator": "held-out:S1", "locator": "p. 1"}, {"indicator": "held-out:Q1", "locator": "p. 2"}]),
        item("E002", type="training_record", links=[{"indicator": "held-out:K1", "locator": "p. 1"}]),
    )
    assert cli("validate", "-w", str(ws.root)).code == 0

    data = json.loads(cli("gaps", "-w", str(ws.root), "--json", "--framework", "held-out").out)

    assert [(s["id"], sum(s["counts"].values())) for s in data["standards"]] == [("K", 4), ("S", 4), ("Q", 3)]
    statuses = {i["id"]: i["status"] for i in data["indicators"]}
    assert len(statuses) == 11
    assert [k for k, v in statuses.items() if v == "met"] == ["K1", "S1", "Q1"]
    assert statuses["Q3"] == "not_met"  # no evidence and no audits for its item
    assert data["readiness"] == round((1 + 3 + 1) / (10 + 3), 3)
    assert data["ready"] is False and "S1" not in data["blockers"]
    assert {f["id"]: f["ready"] for f in data["frameworks"]} == {"test-fw": False, "held-out": False}


def test_the_practitioner_pack_uses_the_rjcs_published_area_names():
    areas = [standard.title for standard in pack("rjc-practitioner-code").standards]
    assert areas == ["Core training and knowledge", "Delivering restorative practice", "Maintaining professional standards"]
    assert "our own grouping" not in pack_text("rjc-practitioner-code")


def test_the_practitioner_pack_states_its_reading_of_the_half_approved_cpd_rule():
    assert "half of the hours required" in " ".join(pack("rjc-practitioner-code").source.split())


def test_organisation_6_1_is_the_organisation_code_and_no_mapping_counts_it_for_another_code():
    org = indicators("rjc-organisation-2020")["6.1"]
    assert "Organisation Code of Practice" in org.title
    for path in bundled_mappings():
        mapping = yaml.safe_load(path.read_text("utf-8"))
        if mapping["from"] == "rjc-organisation-2020":
            assert not [r for r in mapping["relations"] if r["from"] == "6.1" and r["relation"] == "equal"], path.name


DATA_PROTECTION = ["appropriate_policy_document", "privacy_notice", "dpia", "retention_schedule"]


def test_the_service_provider_pack_asks_for_each_data_protection_document_and_the_referrers_agreement():
    evidence_part = indicators("rjc-service-provider")["2.2"].evidence
    wanted = [*DATA_PROTECTION, "information_sharing_agreement"]
    assert set(wanted) <= set(evidence_part.types) and evidence_part.min_items == len(evidence_part.types)
    assert "criminal-offence data" in indicators("rjc-service-provider")["2.2"].guidance


def test_the_organisation_pack_asks_for_each_data_protection_document_too():
    evidence_part = indicators("rjc-organisation-2020")["2.2"].evidence
    assert set(DATA_PROTECTION) <= set(evidence_part.types) and evidence_part.min_items == len(evidence_part.types)


def test_the_demo_names_the_data_protection_document_it_still_lacks(cli):
    """The demo links each part; its retention schedule is a draft, so 2.2 says exactly that (and no more)."""
    gaps = json.loads(cli("gaps", "-w", str(REPO), "--json").out)
    reasons = next(i["reasons"] for i in gaps["indicators"] if i["id"] == "2.2")
    assert [(r["code"], r["refs"]) for r in reasons] == [
        ("evidence_expired", ["E012"]), ("evidence_not_approved", ["E036"]), ("missing_evidence_type", ["retention_schedule"])]
