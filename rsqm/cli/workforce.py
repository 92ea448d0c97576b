"""rsqm workforce: the register by staff code, what is due, cases to check; ``log`` records an entry."""

from __future__ import annotations

import argparse
from datetime import date

from rsqm.assess.measures import MeasureResult
from rsqm.assess.workforce import (
    DUE_WINDOW_DAYS,
    CaseFlag,
    DueItem,
    StaffRow,
    WorkforceError,
    add_staff,
    case_flags,
    due_soon,
    leave_staff,
    record,
    sensitive_categories,
    staff_rows,
    update_staff,
    workforce_day,
    workforce_measures,
    workforce_yaml,
)
from rsqm.base.dates import workspace_today
from rsqm.base.formatting import percent
from rsqm.base.paths import SETTINGS_FILE, WORKFORCE_FILE
from rsqm.base.root import resolve_root
from rsqm.cli import add_command
from rsqm.cli.common import (
    CommandError,
    UsageError,
    add_as_of_option,
    add_workspace_option,
    default_user,
    iso_date,
    open_for_editing,
    open_valid_workspace,
)
from rsqm.files.models import CpdEntry, Level, StaffMember, Workforce
from rsqm.outputs import WorkforceListOut, WorkforceOut, json_text
from rsqm.workspace.store import Store


def _hours(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value <= 1000:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of hours above 0")
    return value


def _yes_no(text: str) -> bool:
    if text.lower() not in ("yes", "no"):
        raise argparse.ArgumentTypeError(f"'{text}': answer yes or no")
    return text.lower() == "yes"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "workforce")
    add_workspace_option(parser)
    add_as_of_option(parser, "as", "today, or assessment_date in rsqm.yaml once it has passed")
    parser.add_argument("--json", action="store_true", help="print everything as one JSON object")
    parser.set_defaults(func=run)
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    log = actions.add_parser("log", help="record a supervision, an observed practice or a CPD entry for a staff code")
    log.add_argument("-w", "--workspace", metavar="DIR", default=argparse.SUPPRESS, help="workspace folder (as for the command)")
    log.add_argument("code", metavar="CODE", help="staff code, e.g. P07")
    what = log.add_mutually_exclusive_group(required=True)
    what.add_argument("--supervision", type=iso_date, metavar="D", help="date of a case supervision")
    what.add_argument("--observed", type=iso_date, metavar="D", help="date of an observed practice")
    what.add_argument("--cpd", type=_hours, metavar="HOURS", help="hours of CPD (with --approved and --date)")
    log.add_argument("--approved", type=_yes_no, metavar="yes|no", help="CPD: was it RJC-approved?")
    log.add_argument("--date", type=iso_date, metavar="D", help="CPD: the date of the activity")
    log.add_argument("--title", default="", metavar="T", help="CPD: what it was")
    log.add_argument("--by", default=None, help="who records it (default: $RSQM_USER, else your login name)")
    log.set_defaults(func=run_log)

    add = actions.add_parser("add", help="add a staff code to the register (creates evidence/workforce.yaml when there is none)")
    _member_options(add, adding=True)
    add.set_defaults(func=run_add)
    update = actions.add_parser("update", help="change what the register holds for a staff code: only the options given change")
    _member_options(update, adding=False)
    update.set_defaults(func=run_update)
    leave = actions.add_parser("leave", help="record the day a staff code left (counted up to that day, not after)")
    leave.add_argument("-w", "--workspace", metavar="DIR", default=argparse.SUPPRESS, help="workspace folder (as for the command)")
    leave.add_argument("code", metavar="CODE", help="staff code, e.g. P07")
    leave.add_argument("--on", type=iso_date, required=True, metavar="D", help="the last day they worked for the service")
    leave.add_argument("--by", default=None, help="who records it (default: $RSQM_USER, else your login name)")
    leave.set_defaults(func=run_leave)
    listing = actions.add_parser("list", help="the register: every staff code with what it holds")
    listing.add_argument("-w", "--workspace", metavar="DIR", default=argparse.SUPPRESS, help="workspace folder (as for the command)")
    listing.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print the register as one JSON object")
    listing.set_defaults(func=run_list)


LEVELS = [level.value for level in Level]


def _member_options(parser: argparse.ArgumentParser, *, adding: bool) -> None:
    parser.add_argument("-w", "--workspace", metavar="DIR", default=argparse.SUPPRESS, help="workspace folder (as for the command)")
    parser.add_argument("code", metavar="CODE", help="staff code, e.g. P07 (never a name)")
    kind = parser.add_mutually_exclusive_group(required=adding)
    kind.add_argument("--paid", dest="paid", action="store_const", const=True, help="a paid member of staff")
    kind.add_argument("--volunteer", dest="paid", action="store_const", const=False, help="a volunteer")
    parser.add_argument("--started", type=iso_date, required=adding, metavar="D", help="the day they started")
    parser.add_argument("--training", choices=LEVELS, metavar="LEVEL", help=f"RJ training level completed ({', '.join(LEVELS)}), with --trained-on")
    parser.add_argument("--trained-on", type=iso_date, metavar="D", help="the day the training was completed")
    parser.add_argument("--registered", choices=LEVELS, metavar="LEVEL", help="level on the RJC practitioner register, with --expires")
    parser.add_argument("--expires", type=iso_date, metavar="D", help="the day the registration runs out")
    parser.add_argument("--admin-only", action=argparse.BooleanOptionalAction, default=None,
                        help="does not deliver RJ: left out of every measure")
    parser.add_argument("--prior-experience", action=argparse.BooleanOptionalAction, default=None,
                        help="came with prior experience: left out of the registration share while in probation")
    parser.add_argument("--probation-until", type=iso_date, metavar="D", help="the day their probation ends")
    parser.add_argument("--by", default=None, help="who records it (default: $RSQM_USER, else your login name)")


def _fields(args: argparse.Namespace, member: StaffMember | None) -> dict[str, object]:
    """The register fields the options give; a training or registration needs its date unless the member has one."""
    fields: dict[str, object] = {}
    for key in ("paid", "started", "admin_only", "prior_experience", "probation_until"):
        if getattr(args, key) is not None:
            fields[key] = getattr(args, key)
    pairs = (("training", "--training", "level", args.training, "--trained-on", "completed", args.trained_on),
             ("registration", "--registered", "level", args.registered, "--expires", "expires", args.expires))
    for key, level_option, level_key, level, day_option, day_key, day in pairs:
        has = member is not None and getattr(member, key) is not None
        if level is not None and day is None and not has:
            raise UsageError(f"{level_option} needs {day_option} D")
        if day is not None and level is None and not has:
            raise UsageError(f"{day_option} needs {level_option} LEVEL")
        given = {k: v for k, v in ((level_key, level), (day_key, day)) if v is not None}
        if given:
            fields[key] = given
    return fields


def _edit(args: argparse.Namespace, change_of) -> int:
    store = Store(resolve_root(args.workspace), args.by or default_user())
    token = store.token(WORKFORCE_FILE)  # taken before reading: a change made meanwhile refuses the write
    ws = open_for_editing(args, (SETTINGS_FILE, WORKFORCE_FILE))
    try:
        changed, change = change_of(ws.workforce, workspace_today(ws.settings))
        store.write(WORKFORCE_FILE, workforce_yaml(changed), change=change, item=args.code, expected=token)
    except WorkforceError as exc:
        raise CommandError(f"{WORKFORCE_FILE}: {exc}") from None
    print(f"{WORKFORCE_FILE}: {change}")
    return 0


def _member(workforce: Workforce | None, code: str) -> StaffMember | None:
    return next((m for m in workforce.staff if m.code == code), None) if workforce is not None else None


def run_add(args: argparse.Namespace) -> int:
    fields = _fields(args, None)
    return _edit(args, lambda workforce, today: add_staff(workforce, args.code, today, fields))


def run_update(args: argparse.Namespace) -> int:
    return _edit(args, lambda workforce, today: update_staff(workforce, args.code, today, _fields(args, _member(workforce, args.code))))


def run_leave(args: argparse.Namespace) -> int:
    return _edit(args, lambda workforce, today: leave_staff(workforce, args.code, today, args.on))


def run_list(args: argparse.Namespace) -> int:
    ws = open_valid_workspace(args)
    staff = ws.workforce.staff if ws.workforce is not None else []
    if getattr(args, "json", False):
        print(json_text(WorkforceListOut(staff=staff)))
        return 0
    if not staff:
        print("Nobody in the workforce register yet: add staff with 'rsqm workforce add CODE (--paid | --volunteer) --started D'.")
        return 0
    print(f"{'Code':<7} {'Kind':<10} {'Started':<11} {'Left':<11} {'Training':<26} Registration")
    for m in staff:
        kind = "admin only" if m.admin_only else ("paid" if m.paid else "volunteer")
        training = f"{m.training.level.value} on {m.training.completed}" if m.training else "none recorded"
        registration = f"{m.registration.level.value} to {m.registration.expires}" if m.registration else "not registered"
        extras = [f"probation until {m.probation_until}" if m.probation_until else "", "prior experience" if m.prior_experience else ""]
        extra = "; ".join(e for e in extras if e)
        print(f"{m.code:<7} {kind:<10} {m.started!s:<11} {(str(m.left) if m.left else '-'):<11} {training:<26} {registration}"
              + (f"  ({extra})" if extra else ""))
    return 0


def run(args: argparse.Namespace) -> int:
    ws = open_valid_workspace(args)
    if ws.workforce is None:
        raise CommandError(f"the workspace keeps no workforce register yet ({WORKFORCE_FILE}); see docs/measures.md for its format")
    as_of = args.as_of or workforce_day(ws.settings.assessment_date, workspace_today(ws.settings))
    rows = staff_rows(ws.workforce, as_of)
    due = due_soon(rows, as_of)
    flags = case_flags(ws.workforce, ws.cases, sensitive_categories(ws), as_of)
    shares = workforce_measures(ws, as_of)
    if args.json:
        print(json_text(WorkforceOut.of(as_of, shares, rows, due, flags)))
    else:
        print(render(as_of, shares, rows, due, flags))
    return 0


def render(as_of: date, shares: list[MeasureResult], rows: list[StaffRow], due: list[DueItem], flags: list[CaseFlag]) -> str:
    lines = [f"Workforce as of {as_of}", ""]
    for m in shares:
        numbers = f"{m.k} of {m.n} ({percent(m.rate)})" if m.n else "nobody to count"
        lines.append(f"  {m.label}: {numbers}, target {percent(m.target)}: {'met' if m.met else 'NOT MET'}")
    lines += ["", f"{'Code':<7} {'Kind':<9} {'Status':<22} {'Registration':<36} {'Supervision due':<15} {'Observed due':<12}  CPD past year"]
    for r in rows:
        registration = f"{r.registration_level} to {r.registration_expires}" if r.registration_level else "not registered"
        if r.registration_level and not r.registered:
            registration += " (lapsed)"
        cpd = f"{r.cpd_hours:g} of {r.cpd_required:g} h ({r.cpd_approved:g} approved)" if r.cpd_required else f"{r.cpd_hours:g} h"
        lines.append(f"{r.code:<7} {r.kind:<9} {r.status:<22} {registration:<36} {_day(r.supervision_due):<15} {_day(r.observed_due):<12}  {cpd}")
    lines += ["", f"Due in the next {DUE_WINDOW_DAYS // 7} weeks (and overdue):"]
    lines += [f"  {d.due}  {d.code:<6} {d.what}{'  OVERDUE' if d.overdue else ''}" for d in due] or ["  nothing"]
    lines += ["", "Cases to check against the register:"]
    lines += [f"  {f.case_ref}: {f.why}" for f in flags] or ["  none"]
    return "\n".join(lines)


def _day(value: date | None) -> str:
    return value.isoformat() if value else "-"


def run_log(args: argparse.Namespace) -> int:
    cpd_only = {"--approved": args.approved, "--date": args.date, "--title": args.title or None}
    if args.cpd is None and any(v is not None for v in cpd_only.values()):
        raise UsageError(f"{', '.join(k for k, v in cpd_only.items() if v is not None)} only go with --cpd")
    if args.cpd is not None and (args.approved is None or args.date is None):
        raise UsageError("--cpd needs --approved yes|no and --date D")
    store = Store(resolve_root(args.workspace), args.by or default_user())
    token = store.token(WORKFORCE_FILE)  # taken before reading: a change made meanwhile refuses the write
    ws = open_for_editing(args, (SETTINGS_FILE, WORKFORCE_FILE))
    if ws.workforce is None:
        raise CommandError(f"the workspace keeps no workforce register yet ({WORKFORCE_FILE}); add the staff there first")
    cpd = CpdEntry(date=args.date, hours=args.cpd, rjc_approved=args.approved, title=args.title) if args.cpd is not None else None
    try:
        changed, change = record(ws.workforce, args.code, workspace_today(ws.settings), supervision=args.supervision, observed=args.observed, cpd=cpd)
        store.write(WORKFORCE_FILE, workforce_yaml(changed), change=change, item=args.code, expected=token)
    except WorkforceError as exc:
        raise CommandError(f"{WORKFORCE_FILE}: {exc}") from None
    print(f"recorded for {args.code}: {change.removeprefix('log ')}")
    return 0
