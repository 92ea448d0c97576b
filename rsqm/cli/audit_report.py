"""rsqm audit-report: one round's report (method, results against target, change since the last round, actions)."""

from __future__ import annotations

import argparse

from rsqm.base.dates import workspace_today
from rsqm.cli import add_command, add_workspace_option
from rsqm.cli.common import CommandError, iso_date, open_valid_workspace, output_path
from rsqm.pack.audit_report import build_round_report, round_report
from rsqm.workspace.store import replace_file


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "audit-report")
    add_workspace_option(parser)
    parser.add_argument("sample", metavar="SAMPLE", help="the sample (round) to report on")
    parser.add_argument("--out", metavar="REPORT.docx", required=True, help="where to write the report")
    parser.add_argument("--date", type=iso_date, metavar="DATE", help="report date (default: today)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    target = output_path(args.out, word=("the report", "REPORT.docx"))
    ws = open_valid_workspace(args)
    report = round_report(ws, args.sample, args.date or workspace_today(ws.settings))
    try:
        replace_file(target, build_round_report(report))
    except OSError as exc:
        raise CommandError(f"cannot write {args.out}: {exc.strerror or exc}") from None
    compared = f", compared with {report.previous.name}" if report.previous else " (first round)"
    print(f"wrote {args.out}: round {report.sample.name}, {report.state.describe()}{compared}")
    return 0
