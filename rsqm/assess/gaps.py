"""Gap analysis: where a workspace stands against a framework on an as-of date (docs/design.md, "Gap rules").

``assess`` is pure: it takes the loaded workspace, the as-of date and the file
digests, and returns an ``Assessment``. ``assess_workspace`` is the shell that
hashes the files first. ``rsqm.outputs.GapsOut`` gives the ``rsqm gaps --json`` object.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict

from rsqm.assess.mapping import equal_groups
from rsqm.assess.measures import MeasureResult, counting_day, evaluate, records_end_once
from rsqm.audit.rates import AuditItemResult
from rsqm.audit.rounds import OverdueReAudit, counted_results, overdue_re_audits
from rsqm.base.dates import add_months, default_as_of, workspace_today
from rsqm.base.errors import UsageError
from rsqm.base.formatting import percent
from rsqm.base.paths import narrative_file
from rsqm.files.folder import Workspace
from rsqm.files.models import EvidenceItem, EvidenceStatus, Indicator, MeasureSpec

Status = Literal["met", "partly_met", "not_met", "not_applicable"]
STATUSES: tuple[Status, ...] = ("met", "partly_met", "not_met", "not_applicable")
SCORES: dict[str, float] = {"met": 1.0, "partly_met": 0.5, "not_met": 0.0}


class ReasonCode(StrEnum):
    no_evidence = "no_evidence"
    missing_evidence_type = "missing_evidence_type"
    evidence_expired = "evidence_expired"
    evidence_expires_before_assessment = "evidence_expires_before_assessment"
    evidence_not_approved = "evidence_not_approved"
    evidence_file_missing = "evidence_file_missing"
    evidence_hash_mismatch = "evidence_hash_mismatch"
    audit_below_target = "audit_below_target"
    audit_sample_too_small = "audit_sample_too_small"
    no_narrative = "no_narrative"
    link_without_locator = "link_without_locator"
    re_audit_overdue = "re_audit_overdue"
    measure_below_target = "measure_below_target"
    measure_no_data = "measure_no_data"
    membership_lapsed = "membership_lapsed"
    insurance_lapsed = "insurance_lapsed"
    award_expired = "award_expired"
    renewal_due = "renewal_due"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Reason(_Frozen):
    """One shortfall or warning; ``blocking=False`` reasons never lower a status."""

    code: ReasonCode
    refs: list[str]  # evidence ids, audit item ids or evidence types
    message: str
    action: str  # the suggested next step
    blocking: bool = True


class IndicatorResult(_Frozen):
    id: str
    framework: str
    standard: str
    title: str
    status: Status
    critical: bool
    weight: float
    evidence: list[str]  # qualifying evidence ids
    links: list[tuple[str, str, str]]  # (evidence id, locator, claim) of every linked item
    audit: list[AuditItemResult]
    reasons: list[Reason]
    narrative: str | None
    justification: str | None = None  # the written reason when not applicable
    measures: list[MeasureResult] = []  # counts only: who falls short is not part of the assessment


class StandardResult(_Frozen):
    id: str
    title: str
    readiness: float | None  # None when every indicator is not applicable
    counts: dict[str, int]


class Assessment(_Frozen):
    as_of: date
    today: date
    assessment_date: date | None
    service: str
    framework_id: str
    framework_title: str
    framework_version: str
    ready: bool
    readiness: float
    standards: list[StandardResult]
    indicators: list[IndicatorResult]
    expiring: list[str]  # evidence ids expiring between today and the assessment date
    blockers: list[str]  # indicator ids that stop the verdict: critical not met, or not_met
    lifecycle: list[Reason] = []  # membership, insurance or award lapsed on the counting day, or due for renewal before D
    counted_on: date | None = None  # the day measures, lapses and overdue actions are counted on, when not as_of

    @property
    def holding_back(self) -> list[str]:
        """What stops the verdict: indicator ids, then lapsed renewals (membership, insurance)."""
        return [*self.blockers, *(r.refs[0] for r in self.lifecycle if r.blocking)]


class UnknownFramework(UsageError, ValueError):
    """The framework asked for is not in the workspace."""


# --- dates -------------------------------------------------------------------


def valid_until(item: EvidenceItem, max_age_months: int | None) -> date | None:
    """Last day the item still counts: ``review_by``, else dated + max age; None = never expires."""
    if item.review_by is not None:
        return item.review_by
    if max_age_months is not None:
        return add_months(item.dated, max_age_months)
    return None


def earliest_fresh_date(as_of: date, max_age_months: int) -> date:
    """Earliest ``dated`` that is still within ``max_age_months`` on ``as_of``."""
    day = add_months(as_of, -max_age_months)
    while add_months(day, max_age_months) < as_of:
        day += timedelta(days=1)
    return day


# --- the assessment ----------------------------------------------------------


def assess(
    ws: Workspace,
    as_of: date,
    digests: dict[str, str],
    framework_id: str | None = None,
    today: date | None = None,
) -> Assessment:
    """Assess ``framework_id`` (default: the workspace's framework) on ``as_of``.

    ``digests`` maps evidence id -> SHA-256 of its file on disk; ``today``
    (default: the clock) only sets the window of the expiry warnings.
    """
    primary = ws.settings.framework
    fid = framework_id or primary
    framework = ws.frameworks.get(fid)
    if framework is None:
        known = ", ".join(sorted(ws.frameworks)) or "none"
        raise UnknownFramework(f"unknown framework '{fid}' (known: {known})")
    today = today or workspace_today(ws.settings)
    target = ws.settings.assessment_date or as_of
    audits = counted_results(ws, as_of)
    overdue = overdue_re_audits(ws, as_of)
    min_sample = ws.checklist.min_sample if ws.checklist else 0
    links = _links_by_indicator(ws, primary, fid)
    context = _Context(ws, fid, fid == primary, as_of, today, target, digests, audits, min_sample, overdue)
    results = [context.indicator(standard.id, indicator, links.get(indicator.id, [])) for standard, indicator in framework.indicators()]
    standards = [_standard_result(s.id, s.title, [r for r in results if r.standard == s.id]) for s in framework.standards]
    blockers = [r.id for r in results if r.status == "not_met" or (r.critical and r.status != "met")]
    day = counting_day(ws, as_of, context.records_to)
    lifecycle = lifecycle_reasons(ws, as_of, day)
    return Assessment(
        as_of=as_of,
        today=today,
        assessment_date=ws.settings.assessment_date,
        service=ws.settings.service,
        framework_id=fid,
        framework_title=framework.title,
        framework_version=framework.version,
        ready=not blockers and not any(r.blocking for r in lifecycle),
        readiness=_readiness(results) or 0.0,
        standards=standards,
        indicators=results,
        expiring=sorted(context.expiring, key=_evidence_order),
        blockers=blockers,
        lifecycle=lifecycle,
        counted_on=day if day != as_of else None,
    )


def lifecycle_reasons(ws: Workspace, as_of: date, counted_on: date | None = None) -> list[Reason]:
    """Membership and insurance lapsed on the counting day stop the verdict; an expired award is a warning.
    What runs out between the counting day (the records' end, when ``as_of`` lies ahead) and ``as_of`` has not
    lapsed yet: a renewal due before the assessment, never a failure."""
    from rsqm.assess.lifecycle import lapsed

    day = counted_on or as_of
    reasons = []
    for key, label, expires in lapsed(ws.accreditation, as_of):
        if expires >= day:
            reasons.append(Reason(
                code=ReasonCode.renewal_due, refs=[key],
                message=f"{label} runs out on {expires}: renewal due before {as_of}",
                action=f"renew it before {expires} and record the new expiry date",
                blocking=False,
            ))
            continue
        reasons.append(Reason(
            code=ReasonCode(f"{key}_expired" if key == "award" else f"{key}_lapsed"), refs=[key],
            message=f"{label} runs out on {expires}, before the as-of date {as_of}",
            action=f"renew it and record the new expiry date under {key} in evidence/accreditation.yaml",
            blocking=key != "award",
        ))
    return reasons


def assess_workspace(ws: Workspace, as_of: date | None = None, framework_id: str | None = None) -> Assessment:
    """The shell: hash the evidence files (cached), then assess on ``as_of`` (default: assessment date, else today)."""
    from rsqm.files.hashing import evidence_digests

    recorded = [item.id for item in ws.register.items if item.sha256]
    today = workspace_today(ws.settings)
    return assess(ws, default_as_of(ws.settings, as_of), evidence_digests(ws, recorded), framework_id, today)


def _links_by_indicator(ws: Workspace, primary: str, fid: str) -> dict[str, list[tuple[EvidenceItem, str, str]]]:
    """Indicator id (in framework ``fid``) -> [(item, locator, claim)], register order.

    A link also counts for the indicators the mappings make ``equal`` to its own
    (docs/sources.md, "Mappings"); its claim then says where it was linked.
    """
    equal = equal_groups(ws.mappings.values())
    index: dict[str, list[tuple[EvidenceItem, str, str]]] = defaultdict(list)
    for item in ws.register.items:
        for link in item.links:
            link_fid, indicator = link.split(primary)
            if link_fid == fid:
                index[indicator].append((item, link.locator, link.claim))
            for other_fid, other in sorted(equal.get((link_fid, indicator), ())):
                if other_fid == fid:
                    via = f"linked to {link_fid}:{indicator}, mapped as equal"
                    index[other].append((item, link.locator, f"{link.claim} ({via})" if link.claim else via))
    return index


def _evidence_order(evidence_id: str) -> tuple[int, str]:
    digits = evidence_id[1:]
    return (int(digits) if digits.isdigit() else 0, evidence_id)


@dataclass
class _Context:
    """What every indicator of one assessment shares."""

    ws: Workspace
    fid: str
    is_primary: bool
    as_of: date
    today: date
    target: date  # the assessment date, else the as-of date
    digests: dict[str, str]
    audits: dict[str, AuditItemResult]
    min_sample: int
    overdue: list[OverdueReAudit]
    expiring: set[str] = field(default_factory=set)
    measured: dict[MeasureSpec, MeasureResult] = field(default_factory=dict)  # one computation per distinct spec

    def indicator(self, standard_id: str, indicator: Indicator, linked: list[tuple[EvidenceItem, str, str]]) -> IndicatorResult:
        ind = indicator.id
        key = ind if self.is_primary else f"{self.fid}:{ind}"
        expect = indicator.evidence
        reasons: list[Reason] = []
        qualifying: list[EvidenceItem] = []
        later: list[str] = []
        distinct = {item.id: item for item, _locator, _claim in linked}  # two links from one item count once
        for item in distinct.values():
            until = valid_until(item, expect.max_age_months)
            if until is not None and self.today <= until < self.target and self._usable(item):
                self.expiring.add(item.id)
            if item.dated > self.as_of:
                later.append(item.id)  # did not exist yet on the as-of date
                continue
            if item.status == EvidenceStatus.superseded:
                continue  # deliberately replaced by a newer item: not a shortfall
            problem = self._disqualify(item, ind, expect.max_age_months, until)
            if problem is not None:
                reasons.append(problem)
                continue
            qualifying.append(item)
            if until is not None and self.today <= until < self.target:
                reasons.append(self._expiring_reason(item, ind, until))

        evidence_met = self._evidence_reasons(indicator, qualifying, later, reasons)
        audit = [self.audits[a] for a in indicator.audit_items if a in self.audits]
        audit_met = self._audit_reasons(indicator, audit, reasons)
        reasons += self._re_audit_reasons(indicator)
        measures = [self._measure(spec) for spec in indicator.measures]
        measures_met = self._measure_reasons(measures, reasons)
        justification = (self.ws.settings.not_applicable.get(ind) or "").strip() if self.is_primary else ""
        if justification:
            status: Status = "not_applicable"
            reasons = []
        elif evidence_met and audit_met and measures_met:
            status = "met"
        elif not qualifying and not any(r.met_target for r in audit) and not any(m.met for m in measures):
            status = "not_met"
        else:
            status = "partly_met"

        narrative = self.ws.narratives.get(key)
        if not justification:
            reasons += self._warnings(ind, key, linked, narrative)
        return IndicatorResult(
            id=ind,
            framework=self.fid,
            standard=standard_id,
            title=indicator.title,
            status=status,
            critical=indicator.critical,
            weight=indicator.weight,
            evidence=[item.id for item in qualifying],
            links=[(item.id, locator, claim) for item, locator, claim in linked],
            audit=audit,
            reasons=reasons,
            narrative=narrative,
            justification=justification or None,
            measures=measures,
        )

    def _usable(self, item: EvidenceItem) -> bool:
        facts = self.ws.files.get(item.id)
        return item.status == EvidenceStatus.approved and facts is not None and facts.exists

    def _disqualify(self, item: EvidenceItem, ind: str, max_age: int | None, until: date | None) -> Reason | None:
        """The first gap rule (docs/design.md) the item fails on the as-of date, as a reason; None when it qualifies."""
        eid = item.id
        if item.status != EvidenceStatus.approved:
            return Reason(
                code=ReasonCode.evidence_not_approved, refs=[eid],
                message=f"{eid} is {item.status.value.replace('_', ' ')}, not approved",
                action=f"get {eid} approved: rsqm evidence approve {eid} --by NAME",
            )
        if until is not None and until < self.as_of:
            if item.review_by is not None:
                message = f"{eid} was due for review by {until}"
                action = f"review {eid} and set a new review_by on or after {self.as_of}, or add a newer approved {item.type}"
            else:
                message = f"{eid} dated {item.dated} is older than {max_age} months on {self.as_of} (last counted on {until})"
                action = f"add an approved item of type {item.type} dated on or after {earliest_fresh_date(self.as_of, max_age or 0)} and link it to {ind}"
            return Reason(code=ReasonCode.evidence_expired, refs=[eid], message=message, action=action)
        facts = self.ws.files.get(eid)
        if facts is None or not facts.exists:
            return Reason(
                code=ReasonCode.evidence_file_missing, refs=[eid],
                message=f"{eid}: file evidence/{item.file} is not on disk",
                action=f"put the file for {eid} at evidence/{item.file}, or correct its path in the register",
            )
        if item.sha256 is not None and self.digests.get(eid) != item.sha256:
            return Reason(
                code=ReasonCode.evidence_hash_mismatch, refs=[eid],
                message=f"{eid}: evidence/{item.file} has changed since its SHA-256 was recorded",
                action=f"check evidence/{item.file}; if the change is right, approve it again: rsqm evidence approve {eid} --by NAME",
            )
        return None

    def _expiring_reason(self, item: EvidenceItem, ind: str, until: date) -> Reason:
        return Reason(
            code=ReasonCode.evidence_expires_before_assessment, refs=[item.id],
            message=f"{item.id} stops counting after {until}, before the assessment on {self.target}",
            action=f"renew {item.id} (a newer approved {item.type} linked to {ind}) before {until + timedelta(days=1)}",
            blocking=False,
        )

    def _evidence_reasons(self, indicator: Indicator, qualifying: list[EvidenceItem], later: list[str], reasons: list[Reason]) -> bool:
        """Append the evidence part's shortfalls; True when the part is met."""
        expect = indicator.evidence
        ind = indicator.id
        have = {item.type for item in qualifying}
        missing = [t for t in expect.types if t not in have]
        short = expect.min_items - len(qualifying)
        fresh = f" dated on or after {earliest_fresh_date(self.as_of, expect.max_age_months)}" if expect.max_age_months else ""
        if not qualifying and (missing or short > 0):
            if len(expect.types) > 1:
                what = f"an approved item of each type {', '.join(expect.types)}{fresh} and link them"
            else:
                what = f"an approved item of type {expect.types[0] if expect.types else 'evidence'}{fresh} and link it"
            if expect.min_items > max(len(expect.types), 1):
                what += f" ({expect.min_items} items in all)"
            note = f" ({', '.join(later)} dated after {self.as_of})" if later else ""
            reasons.append(Reason(
                code=ReasonCode.no_evidence, refs=later,
                message=f"no qualifying evidence on {self.as_of}{note}; needs {max(expect.min_items, len(expect.types))} item(s)",
                action=f"add {what} to {ind}",
            ))
            return False
        for kind in missing:
            reasons.append(Reason(
                code=ReasonCode.missing_evidence_type, refs=[kind],
                message=f"no qualifying {kind} linked",
                action=f"add an approved item of type {kind}{fresh} and link it to {ind}",
            ))
        if short > 0:
            kinds = " or ".join(expect.types) or "evidence"
            reasons.append(Reason(
                code=ReasonCode.no_evidence, refs=later,
                message=f"{len(qualifying)} qualifying item(s) of the {expect.min_items} needed",
                action=f"add {short} more approved item(s) of type {kinds}{fresh} and link them to {ind}",
            ))
        return not missing and short <= 0

    def _audit_reasons(self, indicator: Indicator, audit: list[AuditItemResult], reasons: list[Reason]) -> bool:
        """Append the audit part's shortfalls; True when every linked audit item is met."""
        met = True
        for item_id in indicator.audit_items:
            result = self.audits.get(item_id)
            if result is not None and result.met_target:
                continue
            met = False
            if result is None or not result.enough:
                have = result.applicable if result else 0
                basis = (f" in round {', '.join(result.rounds)}" if result and result.rounds else
                         f" (no complete audit round in the {self.ws.settings.audit_window_months} months to {self.as_of})")
                reasons.append(Reason(
                    code=ReasonCode.audit_sample_too_small, refs=[item_id],
                    message=f"{item_id}: {have} applicable audited case(s){basis}, at least {self.min_sample} needed",
                    action=f"audit {self.min_sample - have} more sampled case(s) where {item_id} applies{self._next_round(have)}",
                ))
            else:
                reasons.append(Reason(
                    code=ReasonCode.audit_below_target, refs=[item_id],
                    message=(
                        f"{item_id}: {result.met}/{result.applicable} met ({percent(result.rate, missing='n/a')}, 95% CI "
                        f"{percent(result.ci_low, missing='n/a')}-{percent(result.ci_high, missing='n/a')}) against a target of {percent(result.target, missing='n/a')}"
                    ),
                    action=f"improve practice on {item_id}, then audit a fresh sample to show {percent(result.target, missing='n/a')} or more",
                ))
        return met

    def _next_round(self, have: int) -> str:
        """How to get more audited cases: a drawn sample is never enlarged."""
        if not have:
            return ", in a sample audited to the end"
        pool = "" if self.ws.settings.pool_rounds else ", or pool complete rounds ('rsqm config set pool_rounds yes')"
        return f": draw the next sample large enough{pool}"

    def _re_audit_reasons(self, indicator: Indicator) -> list[Reason]:
        """A re-audit promised in the action plan for one of the indicator's audit items, overdue on the as-of date."""
        reasons = []
        for late in self.overdue:
            if late.item in indicator.audit_items:
                pending = f"; drawn but not complete: {', '.join(late.pending)}" if late.pending else ""
                reasons.append(Reason(
                    code=ReasonCode.re_audit_overdue, refs=[late.item, late.action],
                    message=f"{late.item}: the re-audit promised by action {late.action} was due by {late.re_audit_by}{pending}",
                    action=f"draw a sample and complete its audit to re-audit {late.item}, or agree a new re-audit date for {late.action}",
                    blocking=False,
                ))
        return reasons

    @cached_property
    def records_to(self) -> Callable[[], date | None]:
        """The last date anything is recorded on, found once if a measure needs it (an as-of date ahead of today)."""
        return records_end_once(self.ws)

    def _measure(self, spec: MeasureSpec) -> MeasureResult:
        if spec not in self.measured:
            self.measured[spec] = evaluate(spec, self.ws, self.as_of, self.records_to).counts_only()
        return self.measured[spec]

    def _measure_reasons(self, measures: list[MeasureResult], reasons: list[Reason]) -> bool:
        """Append the measures' shortfalls (counts only, no names); True when every measure is met."""
        for m in (m for m in measures if not m.met):
            ahead = f"; {note}" if (note := m.counted_when(workspace_today(self.ws.settings))) else ""
            if m.n == 0:
                why = f" ({m.note})" if m.note else ""
                reasons.append(Reason(
                    code=ReasonCode.measure_no_data, refs=[m.measure],
                    message=f"{m.label}: nothing to count on {m.counted_on or self.as_of}{why}",
                    action=f"record the facts {m.measure} counts (see rsqm measures) so it can be measured",
                ))
            else:
                reasons.append(Reason(
                    code=ReasonCode.measure_below_target, refs=[m.measure],
                    message=(f"{m.label}: {m.k} of {m.n} ({percent(m.rate)}, 95% CI {percent(m.ci_low)}-{percent(m.ci_high)}) "
                             f"against a target of {percent(m.target)}{ahead}"),
                    action=f"see who or which cases fall short with rsqm measures, and close the gap to {percent(m.target)}",
                ))
        return all(m.met for m in measures)

    def _warnings(self, ind: str, key: str, linked: list[tuple[EvidenceItem, str, str]], narrative: str | None) -> list[Reason]:
        warnings = []
        bare = sorted({item.id for item, locator, _ in linked if not locator.strip()}, key=_evidence_order)
        if bare:
            warnings.append(Reason(
                code=ReasonCode.link_without_locator, refs=bare,
                message=f"link(s) from {', '.join(bare)} give no locator (page or section)",
                action=f"add a locator to each link from {', '.join(bare)} to {ind}, so an assessor finds the passage",
                blocking=False,
            ))
        if not (narrative or "").strip():
            warnings.append(Reason(
                code=ReasonCode.no_narrative, refs=[],
                message="no narrative written",
                action=f"write {narrative_file(self.fid, ind)} explaining how the service meets {ind}",
                blocking=False,
            ))
        return warnings


def _readiness(results: list[IndicatorResult]) -> float | None:
    scored = [r for r in results if r.status in SCORES]
    total = sum(r.weight for r in scored)
    if not total:
        return None
    return sum(r.weight * SCORES[r.status] for r in scored) / total


def _standard_result(sid: str, title: str, results: list[IndicatorResult]) -> StandardResult:
    counts = dict.fromkeys(STATUSES, 0)
    for result in results:
        counts[result.status] += 1
    return StandardResult(id=sid, title=title, readiness=_readiness(results), counts=counts)


# --- the JSON contract -------------------------------------------------------
