"""Roles, enforced where data is read and written (not only by hiding pages).

One permission table says which role may do what. Every read the dashboard makes
goes through a ``View`` built for the signed-in role: ``overview()`` returns
aggregates anyone may see; the case-level methods raise ``PermissionDenied``
for leadership and the assessor. One guard more stands on every datum: each of
the View's reads hands its result through ``View.release``, which, for a role
without case access, replaces every case reference found anywhere in it (a
title, a question, a sample name, a referral source) with
``[case reference withheld]``, and whatever else the privacy pre-flight would
refuse (a participant's name, a phone number, an address) with
``[personal data withheld]``; a download it cannot rewrite (the board report)
is withheld whole when it holds a case reference. Writes call ``require(role, action)`` first. Importable without
Streamlit; the pack's document builder (python-docx, a third of a second) is
imported only when a board report is asked for.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ConfigDict
from pydantic_core import to_json

from rsqm.assess.expiry import Lapse, lapses
from rsqm.assess.frameworks import assessed_ids
from rsqm.assess.gaps import Assessment, Reason, ReasonCode, StandardResult
from rsqm.assess.lifecycle import Countdown, countdowns, open_requests, overdue, renewals
from rsqm.assess.mapping import related
from rsqm.assess.measures import FrameworkMeasure, workspace_measures
from rsqm.assess.outcomes import Outcomes, workspace_outcomes
from rsqm.assess.workforce import (
    CaseFlag,
    DueItem,
    StaffRow,
    case_flags,
    due_soon,
    sensitive_categories,
    staff_rows,
    workforce_day,
    workforce_measures,
)
from rsqm.audit.audits import AuditError, AuditSummary, SampleCompliance
from rsqm.audit.rates import AuditItemResult
from rsqm.audit.rounds import ItemTrend, OverdueReAudit, latest_change, overdue_re_audits
from rsqm.base.dates import default_as_of, workspace_today
from rsqm.base.errors import InputRefused
from rsqm.base.labels import MEASURE_SHORT
from rsqm.base.paths import PORTFOLIO_DIR, narrative_file
from rsqm.base.problems import Problem
from rsqm.files.folder import Workspace
from rsqm.files.models import ActionPlan, Audit, Case, ClarificationRequest, Register, Role, Sample
from rsqm.imports.caselist import case_ref_search
from rsqm.privacy.detectors import Detectors, scan_text
from rsqm.privacy.scan import Allowed, Scanner, key_names
from rsqm.workspace.action_plan import PlanSummary, plan_summary
from rsqm.workspace.store import ChangeEntry, read_change_log

if TYPE_CHECKING:
    from rsqm.commission.returns import Return


class PermissionDenied(InputRefused):
    """The role may not read or change this; the message says what and who may."""


_ALL = frozenset(Role)
_CASE_LEVEL = frozenset({Role.coordinator, Role.supervisor})
_COORDINATOR = frozenset({Role.coordinator})
_ASSESSOR_LOOP = frozenset({Role.coordinator, Role.assessor})
AGGREGATES_ONLY = frozenset({Role.leadership, Role.commissioner})  # every answer to them passes the case-ref guard

PERMISSIONS: dict[str, frozenset[Role]] = {
    # reading
    "read_overview": _ALL,  # readiness, counts, audit compliance: aggregates only
    "read_outcomes": _ALL,  # referrals, take-up, agreements, contact times, feedback: aggregates only
    "read_evidence": _CASE_LEVEL,  # register, narratives, the full gap analysis, action plan
    "read_cases": _CASE_LEVEL,  # case list, samples, audits with notes, concern case refs, practitioner codes
    "read_change_log": _CASE_LEVEL,  # its file names include case refs
    "read_workforce": _CASE_LEVEL,  # the workforce register by staff code, what is due
    "read_shortfalls": _COORDINATOR,  # who falls short of a measure, cases facilitated against the register
    "read_requests": frozenset({Role.coordinator, Role.leadership, Role.assessor}),  # clarification requests, by indicator
    "read_packs": _ASSESSOR_LOOP,  # the packs exported for submission
    "read_audit_summary": frozenset({Role.coordinator, Role.supervisor, Role.leadership}),  # rsqm audit-summary; case refs need read_cases
    "read_portfolio": AGGREGATES_ONLY | _COORDINATOR,  # services' returns side by side (docs/commissioning.md): counts only
    # writing
    "write_audit": _CASE_LEVEL,  # audit records and second marking
    "draw_sample": _CASE_LEVEL,
    "edit_register": _COORDINATOR,
    "edit_narrative": _COORDINATOR,
    "edit_actions": _COORDINATOR,
    "review_privacy": _COORDINATOR,  # accept a reviewed false positive of the privacy scan
    "export_pack": _COORDINATOR,
    "import_cases": _COORDINATOR,  # merge a case-management or survey export into the case list or feedback file
    "manage_users": _COORDINATOR,
    "edit_workforce": _COORDINATOR,  # add and change staff; record supervision, observed practice, CPD
    "edit_settings": _COORDINATOR,  # rsqm.yaml, as rsqm config set changes it
    "add_request": _ASSESSOR_LOOP,
    "answer_request": _COORDINATOR,
}


def allowed(role: Role | str, action: str) -> bool:
    """May ``role`` do ``action``? An action missing from the table is a programming error (KeyError)."""
    return Role(role) in PERMISSIONS[action]


def require(role: Role | str, action: str) -> None:
    """Raise ``PermissionDenied`` unless ``role`` may do ``action``; call before every write."""
    if not allowed(role, action):
        who = " or ".join(r.value for r in Role if r in PERMISSIONS[action])
        raise PermissionDenied(f"the {Role(role).value} role may not {action.replace('_', ' ')}; only {who} may")


# --- leadership's aggregates -------------------------------------------------


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class IndicatorStatus(_Frozen):
    id: str
    standard: str
    title: str
    status: str
    critical: bool  # the safeguarding indicators
    reasons: list[str]  # reason codes only; the messages name evidence and belong to read_evidence


class WorkforceShare(_Frozen):
    """One of the four workforce measures as leadership sees it: counts and target, nobody named."""

    measure: str
    short: str  # a few words, for a metric's label
    label: str
    k: int
    n: int
    rate: float | None
    ci_low: float | None
    ci_high: float | None
    target: float
    met: bool
    counted_on: date | None = None  # the day the records end, when the as-of date lies ahead of it
    due_count: int = 0  # what falls due between counted_on and the as-of date


class Overview(_Frozen):
    """What everyone may see, leadership included: counts and rates, never a case."""

    service: str
    as_of: date
    assessment_date: date | None
    framework_id: str
    framework_title: str
    ready: bool
    readiness: float
    blockers: list[str]  # indicator ids
    standards: list[StandardResult]
    indicators: list[IndicatorStatus]
    evidence_items: int
    today: date
    expiring: list[Lapse]  # expired, or expiring, before the as-of date (rsqm.assess.expiry: one date rule)
    cases: int  # closed and open cases in the case list
    samples: int
    audits_completed: int
    safeguarding_concerns: int
    audit_items: list[AuditItemResult]
    compliance_over_time: list[SampleCompliance]
    agreement_pairs: int
    agreement_percent: float | None
    agreement_kappa: float | None
    re_audits_overdue: list[OverdueReAudit] = []  # re-audits promised in the action plan, not done by their date
    real_changes: list[ItemTrend] = []  # checklist items whose change between the last two rounds is real, up or down
    lapsed: list[str] = []  # membership, insurance or award lapsed on the as-of date, in words
    countdowns: list[Countdown] = []  # renewals and conditions due within 90 days of today
    open_requests: int = 0
    overdue_requests: int = 0

    @property
    def expiring_evidence(self) -> int:
        return len(self.expiring)


# --- the guard ---------------------------------------------------------------


WORDS = re.compile(r"[^\W_]+")


def _known_refs(ws: Workspace) -> set[str]:
    refs = {case.case_ref for case in ws.cases} | set(ws.audits)
    for sample in ws.samples.values():
        refs.update(sample.cases)
    return refs


def find_case_refs(data: Any, ws: Workspace) -> list[str]:
    """Case refs found anywhere in ``data`` serialised to JSON: by the workspace's pattern and by name. A file's bytes
    inside ``data`` are opaque here (base64): a download is checked by ``View.release`` or by the pre-flight."""
    text = json.loads(to_json(data, fallback=str, bytes_mode="base64"))
    flat = json.dumps(text, ensure_ascii=False)
    found = set(case_ref_search(ws.settings.case_ref_pattern).findall(flat))
    words = set(WORDS.findall(flat))  # a ref none of whose words is there cannot be there: 100,000 refs cost one pass
    found.update(ref for ref in _known_refs(ws) if set(WORDS.findall(ref)) <= words and ref in flat)
    return sorted(found)


def leadership_safe(data: Any, ws: Workspace) -> bool:
    """True when nothing in ``data`` is a case ref: the test every leadership answer must pass."""
    return not find_case_refs(data, ws)


WITHHELD = "[case reference withheld]"
T = TypeVar("T")


def without_case_refs(data: T, ws: Workspace) -> T:
    """``data`` with every case reference in its text (found as ``find_case_refs`` finds them) replaced by WITHHELD:
    models, dataclasses, lists, tuples and dicts (keys too) are rebuilt, anything else is kept as it is."""
    found = find_case_refs(data, ws)
    if not found:
        return data
    pattern = re.compile("|".join(map(re.escape, sorted(found, key=len, reverse=True))))
    return _rewritten(data, lambda text: pattern.sub(WITHHELD, text))


def _rewritten(value: Any, rewrite: Callable[[str], str]) -> Any:
    """``value`` with ``rewrite`` applied to every string in it; the very same object wherever nothing changed (an enum
    member stays one)."""
    if isinstance(value, str):
        new = rewrite(value)
        return value if new == value else new
    if isinstance(value, BaseModel):
        fields = {name: getattr(value, name) for name in type(value).model_fields}
        changed = {name: new for name, old in fields.items() if (new := _rewritten(old, rewrite)) is not old}
        return value.model_copy(update=changed) if changed else value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value) if f.init}
        changed = {name: new for name, old in fields.items() if (new := _rewritten(old, rewrite)) is not old}
        return dataclasses.replace(value, **changed) if changed else value
    if isinstance(value, list | tuple):
        items = [_rewritten(item, rewrite) for item in value]
        if all(new is old for new, old in zip(items, value, strict=True)):
            return value
        return items if isinstance(value, list) else type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    if isinstance(value, dict):
        pairs = [(_rewritten(key, rewrite), _rewritten(item, rewrite)) for key, item in value.items()]
        if all(k is old_k and v is old_v for (k, v), (old_k, old_v) in zip(pairs, value.items(), strict=True)):
            return value
        return dict(pairs)
    return value


WITHHELD_DATUM = "[personal data withheld]"


def without_personal_data(data: T, detectors: Detectors, allowed: Allowed) -> T:
    """``data`` with whatever the privacy pre-flight would refuse in its text (a name the service knows, a phone number,
    an address ...; not the service's own public contacts) replaced by WITHHELD_DATUM."""
    def rewrite(text: str) -> str:
        found = {f.text for f in scan_text(text, detectors) if not allowed.allows(f.kind, f.text)}
        for piece in sorted(found, key=len, reverse=True):
            text = text.replace(piece, WITHHELD_DATUM)
        return text

    return _rewritten(data, rewrite)


def _released(read: Callable[..., T]) -> Callable[..., T]:
    """A read of the View whose result passes ``View.release`` before anyone gets it."""
    @functools.wraps(read)
    def guarded(self: View, *args: Any, **kwargs: Any) -> T:
        return self.release(read(self, *args, **kwargs))
    return guarded


# --- the view ----------------------------------------------------------------


@dataclass(frozen=True)
class View:
    """Everything the dashboard reads, for one role.

    ``assessment_source`` and ``summary_source`` let the dashboard pass its cached
    gap analysis and audit summary (the dashboard's ``Snapshot`` caches them, once);
    without them they are computed on first use.
    """

    ws: Workspace
    role: Role
    as_of: date | None = None
    assessment_source: Callable[[], Assessment] | None = None
    summary_source: Callable[[], AuditSummary] | None = None
    _cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        """Without the dashboard's cached sources, each result is computed once, on first use, and kept here."""
        object.__setattr__(self, "role", Role(self.role))
        if self.assessment_source is None:
            from rsqm.assess.gaps import assess_workspace

            object.__setattr__(self, "assessment_source", cache(lambda: assess_workspace(self.ws, self.as_of)))
        if self.summary_source is None:
            from rsqm.audit.audits import summarise

            object.__setattr__(self, "summary_source", cache(lambda: summarise(self.ws)))

    @property
    def today(self) -> date:
        """Today for this workspace (a demonstration's fixed day, else the clock): what pages stamp and judge by."""
        return workspace_today(self.ws.settings)

    def counted_on(self) -> date:
        """The one day measures, lapses and overdue actions are counted on: the as-of date, or the day the
        records end when the as-of date lies ahead of today (docs/measures.md)."""
        a = self._assessment()
        return a.counted_on or a.as_of

    def can(self, action: str) -> bool:
        return allowed(self.role, action)

    def release(self, data: T) -> T:
        """The one guard every read passes: for a role without case access, ``data`` with each case reference in it
        withheld (``without_case_refs``), and whatever else the privacy pre-flight would refuse
        (``without_personal_data``); a download (bytes) holding a case reference is withheld whole."""
        if self.can("read_cases"):
            return data
        if isinstance(data, bytes):
            if self._download_refs(data):
                raise PermissionDenied("the download would show case references (check evidence titles and sample names); withheld")
            return data
        return without_personal_data(without_case_refs(data, self.ws), *self._recognisers())

    def _recognisers(self) -> tuple[Detectors, Allowed]:
        """The pre-flight's detectors for this workspace (the names it knows included) and what it allows, built once."""
        if "recognisers" not in self._cache:
            scanner = Scanner.for_workspace(self.ws, key_names(self.ws)[0])
            self._cache["recognisers"] = (scanner.detectors, scanner.allowed)
        return self._cache["recognisers"]

    def _download_refs(self, data: bytes) -> list[str]:
        """The case references in the text of a generated .docx (every part, as the privacy pre-flight reads it)."""
        from rsqm.privacy.extract import Piece, extract

        return find_case_refs([piece.text for piece in extract("download.docx", data) if isinstance(piece, Piece)], self.ws)

    def require(self, action: str) -> None:
        require(self.role, action)

    # aggregates: everyone

    @_released
    def overview(self, framework_id: str | None = None) -> Overview:
        """The aggregates for the primary framework, or for ``framework_id``."""
        self.require("read_overview")
        key = f"overview:{framework_id or ''}"
        if key not in self._cache:
            self._cache[key] = self._build_overview(framework_id)
        return self._cache[key]

    @_released
    def action_summary(self) -> PlanSummary:
        """The action plan in counts (open, in progress, done, overdue) and the next due date: no action's text."""

        self.require("read_overview")
        return plan_summary(self.ws.actions, self.counted_on(), self._assessment().as_of)

    @_released
    def board_report(self) -> bytes:
        """The one-page summary as .docx: aggregates only, withheld (like the overview) if it would name a case."""
        from rsqm.pack.document import build_summary
        from rsqm.pack.plan import plan_pack

        self.require("read_overview")
        return build_summary(plan_pack(self.ws, self._assessment().as_of))

    @_released
    def questions(self) -> dict[str, str]:
        """Checklist item id -> its question, so tables name items in words."""
        self.require("read_overview")
        checklist = self.ws.checklist
        return {item.id: item.question for item in checklist.items} if checklist else {}

    @_released
    def guidance(self, framework_id: str | None = None) -> dict[str, str]:
        """Indicator id -> what the pack says it asks for (its guidance)."""
        self.require("read_overview")
        framework = self.ws.frameworks.get(framework_id or self.ws.settings.framework)
        return {i.id: i.guidance.strip() for _, i in framework.indicators()} if framework else {}
    @_released
    def outcomes(self, start: date, end: date) -> Outcomes:
        """Referrals, take-up, agreements, contact times and feedback for a period: counts and shares, never a case."""

        self.require("read_outcomes")
        return workspace_outcomes(self.ws, start, end)

    @_released
    def commission_return(self, period: str, name: str) -> tuple[bytes, list[Problem]]:
        """The commissioner's return for ``period`` as the file ``name`` (docs/commissioning.md): counts only, and
        what the privacy pre-flight found in it (the file may leave only when that is empty)."""
        from rsqm.commission.output import render_return
        from rsqm.commission.period import parse_period

        self.require("read_outcomes")
        written = render_return(self.ws, parse_period(period), name)
        return written.content, written.problems

    @_released
    def portfolio_returns(self) -> tuple[list[tuple[str, Return, str | None]], list[tuple[str, str]]]:
        """The returns in the workspace's portfolio/ folder checked against its keys.txt: (read, refused with why)."""
        from rsqm.commission.portfolio import read_folder

        self.require("read_portfolio")
        return read_folder(self.ws.root / PORTFOLIO_DIR)

    @_released
    def workforce_shares(self) -> list[WorkforceShare]:
        """The four workforce measures on the as-of date (counted on ``counted_on()``), counts only; empty without a
        workforce register."""
        self.require("read_overview")
        fields = set(WorkforceShare.model_fields)
        return [WorkforceShare(short=MEASURE_SHORT[m.measure], **m.model_dump(include=fields))
                for m in workforce_measures(self.ws, self._day())]

    @_released
    def framework_ids(self) -> list[str]:
        """The frameworks this workspace is assessed against, primary first."""

        self.require("read_overview")
        return assessed_ids(self.ws)

    @_released
    def related(self, framework_id: str, indicator_id: str) -> list[tuple[str, str, str]]:
        """(framework, indicator, relation in words) from the cross-framework mappings."""

        self.require("read_overview")
        return related(self.ws.mappings.values(), framework_id, indicator_id)

    # evidence-level: coordinator and supervisors

    @_released
    def assessment(self, framework_id: str | None = None) -> Assessment:
        """The full gap analysis: evidence ids, locators, reasons, narratives."""
        self.require("read_evidence")
        return self._assessment(framework_id)

    @_released
    def register(self) -> Register:
        self.require("read_evidence")
        return self.ws.register

    @_released
    def narratives(self) -> dict[str, str]:
        self.require("read_evidence")
        return dict(self.ws.narratives)

    @_released
    def narrative_file(self, framework_id: str, indicator_id: str) -> str:
        """The file an indicator's account is read from, or the one a new account is written to."""
        self.require("read_evidence")
        key = indicator_id if framework_id == self.ws.settings.framework else f"{framework_id}:{indicator_id}"
        return self.ws.narrative_files.get(key) or narrative_file(framework_id, indicator_id)

    @_released
    def actions(self) -> ActionPlan:
        self.require("read_evidence")
        return self.ws.actions

    # the assessor loop

    @_released
    def requests(self) -> list[ClarificationRequest]:
        """Clarification requests: about indicators, never about a case."""
        self.require("read_requests")
        return list(self.ws.requests.requests)

    # case-level: coordinator and supervisors

    @_released
    def cases(self) -> list[Case]:
        self.require("read_cases")
        return list(self.ws.cases)

    @_released
    def samples(self) -> dict[str, Sample]:
        self.require("read_cases")
        return dict(self.ws.samples)

    @_released
    def audits(self) -> dict[str, Audit]:
        """Audit records by case ref, notes and safeguarding notes included."""
        self.require("read_cases")
        return dict(self.ws.audits)

    @_released
    def audit_summary(self) -> AuditSummary:
        """The full summary: disagreements and concern cases name case refs."""
        self.require("read_cases")
        return self._summary()

    @_released
    def concern_cases(self) -> list[str]:
        self.require("read_cases")
        return list(self._summary().concern_cases)

    @_released
    def practitioners(self) -> list[str]:
        self.require("read_cases")
        return sorted({case.practitioner for case in self.ws.cases if case.practitioner})  # blank: not allocated

    @_released
    def problems(self) -> list[Problem]:
        """Validation problems: their messages and file names can name cases."""
        self.require("read_cases")
        return list(self.ws.problems)

    @_released
    def workforce_table(self) -> list[StaffRow]:
        """One row per staff code: registration, supervision and observation due dates, CPD hours."""

        self.require("read_workforce")
        return staff_rows(self.ws.workforce, self.workforce_day()) if self.ws.workforce else []

    @_released
    def workforce_due(self) -> list[DueItem]:

        return due_soon(self.workforce_table(), self.workforce_day())

    @_released
    def workforce_case_flags(self) -> list[CaseFlag]:
        """Cases facilitated by someone not registered, or below advanced level on a sensitive case: coordinator only."""

        self.require("read_shortfalls")
        return case_flags(self.ws.workforce, self.ws.cases, sensitive_categories(self.ws), self.workforce_day()) if self.ws.workforce else []

    @_released
    def measure_shortfalls(self) -> list[FrameworkMeasure]:
        """Every measure of every framework with who or which cases fall short: coordinator only."""

        self.require("read_shortfalls")
        return workspace_measures(self.ws, self._day())

    @_released
    def change_log(self, limit: int | None = 50) -> list[ChangeEntry]:

        self.require("read_change_log")
        return read_change_log(self.ws.root, limit)

    # internals

    def _day(self) -> date:
        return default_as_of(self.ws.settings, self.as_of)

    def workforce_day(self) -> date:
        """The date the workforce is shown on: today, or the as-of date when that has already passed."""

        return workforce_day(self._day(), self.today)

    def _assessment(self, framework_id: str | None = None) -> Assessment:
        if framework_id not in (None, self.ws.settings.framework):
            key = f"assessment:{framework_id}"
            if key not in self._cache:
                from rsqm.assess.gaps import assess_workspace

                self._cache[key] = assess_workspace(self.ws, self.as_of, framework_id)
            return self._cache[key]
        return self.assessment_source()  # type: ignore[misc]  # set in __post_init__

    def _summary(self) -> AuditSummary:
        return self.summary_source()  # type: ignore[misc]  # set in __post_init__

    def _build_overview(self, framework_id: str | None = None) -> Overview:

        a = self._assessment(framework_id)
        try:
            summary = self._summary()
        except AuditError:  # no checklist: nothing to summarise
            summary = None
        return Overview(
            service=a.service,
            as_of=a.as_of,
            assessment_date=a.assessment_date,
            framework_id=a.framework_id,
            framework_title=a.framework_title,
            ready=a.ready,
            readiness=a.readiness,
            blockers=list(a.blockers),
            standards=list(a.standards),
            indicators=[
                IndicatorStatus(
                    id=r.id, standard=r.standard, title=r.title, status=str(r.status), critical=r.critical,
                    reasons=_unique(str(x.code) for x in r.reasons),
                )
                for r in a.indicators
            ],
            evidence_items=len(self.ws.register.items),
            today=a.today,
            expiring=lapses(self.ws, a.as_of, a.today),
            cases=self.ws.case_count,
            samples=len(self.ws.samples),
            audits_completed=sum(audit.audited_on is not None for audit in self.ws.audits.values()),
            safeguarding_concerns=summary.open_concerns if summary else 0,  # open ones: a resolved concern needs no attention
            audit_items=list(summary.items) if summary else [],
            compliance_over_time=list(summary.samples) if summary else [],
            agreement_pairs=summary.agreement.pairs if summary else 0,
            agreement_percent=summary.agreement.percent if summary else None,
            agreement_kappa=summary.agreement.kappa if summary else None,
            re_audits_overdue=overdue_re_audits(self.ws, a.as_of),
            real_changes=[t for t in latest_change(self.ws) if t.change and t.change.verdict in ("real_improvement", "real_decline")],
            lapsed=[_lapse_words(r, self.ws, a.as_of) for r in a.lifecycle],
            countdowns=[c for c in countdowns(self.ws.accreditation, a.today)
                        if c.what not in {r.refs[0] for r in a.lifecycle}],  # a lapse on the as-of date is said once
            open_requests=len(open_requests(self.ws.requests)),
            overdue_requests=sum(overdue(r, a.today) for r in self.ws.requests.requests),
        )


def _lapse_words(reason: Reason, ws: Workspace, as_of: date) -> str:
    """A lapse or a renewal due before the assessment, in words for the Overview."""
    found = {key: (label, expires) for key, label, expires in renewals(ws.accreditation)}
    label, expires = found[reason.refs[0]]
    if reason.code == ReasonCode.renewal_due:
        return f"{label} runs out on {expires.day} {expires:%B %Y}: renewal due before the assessment on {as_of.day} {as_of:%B %Y}"
    return f"{label} ran out on {expires.day} {expires:%B %Y}, before {as_of.day} {as_of:%B %Y}"


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))
