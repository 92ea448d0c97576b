"""The Victims' Code's time limits as `rsqm measures` counts them, with the bundled pack, on hand-computed dates.

Right 3 (information about restorative justice): 5 working days from the crime being reported, 1 with enhanced
rights. Right 4 (referral to support services): 2 working days from reporting, enhanced or not. Enhanced rights
come from the case's own yes / no, else from the pack's enhanced offence categories or a victim under 18. The
service's first-contact target is a local target in rsqm.yaml. Working days leave out weekends and the bank
holidays of England and Wales (Good Friday 3 April 2026, Easter Monday 6 April, spring bank holiday 25 May).
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from builders import build, case

D = "2026-06-30"
PACKS = Path(str(resources.files("rsqm"))) / "packs"
VICTIMS_PACK = (PACKS / "victims-code-2020.yaml").read_text("utf-8")
CHECKLIST = (PACKS / "rj-case-file-audit.yaml").read_text("utf-8")  # the audit items the pack names
FIRST_CONTACT = {"id": "first-contact", "title": "first contact within 5 working days of referral",
                 "measure": "working_days", "from": "referred_on", "to": "first_contact_on", "limit": 5, "target": 0.9}


def victims_workspace(root: Path, *rows: dict, **settings):
    builder = build(root)
    builder.settings(frameworks=["victims-code-2020"], **settings)
    builder.write("standards/victims-code-2020.yaml", VICTIMS_PACK)
    builder.write("standards/rj-case-file-audit.yaml", CHECKLIST)
    builder.cases(*rows)
    return builder


def measured(cli, builder, as_of: str = D) -> dict[tuple[str, str], dict]:
    result = cli("measures", "-w", str(builder.root), "--as-of", as_of, "--json")
    assert result.code == 0, result.err
    return {(m["framework"], m["indicator"]): m for m in json.loads(result.out)["measures"]}


# Reported on Thursday 2 April 2026, the day before Good Friday.
EASTER = [
    # domestic abuse, enhanced rights blank: enhanced (the pack lists domestic_abuse). Told about RJ Wednesday
    # 8 April: Tuesday 7 and Wednesday 8 are the only working days after Easter, 2 > 1. Referred Tuesday 7: 1.
    case("VC-2026-001", None, offence_category="domestic_abuse", reported_on="2026-04-02",
         referred_on="2026-04-07", rj_info_offered_on="2026-04-08", enhanced_rights=""),
    # domestic abuse, but the case itself says no: the standard 5 days, 2 <= 5. Referred Thursday 9 April: 3 > 2.
    case("VC-2026-003", None, offence_category="domestic_abuse", reported_on="2026-04-02",
         referred_on="2026-04-09", rj_info_offered_on="2026-04-08", enhanced_rights="no"),
    # theft, blank: not enhanced. Told Monday 13 April: exactly 5 working days (7, 8, 9, 10, 13). Referred 8 April: 2.
    case("VC-2026-004", None, reported_on="2026-04-02", referred_on="2026-04-08", rj_info_offered_on="2026-04-13",
         enhanced_rights=""),
]
# theft, blank, but the victim was under 18: enhanced. Reported Friday 22 May, before the spring bank holiday;
# told and referred Wednesday 27 May: Tuesday 26 and Wednesday 27 count, 2 > 1 for Right 3, 2 <= 2 for Right 4.
UNDER_18 = case("VC-2026-002", None, reported_on="2026-05-22", referred_on="2026-05-27",
                rj_info_offered_on="2026-05-27", enhanced_rights="", victim_under_18="yes")


@pytest.fixture
def easter(tmp_path):
    return victims_workspace(tmp_path / "ws", *EASTER, UNDER_18)


def test_right_3_counts_from_the_crime_being_reported_with_1_working_day_for_enhanced_rights(easter, cli):
    right_3 = measured(cli, easter)[("victims-code-2020", "R3a")]
    assert (right_3["k"], right_3["n"], right_3["met"]) == (2, 4, False)


def test_a_domestic_abuse_case_with_enhanced_rights_blank_is_judged_on_the_enhanced_limit(easter, cli):
    out = cli("measures", "-w", str(easter.root), "--as-of", D).out
    assert ("- VC-2026-001: 2 working days from the crime being reported on 2026-04-02 to information about "
            "restorative justice on 2026-04-08 (limit 1)") in out
    assert "VC-2026-003: 2 working days" not in out  # its own "no" wins over the offence category


def test_a_victim_under_18_has_enhanced_rights_when_the_column_is_blank(easter, cli):
    out = cli("measures", "-w", str(easter.root), "--as-of", D).out
    assert ("- VC-2026-002: 2 working days from the crime being reported on 2026-05-22 to information about "
            "restorative justice on 2026-05-27 (limit 1)") in out


def test_an_under_18_age_band_gives_enhanced_rights_when_both_columns_are_blank(tmp_path, cli):
    """Equality monitoring's age band says the victim was under 18 when victim_under_18 itself is blank."""
    band = victims_workspace(tmp_path / "band", UNDER_18 | {"victim_under_18": "", "age_band": "under_18"})
    out = cli("measures", "-w", str(band.root), "--as-of", D).out
    assert "- VC-2026-002: 2 working days from the crime being reported on 2026-05-22 to information about " in out
    assert "(limit 1)" in out
    adult = victims_workspace(tmp_path / "adult", UNDER_18 | {"victim_under_18": "", "age_band": "25_44"})
    assert "VC-2026-002: 2 working days" not in cli("measures", "-w", str(adult.root), "--as-of", D).out


def test_right_4_referral_is_due_2_working_days_after_reporting_enhanced_or_not(easter, cli):
    right_4 = measured(cli, easter)[("victims-code-2020", "R4a")]
    assert (right_4["k"], right_4["n"]) == (3, 4)
    out = cli("measures", "-w", str(easter.root), "--as-of", D).out
    assert "- VC-2026-003: 3 working days from the crime being reported on 2026-04-02 to referral on 2026-04-09 (limit 2)" in out


def test_substitute_bank_holidays_and_the_jubilee_are_not_working_days(tmp_path, cli):
    builder = victims_workspace(
        tmp_path / "ws",
        # Friday 24 December 2021; 27 and 28 December (Christmas and Boxing Day on a weekend) and 3 January
        # (New Year's Day on a Saturday) are substitute bank holidays: 29, 30, 31 December and 4 January = 4 <= 5.
        case("VC-2021-001", None, reported_on="2021-12-24", referred_on="2021-12-29", rj_info_offered_on="2022-01-04"),
        # Wednesday 1 June 2022; Thursday 2 (spring bank holiday) and Friday 3 (the Platinum Jubilee) are not
        # working days: referred Monday 6 June is 1 working day later; told Tuesday 7 June, 2.
        case("VC-2022-001", None, reported_on="2022-06-01", referred_on="2022-06-06", rj_info_offered_on="2022-06-07"),
    )
    found = measured(cli, builder, "2022-06-30")
    assert [(found[key]["k"], found[key]["n"]) for key in [("victims-code-2020", "R3a"), ("victims-code-2020", "R4a")]] == [(2, 2), (2, 2)]


def test_the_first_contact_target_is_a_local_target_from_rsqm_yaml(tmp_path, cli):
    builder = victims_workspace(
        tmp_path / "ws",
        case("VC-2026-010", None, referred_on="2026-04-02", first_contact_on="2026-04-13"),  # 5 working days
        case("VC-2026-011", None, referred_on="2026-04-02", first_contact_on="2026-04-14"),  # 6
        local_targets=[FIRST_CONTACT],
    )
    local = measured(cli, builder)[("local", "first-contact")]
    assert (local["k"], local["n"], local["target"], local["met"]) == (1, 2, 0.9, False)
    out = cli("measures", "-w", str(builder.root), "--as-of", D).out
    assert ("local target first-contact  Local target: cases with first contact within 5 working days of referral, "
            "past 12 months: 1 of 2 = 50%") in out


def test_a_local_target_naming_a_column_the_case_list_lacks_is_refused_at_its_line(tmp_path, cli):
    builder = victims_workspace(tmp_path / "ws", local_targets=[FIRST_CONTACT | {"to": "first_contact"}])
    result = cli("validate", "-w", str(builder.root))
    assert result.code == 1
    assert "rsqm.yaml:" in result.out and "local target first-contact: 'first_contact' is not a date column" in result.out


def test_what_falls_due_before_an_assessment_ahead_uses_the_derived_enhanced_limit(tmp_path, cli):
    # today is 7 December 2026; the records end on Friday 4 December, when a domestic-abuse crime (enhanced rights
    # blank) was reported and referred: information is due 1 working day later, Monday 7 December, not Friday 11th
    builder = victims_workspace(
        tmp_path / "ws",
        case("VC-2026-020", None, reported_on="2026-11-02", referred_on="2026-11-03", rj_info_offered_on="2026-11-03"),
        case("VC-2026-021", None, offence_category="domestic_abuse", reported_on="2026-12-04", referred_on="2026-12-04"),
    )
    out = cli("measures", "-w", str(builder.root), "--as-of", "2027-01-15").out
    assert "- due before 2027-01-15: VC-2026-021: information about restorative justice due by 2026-12-07" in out
