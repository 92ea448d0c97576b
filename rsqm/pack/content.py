"""What the submission says, in the assessor's terms, before it is laid out.

The document (``rsqm.pack.document``) and the dashboard's export preview both
render this content, so the two cannot drift apart. Everything here is written
for the reader of the self-assessment: no file paths, field names, status or
reason codes, and nothing addressed to the tool's user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, ConfigDict

from rsqm.assess.gaps import Assessment, IndicatorResult, Reason, ReasonCode
from rsqm.assess.lifecycle import LAPSE_WORDS
from rsqm.assess.measures import BUILTINS, MeasureResult
from rsqm.assess.workforce import workforce_measures
from rsqm.audit.rates import AuditItemResult
from rsqm.base.dates import counted_because
from rsqm.base.formatting import and_list, percent
from rsqm.base.labels import ACTION_STATUS, EVIDENCE_STATUS, STATUS, words
from rsqm.files.folder import Workspace
from rsqm.files.models import EvidenceItem, Framework
from rsqm.pack.citations import dead_ids
from rsqm.pack.plan import PackPlan
from rsqm.workspace.action_plan import is_overdue

# Reasons that speak to the tool's user only; the document is a draft while they stand.
TOOL_ONLY = {ReasonCode.no_narrative, ReasonCode.link_without_locator}
_ITEM_LEVEL = {
    ReasonCode.evidence_not_approved,
    ReasonCode.evidence_expired,
    ReasonCode.evidence_file_missing,
    ReasonCode.evidence_hash_mismatch,
}


class _Content(BaseModel):
    model_config = ConfigDict(frozen=True)


class EvidenceRef(_Content):
    id: str
    title: str
    locator: str
    claim: str


class IndicatorSection(_Content):
    framework: str
    id: str
    title: str
    status: str  # words, e.g. "Partly met"
    critical: bool
    asks: str  # the pack's guidance: what the indicator asks for
    narrative: str | None  # the service's own account (Markdown)
    justification: str | None  # why it does not apply
    evidence: list[EvidenceRef]
    results: list[str]  # audit and measure results in words and numbers
    gaps: list[str]  # open gaps, phrased for the reader
    notes: list[str]  # things to know that do not lower the status (evidence due for renewal)


class StandardSection(_Content):
    id: str
    title: str
    description: str
    indicators: list[IndicatorSection]


class ActionRow(_Content):
    id: str  # the action's id; "" for an open gap with no action agreed yet
    what: str
    indicators: str
    owner: str
    due: date | None
    status: str
    overdue: bool


def held_back(assessment: Assessment) -> list[str]:
    """What stops a framework's verdict, in words: 'indicators 2.1 and 3.2 met', 'RJC organisational membership renewed'."""
    blockers = assessment.blockers
    indicators = [f"indicator{'s' if len(blockers) > 1 else ''} {and_list(blockers)} met"] if blockers else []
    return [*indicators, *(f"{LAPSE_WORDS[r.refs[0]]} renewed" for r in assessment.lifecycle if r.blocking)]


def readiness_verdict(assessment: Assessment) -> str:
    """'ready', or 'not yet ready (indicator 2.1 met and Insurance cover renewed first)'."""
    if assessment.ready:
        return "ready"
    held = held_back(assessment)
    return f"not yet ready ({and_list(held)} first)" if held else "not yet ready"


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def short_date(day: date) -> str:
    """For table cells: 30 Sep 2026."""
    return f"{day.day} {day:%b %Y}"


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


@dataclass(frozen=True)
class _Phrasing:
    """What reader-facing sentences need to know about the workspace."""

    needed: dict[str, int]  # indicator id -> evidence items it needs
    items: dict[str, EvidenceItem]
    types: dict[str, str]
    questions: dict[str, str]
    as_of: date
    assessment_date: date | None
    min_sample: int

    def item(self, evidence_id: str) -> str:
        item = self.items.get(evidence_id)
        return f"the {lower_first(item.title)} ({evidence_id})" if item else evidence_id

    def kind(self, type_id: str) -> str:
        return lower_first(self.types.get(type_id, type_id.replace("_", " ")))

    def question(self, item_id: str) -> str:
        return self.questions.get(item_id, item_id.replace("_", " "))


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def gap_sentence(reason: Reason, say: _Phrasing, result: IndicatorResult, needed: int = 1) -> str:
    """One shortfall as the assessor should read it."""
    code, refs = reason.code, reason.refs
    first = refs[0] if refs else ""
    if code == ReasonCode.evidence_not_approved:
        item = say.items.get(first)
        state = EVIDENCE_STATUS.get(item.status.value, "awaiting approval") if item else "awaiting approval"
        return _sentence(f"{say.item(first)} is {state}.")
    if code == ReasonCode.evidence_expired:
        item = say.items.get(first)
        if item is not None and item.review_by is not None:
            return _sentence(f"{say.item(first)} was due for review by {long_date(item.review_by)} and has not yet been renewed.")
        return _sentence(f"{say.item(first)} is older than this indicator allows and needs a current version.")
    if code == ReasonCode.evidence_file_missing:
        return _sentence(f"{say.item(first)} is recorded but the document itself has not yet been filed.")
    if code == ReasonCode.evidence_hash_mismatch:
        return _sentence(f"{say.item(first)} has been revised since it was approved and awaits approval again.")
    if code == ReasonCode.missing_evidence_type:
        return f"No current {say.kind(first)} is in place yet."
    if code == ReasonCode.no_evidence:
        have = len(result.evidence)
        if have == 0:
            return "No current evidence for this indicator is in place yet." if needed <= 1 else \
                f"No current evidence for this indicator is in place yet ({needed} documents are needed)."
        return f"{have} current document{'s' * (have != 1)} of the {needed} needed {'is' if have == 1 else 'are'} in place."
    if code in (ReasonCode.audit_below_target, ReasonCode.audit_sample_too_small):
        audit = next((a for a in result.audit if a.item == first), None)
        if audit is None or code == ReasonCode.audit_sample_too_small:
            have = audit.applicable if audit else 0
            return (f"Case-file audit: {have} applicable case{'s' * (have != 1)} audited so far for “{say.question(first)}”; "
                    f"at least {say.min_sample} are needed before the result can be judged.")
        return (f"Case-file audit: “{say.question(first)}” was met in {audit.met} of {audit.applicable} applicable cases "
                f"({percent(audit.rate)}), below the service's target of {percent(audit.target)}.")
    if code in (ReasonCode.measure_below_target, ReasonCode.measure_no_data):
        measured = next((m for m in result.measures if m.measure == first), None)
        if measured is None or code == ReasonCode.measure_no_data:
            return f"{measured.label if measured else _sentence(first.replace('_', ' '))}: there are no records to count yet."
        return (f"{measured.label}: {measured.k} of {measured.n} ({percent(measured.rate)}), "
                f"below the target of {percent(measured.target)}.")
    if code == ReasonCode.evidence_expires_before_assessment:
        item = say.items.get(first)
        when = f" on {long_date(item.review_by)}" if item is not None and item.review_by else ""
        return _sentence(f"{say.item(first)} falls due for review{when}, before the assessment; its renewal is planned.")
    return _sentence(_code_free(reason))


def _code_free(reason: Reason) -> str:
    """A reason of a kind this module does not phrase yet: its message without snake_case codes."""
    return " ".join(word.replace("_", " ") for word in reason.message.split())


def causes(result: IndicatorResult, say: _Phrasing, needed: int = 1) -> list[tuple[Reason, str]]:
    """Each cause once, with its sentence for the reader: a type missing because its item lapsed is not said twice.

    Reasons that speak to the tool's user only (no narrative, a link without a locator) are left out.
    """
    lapsed_types = {say.items[r.refs[0]].type for r in result.reasons
                    if r.code in _ITEM_LEVEL and r.refs and r.refs[0] in say.items}
    found = []
    for reason in result.reasons:
        if reason.code in TOOL_ONLY:
            continue
        if reason.code == ReasonCode.missing_evidence_type and reason.refs and reason.refs[0] in lapsed_types:
            continue  # the lapsed item already says why the type is missing
        if reason.code == ReasonCode.no_evidence and not result.evidence and lapsed_types:
            continue  # likewise "no current evidence"
        found.append((reason, gap_sentence(reason, say, result, needed)))
    return found


def reader_gaps(result: IndicatorResult, say: _Phrasing, needed: int = 1) -> tuple[list[str], list[str]]:
    """(gaps, notes): one sentence per cause (``causes``), split into shortfalls and things to know."""
    gaps, notes = [], []
    for reason, sentence in causes(result, say, needed):
        (gaps if reason.blocking else notes).append(sentence)
    return gaps, notes


def audit_sentence(audit: AuditItemResult, question: str) -> str:
    judged = {"meets_target": "meets the target", "below_target": "below the target"}.get(audit.verdict, "too few applicable cases yet to judge")
    interval = f" (95% confidence interval {percent(audit.ci_low)} to {percent(audit.ci_high)})" if audit.rate is not None else ""
    return (f"Case-file audit — {question}: met in {audit.met} of {audit.applicable} applicable cases, "
            f"{percent(audit.rate)}{interval}; target {percent(audit.target)}, {judged}.")


def measure_sentence(m: MeasureResult, today: date) -> str:
    """A measure in words and numbers, counts only (a result in an assessment names nobody), and how it is counted."""
    if m.n:
        numbers = f"{m.k} of {m.n}, {percent(m.rate)} (95% confidence interval {percent(m.ci_low)} to {percent(m.ci_high)})"
        judged = "meets the target" if m.met else "below the target"
    else:
        numbers, judged = "nothing to count yet", "not yet measured"
    counted = f" {note[0].upper()}{note[1:]}." if (note := m.counted_when(today, long_date)) else ""
    return f"{m.label}: {numbers}; target {percent(m.target)}, {judged}. {BUILTINS[m.measure].method}{counted}"


SUMMARY_MEASURE_HEADINGS = ["Measure", "Result", "95% CI", "Target", "Verdict"]


def summary_measures(plan: PackPlan, shares: list[MeasureResult] | None = None) -> list[list[str]]:
    """The summary's numbers: the four workforce shares (``shares`` when already counted) and every time limit of
    the frameworks assessed, once each."""
    assessments = [plan.assessment, *plan.others]
    limits = {m.label: m for a in assessments for i in a.indicators for m in i.measures if m.measure == "working_days"}
    rows = []
    for m in [*(workforce_measures(plan.ws, plan.as_of) if shares is None else shares), *limits.values()]:
        result = f"{m.k} of {m.n}, {percent(m.rate)}" if m.n else "nothing to count yet"
        interval = f"{percent(m.ci_low)} to {percent(m.ci_high)}" if m.n else "–"
        verdict = ("meets the target" if m.met else "below the target") if m.n else "not yet measured"
        rows.append([m.label, result, interval, percent(m.target), verdict])
    return rows


def counted_sentence(plan: PackPlan, shares: list[MeasureResult]) -> str:
    """On which day the summary's measures were counted, and what of the workforce ``shares`` falls due after it."""
    counted_on = plan.assessment.counted_on
    if counted_on is None:
        return f"Counted on {long_date(plan.as_of)}."
    due = sum(m.due_count for m in shares)
    ahead = (f" {due} more {'falls' if due == 1 else 'fall'} due before {long_date(plan.as_of)}: "
             "a plan to keep, not a shortfall." if due else "")
    return f"Counted on {long_date(counted_on)}, {counted_because(counted_on, plan.today)}.{ahead}"


def phrasing(plan: PackPlan) -> _Phrasing:
    return workspace_phrasing(plan.ws, plan.assessment.framework_id, plan.as_of)


def workspace_phrasing(ws: Workspace, framework_id: str, as_of: date) -> _Phrasing:
    """What the sentences need, from the workspace itself: the pack and the dashboard phrase gaps alike."""
    framework = ws.frameworks[framework_id]
    checklist = ws.checklist
    return _Phrasing(
        needed={i.id: max(i.evidence.min_items, len(i.evidence.types)) for _, i in framework.indicators()},
        items={item.id: item for item in ws.register.items},
        types=framework.evidence_types,
        questions={i.id: i.question for i in checklist.items} if checklist else {},
        as_of=as_of,
        assessment_date=ws.settings.assessment_date,
        min_sample=checklist.min_sample if checklist else 0,
    )


def indicator_section(result: IndicatorResult, asks: str, plan: PackPlan, say: _Phrasing) -> IndicatorSection:
    in_pack = {e.item.id for e in plan.evidence}
    titles = {item_id: item.title for item_id, item in say.items.items()}
    gaps, notes = reader_gaps(result, say, say.needed.get(result.id, 1)) if result.status != "not_applicable" else ([], [])
    narrative = result.narrative if result.narrative and result.narrative.strip() else None
    return IndicatorSection(
        framework=result.framework,
        id=result.id,
        title=result.title,
        status=STATUS[result.status],
        critical=result.critical,
        asks=asks.strip(),
        narrative=narrative,
        justification=result.justification,
        evidence=[EvidenceRef(id=eid, title=titles.get(eid, eid), locator=locator, claim=claim)
                  for eid, locator, claim in result.links if eid in in_pack],
        results=[audit_sentence(a, say.question(a.item)) for a in result.audit] + [measure_sentence(m, plan.today) for m in result.measures],
        gaps=gaps,
        notes=notes,
    )


def standard_sections(plan: PackPlan, framework: Framework, results: list[IndicatorResult]) -> list[StandardSection]:
    say = phrasing(plan)
    by_id = {r.id: r for r in results}
    return [
        StandardSection(
            id=standard.id, title=standard.title, description=standard.description,
            indicators=[indicator_section(by_id[i.id], i.guidance, plan, say) for i in standard.indicators if i.id in by_id],
        )
        for standard in framework.standards
    ]


def action_rows(plan: PackPlan) -> list[ActionRow]:
    """The service's own action plan: the actions it agreed, nothing invented (open gaps without one are ``to_do``)."""
    ws = plan.ws
    return [
        ActionRow(
            id=action.id,
            what=action.title + (f" ({action.note})" if action.note else ""),
            indicators=action.indicator or "",
            owner=action.owner,
            due=action.due,
            status=words(action.status.value, ACTION_STATUS),
            overdue=is_overdue(action, plan.assessment.counted_on or plan.as_of),
        )
        for action in ws.actions.actions
    ]


def to_write(plan: PackPlan) -> list[tuple[str, str]]:
    """(indicator id, title) of each indicator of the main framework that has no account yet."""
    return [(r.id, r.title) for r in plan.assessment.indicators
            if r.status != "not_applicable" and not (r.narrative or "").strip()]


def to_do(plan: PackPlan) -> list[tuple[str, str]]:
    """(indicator id, open gap in words) for each open gap of the main framework that no open action covers."""
    covered = {action.indicator for action in plan.ws.actions.actions if action.status.value != "done"}
    say = phrasing(plan)
    found = []
    for result in plan.assessment.indicators:
        if result.status in ("met", "not_applicable") or result.id in covered:
            continue
        gaps, _ = reader_gaps(result, say, say.needed.get(result.id, 1))
        found += [(result.id, gap) for gap in gaps]
    return found


def draft_reasons(plan: PackPlan) -> list[str]:
    """Why this pack is a draft, in words; empty for a final pack."""
    a = plan.assessment
    reasons = []
    if not a.ready:
        blockers = ", ".join(a.blockers)
        reasons.append(f"the service is not yet ready to apply: {len(a.blockers)} indicator"
                       f"{'s' * (len(a.blockers) != 1)} must be met first ({blockers})")
    missing = [r.id for r in a.indicators if r.status != "not_applicable" and not (r.narrative or "").strip()]
    if missing:
        reasons.append(f"{len(missing)} indicator{'s have' if len(missing) != 1 else ' has'} no self-assessment narrative yet "
                       f"({', '.join(missing)})")
    dead = dead_ids(plan)
    if dead:
        reasons.append(f"the text cites {len(dead)} evidence item{'s' * (len(dead) != 1)} that {'are' if len(dead) != 1 else 'is'} "
                       f"not in this pack ({', '.join(dead)})")
    return reasons


def settling_sentence(ws: Workspace, disagreements: list[tuple[str, str, str, str]]) -> str:
    """How the markers' disagreements stand: settled only when every one has an agreed answer on record."""
    if not disagreements:
        return "they did not disagree on any answer."
    waiting = 0
    for case_ref, item, _first, _second in disagreements:
        moderation = ws.audits[case_ref].moderation if case_ref in ws.audits else None
        waiting += moderation is None or item not in moderation.agreed
    if not waiting:
        return "every disagreement was settled by an agreed answer, which is the one counted above."
    return (f"{waiting} of the {len(disagreements)} disagreement{'s' * (len(disagreements) != 1)} "
            f"{'await' if waiting != 1 else 'awaits'} an agreed answer; until then the first marker's answer is counted.")


def concerns_sentence(ws: Workspace, concern_cases: list[str], as_of: date) -> str:
    """Safeguarding concerns raised in the audit: handled only when the audit records their resolution by ``as_of``."""
    raised = len(concern_cases)
    if not raised:
        return "No safeguarding concern was raised during the audit."
    still_open = sum(1 for ref in concern_cases
                     if ws.audits[ref].resolved_on is None or ws.audits[ref].resolved_on > as_of)
    lead = f"{raised} safeguarding concern{'s were' if raised != 1 else ' was'} raised during the audit"
    if not still_open:
        handled = "it was" if raised == 1 else "all were"
        return f"{lead}; {handled} handled under the service's safeguarding procedure. Details stay with the service."
    if raised == 1:
        return (f"{lead} and is still open: it is being dealt with under the service's safeguarding procedure. "
                "Details stay with the service.")
    resolved = raised - still_open
    done = f"{resolved} {'has' if resolved == 1 else 'have'} been resolved and " if resolved else ""
    return (f"{lead}; {done}{still_open} {'is' if still_open == 1 else 'are'} still open and being dealt with under "
            "the service's safeguarding procedure. Details stay with the service.")


_THEIRS = (("the rsqm project's own words", "the wording of the standards pack the service used"),
           ("the rsqm project's own questions", "the questions of the standards pack the service used"),
           ("in our sources", "in the pack's sources"), ("our sources", "the pack's sources"),
           ("our reading", "the pack's reading"), ("(ours)", "(the pack's)"), ("are ours", "are the pack's"),
           ("available to us", "available to the pack's authors"), ("as we read them", "as the pack's authors read them"))


def source_account(source: str) -> tuple[str, list[str]]:
    """A framework pack's ``source:`` as (what it follows, every caveat it records), told as the pack's own words."""
    text = " ".join(source.split())
    for theirs, said in _THEIRS:
        text = text.replace(theirs, said).replace(theirs.capitalize(), said.capitalize())
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", text) if s.strip()]
    if not sentences:
        return "", []
    return sentences[0], sentences[1:]


@dataclass(frozen=True)
class SourceSection:
    title: str
    version: str
    follows: str
    caveats: list[str]


def source_sections(plan: PackPlan) -> list[SourceSection]:
    """Every assessed framework (the main one first), then the audit checklist, with what its pack records."""
    ws, found = plan.ws, []
    for assessment in (plan.assessment, *plan.others):
        framework = ws.frameworks[assessment.framework_id]
        follows, caveats = source_account(framework.source)
        found.append(SourceSection(framework.title, framework.version, follows, caveats))
    if ws.checklist is not None and ws.checklist.source.strip():
        follows, caveats = source_account(ws.checklist.source)
        found.append(SourceSection(f"Case-file audit checklist: {ws.checklist.title}", "", follows, caveats))
    return found
