"""Roles are enforced where data is read: leadership gets aggregates and never a case reference."""

from __future__ import annotations

import re
from datetime import date

import pytest

from builders import case, item
from rsqm.server.access import (
    PERMISSIONS,
    WITHHELD,
    WITHHELD_DATUM,
    Overview,
    PermissionDenied,
    Role,
    View,
    allowed,
    find_case_refs,
    leadership_safe,
    require,
)
from rsqm.workspace.load import load_workspace

WRITES = ["write_audit", "draw_sample", "edit_register", "edit_narrative", "edit_actions", "review_privacy", "export_pack", "manage_users",
          "import_cases"]
CASE_LEVEL = ["cases", "samples", "audits", "audit_summary", "concern_cases", "practitioners", "problems", "change_log"]
EVIDENCE_LEVEL = ["assessment", "register", "narratives", "actions"]
REFS = [f"RT-2025-{n:04d}" for n in range(1, 7)]


@pytest.fixture
def audited(ws, cli):
    """Six closed cases, four sampled and audited; one audit raises a safeguarding concern, one was second-marked."""
    ws.file("files/E001.pdf")
    ws.evidence(item("E001"))
    ws.cases(*(case(ref, practitioner=f"P0{n % 2 + 1}") for n, ref in enumerate(REFS)))
    drawn = cli("sample", "-w", str(ws.root), "--name", "2025-Q4", "--size", "4", "--seed", "7",
                "--closed-from", "2025-10-01", "--closed-to", "2025-12-31", "--by", "sup")
    assert drawn.code == 0, drawn.text
    sampled = load_workspace(ws.root).samples["2025-Q4"].cases
    for n, ref in enumerate(sampled):
        answers = {i: {"result": "met", "note": f"see {ref} file, section 2"} for i in ("risk_checked", "consent_recorded", "closed_properly")}
        audit = {"schema": "rsqm/audit@1", "case_ref": ref, "sample": "2025-Q4", "auditor": "sup", "audited_on": "2026-01-10",
                 "answers": answers, "safeguarding_concern": n == 0, "safeguarding_note": f"{ref}: disclosure to follow up" if n == 0 else ""}
        if n == 1:
            audit["moderation"] = {"moderator": "sup2", "moderated_on": "2026-01-12",
                                   "answers": {"risk_checked": {"result": "partly_met"}}}
        ws.write_yaml(f"evidence/audits/{ref}.yaml", audit)
    loaded = load_workspace(ws.root)
    assert loaded.valid, loaded.errors
    return loaded


def test_leadership_may_write_nothing():
    for action in WRITES:
        assert not allowed(Role.leadership, action)
        with pytest.raises(PermissionDenied, match=f"the leadership role may not {action.replace('_', ' ')}"):
            require("leadership", action)


def test_supervisors_write_audits_and_samples_but_not_the_coordinators_files():
    assert allowed(Role.supervisor, "write_audit") and allowed(Role.supervisor, "draw_sample")
    for action in ("edit_register", "edit_narrative", "edit_actions", "review_privacy", "export_pack", "manage_users"):
        with pytest.raises(PermissionDenied, match="only coordinator may"):
            require(Role.supervisor, action)


def test_the_coordinator_may_do_everything():
    for action in PERMISSIONS:
        require(Role.coordinator, action)


def test_a_misspelt_action_is_a_programming_error_not_a_silent_refusal():
    with pytest.raises(KeyError):
        require(Role.coordinator, "edit_regsiter")


@pytest.mark.parametrize("method", CASE_LEVEL + EVIDENCE_LEVEL)
def test_leadership_cannot_read_case_or_evidence_level_data(audited, method):
    view = View(audited, Role.leadership)
    with pytest.raises(PermissionDenied, match="the leadership role may not read"):
        getattr(view, method)()


@pytest.mark.parametrize("role", [Role.supervisor, Role.coordinator])
def test_supervisors_and_the_coordinator_see_the_cases_behind_the_numbers(audited, role):
    view = View(audited, role)
    assert [c.case_ref for c in view.cases()] == REFS
    assert set(view.audits()) == set(audited.samples["2025-Q4"].cases)
    assert view.concern_cases() == [audited.samples["2025-Q4"].cases[0]]
    assert view.practitioners() == ["P01", "P02"]
    assert view.assessment().framework_id == "test-fw"


def test_leadership_overview_has_the_numbers_and_no_case_reference(audited):
    overview = View(audited, "leadership").overview()
    assert isinstance(overview, Overview)
    assert (overview.cases, overview.samples, overview.audits_completed, overview.safeguarding_concerns) == (6, 1, 4, 1)
    assert overview.evidence_items == 1
    assert [s.id for s in overview.standards] == ["A", "B"]
    assert [i.id for i in overview.indicators if i.critical] == ["B1"]
    assert overview.compliance_over_time[0].sample == "2025-Q4"
    assert overview.agreement_pairs == 1
    assert {r.item for r in overview.audit_items} == {"risk_checked", "consent_recorded", "closed_properly"}
    dumped = overview.model_dump_json()
    assert leadership_safe(overview, audited)
    assert not re.search(r"[A-Z]{2,5}-\d{4}-\d{3,5}", dumped)
    assert "P01" not in dumped and "disclosure" not in dumped and "section 2" not in dumped


def test_the_same_overview_is_given_to_every_role(audited):
    overviews = {role: View(audited, role).overview() for role in Role}
    assert overviews[Role.leadership] == overviews[Role.coordinator] == overviews[Role.supervisor]


def test_the_case_ref_guard_finds_refs_by_pattern_and_by_name(audited):
    assert find_case_refs({"note": "see RT-2025-0003 at p. 2"}, audited) == ["RT-2025-0003"]
    assert find_case_refs(["file evidence/audits/RT-2025-0001.yaml"], audited) == ["RT-2025-0001"]
    assert not leadership_safe(View(audited, Role.coordinator).audit_summary(), audited)
    assert leadership_safe({"readiness": 0.5, "counts": {"met": 2}}, audited)


@pytest.mark.parametrize("role", [Role.leadership, Role.assessor])
def test_a_case_ref_in_the_overviews_text_is_withheld_from_a_role_without_case_access(ws, audited, role):
    ws.settings(service="Team handling RT-2025-0002")
    changed = load_workspace(ws.root)
    assert View(changed, Role.coordinator).overview().service == "Team handling RT-2025-0002"
    assert View(changed, role).overview().service == f"Team handling {WITHHELD}"


def test_the_view_reads_the_dashboards_cached_results_and_keeps_no_copy_of_its_own(audited):
    from rsqm.assess.gaps import assess_workspace

    result = assess_workspace(audited)
    view = View(audited, Role.coordinator, assessment_source=lambda: result)
    assert view.assessment() is result  # the source (the dashboard's Snapshot cache) is the one cache


def test_without_a_source_the_view_computes_each_result_once(audited):
    view = View(audited, Role.coordinator)
    assert view.assessment() is view.assessment()
    assert view.audit_summary() is view.audit_summary()


def test_on_the_demo_workspace_leadership_gets_the_concern_count_but_not_the_cases(demo_copy):
    demo = load_workspace(demo_copy)
    concerns = View(demo, Role.supervisor).concern_cases()
    overview = View(demo, Role.leadership).overview()
    assert concerns and overview.safeguarding_concerns == len(concerns)
    assert overview.cases == len(demo.cases) > 100
    assert find_case_refs(overview, demo) == []
    assert not any(ref in overview.model_dump_json() for ref in concerns)


@pytest.mark.parametrize("method", CASE_LEVEL + EVIDENCE_LEVEL)
def test_the_assessor_reads_no_case_or_evidence_level_data(audited, method):
    with pytest.raises(PermissionDenied, match="the assessor role may not read"):
        getattr(View(audited, Role.assessor), method)()


def test_the_assessor_may_add_a_request_and_read_packs_but_write_nothing_else():
    assert allowed(Role.assessor, "add_request") and allowed(Role.assessor, "read_packs")
    assert not allowed(Role.assessor, "answer_request")
    for action in WRITES:
        assert not allowed(Role.assessor, action)


def test_leadership_reads_outcomes_as_counts_and_shares_without_a_case_reference(ws):
    ws.cases(*(case(ref, offer_accepted="yes" if n % 2 else "no", referral_source="police") for n, ref in enumerate(REFS)))
    outcomes = View(load_workspace(ws.root), "leadership").outcomes(date(2025, 1, 1), date(2025, 12, 31))
    assert (outcomes.current.referrals, outcomes.current.take_up.k, outcomes.current.take_up.n) == (6, 3, 6)
    assert not find_case_refs(outcomes, load_workspace(ws.root))


def test_a_referral_source_naming_a_case_reaches_leadership_without_the_reference(ws):
    ws.cases(case("RT-2025-0001", referral_source="police"), case("RT-2025-0002", referral_source="see RT-2025-0001"))
    loaded = load_workspace(ws.root)
    outcomes = View(loaded, "leadership").outcomes(date(2025, 1, 1), date(2025, 12, 31))
    assert outcomes.current.referrals == 2 and not find_case_refs(outcomes, loaded)
    assert WITHHELD in outcomes.model_dump_json()
    assert "RT-2025-0001" in View(loaded, "coordinator").outcomes(date(2025, 1, 1), date(2025, 12, 31)).model_dump_json()


def test_the_board_report_is_the_packs_summary_page_alone_and_names_no_case(demo_copy):
    import io
    import re

    import docx

    demo = load_workspace(demo_copy)
    report = View(demo, Role.leadership).board_report()
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(report)).paragraphs)
    assert "Summary" in text and "Action plan:" in text and "What must be met first" in text
    assert "Readiness by standard" not in text  # the summary page only, not the pack
    assert not re.search(r"[A-Z]{2,5}-\d{4}-\d{3,5}", text)
    assert report == View(demo, Role.leadership).board_report()  # the same workspace gives the same bytes


# --- one guard per datum -------------------------------------------------------

NOT_READS = {"can", "require", "release", "counted_on", "today", "workforce_day"}  # permissions and dates: no data


def reads() -> list[str]:
    return sorted(name for name, member in vars(View).items() if callable(member) and not name.startswith("_") and name not in NOT_READS)


def test_every_read_of_the_view_passes_the_one_guard():
    assert len(reads()) >= 25
    assert [name for name in reads() if getattr(getattr(View, name), "__wrapped__", None) is None] == []


@pytest.fixture
def leaky(ws, audited):
    """The audited workspace with case references typed where aggregates are drawn from: the service's name, an
    evidence title, an assessor's question, an action."""
    ws.settings(service="RJ team (pilot RT-2025-0001)", public_contacts=["020 7946 0000"])
    ws.evidence(item("E001", title="Review of RT-2025-0002"))
    ws.write_yaml("evidence/requests.yaml", {"schema": "rsqm/requests@1", "requests": [
        {"id": "R1", "raised_on": "2026-01-05", "by": "RJC assessor", "indicator": "B1",
         "question": "Why was RT-2025-0003 closed without a risk review?"},
        {"id": "R2", "raised_on": "2026-01-06", "by": "RJC assessor", "indicator": "B1",
         "question": "Was Mr Thistlewood rung on 07700 900123, as the service (020 7946 0000) promised?"}]})
    ws.write_yaml("evidence/actions.yaml", {"schema": "rsqm/actions@1", "actions": [
        {"id": "A1", "title": "Follow up RT-2025-0004", "owner": "P01", "due": "2026-03-01", "status": "open"}]})
    loaded = load_workspace(ws.root)
    assert loaded.valid, [str(p) for p in loaded.errors]
    return loaded


def call(view: View, name: str):
    arguments = {"outcomes": (date(2025, 1, 1), date(2025, 12, 31)), "related": ("rjc-rsqm", "B1"), "narrative_file": ("rjc-rsqm", "B1"),
                 "commission_return": ("2025Q4", "return.xlsx")}
    return getattr(view, name)(*arguments.get(name, ()))


@pytest.mark.parametrize("role", [Role.leadership, Role.assessor])
def test_no_read_gives_a_role_without_case_access_a_case_reference(leaky, role):
    view, given = View(leaky, role), 0
    for name in reads():
        try:
            result = call(view, name)
        except PermissionDenied:
            continue
        given += 1
        assert find_case_refs(result, leaky) == [], name
    assert given >= 8  # the overview, the requests, the outcomes ... were given, without the references
    assert view.requests()[0].question == f"Why was {WITHHELD} closed without a risk review?"
    # what the privacy pre-flight would refuse is withheld too; the service's own public number is not
    assert view.requests()[1].question == f"Was {WITHHELD_DATUM} rung on {WITHHELD_DATUM}, as the service (020 7946 0000) promised?"
    coordinator = View(leaky, Role.coordinator)
    assert coordinator.requests()[0].question == "Why was RT-2025-0003 closed without a risk review?"
    assert "RT-2025-0001" in coordinator.overview().service
