"""rsqm return: the commissioner's monitoring return for a period (.xlsx, .docx or .json), after the privacy pre-flight."""

from __future__ import annotations

import argparse

from rsqm.cli import add_command, add_workspace_option
from rsqm.cli.common import CommandError, open_valid_workspace, output_path, print_problems
from rsqm.commission.output import kind_of, render_return
from rsqm.commission.period import parse_period
from rsqm.pack.content import long_date
from rsqm.workspace.store import replace_file


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers, "return",
        description="Counts only, from the same rules as rsqm outcomes and rsqm measures, beside the period before. "
        "PERIOD: a quarter (2026Q3), a financial year (2026-27) or a run of months (2026-10..2026-12).",
    )
    add_workspace_option(parser)
    parser.add_argument("--period", required=True, metavar="PERIOD", help="2026Q3, 2026-27 or 2026-10..2026-12")
    parser.add_argument("--out", required=True, metavar="RETURN", help="where to write it; its kind follows its name: "
                        "return.xlsx, return.docx or return.json")
    parser.add_argument("--sign", action="store_true", help="sign a .json return with the key from 'rsqm keys new'")
    parser.add_argument("--force", action="store_true", help="replace an existing file at --out")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    kind_of(args.out)
    period = parse_period(args.period)
    target = output_path(args.out, force=args.force)
    ws = open_valid_workspace(args)
    written = render_return(ws, period, target.name, sign=args.sign)
    if written.problems:
        print_problems(written.problems)
        raise CommandError(f"privacy pre-flight blocked the return: {len(written.problems)} finding(s); nothing was written")
    try:
        replace_file(target, written.content)
    except OSError as exc:
        raise CommandError(f"cannot write {args.out}: {exc.strerror or exc}") from None
    now, was = written.figures.current, written.figures.previous
    print(f"wrote {args.out}: return {now.period.label}, {long_date(now.period.start)} to {long_date(now.period.end)}, "
          f"beside {was.period.label}")
    if now.covered_to:
        print(f"a part period: the records end on {long_date(now.covered_to)}; its figures run to that day")
    if written.signer:
        print(f"signed with the key {written.signer}")
    return 0
