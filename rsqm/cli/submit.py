"""rsqm submit / rsqm submitted: keep an unchangeable copy of each pack the service sent, and list them."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rsqm.base.dates import workspace_today
from rsqm.base.formatting import file_size
from rsqm.base.root import resolve_root
from rsqm.cli import add_command, add_workspace_option
from rsqm.pack.submitted import SentPack, sent_packs, still_as_sent, submit
from rsqm.workspace.load import load_workspace


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "submit")
    add_workspace_option(parser)
    parser.add_argument("pack", metavar="PACK.zip", help="the pack that was sent")
    parser.add_argument("--by", metavar="NAME", default="", help="who sent it")
    parser.set_defaults(func=run_submit)
    listing = add_command(subparsers, "submitted")
    add_workspace_option(listing)
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    listing.set_defaults(func=run_submitted)


def _line(sent: SentPack, intact: bool) -> str:
    by = f" by {sent.by}" if sent.by else ""
    state = "" if intact else "  THE COPY NO LONGER MATCHES ITS SHA-256"
    return (f"{sent.sent_on}  {sent.label:<5}  {sent.name} (position as of {sent.as_of}){by}  SHA-256 {sent.sha256}  "
            f"copy: {sent.copy}{state}")


def run_submit(args: argparse.Namespace) -> int:
    root = resolve_root(args.workspace)
    ws = load_workspace(root)
    sent, new = submit(root, Path(args.pack).expanduser(), workspace_today(ws.settings), args.by)
    if not new:
        print(f"already recorded as sent on {sent.sent_on} ({sent.label}); the copy is {sent.copy}; nothing changed")
        return 0
    draft = " (a DRAFT: every page says so)" if sent.kind == "draft" else ""
    print(f"recorded {sent.name} as sent on {sent.sent_on}{draft}{f' by {sent.by}' if sent.by else ''}: "
          f"read-only copy {sent.copy} ({file_size(sent.bytes)})")
    print(f"SHA-256 {sent.sha256}")
    return 0


def run_submitted(args: argparse.Namespace) -> int:
    root = resolve_root(args.workspace)
    packs = sent_packs(root)
    if args.json:
        print(json.dumps([{**p.to_json(), "intact": still_as_sent(root, p)} for p in packs], indent=2))
        return 0
    if not packs:
        print("no pack has been recorded as sent yet ('rsqm submit PACK.zip --by NAME' records one)")
        return 0
    for sent in packs:
        print(_line(sent, still_as_sent(root, sent)))
    drafts = sum(p.kind == "draft" for p in packs)
    print(f"{len(packs)} pack{'s' * (len(packs) != 1)} sent, {drafts} of them draft{'s' * (drafts != 1)}")
    return 0
