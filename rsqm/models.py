"""Pydantic models: the single source of truth for every workspace file format.

Each model mirrors one file described in DESIGN.md section 3. ``extra="forbid"``
everywhere, so a misspelt key is an error at its own line rather than silently
ignored.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator


def _iso_date(value: object) -> object:
    """Accept a YAML date or an ISO ``YYYY-MM-DD`` string, nothing looser.

    pydantic's lax mode would take integers as Unix timestamps; a typo such as
    ``dated: 20250401`` must be an error instead.
    """
    if isinstance(value, date) and type(value) is date:
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError as exc:
            raise ValueError(f"{value!r} is not a real date") from exc
    raise ValueError(f"expected a date as YYYY-MM-DD, got {value!r}")


def _yes_no(value: object) -> object:
    """``yes`` / ``no`` / blank, as case and feedback spreadsheets write them."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("yes", "no", ""):
        return {"yes": True, "no": False, "": None}[value.strip().lower()]
    raise ValueError(f"expected yes, no or blank, got {value!r}")


def _blank_is_none(value: object) -> object:
    return None if value == "" else value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
OptionalDate = Annotated[IsoDate | None, BeforeValidator(_blank_is_none)]
YesNo = Annotated[bool | None, BeforeValidator(_yes_no)]
NonEmpty = Annotated[str, Field(min_length=1)]
StaffCode = Annotated[str, Field(pattern=r"^[A-Za-z]{0,4}-?\d{1,6}$", description="a staff code such as P07, never a name")]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- rsqm.yaml ---------------------------------------------------------------


class WorkspaceSettings(Model):
    schema_: Literal["rsqm/workspace@1"] = Field(alias="schema")
    service: NonEmpty
    framework: NonEmpty
    frameworks: list[NonEmpty] = Field(default_factory=list, description="further frameworks assessed beside the primary one")
    checklist: NonEmpty
    assessment_date: IsoDate | None = None
    case_ref_pattern: NonEmpty = r"^[A-Z]{2,5}-\d{4}-\d{3,5}$"
    pseudonymisation_key: str | None = None
    not_applicable: dict[str, NonEmpty] = Field(
        default_factory=dict,
        description="indicator id -> written justification for treating it as not applicable",
    )
    sso_roles: dict[NonEmpty, Literal["coordinator", "supervisor", "leadership", "assessor"]] = Field(
        default_factory=dict,
        description="single sign-on: e-mail address or subject id -> role (see docs/accounts.md)",
    )
    feedback_questions: dict[NonEmpty, NonEmpty] = Field(
        default_factory=dict,
        description="participant feedback: question id (a column of evidence/feedback.csv) -> the question as asked",
    )
    audit_window_months: Annotated[int, Field(ge=1, le=120)] = Field(
        24, description="case-file audit rounds drawn within this many months before the as-of date count in the gap analysis"
    )
    pool_rounds: bool = Field(
        False, description="true: pool every complete audit round in the window; false: the latest complete round per item"
    )

    @field_validator("case_ref_pattern")
    @classmethod
    def _compiles(cls, pattern: str) -> str:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression: {exc}") from exc
        return pattern


# --- standards/<framework>.yaml ----------------------------------------------


class EvidenceExpectation(Model):
    types: list[NonEmpty] = Field(default_factory=list)
    min_items: Annotated[int, Field(ge=0)] = 1
    max_age_months: Annotated[int, Field(ge=1)] | None = None


class MeasureSpec(Model):
    """A requirement computed from the service's own records: ``k`` of ``n`` must reach ``target``."""

    measure: NonEmpty = Field(description="name of a built-in measure, e.g. registered_practitioners or working_days")
    target: Annotated[float, Field(ge=0, le=1)] = Field(description="share k/n needed for the measure to be met")
    from_: NonEmpty | None = Field(None, alias="from", description="working_days: the case column the clock starts from")
    to: NonEmpty | None = Field(None, description="working_days: the case column the clock stops at")
    limit: Annotated[int, Field(ge=0, le=3650)] | None = Field(None, description="working_days: most working days allowed")
    enhanced_limit: Annotated[int, Field(ge=0, le=3650)] | None = Field(
        None, description="working_days: the limit for victims entitled to enhanced rights"
    )
    period_months: Annotated[int, Field(ge=1, le=120)] = Field(12, description="how many months before the as-of date count")
    question: NonEmpty | None = Field(None, description="feedback_share: the feedback question id")


class Indicator(Model):
    id: NonEmpty
    title: NonEmpty
    guidance: str = ""
    critical: bool = False
    weight: Annotated[float, Field(gt=0)] = 1
    evidence: EvidenceExpectation = EvidenceExpectation()
    audit_items: list[NonEmpty] = Field(default_factory=list)
    measures: list[MeasureSpec] = Field(default_factory=list)


class Standard(Model):
    id: NonEmpty
    title: NonEmpty
    description: str = ""
    indicators: list[Indicator]


class Framework(Model):
    schema_: Literal["rsqm/framework@1"] = Field(alias="schema")
    id: NonEmpty
    title: NonEmpty
    version: NonEmpty
    source: NonEmpty
    evidence_types: dict[str, NonEmpty]
    sensitive_offence_categories: list[NonEmpty] = Field(
        default_factory=list,
        description="offence categories (cases.csv offence_category) that need an advanced practitioner, not an intermediate one alone",
    )
    standards: list[Standard]

    def indicators(self) -> list[tuple[Standard, Indicator]]:
        return [(s, i) for s in self.standards for i in s.indicators]


# --- standards/mappings/<a>--<b>.yaml ----------------------------------------

RelationKind = Literal["equal", "subset", "superset", "supports"]


class Relation(Model):
    """How one indicator of the ``from`` framework relates to one of the ``to`` framework.

    ``equal``: the same requirement (evidence for one counts for the other);
    ``subset``: ``from`` asks part of what ``to`` asks; ``superset``: the
    reverse; ``supports``: evidence for one helps show the other. Only
    ``equal`` counts in the gap analysis (docs/sources.md, "Mappings").
    """

    from_: NonEmpty = Field(alias="from", description="indicator id in the mapping's from framework")
    to: NonEmpty = Field(description="indicator id in the mapping's to framework")
    relation: RelationKind


class Mapping(Model):
    schema_: Literal["rsqm/mapping@1"] = Field(alias="schema")
    from_: NonEmpty = Field(alias="from", description="framework id")
    to: NonEmpty = Field(description="framework id")
    relations: list[Relation] = Field(default_factory=list)


# --- standards/<checklist>.yaml ----------------------------------------------


class ChecklistItem(Model):
    id: NonEmpty
    section: NonEmpty
    question: NonEmpty
    target: Annotated[float, Field(ge=0, le=1)] = 0.9
    critical: bool = False


class Checklist(Model):
    schema_: Literal["rsqm/checklist@1"] = Field(alias="schema")
    id: NonEmpty
    title: NonEmpty
    source: str = ""
    min_sample: Annotated[int, Field(ge=1)] = 10
    items: list[ChecklistItem]


# --- evidence/register.yaml --------------------------------------------------


class EvidenceStatus(StrEnum):
    draft = "draft"
    in_review = "in_review"
    approved = "approved"
    rejected = "rejected"
    superseded = "superseded"


class PersonalData(StrEnum):
    none = "none"
    redacted = "redacted"
    contains = "contains"


def split_indicator(reference: str, primary: str) -> tuple[str, str]:
    """(framework id, indicator id) of ``"2.1"`` (the primary framework) or ``"other-framework:C"``."""
    framework, sep, indicator = reference.rpartition(":")
    return (framework if sep else primary), indicator


class Link(Model):
    indicator: NonEmpty  # "2.1" in the primary framework, "other-framework:C" elsewhere
    locator: str = ""
    claim: str = ""

    def split(self, primary: str) -> tuple[str, str]:
        """(framework id, indicator id) of this link."""
        return split_indicator(self.indicator, primary)


class EvidenceItem(Model):
    id: Annotated[str, Field(pattern=r"^E\d+$")]
    title: NonEmpty
    type: NonEmpty
    file: NonEmpty
    owner: NonEmpty
    dated: IsoDate
    review_by: IsoDate | None = None
    status: EvidenceStatus
    personal_data: PersonalData = PersonalData.none
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")] | None = None
    approved_by: str | None = None
    approved_on: IsoDate | None = None
    links: list[Link] = Field(default_factory=list)


class Register(Model):
    schema_: Literal["rsqm/register@1"] = Field(alias="schema")
    items: list[EvidenceItem] = Field(default_factory=list)


# --- evidence/cases.csv ------------------------------------------------------

CASE_COLUMNS = (
    "case_ref",
    "referred_on",
    "closed_on",
    "process",
    "offence_category",
    "initiator",
    "practitioner",
    "outcome",
)
OPTIONAL_CASE_COLUMNS = (
    "first_contact_on",
    "rj_info_offered_on",
    "enhanced_rights",
    "referral_source",
    "offer_accepted",
    "agreement_reached",
    "agreement_completed",
)


class Case(Model):
    case_ref: NonEmpty
    referred_on: IsoDate
    closed_on: IsoDate | None = None
    process: NonEmpty
    offence_category: NonEmpty
    initiator: NonEmpty
    practitioner: StaffCode
    outcome: str = ""
    first_contact_on: OptionalDate = None
    rj_info_offered_on: OptionalDate = None
    enhanced_rights: YesNo = None
    referral_source: str = ""
    offer_accepted: YesNo = None
    agreement_reached: YesNo = None
    agreement_completed: YesNo = None

    @field_validator("closed_on", mode="before")
    @classmethod
    def _blank_is_open(cls, value: object) -> object:
        return _blank_is_none(value)


# --- evidence/samples/<name>.yaml --------------------------------------------


class Population(Model):
    closed_from: IsoDate | None = None
    closed_to: IsoDate | None = None
    size: Annotated[int, Field(ge=0)]
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class SampleMethod(Model):
    kind: Literal["simple", "stratified"]
    strata: list[NonEmpty] = Field(default_factory=list)
    size: Annotated[int, Field(ge=1)]
    seed: int


class Sample(Model):
    schema_: Literal["rsqm/sample@1"] = Field(alias="schema")
    name: NonEmpty
    drawn_on: IsoDate
    drawn_by: NonEmpty
    reason: str = ""
    population: Population
    method: SampleMethod
    cases: list[NonEmpty]


# --- evidence/audits/<case_ref>.yaml -----------------------------------------


class AnswerResult(StrEnum):
    met = "met"
    partly_met = "partly_met"
    not_met = "not_met"
    n_a = "n_a"


class Answer(Model):
    result: AnswerResult | None = None  # None: not answered yet (a blank record)
    note: str = ""


class Moderation(Model):
    moderator: NonEmpty
    moderated_on: IsoDate
    answers: dict[str, Answer] = Field(default_factory=dict)
    agreed: dict[str, Answer] = Field(default_factory=dict)


class Audit(Model):
    schema_: Literal["rsqm/audit@1"] = Field(alias="schema")
    case_ref: NonEmpty
    sample: NonEmpty
    auditor: NonEmpty
    audited_on: IsoDate | None = None  # None while the record is still blank
    answers: dict[str, Answer] = Field(default_factory=dict)
    safeguarding_concern: bool = False
    safeguarding_note: str = ""
    moderation: Moderation | None = None

    def final_answers(self) -> dict[str, Answer]:
        """The answers that count: agreed moderation answers override the first marking."""
        if self.moderation is None or not self.moderation.agreed:
            return dict(self.answers)
        return {**self.answers, **self.moderation.agreed}


# --- evidence/actions.yaml ---------------------------------------------------


class ActionStatus(StrEnum):
    open = "open"
    in_progress = "in_progress"
    done = "done"


class Action(Model):
    id: Annotated[str, Field(pattern=r"^A\d+$")]
    title: NonEmpty
    indicator: str | None = None
    owner: NonEmpty
    due: IsoDate | None = None
    status: ActionStatus = ActionStatus.open
    note: str = ""
    audit_item: NonEmpty | None = Field(None, description="the checklist item this action should improve")
    re_audit_by: IsoDate | None = Field(
        None, description="a complete audit round covering audit_item is drawn after `due` and by this date"
    )


class ActionPlan(Model):
    schema_: Literal["rsqm/actions@1"] = Field(alias="schema")
    actions: list[Action] = Field(default_factory=list)


# --- evidence/privacy-review.yaml --------------------------------------------


class PrivacyAcceptance(Model):
    """A reviewed false positive of the privacy scan, accepted by a person."""

    what: NonEmpty  # the exact text the scan flagged
    where: NonEmpty  # workspace-relative path (or evidence id) it was found in
    reviewed_by: NonEmpty
    reviewed_on: IsoDate
    why: NonEmpty


class PrivacyReview(Model):
    schema_: Literal["rsqm/privacy-review@1"] = Field(alias="schema")
    accepted: list[PrivacyAcceptance] = Field(default_factory=list)


# --- evidence/workforce.yaml -------------------------------------------------


class Level(StrEnum):
    foundation = "foundation"
    intermediate = "intermediate"
    advanced = "advanced"


class Training(Model):
    level: Level
    completed: IsoDate
    rjc_registered_trainer: bool = False


class Registration(Model):
    """The practitioner's entry on the RJC practitioner register."""

    level: Level
    expires: IsoDate


class CpdEntry(Model):
    date: IsoDate
    hours: Annotated[float, Field(gt=0, le=1000)]
    rjc_approved: bool = False
    title: str = ""


class StaffMember(Model):
    code: StaffCode
    paid: bool = Field(description="false: a volunteer")
    admin_only: bool = Field(False, description="does not deliver RJ: left out of every measure")
    active: bool = Field(True, description="currently delivering RJ")
    started: IsoDate
    left: IsoDate | None = None
    probation_until: IsoDate | None = None
    training: Training | None = None
    registration: Registration | None = None
    supervision: list[IsoDate] = Field(default_factory=list, description="case supervision dates")
    observed_practice: list[IsoDate] = Field(default_factory=list)
    cpd: list[CpdEntry] = Field(default_factory=list)


class Workforce(Model):
    schema_: Literal["rsqm/workforce@1"] = Field(alias="schema")
    staff: list[StaffMember] = Field(default_factory=list)


# --- evidence/feedback.csv ---------------------------------------------------

FEEDBACK_COLUMNS = ("response_id", "received_on", "party", "process")


class FeedbackResponse(Model):
    """One participant's answers: yes / no / blank per question id; no free text, no case reference."""

    response_id: NonEmpty
    received_on: IsoDate
    party: Literal["harmed", "responsible", "other"]
    process: NonEmpty
    answers: dict[NonEmpty, YesNo] = Field(default_factory=dict)


# --- evidence/requests.yaml --------------------------------------------------


class RequestStatus(StrEnum):
    open = "open"
    answered = "answered"
    closed = "closed"


class ClarificationRequest(Model):
    """A question the assessor raised about one indicator, and the service's answer."""

    id: Annotated[str, Field(pattern=r"^R\d+$", description="R followed by digits, unique")]
    raised_on: IsoDate
    by: NonEmpty = Field(description="who asked: the assessor's role or organisation, not a private address")
    indicator: NonEmpty = Field(description='"2.1" in the primary framework, "other-framework:C" elsewhere')
    question: NonEmpty
    due: IsoDate | None = None
    status: RequestStatus = RequestStatus.open
    response: str = ""
    answered_on: IsoDate | None = None
    evidence: list[Annotated[str, Field(pattern=r"^E\d+$")]] = Field(default_factory=list, description="evidence added in answer")


class Requests(Model):
    schema_: Literal["rsqm/requests@1"] = Field(alias="schema")
    requests: list[ClarificationRequest] = Field(default_factory=list)


# --- evidence/accreditation.yaml ---------------------------------------------


class Renewable(Model):
    """Something held for a period: RJC membership, insurance cover."""

    expires: IsoDate
    reference: str = ""


class Award(Model):
    granted: IsoDate
    expires: IsoDate


class AwardTerm(Model):
    """A condition (must be done) or recommendation (should be considered) the assessor set with the award."""

    id: Annotated[str, Field(pattern=r"^[A-Z]{1,3}\d+$", description="e.g. C1 for a condition, R1 for a recommendation")]
    text: NonEmpty
    due: IsoDate | None = None
    status: Literal["open", "done"] = "open"
    action: Annotated[str, Field(pattern=r"^A\d+$")] | None = Field(None, description="the action plan entry that answers it")


class Accreditation(Model):
    schema_: Literal["rsqm/accreditation@1"] = Field(alias="schema")
    membership: Renewable | None = None
    insurance: Renewable | None = None
    award: Award | None = None
    conditions: list[AwardTerm] = Field(default_factory=list)
    recommendations: list[AwardTerm] = Field(default_factory=list)
