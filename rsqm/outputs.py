"""The JSON objects the commands print, as models: one shape per output (docs/design.md, "Command-line contract").

Each model is built from the result models of the core and dumped with
``model_dump(mode="json")``; the keys are the documented ones, in the
documented order. Numbers are rounded on output only, by the one rule
``rounded``: shares and rates to three decimals, the audit rounds' rates and
changes to the four of Newcombe's tables, percentages to one. The core keeps
full precision.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, SerializerFunctionWrapHandler, model_serializer

from rsqm.assess.frameworks import overall_ready
from rsqm.assess.gaps import Assessment, IndicatorResult, Reason
from rsqm.assess.measures import FrameworkMeasure, MeasureResult
from rsqm.assess.workforce import CaseFlag, DueItem, StaffRow
from rsqm.audit.audits import AuditSummary
from rsqm.audit.rates import AuditItemResult
from rsqm.audit.rounds import ItemTrend, SampleProgress
from rsqm.files.folder import EvidenceFile
from rsqm.files.models import EvidenceItem, StaffMember


def rounded(places: int) -> Any:
    """A float printed rounded to ``places`` decimals: the rounding rule of every JSON output."""
    return Annotated[float, PlainSerializer(lambda v: round(v, places), return_type=float)]


Rounded = rounded(3)  # shares, rates and interval ends
RoundedPercent = rounded(1)
RoundedChange = rounded(4)  # audit rounds: rates and changes to 4 places, as Newcombe's tables give them
STATUSES = ("met", "partly_met", "not_met", "not_applicable")


def json_text(data: BaseModel | dict) -> str:
    """The one way a command prints JSON: an output model or object, indented, non-ASCII kept as written."""
    if isinstance(data, BaseModel):
        data = data.model_dump(mode="json", by_alias=True)
    return json.dumps(data, indent=2, ensure_ascii=False)


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    # a subclass that extends another output prints its keys in this order, leaving out any not named
    KEYS: ClassVar[tuple[str, ...]] = ()

    @model_serializer(mode="wrap")
    def _in_order(self, handler: SerializerFunctionWrapHandler) -> dict:
        data = handler(self)
        return {key: data[key] for key in self.KEYS} if self.KEYS else data


class MeasureOut(_Out):
    """One measure as ``rsqm gaps --json`` and ``rsqm measures --json`` give it (counts only, never who)."""

    measure: str
    k: int
    n: int
    rate: Rounded | None
    ci_low: Rounded | None
    ci_high: Rounded | None
    target: float
    met: bool

    @classmethod
    def of(cls, m: MeasureResult) -> MeasureOut:
        return cls(measure=m.measure, k=m.k, n=m.n, rate=m.rate, ci_low=m.ci_low, ci_high=m.ci_high, target=m.target, met=m.met)


class FrameworkMeasureOut(MeasureOut):
    """A measure with the framework and indicator it belongs to, printed first."""

    KEYS = ("framework", "indicator", *MeasureOut.model_fields)

    framework: str
    indicator: str


class MeasuresOut(_Out):
    """``rsqm measures --json``."""

    as_of: date
    counted_on: date  # the day the measures were counted on: as_of, or the day the records end when as_of lies ahead
    due_before_as_of: int  # how many things (a supervision, a renewal, a first contact) fall due between the two
    measures: list[FrameworkMeasureOut]

    @classmethod
    def of(cls, measured: list[FrameworkMeasure], as_of: date) -> MeasuresOut:
        rows = [FrameworkMeasureOut(framework=m.framework, indicator=m.indicator, **MeasureOut.of(m.result).model_dump()) for m in measured]
        counted_on = next((m.result.counted_on for m in measured if m.result.counted_on), as_of)
        return cls(as_of=as_of, counted_on=counted_on, due_before_as_of=sum(m.result.due_count for m in measured), measures=rows)


class FrameworkRef(_Out):
    id: str
    version: str
    title: str


class ReasonOut(_Out):
    code: str
    refs: list[str]
    message: str
    action: str
    blocking: bool

    @classmethod
    def of(cls, r: Reason) -> ReasonOut:
        return cls(code=r.code.value, refs=r.refs, message=r.message, action=r.action, blocking=r.blocking)


class StandardOut(_Out):
    id: str
    title: str
    readiness: Rounded | None
    counts: dict[str, int]


class LinkOut(_Out):
    evidence: str
    locator: str
    claim: str


class AuditItemOut(_Out):
    item: str
    applicable: int
    met: int
    n_a: int
    rate: Rounded | None
    ci_low: Rounded | None
    ci_high: Rounded | None
    target: float
    enough: bool
    met_target: bool
    rounds: list[str]

    @classmethod
    def of(cls, x: AuditItemResult) -> AuditItemOut:
        return cls(**x.model_dump(include=set(cls.model_fields)))


class IndicatorOut(_Out):
    id: str
    standard: str
    title: str
    status: str
    critical: bool
    weight: float
    evidence: list[str]
    links: list[LinkOut]
    audit: list[AuditItemOut]
    measures: list[MeasureOut]
    reasons: list[ReasonOut]
    narrative: bool  # a narrative is written (its text is not part of the output)
    justification: str | None

    @classmethod
    def of(cls, r: IndicatorResult) -> IndicatorOut:
        return cls(
            id=r.id, standard=r.standard, title=r.title, status=r.status, critical=r.critical, weight=r.weight, evidence=r.evidence,
            links=[LinkOut(evidence=e, locator=loc, claim=claim) for e, loc, claim in r.links],
            audit=[AuditItemOut.of(x) for x in r.audit],
            measures=[MeasureOut.of(m) for m in r.measures],
            reasons=[ReasonOut.of(x) for x in r.reasons],
            narrative=r.narrative is not None and bool(r.narrative.strip()),
            justification=r.justification,
        )


class FrameworkSummaryOut(_Out):
    """One entry of the ``frameworks`` list: the verdict against one framework."""

    id: str
    title: str
    version: str
    ready: bool
    readiness: Rounded
    blockers: list[str]
    counts: dict[str, int]

    @classmethod
    def of(cls, a: Assessment) -> FrameworkSummaryOut:
        counts = {status: sum(s.counts[status] for s in a.standards) for status in STATUSES}
        return cls(id=a.framework_id, title=a.framework_title, version=a.framework_version, ready=a.ready, readiness=a.readiness,
                   blockers=a.blockers, counts=counts)


class GapsOut(_Out):
    """``rsqm gaps --json``: one framework in full, then the verdict against every framework of the workspace."""

    as_of: date
    counted_on: date
    today: date
    assessment_date: date | None
    service: str
    framework: FrameworkRef
    ready: bool
    readiness: Rounded
    blockers: list[str]
    lifecycle: list[ReasonOut]
    expiring: list[str]
    standards: list[StandardOut]
    indicators: list[IndicatorOut]
    frameworks: list[FrameworkSummaryOut]
    overall_ready: bool

    @classmethod
    def of(cls, a: Assessment, every: list[Assessment]) -> GapsOut:
        return cls(
            as_of=a.as_of, counted_on=a.counted_on or a.as_of, today=a.today, assessment_date=a.assessment_date, service=a.service,
            framework=FrameworkRef(id=a.framework_id, version=a.framework_version, title=a.framework_title),
            ready=a.ready, readiness=a.readiness, blockers=a.blockers,
            lifecycle=[ReasonOut.of(x) for x in a.lifecycle],
            expiring=a.expiring,
            standards=[StandardOut(id=s.id, title=s.title, readiness=s.readiness, counts=s.counts) for s in a.standards],
            indicators=[IndicatorOut.of(r) for r in a.indicators],
            frameworks=[FrameworkSummaryOut.of(x) for x in every],
            overall_ready=overall_ready(every),
        )


# --- rsqm audit-summary --json -----------------------------------------------------


class SummaryItemOut(AuditItemOut):
    """An item of the audit summary: the gaps' audit item with its section and every answer counted."""

    KEYS = ("item", "section", "critical", "applicable", "met", "partly_met", "not_met", "n_a", "rate", "ci_low", "ci_high", "target",
            "enough", "met_target")

    section: str
    critical: bool
    partly_met: int
    not_met: int


class SampleOut(_Out):
    sample: str
    drawn_on: date
    cases: int
    audited: int
    applicable: int
    met: int
    rate: Rounded | None
    ci_low: Rounded | None
    ci_high: Rounded | None


class DisagreementOut(_Out):
    case_ref: str
    item: str
    first: str
    second: str


class AgreementOut(_Out):
    pairs: int
    percent: RoundedPercent | None
    kappa: Rounded | None
    disagreements: list[DisagreementOut] | None = None  # case-level: left out for leadership


class AuditSummaryOut(_Out):
    """``rsqm audit-summary --json``; the case references only for the case-level roles."""

    items: list[SummaryItemOut]
    samples: list[SampleOut]
    agreement: AgreementOut
    safeguarding_concerns: int
    open_safeguarding_concerns: int
    concern_cases: list[str] | None = None  # case-level: left out for leadership

    @classmethod
    def of(cls, summary: AuditSummary, *, case_level: bool) -> AuditSummaryOut:
        a = summary.agreement
        return cls(
            items=[SummaryItemOut.of(r) for r in summary.items],
            samples=[SampleOut(**s.model_dump()) for s in summary.samples],
            agreement=AgreementOut(
                pairs=a.pairs, percent=a.percent, kappa=a.kappa,
                disagreements=[DisagreementOut(case_ref=c, item=i, first=f, second=s) for c, i, f, s in a.disagreements] if case_level else None,
            ),
            safeguarding_concerns=summary.safeguarding_concerns,
            open_safeguarding_concerns=summary.open_concerns,
            concern_cases=list(summary.concern_cases) if case_level else None,
        )

    def json_data(self) -> dict:
        """The printed object: the case-level keys only where they were filled in."""
        leave_out = {} if self.concern_cases is not None else {"concern_cases": True, "agreement": {"disagreements"}}
        return self.model_dump(mode="json", exclude=leave_out)


# --- rsqm audit-summary --by-sample --json -----------------------------------


class RoundOut(_Out):
    sample: str
    drawn_on: date
    complete: bool
    applicable: int
    met: int
    rate: RoundedChange | None
    ci_low: RoundedChange | None
    ci_high: RoundedChange | None


class ChangeOut(_Out):
    model_config = ConfigDict(extra="forbid", frozen=True, serialize_by_alias=True)

    before: str = Field(serialization_alias="from")
    after: str = Field(serialization_alias="to")
    diff: RoundedChange | None
    ci_low: RoundedChange | None
    ci_high: RoundedChange | None
    verdict: str


class TrendOut(_Out):
    item: str
    section: str
    critical: bool
    target: float
    samples: list[RoundOut]
    change: ChangeOut | None


class RoundStateOut(_Out):
    sample: str
    drawn_on: date
    cases: int
    audited: int
    in_progress: int
    second_marked: int
    awaiting_second_marking: int
    awaiting_agreement: int
    complete: bool


class BySampleOut(_Out):
    """``rsqm audit-summary --by-sample --json``: each item round by round, the change between the last two, each round's progress."""

    items: list[TrendOut]
    rounds: list[RoundStateOut]

    @classmethod
    def of(cls, trends: list[ItemTrend], states: dict[str, SampleProgress]) -> BySampleOut:
        return cls(
            items=[TrendOut(item=t.item, section=t.section, critical=t.critical, target=t.target,
                            samples=[RoundOut(**r.model_dump()) for r in t.rounds],
                            change=None if t.change is None else ChangeOut(**t.change.model_dump(), verdict=t.change.verdict))
                   for t in trends],
            rounds=[RoundStateOut(**s.model_dump(), complete=s.complete) for s in states.values()],
        )


# --- rsqm evidence list --json -----------------------------------------------


class EvidenceListOut(_Out):
    """``rsqm evidence list --json``: each register item as written (absent fields left out), and whether its file is there."""

    items: list[dict[str, Any]]

    @classmethod
    def of(cls, items: list[EvidenceItem], files: dict[str, EvidenceFile]) -> EvidenceListOut:
        return cls(items=[item.model_dump(mode="json", exclude_none=True) | {"file_present": files[item.id].exists} for item in items])


# --- rsqm workforce --json ---------------------------------------------------


class WorkforceListOut(_Out):
    """``rsqm workforce list --json``: the register as it stands, one entry per staff code."""

    staff: list[StaffMember]


class WorkforceOut(_Out):
    """``rsqm workforce --json``: the shares, every member's row, what falls due and the case flags."""

    SHARE_KEYS: ClassVar[set[str]] = {"measure", "label", "k", "n", "rate", "ci_low", "ci_high", "target", "met", "shortfalls"}

    as_of: date
    shares: list[dict[str, Any]]  # each measure with who falls short (the command is the coordinator's); not rounded
    staff: list[StaffRow]
    due: list[DueItem]
    case_flags: list[CaseFlag]

    @classmethod
    def of(cls, as_of: date, shares: list[MeasureResult], rows: list[StaffRow], due: list[DueItem], flags: list[CaseFlag]) -> WorkforceOut:
        return cls(as_of=as_of, shares=[m.model_dump(mode="json", include=cls.SHARE_KEYS) for m in shares],
                   staff=rows, due=due, case_flags=flags)
