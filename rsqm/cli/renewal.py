"""rsqm renewal: the annual renewal return (.docx) for the 12 months up to its date, filled from the records, after
the privacy pre-flight."""

from __future__ import annotations

import argparse
from datetime import date

from rsqm.assess.renewal import notes_path, renewal_return
from rsqm.base.dates import workspace_today
from rsqm.cli import add_command
from rsqm.cli.common import (
    CommandError,
    UsageError,
    add_workspace_option,
    iso_date,
    open_valid_workspace,
    output_path,
    print_problems,
)
from rsqm.files.folder import read_text
from rsqm.pack.renewal_doc import build_renewal
from rsqm.privacy.scan import scan_outputs
from rsqm.workspace.store import replace_file


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "renewal")
    add_workspace_option(parser)
    when = parser.add_mutually_exclusive_group()
    when.add_argument("--on", type=iso_date, metavar="D", help="the return's date: it reports the 12 months up to D (default: today)")
    when.add_argument("--year", type=int, metavar="YYYY",
                      help="a return dated 31 December YYYY (today, for this year): the 12 months up to it")
    parser.add_argument("--out", metavar="RENEWAL.docx", required=True, help="where to write the return")
    parser.add_argument("--force", action="store_true", help="replace an existing file at --out")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.year is not None and not 1900 < args.year < 3000:
        raise UsageError(f"--year {args.year}: give a year such as 2026")
    target = output_path(args.out, word=("the return", "RENEWAL.docx"), force=args.force)
    ws = open_valid_workspace(args)
    today = workspace_today(ws.settings)
    if (args.on or date(args.year or today.year, 1, 1)) > today:
        raise UsageError(f"{'--on ' + str(args.on) if args.on else f'--year {args.year}'} lies in the future: "
                         "a return reports the 12 months up to a day that has come")
    on = args.on or (min(date(args.year, 12, 31), today) if args.year else today)
    rel = notes_path(on.year)
    notes = ""
    if (ws.root / rel).is_file():
        notes, _ = read_text(ws.root, rel)  # a refusal (YamlRefused) reaches the user as an error, exit 1
    renewal = renewal_return(ws, on, notes)
    data = build_renewal(renewal)
    found = scan_outputs(ws, {target.name: data})
    if found.problems:
        print_problems(found.problems)
        raise CommandError(f"privacy pre-flight blocked the return: {len(found.problems)} finding(s); nothing was written")
    try:
        replace_file(target, data)
    except OSError as exc:
        raise CommandError(f"cannot write {args.out}: {exc.strerror or exc}") from None
    print(f"wrote {args.out}: renewal return {renewal.year}, the 12 months {renewal.start} to {renewal.end}")
    if renewal.missing:
        print(f"a draft: write {', '.join(m.lower() for m in renewal.missing)} under their headings in {rel}, then run this again")
    print("the declaration is left for signature")
    return 0
