"""Properties of the gap analysis over generated workspaces (built in memory: assess is pure)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builders import CHECKLIST, FRAMEWORK
from rsqm.assess.gaps import Assessment, add_months, assess
from rsqm.files.folder import EvidenceFile, Workspace
from rsqm.files.models import Audit, Checklist, EvidenceItem, Framework, Register, Sample, WorkspaceSettings

RANK = {"not_met": 0, "partly_met": 1, "met": 2, "not_applicable": 3}
AS_OF = date(2026, 6, 30)
TODAY = date(2026, 3, 1)
TYPES = ["policy", "training_record", "supervision_record"]
INDICATORS = ["A1", "A2", "B1"]
ITEMS = [i["id"] for i in CHECKLIST["items"]]
SAMPLE = Sample.model_validate({
    "schema": "rsqm/sample@1", "name": "s1", "drawn_on": "2026-01-05", "drawn_by": "S01",
    "population": {"size": 1, "sha256": "0" * 64}, "method": {"kind": "simple", "size": 1, "seed": 1}, "cases": [],
})


def workspace(items: list[EvidenceItem], files: dict[str, EvidenceFile], audits: list[Audit]) -> Workspace:
    settings_ = WorkspaceSettings.model_validate({
        "schema": "rsqm/workspace@1", "service": "Test Service", "framework": "test-fw",
        "checklist": "test-checklist", "assessment_date": "2026-06-30",
    })
    return Workspace(
        root=Path("/nonexistent"),
        settings=settings_,
        frameworks={"test-fw": Framework.model_validate(FRAMEWORK)},
        checklists={"test-checklist": Checklist.model_validate(CHECKLIST)},
        register=Register.model_validate({"schema": "rsqm/register@1", "items": items}),
        samples={"s1": SAMPLE.model_copy(update={"cases": [a.case_ref for a in audits]})},  # a complete round
        audits={a.case_ref: a for a in audits},
        files=files,
    )


def evidence_item(n: int, kind: str, indicator: str, dated: date, status: str = "approved",
                  review_by: date | None = None, sha256: str | None = None, locator: str = "p. 1") -> EvidenceItem:
    return EvidenceItem.model_validate({
        "id": f"E{n:03d}", "title": f"Doc {n}", "type": kind, "file": f"f/{n}.pdf", "owner": "Manager",
        "dated": dated, "review_by": review_by, "status": status, "sha256": sha256,
        "links": [{"indicator": indicator, "locator": locator}],
    })


def audit(n: int, answers: dict[str, str]) -> Audit:
    return Audit.model_validate({
        "schema": "rsqm/audit@1", "case_ref": f"RJ-2025-{n:04d}", "sample": "s1", "auditor": "S01",
        "audited_on": "2026-01-10", "answers": {k: {"result": v} for k, v in answers.items()},
    })


DATES = st.dates(min_value=date(2023, 1, 1), max_value=date(2027, 6, 30))
GOOD_HASH, BAD_HASH = "a" * 64, "b" * 64


@st.composite
def generated(draw) -> tuple[list[EvidenceItem], dict[str, EvidenceFile], list[Audit]]:
    items, files = [], {}
    for n in range(1, draw(st.integers(0, 8)) + 1):
        dated = draw(DATES)
        review = draw(st.none() | st.integers(0, 900).map(lambda d, dated=dated: dated + timedelta(days=d)))
        entry = evidence_item(
            n, draw(st.sampled_from(TYPES)), draw(st.sampled_from(INDICATORS)), dated,
            status=draw(st.sampled_from(["approved", "approved", "draft", "superseded"])),
            review_by=review, sha256=draw(st.sampled_from([None, GOOD_HASH, BAD_HASH])),
            locator=draw(st.sampled_from(["", "p. 2"])),
        )
        items.append(entry)
        files[entry.id] = EvidenceFile(rel=entry.file, path=Path("/x") / entry.file, exists=draw(st.booleans()))
    answer = st.sampled_from(["met", "met", "partly_met", "not_met", "n_a"])
    audits = [audit(n, {k: draw(answer) for k in ITEMS}) for n in range(draw(st.integers(0, 8)))]
    return items, files, audits


def run(items, files, audits, as_of: date = AS_OF) -> Assessment:
    digests = {i.id: GOOD_HASH for i in items if files[i.id].exists}
    return assess(workspace(items, files, audits), as_of, digests, today=TODAY)


def assert_not_lower(before: Assessment, after: Assessment) -> None:
    for old, new in zip(before.indicators, after.indicators, strict=True):
        assert RANK[new.status] >= RANK[old.status], (old.id, old.status, new.status)
    assert after.readiness >= before.readiness
    assert after.ready >= before.ready


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(generated(), st.sampled_from(INDICATORS), st.sampled_from(TYPES), st.integers(0, 11))
def test_adding_a_qualifying_item_never_lowers_any_status_or_the_readiness(data, indicator, kind, age_months):
    items, files, audits = data
    before = run(items, files, audits)
    extra = evidence_item(999, kind, indicator, add_months(AS_OF, -age_months))
    after = run([*items, extra], {**files, extra.id: EvidenceFile(extra.file, Path("/x/e"), True)}, audits)
    assert extra.id in next(r for r in after.indicators if r.id == indicator).evidence
    assert_not_lower(before, after)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(generated(), st.integers(0, 400))
def test_moving_the_as_of_date_past_every_expiry_never_raises_a_status(data, extra_days):
    items, files, audits = data
    before = run(items, files, audits)
    ends = [i.review_by or add_months(i.dated, 24) for i in items]  # 24 months: the longest max age in the framework
    later = max([AS_OF, *ends]) + timedelta(days=1 + extra_days)
    after = run(items, files, audits, as_of=later)
    assert all(r.evidence == [] for r in after.indicators)
    assert_not_lower(after, before)


def test_assess_handles_1000_items_and_2000_audits_well_under_200_ms():
    items = [
        evidence_item(n, TYPES[n % 3], INDICATORS[n % 3], date(2025, 1, 1) + timedelta(days=n % 500),
                      sha256=GOOD_HASH if n % 2 else None, locator="" if n % 7 == 0 else "p. 1")
        for n in range(1, 1001)
    ]
    files = {i.id: EvidenceFile(i.file, Path("/x") / i.file, n % 10 != 0) for n, i in enumerate(items)}
    audits = [audit(n, {k: ("met", "not_met", "n_a", "met")[(n + len(k)) % 4] for k in ITEMS}) for n in range(2000)]
    ws = workspace(items, files, audits)
    digests = {i.id: GOOD_HASH for i in items}
    result = assess(ws, AS_OF, digests, today=TODAY)
    assert sum(len(r.evidence) for r in result.indicators) > 100
    assert result.indicators[2].audit[0].applicable > 1000
