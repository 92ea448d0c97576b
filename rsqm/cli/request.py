"""rsqm request: the assessor's clarification requests and the service's answers (evidence/requests.yaml)."""

from __future__ import annotations

import argparse

from rsqm.assess.lifecycle import overdue, with_answer, with_request
from rsqm.base.dates import workspace_today
from rsqm.base.paths import REQUESTS_FILE
from rsqm.cli import add_command, add_workspace_option
from rsqm.cli.common import CommandError, default_user, iso_date, open_valid_workspace
from rsqm.files.folder import Workspace
from rsqm.files.models import Requests, split_indicator
from rsqm.files.yamlio import dump_model
from rsqm.outputs import json_text
from rsqm.workspace.store import Store, content_token
from rsqm.workspace.validation import indicator_index


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "request")
    commands = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = commands.add_parser("list", help="every request with its status and due date")
    add_workspace_option(listing)
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=run_list)
    add = commands.add_parser("add", help="record a request the assessor raised")
    add_workspace_option(add)
    add.add_argument("--indicator", required=True, help='"2.1", or "framework-id:C" for another framework')
    add.add_argument("--question", required=True)
    add.add_argument("--by", required=True, help="who asked (a role or organisation)")
    add.add_argument("--due", type=iso_date, metavar="D")
    add.set_defaults(func=run_add)
    answer = commands.add_parser("answer", help="record the service's answer")
    add_workspace_option(answer)
    answer.add_argument("request_id", metavar="ID")
    answer.add_argument("--response", required=True)
    answer.add_argument("--evidence", action="append", default=[], metavar="E031", help="evidence added in answer (repeatable)")
    answer.add_argument("--close", action="store_true", help="the assessor accepted the answer: close the request")
    answer.set_defaults(func=run_answer)


def _open(args: argparse.Namespace) -> tuple[Workspace, str | None]:
    """The workspace and the requests file's token as loaded, so a save refuses a file changed meanwhile."""
    ws = open_valid_workspace(args)
    return ws, content_token(ws.root / REQUESTS_FILE)


def _save(ws: Workspace, token: str | None, requests: Requests, change: str, item: str) -> None:
    Store(ws.root, default_user()).write(REQUESTS_FILE, dump_model(requests), change=change, item=item, expected=token)


def run_list(args: argparse.Namespace) -> int:
    ws = open_valid_workspace(args)
    today = workspace_today(ws.settings)
    if args.json:
        print(json_text(ws.requests))
        return 0
    if not ws.requests.requests:
        print("no clarification requests recorded")
    for r in ws.requests.requests:
        due = f" due {r.due}" + (" (OVERDUE)" if overdue(r, today) else "") if r.due else ""
        print(f"{r.id:<5} {r.status.value:<9} {r.indicator:<8} raised {r.raised_on} by {r.by}{due}: {r.question}")
    return 0


def run_add(args: argparse.Namespace) -> int:
    ws, token = _open(args)
    framework, indicator = split_indicator(args.indicator, ws.settings.framework)
    if indicator not in indicator_index(ws).get(framework, set()):
        raise CommandError(f"unknown indicator '{args.indicator}' in framework '{framework}'")
    requests, request = with_request(ws.requests, by=args.by, indicator=args.indicator, question=args.question,
                                     raised_on=workspace_today(ws.settings), due=args.due)
    _save(ws, token, requests, "clarification request added", request.id)
    print(f"{request.id} recorded against {args.indicator}" + (f", due {args.due}" if args.due else ""))
    return 0


def run_answer(args: argparse.Namespace) -> int:
    ws, token = _open(args)
    known = {item.id for item in ws.register.items}
    unknown = [e for e in args.evidence if e not in known]
    if unknown:
        raise CommandError(f"unknown evidence id(s): {', '.join(unknown)}")
    requests = with_answer(ws.requests, args.request_id, response=args.response, answered_on=workspace_today(ws.settings),
                           evidence=args.evidence, close=args.close)
    _save(ws, token, requests, "clarification request closed" if args.close else "clarification request answered", args.request_id)
    print(f"{args.request_id} {'closed' if args.close else 'answered'}")
    return 0
