"""rsqm renewal: the annual renewal return (.docx), filled from the records, after the privacy pre-flight."""

from __future__ import annotations

import argparse

from rsqm.assess.renewal import notes_path, renewal_return
from rsqm.base.dates import workspace_today
from rsqm.cli import add_command
from rsqm.cli.common import CommandError, UsageError, add_workspace_option, open_valid_workspace, output_path, print_problems
from rsqm.files.folder import read_text
from rsqm.pack.renewal_doc import build_renewal
from rsqm.privacy.scan import scan_outputs
from rsqm.workspace.store import replace_file


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "renewal")
    add_workspace_option(parser)
    parser.add_argument("--year", type=int, metavar="YYYY", help="the year the return covers (default: this year)")
    parser.add_argument("--out", metavar="RENEWAL.docx", required=True, help="where to write the return")
    parser.add_argument("--force", action="store_true", help="replace an existing file at --out")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.year is not None and not 1900 < args.year < 3000:
        raise UsageError(f"--year {args.year}: give a year such as 2026")
    target = output_path(args.out, word=("the return", "RENEWAL.docx"), force=args.force)
    ws = open_valid_workspace(args)
    year = args.year or workspace_today(ws.settings).year
    rel = notes_path(year)
    notes = ""
    if (ws.root / rel).is_file():
        notes, _ = read_text(ws.root, rel)  # a refusal (YamlRefused) reaches the user as an error, exit 1
    renewal = renewal_return(ws, year, notes)
    data = build_renewal(renewal)
    found = scan_outputs(ws, {target.name: data})
    if found.problems:
        print_problems(found.problems)
        raise CommandError(f"privacy pre-flight blocked the return: {len(found.problems)} finding(s); nothing was written")
    try:
        replace_file(target, data)
    except OSError as exc:
        raise CommandError(f"cannot write {args.out}: {exc.strerror or exc}") from None
    print(f"wrote {args.out}: renewal return {year}, {renewal.start} to {renewal.end}")
    if renewal.missing:
        print(f"a draft: write {', '.join(m.lower() for m in renewal.missing)} under their headings in {rel}, then run this again")
    print("the declaration is left for signature")
    return 0
