"""The gap rules of docs/design.md ("Gap rules"), one rule at a time, on small hand-built workspaces."""

from __future__ import annotations

import copy
import shutil
from datetime import date

import pytest

from builders import FRAMEWORK, WorkspaceBuilder, build, case, item
from rsqm.assess.gaps import Assessment, IndicatorResult, UnknownFramework, add_months, assess, assess_workspace, earliest_fresh_date
from rsqm.files.hashing import evidence_digests
from rsqm.outputs import AuditItemOut
from rsqm.workspace.load import load_workspace

D = date(2026, 6, 30)  # the test workspace's assessment date
POPULATION_HASH = "0" * 64


def add_audits(b: WorkspaceBuilder, answers: list[dict], *, moderation: list[dict | None] | None = None) -> None:
    """One sample of len(answers) cases, each audited with the given {item: result} answers."""
    refs = [f"RJ-2025-{n:03d}" for n in range(1, len(answers) + 1)]
    shutil.rmtree(b.root / "evidence" / "audits", ignore_errors=True)
    b.cases(*(case(ref) for ref in refs))
    b.write_yaml("evidence/samples/s1.yaml", {
        "schema": "rsqm/sample@1", "name": "s1", "drawn_on": "2026-01-05", "drawn_by": "S01",
        "population": {"size": len(refs), "sha256": POPULATION_HASH},
        "method": {"kind": "simple", "size": len(refs), "seed": 1},
        "cases": refs,
    })
    for index, (ref, given) in enumerate(zip(refs, answers, strict=True)):
        audit = {
            "schema": "rsqm/audit@1", "case_ref": ref, "sample": "s1", "auditor": "S01", "audited_on": "2026-01-10",
            "answers": {key: {"result": value} for key, value in given.items()},
        }
        agreed = moderation[index] if moderation else None
        if agreed is not None:
            audit["moderation"] = {
                "moderator": "S02", "moderated_on": "2026-01-12",
                "answers": {key: {"result": value} for key, value in agreed.items()},
                "agreed": {key: {"result": value} for key, value in agreed.items()},
            }
        b.write_yaml(f"evidence/audits/{ref}.yaml", audit)


def risk(*results: str) -> list[dict]:
    return [{"risk_checked": r} for r in results]


def evidence(b: WorkspaceBuilder, *items: dict, missing: tuple[str, ...] = ()) -> None:
    """Register the items and put their files on disk (except those named in ``missing``)."""
    for entry in items:
        if entry["id"] not in missing:
            b.file(entry["file"], f"body of {entry['id']}\n".encode())
    b.evidence(*items)


def run(b: WorkspaceBuilder, as_of: date = D, today: date = date(2026, 3, 1), framework_id: str | None = None) -> Assessment:
    ws = load_workspace(b.root, today=date(2026, 11, 1))
    assert ws.valid, [str(p) for p in ws.errors]
    return assess(ws, as_of, evidence_digests(ws), framework_id=framework_id, today=today)


def indicator(a: Assessment, ind: str) -> IndicatorResult:
    return next(r for r in a.indicators if r.id == ind)


def status(b: WorkspaceBuilder, ind: str, **kw) -> str:
    return indicator(run(b, **kw), ind).status


def codes(result: IndicatorResult, blocking: bool | None = None) -> list[str]:
    return [r.code.value for r in result.reasons if blocking is None or r.blocking == blocking]


def supervision(id: str = "E010", **fields) -> dict:
    return item(id, type="supervision_record", links=[{"indicator": "B1", "locator": "p. 1"}], **fields)


@pytest.fixture
def b(tmp_path) -> WorkspaceBuilder:
    return build(tmp_path / "ws")


# --- month arithmetic --------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2025, 6, 30), 12, date(2026, 6, 30)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 1, 15), -13, date(2024, 12, 15)),
    ],
)
def test_add_months_is_calendar_correct_and_clamps_to_month_end(start, months, expected):
    assert add_months(start, months) == expected


def test_earliest_fresh_date_is_the_first_day_still_inside_the_max_age():
    assert earliest_fresh_date(date(2026, 6, 30), 12) == date(2025, 6, 30)
    # 28 Feb + 1 month is 28 Mar, short of 31 Mar: the first fresh date is 1 Mar
    assert earliest_fresh_date(date(2026, 3, 31), 1) == date(2026, 3, 1)
    assert add_months(date(2026, 2, 28), 1) < date(2026, 3, 31) <= add_months(date(2026, 3, 1), 1)


# --- which evidence qualifies --------------------------------------------------


def test_an_approved_current_item_on_disk_meets_its_indicator(b):
    evidence(b, item("E001"))
    result = indicator(run(b), "A1")
    assert result.status == "met"
    assert result.evidence == ["E001"]
    assert codes(result, blocking=True) == []


def test_an_indicator_with_nothing_linked_is_not_met_with_no_evidence(b):
    result = indicator(run(b), "A1")
    assert result.status == "not_met"
    assert codes(result, blocking=True) == ["no_evidence"]
    assert "add an approved item of type policy dated on or after 2025-06-30" in result.reasons[0].action


@pytest.mark.parametrize(("dated", "expected"), [("2025-06-30", "met"), ("2025-06-29", "not_met")])
def test_max_age_boundary_expiry_on_the_as_of_date_still_qualifies(b, dated, expected):
    evidence(b, item("E001", dated=dated))
    result = indicator(run(b), "A1")
    assert result.status == expected
    if expected == "not_met":
        assert "evidence_expired" in codes(result)
        assert next(r for r in result.reasons if r.code == "evidence_expired").refs == ["E001"]


@pytest.mark.parametrize(("as_of", "expected"), [(date(2025, 2, 28), "met"), (date(2025, 3, 1), "not_met")])
def test_max_age_adds_months_clamping_a_leap_day_to_the_month_end(b, as_of, expected):
    evidence(b, item("E001", dated="2024-02-29"))
    assert status(b, "A1", as_of=as_of, today=as_of) == expected


@pytest.mark.parametrize(("review_by", "expected"), [("2026-06-30", "met"), ("2026-06-29", "not_met")])
def test_review_by_boundary_expiry_on_the_as_of_date_still_qualifies(b, review_by, expected):
    evidence(b, item("E001", review_by=review_by))
    assert status(b, "A1") == expected


def test_review_by_replaces_max_age_in_both_directions(b):
    # dated long ago but reviewed: still counts; dated recently but review lapsed: expired
    evidence(b, item("E001", dated="2023-01-01", review_by="2026-12-31"), item("E002", dated="2026-01-01", review_by="2026-02-01"))
    result = indicator(run(b), "A1")
    assert result.evidence == ["E001"]
    expired = [r for r in result.reasons if r.code == "evidence_expired"]
    assert [r.refs for r in expired] == [["E002"]]
    assert "review_by" in expired[0].action


@pytest.mark.parametrize("state", ["draft", "in_review", "rejected"])
def test_items_not_approved_do_not_qualify(b, state):
    evidence(b, item("E001", status=state))
    result = indicator(run(b), "A1")
    assert result.status == "not_met"
    reason = next(r for r in result.reasons if r.code == "evidence_not_approved")
    assert reason.refs == ["E001"]
    assert "approved" in reason.action


def test_items_dated_after_the_as_of_date_do_not_count_yet(b):
    evidence(b, item("E001", dated="2026-04-01"))
    assert status(b, "A1", as_of=date(2026, 3, 31), today=date(2026, 3, 31)) == "not_met"
    assert status(b, "A1", as_of=date(2026, 4, 1), today=date(2026, 4, 1)) == "met"
    reason = indicator(run(b, as_of=date(2026, 3, 31), today=date(2026, 3, 31)), "A1").reasons[0]
    assert reason.code == "no_evidence" and reason.refs == ["E001"]
    assert "dated after 2026-03-31" in reason.message


def test_a_registered_file_missing_on_disk_does_not_qualify(b):
    evidence(b, item("E001"), missing=("E001",))
    result = indicator(run(b), "A1")
    assert result.status == "not_met"
    reason = next(r for r in result.reasons if r.code == "evidence_file_missing")
    assert reason.refs == ["E001"]
    assert "evidence/files/E001.pdf" in reason.message


def test_a_file_whose_digest_differs_from_the_recorded_sha256_does_not_qualify(b):
    recorded = b.file("files/E001.pdf", b"as approved\n")
    b.evidence(item("E001", sha256=recorded), item("E002", sha256=recorded, file="files/E002.pdf"))
    b.file("files/E002.pdf", b"edited after approval\n")
    result = indicator(run(b), "A1")
    assert result.evidence == ["E001"]
    assert [(r.code.value, r.refs) for r in result.reasons if r.blocking] == [("evidence_hash_mismatch", ["E002"])]


def test_an_item_without_a_recorded_sha256_is_not_checked_for_changes(b):
    evidence(b, item("E001"))
    b.file("files/E001.pdf", b"edited\n")
    assert status(b, "A1") == "met"


def test_an_item_linked_twice_to_one_indicator_counts_once(b):
    two_links = [{"indicator": "A2", "locator": "p. 1"}, {"indicator": "A2", "locator": "p. 9"}]
    evidence(b, item("E001", type="training_record", links=two_links))
    result = indicator(run(b), "A2")
    assert result.evidence == ["E001"]
    assert result.status == "partly_met"  # one item of the two needed
    assert [locator for _, locator, _ in result.links] == ["p. 1", "p. 9"]


def test_each_non_qualifying_linked_item_is_explained_by_the_rule_it_failed_first(b):
    evidence(
        b,
        item("E001", status="draft", dated="2020-01-01"),  # not approved comes first
        item("E002", dated="2020-01-01"),
        item("E003"),
        item("E004"),
        missing=("E001", "E003"),
    )
    result = indicator(run(b), "A1")
    assert result.evidence == ["E004"]
    assert [(r.code.value, r.refs) for r in result.reasons if r.blocking] == [
        ("evidence_not_approved", ["E001"]),
        ("evidence_expired", ["E002"]),
        ("evidence_file_missing", ["E003"]),
    ]
    assert result.status == "met"


# --- the evidence part: types and counts ---------------------------------------


def test_every_listed_type_needs_a_qualifying_item(b):
    evidence(b, item("E001", type="training_record"))  # qualifies, but is not a policy
    result = indicator(run(b), "A1")
    assert result.status == "partly_met"
    reason = next(r for r in result.reasons if r.code == "missing_evidence_type")
    assert reason.refs == ["policy"]
    assert "add an approved item of type policy" in reason.action


@pytest.mark.parametrize(("count", "expected"), [(0, "not_met"), (1, "partly_met"), (2, "met")])
def test_min_items_boundary(b, count, expected):
    items = [item(f"E00{n}", type="training_record", links=[{"indicator": "A2", "locator": "p. 1"}]) for n in range(1, count + 1)]
    evidence(b, *items)
    result = indicator(run(b), "A2")
    assert result.status == expected
    if count == 1:
        reason = next(r for r in result.reasons if r.blocking)
        assert reason.code == "no_evidence" and "1 qualifying item(s) of the 2 needed" in reason.message


# --- the audit part -------------------------------------------------------------


def test_audit_item_met_at_target_with_enough_cases_makes_the_indicator_met(b):
    evidence(b, supervision())
    add_audits(b, risk("met", "met", "met", "met", "not_met"))  # 0.8 == target
    result = indicator(run(b), "B1")
    assert result.status == "met"
    (audit,) = result.audit
    assert (audit.item, audit.applicable, audit.met, audit.rate) == ("risk_checked", 5, 4, 0.8)


def test_audit_below_target_keeps_the_indicator_partly_met(b):
    evidence(b, supervision())
    add_audits(b, risk("met", "met", "not_met"))
    result = indicator(run(b), "B1")
    assert result.status == "partly_met"
    reason = next(r for r in result.reasons if r.blocking)
    assert (reason.code.value, reason.refs) == ("audit_below_target", ["risk_checked"])
    assert "2/3 met" in reason.message


@pytest.mark.parametrize(("results", "expected"), [(("met", "met"), "partly_met"), (("met", "met", "met"), "met")])
def test_min_sample_boundary(b, results, expected):
    evidence(b, supervision())
    add_audits(b, risk(*results))
    result = indicator(run(b), "B1")
    assert result.status == expected
    if expected == "partly_met":
        reason = next(r for r in result.reasons if r.blocking)
        assert reason.code == "audit_sample_too_small"
        assert "audit 1 more" in reason.action


def test_not_applicable_answers_are_left_out_of_the_rate_and_the_sample(b):
    evidence(b, supervision())
    add_audits(b, risk("met", "met", "n_a", "n_a", "not_met"))
    (audit,) = indicator(run(b), "B1").audit
    assert (audit.applicable, audit.n_a, audit.rate) == (3, 2, pytest.approx(2 / 3))
    add_audits(b, risk("met", "met", "n_a", "n_a"))
    result = indicator(run(b), "B1")
    assert result.audit[0].applicable == 2
    assert "audit_sample_too_small" in codes(result)


def test_moderation_agreed_answers_override_the_first_marking(b):
    evidence(b, supervision())
    add_audits(b, risk("met", "met", "not_met"), moderation=[None, None, {"risk_checked": "met"}])
    result = indicator(run(b), "B1")
    assert result.audit[0].met == 3
    assert result.status == "met"


def test_wilson_interval_is_reported_beside_the_rate(b):
    evidence(b, supervision())
    add_audits(b, risk(*["met"] * 15, *["not_met"] * 3))
    (audit,) = indicator(run(b), "B1").audit
    assert (audit.met, audit.applicable) == (15, 18)
    assert (round(audit.ci_low, 3), round(audit.ci_high, 3)) == (0.608, 0.942)
    item_json = AuditItemOut.of(audit).model_dump(mode="json")
    assert (item_json["rate"], item_json["ci_low"], item_json["ci_high"]) == (0.833, 0.608, 0.942)


def test_a_round_with_an_audit_not_yet_completed_is_not_counted(b):
    evidence(b, supervision())
    add_audits(b, risk("met", "met", "met"))
    blank = {"schema": "rsqm/audit@1", "case_ref": "RJ-2025-003", "sample": "s1", "auditor": "S01", "answers": {}}
    b.write_yaml("evidence/audits/RJ-2025-003.yaml", blank)
    result = indicator(run(b), "B1")
    assert (result.audit[0].applicable, result.audit[0].rounds) == (0, [])
    (reason,) = [r for r in result.reasons if r.code == "audit_sample_too_small"]
    assert "no complete audit round" in reason.message


def test_a_met_audit_item_alone_makes_an_indicator_partly_met(b):
    add_audits(b, risk("met", "met", "met"))
    result = indicator(run(b), "B1")
    assert result.status == "partly_met"
    assert codes(result, blocking=True) == ["no_evidence"]


def test_nothing_qualifying_and_no_audit_item_met_is_not_met(b):
    add_audits(b, risk("met", "not_met", "not_met"))
    assert status(b, "B1") == "not_met"


def test_an_indicator_linked_to_several_audit_items_needs_each_of_them_met(tmp_path):
    framework = copy.deepcopy(FRAMEWORK)
    framework["standards"][1]["indicators"][0]["audit_items"] = ["risk_checked", "consent_recorded"]
    b = build(tmp_path / "ws", framework=framework)
    evidence(b, supervision())
    add_audits(b, [{"risk_checked": "met", "consent_recorded": r} for r in ("met", "met", "not_met")])
    result = indicator(run(b), "B1")
    assert result.status == "partly_met"
    assert [a.item for a in result.audit] == ["risk_checked", "consent_recorded"]
    assert [(r.code.value, r.refs) for r in result.reasons if r.blocking] == [("audit_below_target", ["consent_recorded"])]


# --- status, readiness and the verdict ---------------------------------------------


def test_not_applicable_needs_a_written_justification_and_leaves_readiness(b):
    b.settings(not_applicable={"A2": "The service has no volunteers to train."})
    evidence(b, item("E001"))
    a = run(b)
    result = indicator(a, "A2")
    assert result.status == "not_applicable"
    assert result.justification == "The service has no volunteers to train."
    assert result.reasons == []
    standard_a = a.standards[0]
    assert standard_a.counts == {"met": 1, "partly_met": 0, "not_met": 0, "not_applicable": 1}
    assert standard_a.readiness == 1.0
    assert a.readiness == pytest.approx(0.5)  # A1 met (1) and B1 not met (1); A2 left out


def test_readiness_is_the_weighted_share(b):
    evidence(b, item("E001"), item("E002", type="training_record", links=[{"indicator": "A2", "locator": "p. 1"}]))
    a = run(b)
    assert [r.status for r in a.indicators] == ["met", "partly_met", "not_met"]
    assert a.readiness == pytest.approx((1 * 1 + 0.5 * 2 + 0 * 1) / 4)
    assert a.standards[0].readiness == pytest.approx(2 / 3)
    assert a.standards[1].counts == {"met": 0, "partly_met": 0, "not_met": 1, "not_applicable": 0}


def _all_met(b: WorkspaceBuilder) -> list[dict]:
    training = [item(f"E00{n}", type="training_record", links=[{"indicator": "A2", "locator": "p. 1"}]) for n in (2, 3)]
    return [item("E001"), *training, supervision()]


def test_ready_when_every_indicator_is_met(b):
    evidence(b, *_all_met(b))
    add_audits(b, risk("met", "met", "met"))
    a = run(b)
    assert a.ready and a.blockers == [] and a.readiness == 1.0


def test_not_ready_when_a_critical_indicator_is_only_partly_met(b):
    evidence(b, *_all_met(b))
    add_audits(b, risk("met", "met", "not_met"))
    a = run(b)
    assert indicator(a, "B1").status == "partly_met"
    assert not a.ready and a.blockers == ["B1"]


def test_partly_met_non_critical_indicators_do_not_stop_the_verdict_but_not_met_ones_do(b):
    items = _all_met(b)
    evidence(b, *[i for i in items if i["id"] != "E003"])  # A2 has one of two training records
    add_audits(b, risk("met", "met", "met"))
    assert run(b).ready
    evidence(b, *[i for i in items if i["id"] not in ("E002", "E003")])
    a = run(b)
    assert indicator(a, "A2").status == "not_met"
    assert not a.ready and a.blockers == ["A2"]


def test_a_critical_indicator_marked_not_applicable_still_blocks_the_verdict(b):
    b.settings(not_applicable={"B1": "We do no face-to-face work."})
    evidence(b, *_all_met(b))
    a = run(b)
    assert indicator(a, "B1").status == "not_applicable"
    assert not a.ready and a.blockers == ["B1"]


# --- warnings ---------------------------------------------------------------------


def test_evidence_expiring_before_the_assessment_is_a_warning_that_does_not_lower_the_status(b):
    evidence(b, item("E001", dated="2025-05-01"))  # counts until 2026-05-01
    today = date(2026, 3, 1)
    a = run(b, as_of=today, today=today)
    result = indicator(a, "A1")
    assert result.status == "met"
    warning = next(r for r in result.reasons if r.code == "evidence_expires_before_assessment")
    assert (warning.blocking, warning.refs) == (False, ["E001"])
    assert a.expiring == ["E001"]
    # on the assessment date itself the item has expired
    on_the_day = run(b, as_of=D, today=today)
    assert indicator(on_the_day, "A1").status == "not_met"
    assert on_the_day.expiring == ["E001"]


def test_evidence_lasting_past_the_assessment_is_not_expiring(b):
    evidence(b, item("E001", dated="2025-07-01"))
    a = run(b, as_of=date(2026, 3, 1), today=date(2026, 3, 1))
    assert a.expiring == []
    assert "evidence_expires_before_assessment" not in codes(indicator(a, "A1"))


def test_links_without_a_locator_and_missing_narratives_are_warnings(b):
    evidence(b, item("E001", links=[{"indicator": "A1", "locator": " "}]))
    b.write("evidence/narratives/A1.md", "We keep our policy current.\n")
    a = run(b)
    a1, a2 = indicator(a, "A1"), indicator(a, "A2")
    assert a1.status == "met"
    assert [(r.code.value, r.refs, r.blocking) for r in a1.reasons] == [("link_without_locator", ["E001"], False)]
    assert a1.narrative == "We keep our policy current.\n"
    assert ("no_narrative", False) in [(r.code.value, r.blocking) for r in a2.reasons]
    assert "evidence/narratives/test-fw/A2.md" in next(r.action for r in a2.reasons if r.code == "no_narrative")


# --- other frameworks -----------------------------------------------------------


def _second_framework(b: WorkspaceBuilder) -> None:
    b.write_yaml("standards/other-fw.yaml", {
        "schema": "rsqm/framework@1", "id": "other-fw", "title": "Other framework", "version": "2", "source": "tests",
        "evidence_types": {"policy": "Policy"},
        "standards": [{"id": "X", "title": "Xray", "indicators": [{"id": "C", "title": "Complaints", "evidence": {"types": ["policy"]}}]}],
    })


def test_any_framework_in_the_workspace_can_be_assessed_through_prefixed_links(b):
    _second_framework(b)
    evidence(b, item("E001", links=[{"indicator": "other-fw:C", "locator": "s. 3"}]))
    other = run(b, framework_id="other-fw")
    assert (other.framework_id, other.framework_version) == ("other-fw", "2")
    assert [(r.id, r.status, r.evidence) for r in other.indicators] == [("C", "met", ["E001"])]
    assert indicator(run(b), "A1").status == "not_met"  # the link does not count in the primary framework


def test_an_unknown_framework_is_refused(b):
    with pytest.raises(UnknownFramework, match="no-such-fw"):
        run(b, framework_id="no-such-fw")


def test_assess_workspace_defaults_to_the_assessment_date_and_hashes_the_files(b):
    recorded = b.file("files/E001.pdf", b"approved\n")
    b.evidence(item("E001", sha256=recorded))
    ws = load_workspace(b.root)
    a = assess_workspace(ws)
    assert a.as_of == D
    assert indicator(a, "A1").status == "met"
    b.file("files/E001.pdf", b"changed\n")
    assert indicator(assess_workspace(load_workspace(b.root)), "A1").status == "not_met"


def test_assess_workspace_uses_today_without_an_assessment_date(b):
    b.settings(assessment_date=None)
    assert assess_workspace(load_workspace(b.root)).as_of == date.today()



def test_superseded_items_do_not_qualify_and_are_not_a_shortfall(b):
    evidence(b, item("E001", status="superseded"))
    result = indicator(run(b), "A1")
    assert result.status == "not_met"
    assert [r.code for r in result.reasons if "E001" in r.refs] == []
