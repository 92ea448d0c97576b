"""rsqm concern resolve CASE_REF --note T: record what was done about a safeguarding concern."""

from __future__ import annotations

import argparse

from rsqm.audit.audits import resolve_concern
from rsqm.base.dates import workspace_today
from rsqm.cli import add_command
from rsqm.cli.audit import audit_tokens, write_audit
from rsqm.cli.common import CommandError, default_user, iso_date, open_valid_workspace, workspace_action


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "concern")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    resolve = workspace_action(actions, "resolve", "record a concern as resolved; it then no longer counts as open")
    resolve.add_argument("case_ref", metavar="CASE_REF", help="the audited case the concern was raised in")
    resolve.add_argument("--note", required=True, metavar="TEXT", help="what was done (no names)")
    resolve.add_argument("--by", metavar="NAME", help="who records it (default: $RSQM_USER, else your login name)")
    resolve.add_argument("--on", type=iso_date, metavar="D", help="date resolved (default: today)")
    resolve.set_defaults(func=run_resolve)


def run_resolve(args: argparse.Namespace) -> int:
    expected = audit_tokens(args.workspace, args.case_ref)
    ws = open_valid_workspace(args)
    by = args.by if args.by is not None else default_user()
    on = args.on or workspace_today(ws.settings)
    if on > workspace_today(ws.settings):
        raise CommandError(f"--on {on} lies in the future")
    rel = ws.audit_path(args.case_ref)
    audit = resolve_concern(ws, args.case_ref, by, on, args.note)
    write_audit(ws, audit, by, "safeguarding concern resolved", expected)
    print(f"resolved the safeguarding concern in {audit.case_ref} on {on} ({rel}); it no longer counts as open")
    return 0
