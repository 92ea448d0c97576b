"""rsqm outcomes: referrals, take-up, agreements, contact times and feedback for a period, beside the one before."""

from __future__ import annotations

import argparse
from datetime import date

from rsqm.assess.outcomes import Outcomes, outcome_rows, workspace_outcomes, year_to
from rsqm.base.dates import default_as_of
from rsqm.base.labels import EQUALITY, words
from rsqm.base.suppression import FEWER
from rsqm.cli import add_command, add_workspace_option
from rsqm.cli.common import UsageError, iso_date, open_valid_workspace
from rsqm.outputs import json_text


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "outcomes", description="Aggregates only: counts and shares with their 95%% Wilson intervals, beside the previous period "
        "of the same length. Default period: the year up to assessment_date in rsqm.yaml (else today).")
    add_workspace_option(parser)
    parser.add_argument("--period", type=int, metavar="YYYY", help="a calendar year")
    parser.add_argument("--from", dest="start", type=iso_date, metavar="D", help="first day of the period")
    parser.add_argument("--to", dest="end", type=iso_date, metavar="D", help="last day of the period")
    parser.add_argument("--json", action="store_true", help="print the outcomes as one JSON object")
    parser.set_defaults(func=run)


def _period(args: argparse.Namespace, as_of: date) -> tuple[date, date]:
    if args.period is not None:
        if args.start or args.end:
            raise UsageError("give either --period YYYY or --from D --to D, not both")
        if not 1900 < args.period < 2200:
            raise UsageError(f"--period takes a year such as 2025, not {args.period}")
        return date(args.period, 1, 1), date(args.period, 12, 31)
    if bool(args.start) != bool(args.end):
        raise UsageError("--from and --to go together")
    if args.start and args.end:
        if args.end < args.start:
            raise UsageError(f"--to {args.end} is before --from {args.start}")
        return args.start, args.end
    return year_to(as_of)


def run(args: argparse.Namespace) -> int:
    ws = open_valid_workspace(args)
    start, end = _period(args, default_as_of(ws.settings))
    result = workspace_outcomes(ws, start, end)
    print(json_text(result) if args.json else render(result))
    return 0


def render(o: Outcomes) -> str:
    now, was = o.current, o.previous
    lines = [f"Outcomes {now.start} to {now.end} (previous period {was.start} to {was.end})", f"{o.comparison()}.", ""]
    rows = outcome_rows(o)
    width = max(len(r.measure) for r in rows)
    heading = f"to {o.covered_to}" if o.covered_to else "now"
    column = max(8, len(heading))
    lines.append(f"{'':<{width}}  {heading:>{column}}  {'counted over':<22} {'95% interval':<13} previous")
    for r in rows:
        lines.append(f"{r.measure:<{width}}  {r.now:>{column}}  {r.count:<22} {r.ci:<13} {r.before}")
    return "\n".join(lines + equality_lines(o))


def equality_lines(o: Outcomes) -> list[str]:
    """The equality section: each column's counts over the referrals, small numbers suppressed as everywhere."""
    kept = [e for e in o.current.equality if e.kept]
    if not kept:
        return ["", "Equality monitoring: the case list keeps no equality column."]
    lines = ["", f"Equality monitoring ({kept[0].total} referrals in the period; a count under 5 reads '{FEWER}', "
             "and enough others are not shown that none can be worked out)"]
    for e in kept:
        lines.append(f"  {words(e.column, EQUALITY)}: " + ", ".join(f"{words(v, EQUALITY)} {c.shown}" for v, c in e.cells.items()))
    return lines
