"""Pydantic models: the single source of truth for every workspace file format.

Each model mirrors one file described in docs/design.md ("The workspace") and
docs/formats.md, which is generated from these models and their field docstrings. ``extra="forbid"``
everywhere, so a misspelt key is an error at its own line rather than silently
ignored.
"""

from __future__ import annotations

import collections.abc
import functools
import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from rsqm.files.patterns import backtracking_risk


def _iso_date(value: object) -> object:
    """Accept a YAML date or an ISO ``YYYY-MM-DD`` string, nothing looser.

    pydantic's lax mode would take integers as Unix timestamps; a typo such as
    ``dated: 20250401`` must be an error instead. Dates outside ``FIRST_DATE`` to
    ``LAST_DATE`` are typos too, and would overflow date arithmetic later.
    """
    if type(value) is str:  # first: a cached case list is all strings
        return _iso_date_text(value)  # a shared date: rsqm's YAML writer never aliases one (yamlio.dump_yaml)
    if type(value) is date:
        return in_date_range(value)
    if isinstance(value, str):
        return _iso_date_text(value)
    raise ValueError(f"expected a date as YYYY-MM-DD, got {value!r}")


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@functools.lru_cache(maxsize=1 << 14)
def _iso_date_text(value: str) -> date:
    """Cached: a case list of 100,000 rows holds a few thousand distinct dates (a refusal is not cached)."""
    if ISO_DATE.fullmatch(value.strip()):
        try:
            parsed = date.fromisoformat(value.strip())
        except ValueError as exc:
            raise ValueError(f"{value!r} is not a real date") from exc
        return in_date_range(parsed)
    raise ValueError(f"expected a date as YYYY-MM-DD, got {value!r}")


FIRST_DATE = date(1900, 1, 1)
LAST_DATE = date(2999, 12, 31)
MAX_AGE_MONTHS = 1200  # a hundred years


def in_date_range(day: date) -> date:
    if not FIRST_DATE <= day <= LAST_DATE:
        raise ValueError(f"{day.isoformat()} is outside the dates rsqm accepts ({FIRST_DATE.isoformat()} to {LAST_DATE.isoformat()})")
    return day


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
DEFAULT_CASE_REF_PATTERN = r"^[A-Z]{2,5}-\d{4}-\d{3,5}$"  # e.g. RJS-2025-0001: letters, year, number
StaffCode = Annotated[str, Field(pattern=r"^[A-Za-z]{0,4}-?\d{1,6}$", description="a staff code such as P07, never a name")]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


# --- rsqm.yaml ---------------------------------------------------------------


class Role(StrEnum):
    """Who a person is to rsqm. What each role may do is the one permission table, rsqm.server.access.PERMISSIONS."""

    coordinator = "coordinator"
    supervisor = "supervisor"
    leadership = "leadership"
    assessor = "assessor"  # the RJC's assessor: the submitted packs and clarification requests, read-only otherwise
    commissioner = "commissioner"  # a PCC's commissioner: aggregates and the portfolio of services' returns, never a case


RoleName = Literal[tuple(role.value for role in Role)]  # type: ignore[valid-type]  # a role as a file spells it


class WorkspaceSettings(Model):
    schema_: Literal["rsqm/workspace@1"] = Field(alias="schema")
    """Always rsqm/workspace@1."""
    service: NonEmpty
    """The service's name, as it appears on the submission pack."""
    framework: NonEmpty
    """Id of the primary framework in standards/ that gaps and the pack are measured against."""
    frameworks: list[NonEmpty] = Field(default_factory=list, description="further frameworks assessed beside the primary one")
    checklist: NonEmpty
    """Id of the case-file audit checklist in standards/."""
    assessment_date: IsoDate | None = None
    """The date of the assessment; positions are taken as of this date unless --as-of says otherwise."""
    demo_date: IsoDate | None = None
    """A demonstration workspace only: the day it is shown as on, whatever the computer's clock says, so the demo does not age. Never set it in a real workspace."""
    case_ref_pattern: NonEmpty = DEFAULT_CASE_REF_PATTERN
    """A regular expression every case reference in evidence/cases.csv must match."""
    pseudonymisation_key: str | None = None
    """Workspace-relative path of the CSV that maps real names to pseudonyms; the privacy pre-flight refuses any export holding a name from it. Never exported itself."""
    not_applicable: dict[str, NonEmpty] = Field(
        default_factory=dict,
        description="indicator id -> written justification for treating it as not applicable",
    )
    sso_roles: dict[NonEmpty, RoleName] = Field(
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
    local_mode: bool = Field(
        False,
        description="run the dashboard without accounts, on this computer only (127.0.0.1); ignored once accounts exist",
    )
    public_contacts: list[NonEmpty] = Field(
        default_factory=list,
        description="the service's own published phone numbers, e-mail addresses and address: not personal data",
    )
    local_targets: list[LocalTarget] = Field(
        default_factory=list,
        description="the service's own targets (its contract's, not a framework's), each a measure counted like a framework's",
    )

    @field_validator("case_ref_pattern")
    @classmethod
    def _compiles(cls, pattern: str) -> str:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression: {exc}") from exc
        if why := backtracking_risk(pattern):
            raise ValueError(f"refused: {why}")
        return pattern


# --- standards/<framework>.yaml ----------------------------------------------


class EvidenceExpectation(Model):
    types: list[NonEmpty] = Field(default_factory=list)
    """Evidence types (keys of evidence_types) the indicator needs, one qualifying item of each."""
    min_items: Annotated[int, Field(ge=0)] = 1
    """How many qualifying items the indicator needs at least."""
    max_age_months: Annotated[int, Field(ge=1, le=MAX_AGE_MONTHS)] | None = None
    """An item older than this (from its dated) no longer counts, unless its review_by is later."""


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


class LocalTarget(MeasureSpec):
    """A target the service sets itself (its contract's), measured like a framework's measure and shown as local."""

    id: NonEmpty = Field(description="the target's own short id, e.g. first-contact")
    title: NonEmpty = Field(description="what the target is, in words")


WorkspaceSettings.model_rebuild()  # local_targets names LocalTarget, defined after it


class Indicator(Model):
    id: NonEmpty
    """The indicator's id within its framework, e.g. "2.1" (quote it in YAML)."""
    title: NonEmpty
    """A short title."""
    guidance: str = ""
    """What good evidence for the indicator looks like, in our words."""
    critical: bool = False
    """A safeguarding indicator: the service is not ready to apply while it is not met."""
    weight: Annotated[float, Field(gt=0)] = 1
    """Weight in the readiness score (met = 1, partly met = 1/2, not met = 0)."""
    evidence: EvidenceExpectation = EvidenceExpectation()
    """What evidence the indicator needs."""
    audit_items: list[NonEmpty] = Field(default_factory=list)
    """Ids of checklist items whose audit results count towards the indicator."""
    measures: list[MeasureSpec] = Field(default_factory=list)
    """Requirements computed from the service's own records (workforce, cases, feedback), each with a target."""


class Standard(Model):
    id: NonEmpty
    """The standard's id, e.g. "2" (quote it in YAML)."""
    title: NonEmpty
    """A short title."""
    description: str = ""
    """What the standard is about, in our words."""
    indicators: list[Indicator]
    """The indicators of the standard."""


class Framework(Model):
    schema_: Literal["rsqm/framework@1"] = Field(alias="schema")
    """Always rsqm/framework@1."""
    id: NonEmpty
    """The framework's id, used in rsqm.yaml and in links to other frameworks (framework:indicator)."""
    title: NonEmpty
    """The framework's name."""
    version: NonEmpty
    """Which version of the framework the file follows."""
    source: NonEmpty
    """Where the framework comes from."""
    evidence_types: dict[str, NonEmpty]
    """Evidence type id -> what it is, in words."""
    sensitive_offence_categories: list[NonEmpty] = Field(
        default_factory=list,
        description="offence categories (cases.csv offence_category) that need an advanced practitioner, not an intermediate one alone",
    )
    enhanced_offence_categories: list[NonEmpty] = Field(
        default_factory=list,
        description="offence categories (cases.csv offence_category) whose victims have enhanced rights when a case's enhanced_rights is blank",
    )
    standards: list[Standard]
    """The standards, each with its indicators."""

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
    """equal, subset, superset or supports; only equal counts in the gap analysis."""


class Mapping(Model):
    schema_: Literal["rsqm/mapping@1"] = Field(alias="schema")
    """Always rsqm/mapping@1."""
    from_: NonEmpty = Field(alias="from", description="framework id")
    to: NonEmpty = Field(description="framework id")
    relations: list[Relation] = Field(default_factory=list)
    """How indicators of the two frameworks relate, one pair a line."""


# --- standards/<checklist>.yaml ----------------------------------------------


class ChecklistItem(Model):
    id: NonEmpty
    """The item's id, used as a key in audit records."""
    section: NonEmpty
    """The part of the case file the item is about."""
    question: NonEmpty
    """The question the auditor answers."""
    target: Annotated[float, Field(ge=0, le=1)] = 0.9
    """Share of applicable audited cases (0 to 1) that should meet the item."""
    critical: bool = False
    """A completed audit must answer it."""


class Checklist(Model):
    schema_: Literal["rsqm/checklist@1"] = Field(alias="schema")
    """Always rsqm/checklist@1."""
    id: NonEmpty
    """The checklist's id, named in rsqm.yaml."""
    title: NonEmpty
    """The checklist's name."""
    source: str = ""
    """Where the checklist comes from."""
    min_sample: Annotated[int, Field(ge=1)] = 10
    """Fewest completed audits before an item's rate is judged."""
    items: list[ChecklistItem]
    """The questions of the audit."""


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
    """The indicator the item supports: "2.1" in the primary framework, "framework-id:C" in another (quote it)."""
    locator: str = ""
    """Where in the document the assessor should look, e.g. "section 3, p. 4"."""
    claim: str = ""
    """What that part of the document shows."""

    def split(self, primary: str) -> tuple[str, str]:
        """(framework id, indicator id) of this link."""
        return split_indicator(self.indicator, primary)


class EvidenceItem(Model):
    id: Annotated[str, Field(pattern=r"^E\d+$")]
    """an evidence id: E followed by digits, such as E014"""
    title: NonEmpty
    """The document's title."""
    type: NonEmpty
    """One of the framework's evidence_types, e.g. policy."""
    file: NonEmpty
    """Path of the document relative to evidence/, e.g. files/policy.pdf."""
    owner: NonEmpty
    """The role that owns the document (not a person's name)."""
    dated: IsoDate
    """The date the document carries (YYYY-MM-DD)."""
    review_by: IsoDate | None = None
    """When the document is due for review; after it, the item no longer counts."""
    status: EvidenceStatus
    """draft, in_review, approved, rejected or superseded; only approved items count."""
    personal_data: PersonalData = PersonalData.none
    """Whether the document holds personal data: none, redacted or contains."""
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")] | None = None
    """a SHA-256 of the file as approved: 64 lower-case hexadecimal characters (rsqm evidence approve records it)"""
    approved_by: str | None = None
    """Who approved the item (a role or board)."""
    approved_on: IsoDate | None = None
    """When it was approved."""
    links: list[Link] = Field(default_factory=list)
    """The indicators the item is evidence for."""
    superseded_by: Annotated[str, Field(pattern=r"^E\d+$")] | None = None
    """an evidence id such as E014: the item that replaced this one"""


class Register(Model):
    schema_: Literal["rsqm/register@1"] = Field(alias="schema")
    """Always rsqm/register@1."""
    items: list[EvidenceItem] = Field(default_factory=list)
    """The evidence items."""


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
CASES_HEADER = ",".join(CASE_COLUMNS)  # the first line of a new case list
OPTIONAL_CASE_COLUMNS = (
    "reported_on",
    "first_contact_on",
    "rj_info_offered_on",
    "enhanced_rights",
    "referral_source",
    "offer_accepted",
    "agreement_reached",
    "agreement_completed",
    "victim_under_18",
    "co_facilitator",
    "age_band",
    "sex",
    "ethnic_group",
    "disability",
)
# equality monitoring (DESIGN.md section 3): aggregate categories only, each with its allowed values
AgeBand = Literal["under_18", "18_24", "25_44", "45_64", "65_plus", "not_known"]
Sex = Literal["female", "male", "other", "not_known"]
EthnicGroup = Literal["asian", "black", "mixed", "white", "other", "not_known"]  # the five ONS top-level groups
Disability = Literal["yes", "no", "not_known"]
EQUALITY_VALUES: dict[str, tuple[str, ...]] = {
    "age_band": get_args(AgeBand), "sex": get_args(Sex), "ethnic_group": get_args(EthnicGroup), "disability": get_args(Disability),
}


class Case(Model):
    case_ref: NonEmpty
    """The case reference; must match case_ref_pattern in rsqm.yaml."""
    referred_on: IsoDate
    """When the case was referred."""
    closed_on: IsoDate | None = None
    """When the case closed; empty while it is open."""
    process: NonEmpty
    """The kind of restorative process, e.g. conference or shuttle."""
    offence_category: NonEmpty
    """A broad offence category, never details."""
    initiator: NonEmpty
    """Who asked for restorative justice: victim, offender or a referrer."""
    practitioner: Annotated[str, Field(pattern=r"^(?:[A-Za-z]{0,4}-?\d{1,6})?$",
                                       description="a staff code such as P07, never a name; blank while the case is not allocated")]
    outcome: str = ""
    """How the case ended, in a word or two."""
    reported_on: OptionalDate = None
    """When the crime was reported to the police (optional column): the Victims' Code's time limits run from it."""
    first_contact_on: OptionalDate = None
    """When the service first contacted the person referred (optional column)."""
    rj_info_offered_on: OptionalDate = None
    """When restorative justice was first offered or explained (optional column)."""
    enhanced_rights: YesNo = None
    """yes when the victim is entitled to enhanced rights, no otherwise; blank: worked out from the offence category
    (a framework's enhanced_offence_categories) and victim_under_18."""
    referral_source: str = ""
    """Who referred the case, e.g. police or probation (optional column)."""
    offer_accepted: YesNo = None
    """yes / no / blank: whether the offer of restorative justice was taken up."""
    agreement_reached: YesNo = None
    """yes / no / blank: whether the process ended in an agreement or outcome."""
    agreement_completed: YesNo = None
    """yes / no / blank: whether what was agreed was carried out."""
    victim_under_18: YesNo = None
    """yes / no / blank: whether the person harmed was under 18 at the time of the offence (enhanced rights)."""
    co_facilitator: Annotated[StaffCode | None, BeforeValidator(_blank_is_none)] = None
    """The staff code of a second practitioner working the case, when there is one (optional column)."""
    age_band: Annotated[AgeBand | None, BeforeValidator(_blank_is_none)] = None
    """Equality monitoring (optional column): the age band of the person harmed, under_18, 18_24, 25_44, 45_64,
    65_plus or not_known; reported only as counts, small numbers suppressed."""
    sex: Annotated[Sex | None, BeforeValidator(_blank_is_none)] = None
    """Equality monitoring (optional column): female, male, other or not_known."""
    ethnic_group: Annotated[EthnicGroup | None, BeforeValidator(_blank_is_none)] = None
    """Equality monitoring (optional column): the ONS top-level group, asian, black, mixed, white, other or not_known."""
    disability: Annotated[Disability | None, BeforeValidator(_blank_is_none)] = None
    """Equality monitoring (optional column): yes, no or not_known."""

    @field_validator("closed_on", mode="before")
    @classmethod
    def _blank_is_open(cls, value: object) -> object:
        return _blank_is_none(value)


# --- evidence/samples/<name>.yaml --------------------------------------------


class Population(Model):
    closed_from: IsoDate | None = None
    """First closing date of the cases sampled from (empty: no limit)."""
    closed_to: IsoDate | None = None
    """Last closing date of the cases sampled from (empty: no limit)."""
    size: Annotated[int, Field(ge=0)]
    """How many cases the population held."""
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    """a SHA-256 of the population's case list: 64 lower-case hexadecimal characters"""


class SampleMethod(Model):
    kind: Literal["simple", "stratified"]
    """simple or stratified."""
    strata: list[NonEmpty] = Field(default_factory=list)
    """Case list columns the sample is stratified by."""
    size: Annotated[int, Field(ge=1)]
    """How many cases were drawn."""
    seed: int
    """The random seed, so the draw can be repeated."""


class Sample(Model):
    schema_: Literal["rsqm/sample@1"] = Field(alias="schema")
    """Always rsqm/sample@1."""
    name: NonEmpty
    """The sample's name; the file is evidence/samples/NAME.yaml."""
    drawn_on: IsoDate
    """When the sample was drawn."""
    drawn_by: NonEmpty
    """Who drew it."""
    reason: str = ""
    """Why it was drawn."""
    population: Population
    """The closed cases it was drawn from."""
    method: SampleMethod
    """How it was drawn."""
    cases: list[NonEmpty]
    """The case references drawn."""


# --- evidence/audits/<case_ref>.yaml -----------------------------------------


class AnswerResult(StrEnum):
    met = "met"
    partly_met = "partly_met"
    not_met = "not_met"
    n_a = "n_a"


class Answer(Model):
    result: AnswerResult | None = None  # None: not answered yet (a blank record)
    """met, partly_met, not_met or n_a; empty while not answered."""
    note: str = ""
    """Why, in a sentence (no names)."""


class Moderation(Model):
    moderator: NonEmpty
    """Who second-marked the case (a staff code)."""
    moderated_on: IsoDate
    """When it was second-marked."""
    answers: dict[str, Answer] = Field(default_factory=dict)
    """The second marker's own answers, checklist item id -> answer."""
    agreed: dict[str, Answer] = Field(default_factory=dict)
    """Answers both markers agreed on afterwards; they override the first marking."""


class SecondMarking(Moderation):
    """The second marking kept in a file of its own (evidence/audits/CASE_REF.second.yaml), away from the first answers.

    An older audit file may hold the same block under ``moderation:`` instead; it still loads.
    """

    schema_: Literal["rsqm/second-marking@1"] = Field(alias="schema")
    """Always rsqm/second-marking@1."""
    case_ref: NonEmpty
    """The case second-marked; the file is evidence/audits/CASE_REF.second.yaml."""

    def moderation(self) -> Moderation:
        return Moderation.model_validate(self.model_dump(include=set(Moderation.model_fields)))


class Audit(Model):
    schema_: Literal["rsqm/audit@1"] = Field(alias="schema")
    """Always rsqm/audit@1."""
    case_ref: NonEmpty
    """The audited case; the file is evidence/audits/CASE_REF.yaml."""
    sample: NonEmpty
    """The sample the case was drawn in."""
    auditor: NonEmpty
    """Who audited the case (a staff code)."""
    audited_on: IsoDate | None = None  # None while the record is still blank
    """When the audit was finished; empty while it is in progress."""
    answers: dict[str, Answer] = Field(default_factory=dict)
    """Checklist item id -> answer."""
    safeguarding_concern: bool = False
    """A safeguarding concern was found in the case file."""
    safeguarding_note: str = ""
    """What the concern is and what was done (no names)."""
    moderation: Moderation | None = None
    """The second marking, when the case was second-marked."""
    resolved_on: IsoDate | None = None
    """When the safeguarding concern was resolved; an open concern has none."""
    resolved_by: str | None = None
    """Who recorded the resolution (a staff code or role)."""
    resolution_note: str = ""
    """What was done about the concern (no names)."""

    def final_answers(self) -> collections.abc.Mapping[str, Answer]:
        """The answers that count: agreed moderation answers override the first marking (read only: not a copy)."""
        if self.moderation is None or not self.moderation.agreed:
            return self.answers
        return {**self.answers, **self.moderation.agreed}


# --- evidence/actions.yaml ---------------------------------------------------


class ActionStatus(StrEnum):
    open = "open"
    in_progress = "in_progress"
    done = "done"


class Action(Model):
    id: Annotated[str, Field(pattern=r"^A\d+$")]
    """an action id: A followed by digits, such as A003"""
    title: NonEmpty
    """What is to be done."""
    indicator: str | None = None
    """The indicator it closes a gap in (quote it, e.g. "2.1")."""
    owner: NonEmpty
    """The role responsible."""
    due: IsoDate | None = None
    """When it is due."""
    status: ActionStatus = ActionStatus.open
    """open, in_progress or done."""
    note: str = ""
    """Progress notes."""
    audit_item: NonEmpty | None = None
    """The checklist item this action should improve."""
    re_audit_by: IsoDate | None = None
    """A complete audit round covering audit_item, drawn on or after `due`, is due by this date."""


class ActionPlan(Model):
    schema_: Literal["rsqm/actions@1"] = Field(alias="schema")
    """Always rsqm/actions@1."""
    actions: list[Action] = Field(default_factory=list)
    """The actions."""


# --- evidence/privacy-review.yaml --------------------------------------------


class PrivacyAcceptance(Model):
    """A reviewed false positive of the privacy scan, accepted by a person."""

    what: NonEmpty  # the exact text the scan flagged; a picture's SHA-256
    """The exact text the privacy scan flagged; for a picture, its SHA-256 (accepted everywhere: the same picture in any file)."""
    where: NonEmpty | None = None  # workspace-relative path (or evidence id) it was found in; a folder ends in '/'
    """Where it is accepted: a workspace-relative path, an evidence id, or a folder ending in '/' (everything in it)."""
    everywhere: bool | None = None  # None, not False, when where is given: the file keeps no key it does not need
    """true: accepted wherever it is found (instead of where)."""
    reviewed_by: NonEmpty
    """Who reviewed it."""
    reviewed_on: IsoDate
    """When."""
    why: NonEmpty
    """Why it is not personal data."""

    @model_validator(mode="after")
    def _one_scope(self) -> PrivacyAcceptance:
        if bool(self.everywhere) == (self.where is not None):
            raise ValueError("give either where (a file, an evidence id or a folder ending in '/') or everywhere: true")
        return self


class PrivacyReview(Model):
    schema_: Literal["rsqm/privacy-review@1"] = Field(alias="schema")
    """Always rsqm/privacy-review@1."""
    accepted: list[PrivacyAcceptance] = Field(default_factory=list)
    """Reviewed false positives of the privacy scan."""


# --- evidence/workforce.yaml -------------------------------------------------


class Level(StrEnum):
    foundation = "foundation"
    intermediate = "intermediate"
    advanced = "advanced"


class Training(Model):
    level: Level
    """foundation, intermediate or advanced."""
    completed: IsoDate
    """When the training was completed."""
    rjc_registered_trainer: bool = False
    """Given by a trainer on the RJC's register."""


class Registration(Model):
    """The practitioner's entry on the RJC practitioner register."""

    level: Level
    """The level registered at: foundation, intermediate or advanced."""
    expires: IsoDate
    """When the registration runs out."""


class CpdEntry(Model):
    date: IsoDate
    """When the development activity took place."""
    hours: Annotated[float, Field(gt=0, le=1000)]
    """How many hours it took."""
    rjc_approved: bool = False
    """An RJC-approved activity."""
    title: str = ""
    """What it was, in a few words."""


class StaffMember(Model):
    code: StaffCode
    paid: bool = Field(description="false: a volunteer")
    admin_only: bool = Field(False, description="does not deliver RJ: left out of every measure")
    active: bool = Field(True, description="currently delivering RJ")
    started: IsoDate
    """When the practitioner started."""
    left: IsoDate | None = None
    """When they left; empty while they are in post."""
    probation_until: IsoDate | None = None
    """End of their probation period, if any."""
    prior_experience: bool = Field(
        False, description="true: came with restorative experience, so left out of the RJC 60% count while in probation"
    )
    training: Training | None = None
    """Their restorative justice training."""
    registration: Registration | None = None
    """Their entry on the RJC practitioner register, if registered."""
    supervision: list[IsoDate] = Field(default_factory=list, description="case supervision dates")
    observed_practice: list[IsoDate] = Field(default_factory=list)
    """Dates their practice was observed."""
    cpd: list[CpdEntry] = Field(default_factory=list)
    """Continuing professional development."""


class Workforce(Model):
    schema_: Literal["rsqm/workforce@1"] = Field(alias="schema")
    """Always rsqm/workforce@1."""
    staff: list[StaffMember] = Field(default_factory=list)
    """Everyone who delivers restorative justice, by staff code (no names)."""


# --- evidence/feedback.csv ---------------------------------------------------

FEEDBACK_COLUMNS = ("response_id", "received_on", "party", "process")


class FeedbackResponse(Model):
    """One participant's answers: yes / no / blank per question id; no free text, no case reference."""

    response_id: NonEmpty
    """The response's own id (not a case reference)."""
    received_on: IsoDate
    """When the feedback was received."""
    party: Literal["harmed", "responsible", "other"]
    """harmed, responsible or other."""
    process: NonEmpty
    """The kind of restorative process the person took part in."""
    answers: dict[NonEmpty, YesNo] = Field(default_factory=dict)
    """Question id -> yes, no or blank (one CSV column per question)."""


# --- evidence/requests.yaml --------------------------------------------------


class RequestStatus(StrEnum):
    open = "open"
    answered = "answered"
    closed = "closed"


class ClarificationRequest(Model):
    """A question the assessor raised about one indicator, and the service's answer."""

    id: Annotated[str, Field(pattern=r"^R\d+$", description="R followed by digits, unique")]
    raised_on: IsoDate
    """When the assessor asked."""
    by: NonEmpty = Field(description="who asked: the assessor's role or organisation, not a private address")
    indicator: NonEmpty = Field(description='"2.1" in the primary framework, "other-framework:C" elsewhere')
    question: NonEmpty
    """What the assessor asked, in their words."""
    due: IsoDate | None = None
    """When the answer is due."""
    status: RequestStatus = RequestStatus.open
    """open, answered or closed."""
    response: str = ""
    """The service's answer."""
    answered_on: IsoDate | None = None
    """When it was answered."""
    evidence: list[Annotated[str, Field(pattern=r"^E\d+$")]] = Field(default_factory=list, description="evidence added in answer")


class Requests(Model):
    schema_: Literal["rsqm/requests@1"] = Field(alias="schema")
    """Always rsqm/requests@1."""
    requests: list[ClarificationRequest] = Field(default_factory=list)
    """The assessor's clarification requests."""


# --- evidence/accreditation.yaml ---------------------------------------------


class Renewable(Model):
    """Something held for a period: RJC membership, insurance cover."""

    expires: IsoDate
    """When it runs out."""
    reference: str = ""
    """What it is, e.g. the policy or membership reference (no personal details)."""


class Award(Model):
    granted: IsoDate
    """When the quality mark was awarded."""
    expires: IsoDate
    """When the award runs out."""


class AwardTerm(Model):
    """A condition (must be done) or recommendation (should be considered) the assessor set with the award."""

    id: Annotated[str, Field(pattern=r"^[A-Z]{1,3}\d+$", description="e.g. C1 for a condition, R1 for a recommendation")]
    text: NonEmpty
    """What the assessor asked for, in a sentence."""
    due: IsoDate | None = None
    """When it is due."""
    status: Literal["open", "done"] = "open"
    """open or done."""
    action: Annotated[str, Field(pattern=r"^A\d+$")] | None = Field(None, description="the action plan entry that answers it")


class Accreditation(Model):
    schema_: Literal["rsqm/accreditation@1"] = Field(alias="schema")
    """Always rsqm/accreditation@1."""
    membership: Renewable | None = None
    """RJC membership and when it runs out."""
    insurance: Renewable | None = None
    """Insurance cover and when it runs out."""
    award: Award | None = None
    """The quality mark award, once granted."""
    conditions: list[AwardTerm] = Field(default_factory=list)
    """Conditions set with the award (must be done)."""
    recommendations: list[AwardTerm] = Field(default_factory=list)
    """Recommendations set with the award (should be considered)."""


# --- a map from a case-management or survey export to our columns --------------

DATE_STYLES = ("dayfirst", "monthfirst", "iso")


def _plain_words(value: object) -> object:
    """``Y: yes`` as YAML reads it ({'Y': True}) back to the words written: yes / no, numbers as digits."""
    def word(v: object) -> object:
        if isinstance(v, bool):
            return "yes" if v else "no"
        return str(v) if isinstance(v, int | float) else v

    return {word(k): word(v) for k, v in value.items()} if isinstance(value, dict) else value


class Rewrite(Model):
    """Their form of a value turned into ours before it is checked: a regular expression and its replacement."""

    match: NonEmpty
    """A regular expression over their whole value, e.g. '^(\\d{4})/(\\d{3,5})$'."""
    to: str
    """What it becomes; \\1, \\2 are the parts in brackets, e.g. 'NRS-\\1-\\2'."""


class CaseImportMap(Model):
    """How one system's export becomes our case list (or feedback file): docs/case-data.md."""

    schema_: Literal["rsqm/case-import@1"] = Field(alias="schema")
    columns: dict[NonEmpty, NonEmpty] = Field(description="our column -> their header")
    dates: NonEmpty = Field("iso", description="dayfirst | monthfirst | iso | a strptime format such as %d.%m.%Y")
    values: dict[NonEmpty, Annotated[dict[str, str], BeforeValidator(_plain_words)]] = Field(
        default_factory=dict, description="our column -> {their value: ours}"
    )
    ignore: list[NonEmpty] = Field(default_factory=list, description="their columns dropped unread: never written or logged")
    rewrite: dict[NonEmpty, Rewrite] = Field(default_factory=dict, description="our column -> {match, to}: their form of a value -> ours")

    @field_validator("dates")
    @classmethod
    def _date_style(cls, style: str) -> str:
        if style not in DATE_STYLES and "%" not in style:
            raise ValueError(f"expected one of {', '.join(DATE_STYLES)} or a strptime format such as %d/%m/%Y, got {style!r}")
        return style
