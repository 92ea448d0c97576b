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
    case_flags,
    due_soon,
    record,
    sensitive_categories,
    staff_rows,
    workforce_day,
    workforce_measures,
    workforce_yaml,
)
from rsqm.base.dates import workspace_today
from rsqm.base.formatting import percent
from rsqm.base.paths import SETTINGS_FILE, WORKFORCE_FILE
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
from rsqm.files.folder import resolve_root
from rsqm.files.models import CpdEntry
from rsqm.outputs import WorkforceOut, json_text
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
    parser = subparsers.add_parser("workforce", help="the workforce register: registration, supervision, observed practice, CPD")
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
