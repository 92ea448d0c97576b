"""The workforce register: who is due what, who facilitated what, and recording new entries.

Pure functions over ``Workforce`` and the case list. The counting rules live in
``rsqm.assess.measures``; this module reuses them for the coordinator's table (one row
per staff code), the "due in the next four weeks" list, the cross-check with
the case list, and the validation of evidence/workforce.yaml. Staff codes only,
never names.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from rsqm.assess.measures import (
    CPD_HOURS,
    SUPERVISION_GAP_DAYS,
    WORKFORCE_MEASURES,
    MeasureResult,
    cpd_in_year,
    delivering,
    evaluate,
    framework_specs,
    observation_due,
    records_end_once,
    registered_on,
)
from rsqm.base.dates import add_months
from rsqm.base.errors import InputRefused
from rsqm.base.labels import field
from rsqm.base.paths import CASES_FILE, WORKFORCE_FILE
from rsqm.base.problems import Problem, error, warning
from rsqm.files.models import Case, CpdEntry, Level, MeasureSpec, StaffMember, Workforce
from rsqm.files.yamlio import dump_yaml, plain_data

if TYPE_CHECKING:
    from rsqm.files.folder import Workspace

DUE_WINDOW_DAYS = 28  # "due in the next four weeks"
# The RJC's own numbers, used where no framework of the workspace lists the measure:
# 60% of practitioners registered; everyone supervised, observed and keeping up CPD.
DEFAULT_TARGETS = {"registered_practitioners": 0.6, "supervision_every_12_weeks": 1.0, "observed_practice_yearly": 1.0, "cpd_hours": 1.0}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class StaffRow(_Frozen):
    """One line of the coordinator's table."""

    code: str
    kind: Literal["paid", "volunteer"]
    status: str  # delivering, admin only, not active, left on ..., starts on ...
    registration_level: str | None
    registration_expires: date | None
    registered: bool  # on the register on the as-of date
    last_supervision: date | None
    supervision_due: date | None  # last day without breaking the 12-week rule; None when not delivering
    last_observed: date | None
    observed_due: date | None
    cpd_hours: float
    cpd_approved: float
    cpd_required: float | None  # None when not registered


class DueItem(_Frozen):
    code: str
    what: str  # supervision, observed practice, registration renewal
    due: date
    overdue: bool


class CaseFlag(_Frozen):
    """A case the workforce register says should not have been facilitated as it was."""

    case_ref: str
    practitioner: str
    why: str


class WorkforceError(InputRefused, ValueError):
    """A workforce entry that cannot be recorded; the message says why."""


# --- the four shares -----------------------------------------------------------


def workforce_day(as_of: date | None, today: date) -> date:
    """The day the workforce is shown on by default: today, or the as-of date once it has passed.

    Supervision and observed practice can only be recorded once they have happened, so before an
    assessment the useful picture is today's (what is due now), not the assessment date's.
    """
    return min(as_of, today) if as_of else today


def workforce_measures(ws: Workspace, as_of: date) -> list[MeasureResult]:
    """The four workforce measures on D, each with the target the workspace's frameworks give it (primary first),
    else the RJC's default. Empty when the workspace keeps no workforce register."""
    if ws.workforce is None:
        return []
    specs = [spec for _, _, spec in framework_specs(ws)]
    chosen = []
    for name in WORKFORCE_MEASURES:
        spec = next((s for s in specs if s.measure == name), None)
        chosen.append(spec or MeasureSpec(measure=name, target=DEFAULT_TARGETS[name]))
    end = records_end_once(ws)
    return [evaluate(spec, ws, as_of, end) for spec in chosen]


# --- the table and what is due ----------------------------------------------


def staff_rows(workforce: Workforce, as_of: date) -> list[StaffRow]:
    return [_row(member, as_of) for member in sorted(workforce.staff, key=lambda m: m.code)]


def _status(member: StaffMember, as_of: date) -> str:
    if member.left is not None and member.left <= as_of:
        return f"left on {member.left}"
    if member.started > as_of:
        return f"starts on {member.started}"
    if member.admin_only:
        return "admin only"
    return "delivering" if member.active else "not active"


def _latest(days: Sequence[date], as_of: date) -> date | None:
    return max((d for d in days if d <= as_of), default=None)


def _row(member: StaffMember, as_of: date) -> StaffRow:
    active = delivering(member, as_of)
    last_supervision = _latest(member.supervision, as_of)
    last_observed = _latest(member.observed_practice, as_of)
    total, approved = cpd_in_year(member, as_of)
    registration = member.registration
    supervision_due = observed_due = None
    if active:
        # as the measure counts: from the last supervision since starting, else the 12-month window's start
        window_start = max(member.started, add_months(as_of, -12))
        since_start = last_supervision if last_supervision is not None and last_supervision >= member.started else None
        supervision_due = (since_start or window_start) + timedelta(days=SUPERVISION_GAP_DAYS)
        observed_due = observation_due(member, as_of)
    return StaffRow(
        code=member.code,
        kind="paid" if member.paid else "volunteer",
        status=_status(member, as_of),
        registration_level=registration.level.value if registration else None,
        registration_expires=registration.expires if registration else None,
        registered=registered_on(member, as_of),
        last_supervision=last_supervision,
        supervision_due=supervision_due,
        last_observed=last_observed,
        observed_due=observed_due,
        cpd_hours=float(total),
        cpd_approved=float(approved),
        cpd_required=float(CPD_HOURS[registration.level]) if registration else None,
    )


def due_soon(rows: Sequence[StaffRow], as_of: date, days: int = DUE_WINDOW_DAYS) -> list[DueItem]:
    """Supervision, observed practice and registration renewal due on or before D + ``days`` (overdue ones too), soonest first."""
    horizon = as_of + timedelta(days=days)
    items = []
    for row in rows:
        if row.supervision_due is None:
            continue  # not delivering: nothing is due
        dues = [("supervision", row.supervision_due), ("observed practice", row.observed_due)]
        if row.registration_expires is not None:
            dues.append(("registration renewal", row.registration_expires))
        items += [DueItem(code=row.code, what=what, due=day, overdue=day < as_of) for what, day in dues if day and day <= horizon]
    return sorted(items, key=lambda i: (i.due, i.code, i.what))


# --- the cross-check with the case list ---------------------------------------


def level_on(member: StaffMember, day: date) -> Level | None:
    """The level a practitioner worked at on ``day``: the registration's when registered, else the training's."""
    if registered_on(member, day):
        assert member.registration is not None
        return member.registration.level
    if member.training is not None and member.training.completed <= day:
        return member.training.level
    return None


def case_flags(workforce: Workforce, cases: Sequence[Case], sensitive: set[str], as_of: date) -> list[CaseFlag]:
    """Cases the register says were not facilitated as they should be, judged over the time each was open: from the
    later of the referral and the practitioner's start (no lapse is reported before someone started) to its closure,
    or to D while open, or to the day the practitioner left. Flagged: not registered at that start; a registration that
    expired while the case was open; a case still open after its practitioner left, or open on D with a practitioner
    who is not active; a sensitive offence category facilitated below advanced level. Cases referred after D are not
    known yet. Practitioners missing from the register are a validation warning, not repeated here."""
    staff = {m.code: m for m in workforce.staff}
    flags = []
    for case in cases:
        member = staff.get(case.practitioner)
        if member is None or case.referred_on > as_of:
            continue
        closed = case.closed_on if case.closed_on is not None and case.closed_on <= as_of else None
        end = closed or as_of
        start = max(case.referred_on, member.started)
        worked_to = min(end, member.left) if member.left is not None else end
        flag = functools.partial(CaseFlag, case_ref=case.case_ref, practitioner=member.code)
        if start <= worked_to:
            if not registered_on(member, start):
                when = f"on the referral date {start}" if start == case.referred_on else f"when they started on {start}"
                flags.append(flag(why=f"{member.code} was not registered {when}"))
            elif not registered_on(member, worked_to):
                assert member.registration is not None
                until = f"closed {closed}" if worked_to == closed else f"open on {worked_to}"
                flags.append(flag(why=f"{member.code}'s registration expired on {member.registration.expires} while the case "
                                      f"was open (referred {case.referred_on}, {until})"))
        if member.left is not None and member.left < end:
            flags.append(flag(why=f"{member.code} left on {member.left} while the case was open"
                                  f" ({'closed ' + str(closed) if closed else 'still open on ' + str(as_of)})"))
        elif not member.active and closed is None:
            flags.append(flag(why=f"{member.code} is not active but the case is still open on {as_of}"))
        level = level_on(member, start)
        if case.offence_category in sensitive and level != Level.advanced:
            at = f"at {level.value} level" if level else "without completed training"
            flags.append(flag(why=f"sensitive category {case.offence_category.replace('_', ' ')} facilitated by {member.code} {at}"))
    return flags


def sensitive_categories(ws: Workspace) -> set[str]:
    return {c for framework in ws.frameworks.values() for c in framework.sensitive_offence_categories}


# --- recording entries ---------------------------------------------------------


def record(workforce: Workforce, code: str, today: date, *, supervision: date | None = None,
           observed: date | None = None, cpd: CpdEntry | None = None) -> tuple[Workforce, str]:
    """The register with one entry added to ``code``, and the change in words for the change log."""
    given = [x for x in (supervision, observed, cpd) if x is not None]
    if len(given) != 1:
        raise WorkforceError("give exactly one of a supervision date, an observed practice date or a CPD entry")
    positions = [i for i, m in enumerate(workforce.staff) if m.code == code]
    if not positions:
        known = ", ".join(sorted(m.code for m in workforce.staff)) or "none"
        raise WorkforceError(f"no staff code '{code}' in the workforce register (known: {known})")
    member = workforce.staff[positions[0]]
    day = cpd.date if cpd is not None else (supervision or observed)
    assert day is not None
    if day > today:
        raise WorkforceError(f"{day} lies in the future; record it once it has happened")
    if supervision is not None:
        if supervision in member.supervision:
            raise WorkforceError(f"{code} already has a supervision on {supervision}")
        changed, change = {"supervision": sorted([*member.supervision, supervision])}, f"log supervision {supervision}"
    elif observed is not None:
        if observed in member.observed_practice:
            raise WorkforceError(f"{code} already has an observed practice on {observed}")
        changed, change = {"observed_practice": sorted([*member.observed_practice, observed])}, f"log observed practice {observed}"
    else:
        assert cpd is not None
        approved = "RJC-approved" if cpd.rjc_approved else "not RJC-approved"
        changed = {"cpd": sorted([*member.cpd, cpd], key=lambda e: e.date)}
        change = f"log CPD {cpd.hours:g} hours on {cpd.date} ({approved})"
    staff = list(workforce.staff)
    staff[positions[0]] = member.model_copy(update=changed)
    return workforce.model_copy(update={"staff": staff}), change


STAFF_CODE = re.compile(r"^[A-Za-z]{0,4}-?\d{1,6}$")  # as StaffCode in rsqm.files.models: letters then digits


def check_staff_code(code: str) -> None:
    """Refuse a code that is not a staff code, saying so in words (a name in particular)."""
    if STAFF_CODE.match(code):
        return
    if any(ch.isalpha() for ch in code) and not any(ch.isdigit() for ch in code):
        raise WorkforceError(f"'{code}' looks like a name: the register keeps staff codes only, such as P07 or V12, never names")
    raise WorkforceError(f"'{code}' is not a staff code: up to four letters then a number, such as P07 or V12")


def add_staff(workforce: Workforce | None, code: str, today: date, fields: dict[str, object]) -> tuple[Workforce, str]:
    """The register (a new one when there is none) with ``code`` added; ``fields`` as for ``StaffMember``."""
    check_staff_code(code)
    register = workforce or Workforce.model_validate({"schema": "rsqm/workforce@1"})
    if any(m.code == code for m in register.staff):
        raise WorkforceError(f"{code} is already in the workforce register; change it with 'rsqm workforce update {code}'")
    member = _checked({"code": code, **fields}, today)
    return register.model_copy(update={"staff": [*register.staff, member]}), f"add {code} ({'paid' if member.paid else 'volunteer'})"


def update_staff(workforce: Workforce | None, code: str, today: date, fields: dict[str, object]) -> tuple[Workforce, str]:
    """The register with the given ``fields`` of ``code`` changed and every other left as it was."""
    position = _position(workforce, code)
    assert workforce is not None
    if not fields:
        raise WorkforceError("nothing to change: give at least one option, e.g. --registered intermediate --expires 2027-03-31")
    old = workforce.staff[position]
    merged = old.model_dump(by_alias=True)
    for key, value in fields.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    member = _checked(merged, today)
    staff = list(workforce.staff)
    staff[position] = member
    changed = [k.replace("_", " ") for k in fields]
    return workforce.model_copy(update={"staff": staff}), f"update {code}: {', '.join(changed)}"


def leave_staff(workforce: Workforce | None, code: str, today: date, on: date) -> tuple[Workforce, str]:
    """The register with ``code`` marked as having left on ``on`` (no longer delivering)."""
    position = _position(workforce, code)
    assert workforce is not None
    if workforce.staff[position].left is not None:
        raise WorkforceError(f"{code} already left on {workforce.staff[position].left}; change it with 'rsqm workforce update {code}'")
    changed, _ = update_staff(workforce, code, today, {"left": on})  # counted up to that day, not after
    return changed, f"{code} left on {on}"


def _position(workforce: Workforce | None, code: str) -> int:
    check_staff_code(code)
    positions = [i for i, m in enumerate(workforce.staff) if m.code == code] if workforce is not None else []
    if not positions:
        known = ", ".join(sorted(m.code for m in workforce.staff)) if workforce is not None and workforce.staff else "none yet"
        raise WorkforceError(f"no staff code '{code}' in the workforce register (known: {known}); add it with 'rsqm workforce add {code}'")
    return positions[0]


_WORDS = {"started": "started", "left": "left", "probation_until": "probation ends", "training": "training completed"}


def _checked(fields: dict[str, object], today: date) -> StaffMember:
    """One member built and checked: the model's own rules, then dates in order and none in the future."""
    try:
        member = StaffMember.model_validate(fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = " ".join(str(part).replace("_", " ") for part in first["loc"])
        raise WorkforceError(f"{where}: {first['msg']}") from None
    code = member.code
    later = [("left", member.left), ("probation_until", member.probation_until)]
    for key, day in later:
        if day is not None and day < member.started:
            raise WorkforceError(f"{code}: {_WORDS[key]} {day} is before they started on {member.started}")
    future = [("started", member.started), ("left", member.left)]
    if member.training is not None:
        future.append(("training", member.training.completed))
    for key, day in future:
        if day is not None and day > today:
            raise WorkforceError(f"{code}: {_WORDS[key]} {day} lies in the future; record it once it has happened")
    return member


def workforce_yaml(workforce: Workforce) -> str:
    """The register as people write it by hand: bare dates, no keys left at their defaults."""
    return dump_yaml(plain_data(workforce.model_dump(by_alias=True, exclude_none=True, exclude_defaults=True)))


# --- validation -----------------------------------------------------------------


def workforce_problems(ws: Workspace, today: date) -> list[Problem]:
    """Duplicate codes, dates out of order or in the future, and cases whose practitioner is not in the register."""
    if ws.workforce is None:
        return []
    rel = WORKFORCE_FILE
    problems = []
    seen: set[str] = set()
    for index, member in enumerate(ws.workforce.staff):
        at = lambda *key, i=index: ws.line(rel, "staff", i, *key)  # noqa: E731
        if member.code in seen:
            problems.append(error(rel, at("code"), f"duplicate staff code '{member.code}'"))
        seen.add(member.code)
        if member.left is not None and member.left < member.started:
            problems.append(error(rel, at("left"), f"{member.code}: the {field('left')} {member.left} is before the {field('started')} {member.started}"))
        if member.probation_until is not None and member.probation_until < member.started:
            problems.append(error(rel, at("probation_until"), f"{member.code}: the {field('probation_until')} {member.probation_until} is before the {field('started')} {member.started}"))
        # (where in the file, the date, what happened on it in words)
        events: list[tuple[tuple[str | int, ...], date, str]] = [(("started",), member.started, f"the {field('started')}")]
        if member.training is not None:
            events.append((("training", "completed"), member.training.completed, "the training completed on"))
        events += [(("supervision", j), d, "a supervision session on") for j, d in enumerate(member.supervision)]
        events += [(("observed_practice", j), d, "an observation of practice on") for j, d in enumerate(member.observed_practice)]
        events += [(("cpd", j, "date"), e.date, "a CPD activity on") for j, e in enumerate(member.cpd)]
        for key, day, what in events:
            if day > today:
                problems.append(error(rel, at(*key), f"{member.code}: {what} {day} lies in the future"))
    for case in ws.cases:
        if case.practitioner and case.practitioner not in seen:  # blank: not allocated yet
            problems.append(warning(CASES_FILE, ws.case_lines.get(case.case_ref),
                                    f"{case.case_ref}: practitioner {case.practitioner} is not in the workforce register"))
    return problems

