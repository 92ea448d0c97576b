"""Case-file audits: blank records, second-marking agreement and the audit summary.

Pure functions over the loaded workspace; the CLI and the dashboard are thin
shells over them. ``summarise`` returns case refs (``concern_cases``,
``agreement.disagreements``); whoever shows it to leadership must drop them —
``summary_json(..., case_level=False)`` does.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import date

from pydantic import BaseModel

from rsqm.audit_rates import AuditItemResult, item_results, sampled_audits
from rsqm.models import Answer, AnswerResult, Audit, Checklist, Sample
from rsqm.stats import cohen_kappa, wilson_interval
from rsqm.workspace import Workspace

SAFE_CASE_REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


class AuditError(ValueError):
    """A request about audits that cannot be honoured; the message says why."""


class Agreement(BaseModel):
    """How often the second marker gave the first marker's answer."""

    pairs: int  # item answers marked by both (both results given)
    percent: float | None  # 0..100: share of pairs with the same answer; None without pairs
    kappa: float | None  # Cohen's kappa over the pairs; None without pairs
    disagreements: list[tuple[str, str, str, str]]  # (case_ref, item, first, second)


class SampleCompliance(BaseModel):
    """Overall compliance of one sample: met / applicable over every checklist item."""

    sample: str
    drawn_on: date
    cases: int  # cases in the sample
    audited: int  # completed audits
    applicable: int
    met: int
    rate: float | None
    ci_low: float | None
    ci_high: float | None


class AuditSummary(BaseModel):
    items: list[AuditItemResult]  # below-target items first, otherwise checklist order
    samples: list[SampleCompliance]  # oldest draw first
    agreement: Agreement
    safeguarding_concerns: int
    concern_cases: list[str]  # case-level: never show to leadership


def blank_audit(ws: Workspace, case_ref: str, auditor: str, sample: str | None = None) -> Audit:
    """An empty record for a sampled case: every checklist item listed, nothing answered.

    Raises ``AuditError`` when the case is in no sample (or not in ``sample``), is in
    several samples and none was named, or already has a record.
    """
    checklist = ws.checklist
    if checklist is None:
        raise AuditError(f"the workspace has no checklist '{ws.settings.checklist}' in standards/")
    if not auditor.strip():
        raise AuditError("auditor is empty: say who is auditing the case")
    if not SAFE_CASE_REF.fullmatch(case_ref):
        raise AuditError(f"{case_ref!r} is not a case reference that can be a file name")
    if sample is not None:
        if sample not in ws.samples:
            known = ", ".join(sorted(ws.samples)) or "none drawn yet"
            raise AuditError(f"unknown sample '{sample}' (samples: {known})")
        if case_ref not in ws.samples[sample].cases:
            raise AuditError(f"case {case_ref} is not in sample '{sample}'; only sampled cases are audited")
    else:
        containing = sorted(name for name, s in ws.samples.items() if case_ref in s.cases)
        if not containing:
            raise AuditError(f"case {case_ref} is in no sample; only sampled cases are audited (draw one with 'rsqm sample')")
        if len(containing) > 1:
            raise AuditError(f"case {case_ref} is in samples {', '.join(containing)}; say which with --sample")
        sample = containing[0]
    if case_ref in ws.audits:
        raise AuditError(f"{ws.audit_path(case_ref)} already exists; an audit record is never replaced")
    return Audit.model_validate(
        {
            "schema": "rsqm/audit@1",
            "case_ref": case_ref,
            "sample": sample,
            "auditor": auditor.strip(),
            "audited_on": None,
            "answers": {item.id: Answer() for item in checklist.items},
        }
    )


def audit_document(audit: Audit) -> dict:
    """The record as written to disk: unanswered results and a missing audited_on stay visible as null."""
    data = audit.model_dump(mode="json", by_alias=True)
    if data.get("moderation") is None:
        data.pop("moderation", None)
    return data


def agreement(audits: Iterable[Audit]) -> Agreement:
    """First answers against ``moderation.answers`` over every item both markers answered."""
    pairs: list[tuple[str, str]] = []
    disagreements: list[tuple[str, str, str, str]] = []
    for audit in sorted(audits, key=lambda a: a.case_ref):
        if audit.moderation is None:
            continue
        for item, second in sorted(audit.moderation.answers.items()):
            first = audit.answers.get(item)
            if first is None or first.result is None or second.result is None:
                continue
            pairs.append((first.result.value, second.result.value))
            if first.result != second.result:
                disagreements.append((audit.case_ref, item, first.result.value, second.result.value))
    percent = 100 * (len(pairs) - len(disagreements)) / len(pairs) if pairs else None
    return Agreement(pairs=len(pairs), percent=percent, kappa=cohen_kappa(pairs), disagreements=disagreements)


def sample_compliance(samples: Iterable[Sample], audits: Iterable[Audit], checklist: Checklist) -> list[SampleCompliance]:
    """Per sample, oldest first: met / applicable over all checklist items of its completed audits."""
    items = {item.id for item in checklist.items}
    tallies: dict[str, Counter[AnswerResult | None]] = {}
    audited: Counter[str] = Counter()
    for audit in audits:  # one pass over the audits, however many samples there are
        if audit.audited_on is None:
            continue
        audited[audit.sample] += 1
        tally = tallies.setdefault(audit.sample, Counter())
        tally.update(answer.result for item, answer in audit.final_answers().items() if item in items)
    results = []
    for sample in sorted(samples, key=lambda s: (s.drawn_on, s.name)):
        tally = tallies.get(sample.name, Counter())
        met = tally[AnswerResult.met]
        applicable = met + tally[AnswerResult.partly_met] + tally[AnswerResult.not_met]
        low, high = wilson_interval(met, applicable) if applicable else (None, None)
        results.append(
            SampleCompliance(
                sample=sample.name,
                drawn_on=sample.drawn_on,
                cases=len(sample.cases),
                audited=audited[sample.name],
                applicable=applicable,
                met=met,
                rate=met / applicable if applicable else None,
                ci_low=low,
                ci_high=high,
            )
        )
    return results


def _below_target(result: AuditItemResult) -> bool:
    return result.rate is not None and result.rate < result.target


def summarise(ws: Workspace, sample: str | None = None) -> AuditSummary:
    """Everything the audit summary shows, over all samples or one; raises ``AuditError``."""
    checklist = ws.checklist
    if checklist is None:
        raise AuditError(f"the workspace has no checklist '{ws.settings.checklist}' in standards/")
    if sample is not None and sample not in ws.samples:
        known = ", ".join(sorted(ws.samples)) or "none drawn yet"
        raise AuditError(f"unknown sample '{sample}' (samples: {known})")
    names = [sample] if sample is not None else sorted(ws.samples)
    completed = sampled_audits(ws.audits, names)
    items = sorted(item_results(completed, checklist), key=lambda r: not _below_target(r))
    # a concern raised while an audit is still in progress counts too
    concerns = sorted(a.case_ref for a in ws.audits.values() if a.sample in names and a.safeguarding_concern)
    return AuditSummary(
        items=items,
        samples=sample_compliance([ws.samples[n] for n in names], completed, checklist),
        agreement=agreement(completed),
        safeguarding_concerns=len(concerns),
        concern_cases=concerns,
    )


def _round(value: float | None, places: int = 3) -> float | None:
    return None if value is None else round(value, places)


def summary_json(summary: AuditSummary, *, case_level: bool) -> dict:
    """The JSON shape of ``rsqm audit-summary --json``; case refs only when ``case_level``."""
    data: dict = {
        "items": [
            {
                "item": r.item,
                "section": r.section,
                "critical": r.critical,
                "applicable": r.applicable,
                "met": r.met,
                "partly_met": r.partly_met,
                "not_met": r.not_met,
                "n_a": r.n_a,
                "rate": _round(r.rate),
                "ci_low": _round(r.ci_low),
                "ci_high": _round(r.ci_high),
                "target": r.target,
                "enough": r.enough,
                "met_target": r.met_target,
            }
            for r in summary.items
        ],
        "samples": [
            s.model_dump(mode="json") | {"rate": _round(s.rate), "ci_low": _round(s.ci_low), "ci_high": _round(s.ci_high)}
            for s in summary.samples
        ],
        "agreement": {
            "pairs": summary.agreement.pairs,
            "percent": _round(summary.agreement.percent, 1),
            "kappa": _round(summary.agreement.kappa),
        },
        "safeguarding_concerns": summary.safeguarding_concerns,
    }
    if case_level:
        data["agreement"]["disagreements"] = [
            {"case_ref": c, "item": i, "first": f, "second": s} for c, i, f, s in summary.agreement.disagreements
        ]
        data["concern_cases"] = list(summary.concern_cases)
    return data
