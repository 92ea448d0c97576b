"""rsqm log: who changed what and when, most recent first (from .rsqm/changes.jsonl)."""

from __future__ import annotations

import argparse

from rsqm.base.labels import readable
from rsqm.base.root import resolve_root
from rsqm.cli import add_command, add_workspace_option
from rsqm.workspace.store import read_change_log


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of at least 1")
    return value


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "log")
    add_workspace_option(parser)
    parser.add_argument("--limit", type=_positive, default=20, metavar="N", help="show the N most recent changes (default 20)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    entries = read_change_log(resolve_root(args.workspace), args.limit)
    if not entries:
        print("no changes recorded yet")
        return 0
    for entry in entries:
        change = readable(entry.change)  # the codes a change names (a checklist item, a setting) in words
        what = f"{change} {entry.item}" if entry.item else change
        print(f"{entry.when}  {entry.who}  {entry.file}  {what}")
    return 0
