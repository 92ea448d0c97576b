"""Audit statistics on hand-built audits whose answers are known: rates, intervals, agreement, concerns."""

from datetime import date

import pytest

from builders import case
from rsqm.audit.audits import AuditError, agreement, audit_document, blank_audit, summarise
from rsqm.audit.sampling import new_sample
from rsqm.files.models import Audit, Case
from rsqm.files.yamlio import dump_yaml
from rsqm.outputs import AuditSummaryOut
from rsqm.workspace.load import load_workspace

ITEMS = ("risk_checked", "consent_recorded", "closed_properly")


def refs(prefix: str, count: int) -> list[str]:
    return [f"{prefix}-{n:03d}" for n in range(1, count + 1)]


def add_sample(ws, name: str, case_refs: list[str], drawn_on: str, closed: str):
    """Write a sample holding exactly these cases (the whole population of its period)."""
    cases = [Case.model_validate(case(r, closed)) for r in case_refs]
    day = date.fromisoformat(closed)
    sample, _ = new_sample(cases, name=name, size=len(cases), seed=1, closed_from=day, closed_to=day,
                           drawn_on=date.fromisoformat(drawn_on), drawn_by="sup1")
    ws.write(f"evidence/samples/{name}.yaml", dump_yaml(sample.model_dump(mode="json", by_alias=True, exclude_none=True)))


def record(case_ref: str, sample: str, answers: dict[str, str | None], *, audited_on: str | None = "2026-01-20",
           moderation: dict | None = None, concern: bool = False) -> dict:
    data = {
        "schema": "rsqm/audit@1", "case_ref": case_ref, "sample": sample, "auditor": "sup1", "audited_on": audited_on,
        "answers": {k: {"result": v} for k, v in answers.items()}, "safeguarding_concern": concern,
    }
    if moderation:
        data["moderation"] = {"moderator": "sup2", "moderated_on": "2026-01-27"} | moderation
    return data


def answers(**given: str | None) -> dict[str, str | None]:
    return {"risk_checked": "met", "consent_recorded": "met", "closed_properly": "met"} | given


@pytest.fixture
def q4(ws):
    """Sample Q4 of 20 cases: risk_checked 15 met / 2 not / 1 partly / 2 n_a; consent_recorded 17/20."""
    cases = refs("RT-2025", 20)
    ws.cases(*[case(r, "2025-11-15") for r in cases])
    add_sample(ws, "Q4", cases, "2026-01-05", "2025-11-15")
    risk = ["met"] * 15 + ["not_met", "not_met", "partly_met", "n_a", "n_a"]
    consent = ["met"] * 17 + ["not_met"] * 3
    for ref, r, c in zip(cases, risk, consent, strict=True):
        ws.write_yaml(f"evidence/audits/{ref}.yaml", record(ref, "Q4", answers(risk_checked=r, consent_recorded=c)))
    return ws


def loaded(ws):
    workspace = load_workspace(ws.root, today=date(2026, 6, 1))
    assert workspace.valid, [str(p) for p in workspace.errors]
    return workspace


def test_item_rates_and_wilson_intervals_from_known_answers(q4):
    summary = summarise(loaded(q4))
    by_item = {r.item: r for r in summary.items}
    risk = by_item["risk_checked"]
    assert (risk.applicable, risk.met, risk.partly_met, risk.not_met, risk.n_a) == (18, 15, 1, 2, 2)
    assert (round(risk.rate, 3), round(risk.ci_low, 3), round(risk.ci_high, 3)) == (0.833, 0.608, 0.942)
    consent = by_item["consent_recorded"]
    assert (consent.applicable, consent.met, consent.not_met) == (20, 17, 3)
    assert (round(consent.rate, 3), round(consent.ci_low, 3), round(consent.ci_high, 3)) == (0.85, 0.64, 0.948)
    closed = by_item["closed_properly"]
    assert (closed.rate, round(closed.ci_low, 3), closed.ci_high) == (1.0, 0.839, 1.0)


def test_items_below_target_come_first_then_checklist_order(q4):
    summary = summarise(loaded(q4))
    # consent 0.85 < 0.9 is below target; risk 0.833 >= 0.8 is not
    assert [r.item for r in summary.items] == ["consent_recorded", "risk_checked", "closed_properly"]


def test_sample_compliance_is_met_over_applicable_across_all_items(q4):
    [q] = summarise(loaded(q4)).samples
    # met 15 + 17 + 20 = 52; applicable 18 + 20 + 20 = 58
    assert (q.sample, q.cases, q.audited, q.met, q.applicable) == ("Q4", 20, 20, 52, 58)
    assert (round(q.rate, 3), round(q.ci_low, 3), round(q.ci_high, 3)) == (0.897, 0.792, 0.952)


def test_samples_are_listed_oldest_draw_first_whatever_their_names(ws):
    early, late = refs("RT-2025", 2), refs("RT-2026", 2)
    ws.cases(*[case(r, "2025-06-15") for r in early], *[case(r, "2026-02-15", referred_on="2026-01-01") for r in late])
    add_sample(ws, "z-first", early, "2025-07-01", "2025-06-15")
    add_sample(ws, "a-second", late, "2026-03-01", "2026-02-15")
    ws.write_yaml(f"evidence/audits/{early[0]}.yaml", record(early[0], "z-first", answers(consent_recorded="not_met")))
    ws.write_yaml(f"evidence/audits/{late[0]}.yaml", record(late[0], "a-second", answers(), audited_on="2026-03-10"))
    samples = summarise(loaded(ws)).samples
    assert [(s.sample, s.met, s.applicable) for s in samples] == [("z-first", 2, 3), ("a-second", 3, 3)]


def test_one_sample_only_when_asked(ws):
    early, late = refs("RT-2025", 2), refs("RT-2026", 2)
    ws.cases(*[case(r, "2025-06-15") for r in early], *[case(r, "2026-02-15", referred_on="2026-01-01") for r in late])
    add_sample(ws, "H1", early, "2025-07-01", "2025-06-15")
    add_sample(ws, "H2", late, "2026-03-01", "2026-02-15")
    ws.write_yaml(f"evidence/audits/{early[0]}.yaml", record(early[0], "H1", answers(risk_checked="not_met"), concern=True))
    ws.write_yaml(f"evidence/audits/{late[0]}.yaml", record(late[0], "H2", answers(), audited_on="2026-03-10"))
    summary = summarise(loaded(ws), "H2")
    assert [s.sample for s in summary.samples] == ["H2"]
    assert {r.item: r.rate for r in summary.items}["risk_checked"] == 1.0
    assert summary.safeguarding_concerns == 0


def test_an_unknown_sample_is_refused(q4):
    with pytest.raises(AuditError, match="unknown sample 'nope'"):
        summarise(loaded(q4), "nope")


def test_blank_records_are_not_counted_but_their_concerns_are(ws):
    cases = refs("RT-2025", 3)
    ws.cases(*[case(r, "2025-11-15") for r in cases])
    add_sample(ws, "Q4", cases, "2026-01-05", "2025-11-15")
    ws.write_yaml(f"evidence/audits/{cases[0]}.yaml", record(cases[0], "Q4", answers()))
    ws.write_yaml(f"evidence/audits/{cases[1]}.yaml",
                  record(cases[1], "Q4", dict.fromkeys(ITEMS), audited_on=None, concern=True))
    summary = summarise(loaded(ws))
    assert [r.applicable for r in summary.items] == [1, 1, 1]
    assert summary.samples[0].audited == 1
    assert (summary.safeguarding_concerns, summary.concern_cases) == (1, [cases[1]])


def test_agreed_moderation_answers_are_the_ones_that_count(ws):
    cases = refs("RT-2025", 1)
    ws.cases(case(cases[0], "2025-11-15"))
    add_sample(ws, "Q4", cases, "2026-01-05", "2025-11-15")
    ws.write_yaml(f"evidence/audits/{cases[0]}.yaml", record(
        cases[0], "Q4", answers(), moderation={"answers": {"risk_checked": {"result": "not_met"}},
                                               "agreed": {"risk_checked": {"result": "not_met", "note": "agreed"}}}))
    summary = summarise(loaded(ws))
    risk = next(r for r in summary.items if r.item == "risk_checked")
    assert (risk.met, risk.not_met) == (0, 1)
    assert summary.agreement.pairs == 1 and summary.agreement.percent == 0


def moderated(case_ref: str, first: str | None, second: str | None, item: str = "risk_checked") -> Audit:
    return Audit.model_validate(record(case_ref, "Q4", {item: first}, moderation={"answers": {item: {"result": second}}}))


def test_kappa_for_the_textbook_two_by_two_table_is_0_4():
    table = [("met", "met")] * 20 + [("met", "not_met")] * 5 + [("not_met", "met")] * 10 + [("not_met", "not_met")] * 15
    audits = [moderated(f"RT-2025-{n:03d}", a, b) for n, (a, b) in enumerate(table, 1)]
    result = agreement(audits)
    assert (result.pairs, result.percent, round(result.kappa, 3)) == (50, 70.0, 0.4)
    assert len(result.disagreements) == 15
    assert result.disagreements[0] == ("RT-2025-021", "risk_checked", "met", "not_met")


def test_perfect_agreement_gives_kappa_1():
    audits = [moderated("RT-2025-001", "met", "met"), moderated("RT-2025-002", "not_met", "not_met"),
              moderated("RT-2025-003", "n_a", "n_a")]
    result = agreement(audits)
    assert (result.pairs, result.percent, result.kappa, result.disagreements) == (3, 100.0, 1.0, [])


def test_only_item_answers_both_markers_gave_are_compared():
    audits = [
        moderated("RT-2025-001", None, "met"),  # first marker has not answered
        moderated("RT-2025-002", "met", None),  # second marker has not answered
        Audit.model_validate(record("RT-2025-003", "Q4", {"risk_checked": "met"})),  # not second-marked
        Audit.model_validate(record("RT-2025-004", "Q4", {"risk_checked": "met"},
                                    moderation={"answers": {"consent_recorded": {"result": "met"}}})),
        moderated("RT-2025-005", "partly_met", "met"),
    ]
    result = agreement(audits)
    assert (result.pairs, result.percent, result.kappa) == (1, 0.0, 0.0)
    assert result.disagreements == [("RT-2025-005", "risk_checked", "partly_met", "met")]


def test_no_second_marking_means_no_agreement_figures():
    result = agreement([Audit.model_validate(record("RT-2025-001", "Q4", answers()))])
    assert (result.pairs, result.percent, result.kappa) == (0, None, None)


def test_json_for_leadership_holds_counts_but_no_case_references(ws):
    cases = refs("RT-2025", 2)
    ws.cases(*[case(r, "2025-11-15") for r in cases])
    add_sample(ws, "Q4", cases, "2026-01-05", "2025-11-15")
    ws.write_yaml(f"evidence/audits/{cases[0]}.yaml", record(
        cases[0], "Q4", answers(), concern=True, moderation={"answers": {"risk_checked": {"result": "not_met"}}}))
    summary = summarise(loaded(ws))
    leadership = AuditSummaryOut.of(summary, case_level=False).json_data()
    assert leadership["safeguarding_concerns"] == 1
    assert "concern_cases" not in leadership and "disagreements" not in leadership["agreement"]
    assert "RT-2025" not in str(leadership)
    supervisor = AuditSummaryOut.of(summary, case_level=True).json_data()
    assert supervisor["concern_cases"] == [cases[0]]
    assert supervisor["agreement"]["disagreements"][0]["case_ref"] == cases[0]
    item = supervisor["items"][0]
    assert {"item", "applicable", "met", "partly_met", "not_met", "rate", "ci_low", "ci_high", "target"} <= set(item)


def test_blank_audit_lists_every_checklist_item_unanswered(q4):
    new_ref = "RT-2025-099"
    q4.cases(*[case(r, "2025-11-15") for r in refs("RT-2025", 20)], case(new_ref, "2025-12-01"))
    add_sample(q4, "extra", [new_ref], "2026-01-06", "2025-12-01")
    workspace = loaded(q4)
    audit = blank_audit(workspace, new_ref, "sup2")
    assert (audit.sample, audit.auditor, audit.audited_on) == ("extra", "sup2", None)
    assert list(audit.answers) == list(ITEMS)
    assert all(a.result is None and a.note == "" for a in audit.answers.values())
    document = audit_document(audit)
    assert document["audited_on"] is None and "moderation" not in document
    assert document["answers"]["risk_checked"] == {"result": None, "note": ""}


def test_blank_audit_refuses_unsampled_cases_existing_records_and_ambiguous_samples(ws):
    cases = refs("RT-2025", 3)
    ws.cases(*[case(r, "2025-11-15") for r in cases])
    add_sample(ws, "A", cases[:2], "2026-01-05", "2025-11-15")
    ws.write_yaml("evidence/samples/B.yaml", {**_sample_copy(ws, "A"), "name": "B"})
    ws.write_yaml(f"evidence/audits/{cases[0]}.yaml", record(cases[0], "A", answers()))
    workspace = load_workspace(ws.root, today=date(2026, 6, 1))
    with pytest.raises(AuditError, match="in no sample"):
        blank_audit(workspace, cases[2], "sup1")
    with pytest.raises(AuditError, match="already exists"):
        blank_audit(workspace, cases[0], "sup1", sample="A")
    with pytest.raises(AuditError, match="in samples A, B; say which with --sample"):
        blank_audit(workspace, cases[1], "sup1")
    with pytest.raises(AuditError, match="not in sample 'A'"):
        blank_audit(workspace, cases[2], "sup1", sample="A")
    assert blank_audit(workspace, cases[1], "sup1", sample="B").sample == "B"


def _sample_copy(ws, name: str) -> dict:
    import yaml

    return yaml.safe_load((ws.root / f"evidence/samples/{name}.yaml").read_text())
