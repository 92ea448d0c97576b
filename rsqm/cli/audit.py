"""rsqm audit new | second-mark | list: case-file audit records for sampled cases."""

from __future__ import annotations

import argparse

from rsqm.audit.audits import AWAITING, audit_rows, audit_yaml, blank_audit, blank_moderation
from rsqm.base.dates import workspace_today
from rsqm.base.paths import AUDITS_DIR
from rsqm.cli.common import add_workspace_option, default_user, iso_date, open_valid_workspace
from rsqm.files.folder import Workspace, resolve_root
from rsqm.files.models import Audit
from rsqm.workspace.store import Store, content_token


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("audit", help="case-file audit records")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    new = actions.add_parser("new", help="write a blank audit record for a sampled case")
    add_workspace_option(new)
    new.add_argument("case_ref", metavar="CASE_REF", help="a case in one of the drawn samples")
    new.add_argument("--auditor", help="who audits the case (default: $RSQM_USER, else your login name)")
    new.add_argument("--sample", metavar="NAME", help="the sample the case was drawn in (needed when it is in several)")
    new.set_defaults(func=run_new)

    second = actions.add_parser("second-mark", help="add a blank second-marking block to a finished audit")
    add_workspace_option(second)
    second.add_argument("case_ref", metavar="CASE_REF", help="a case whose audit is finished")
    second.add_argument("--moderator", required=True, metavar="X", help="who second-marks it (not the first auditor)")
    second.add_argument("--on", type=iso_date, metavar="D", help="date of the second marking (default: today)")
    second.set_defaults(func=run_second_mark)

    listing = actions.add_parser("list", help="every sampled case and where its audit stands")
    add_workspace_option(listing)
    listing.add_argument("--sample", metavar="S", help="only this sample")
    listing.add_argument("--awaiting", choices=list(AWAITING), help="only cases awaiting completion or second marking")
    listing.set_defaults(func=run_list)


def _write(ws: Workspace, audit: Audit, user: str, change: str, expected: str | None) -> str:
    rel = ws.audit_path(audit.case_ref)
    Store(ws.root, user).write(rel, audit_yaml(audit, ws.checklist), change=change, item=audit.case_ref, expected=expected)
    return rel


def run_new(args: argparse.Namespace) -> int:
    ws = open_valid_workspace(args)
    auditor = args.auditor if args.auditor is not None else default_user()
    audit = blank_audit(ws, args.case_ref, auditor, sample=args.sample)
    rel = _write(ws, audit, auditor, "new audit record", expected=None)
    print(f"written {rel}: blank audit of {audit.case_ref} (sample {audit.sample}, {len(audit.answers)} checklist items)")
    print("answer every item (met, partly_met, not_met, n_a), then set audited_on to the date you finished")
    return 0


def run_second_mark(args: argparse.Namespace) -> int:
    expected = content_token(resolve_root(args.workspace) / AUDITS_DIR / f"{args.case_ref}.yaml")  # before loading
    ws = open_valid_workspace(args)
    audit = blank_moderation(ws, args.case_ref, args.moderator, args.on or workspace_today(ws.settings))
    rel = _write(ws, audit, args.moderator.strip(), "second marking started", expected)
    print(f"written {rel}: a blank second marking of {audit.case_ref} by {audit.moderation.moderator}")
    print("answer every item under moderation.answers without looking at the first answers; where the two differ, "
          "record the answer you agree under moderation.agreed")
    return 0


def run_list(args: argparse.Namespace) -> int:
    ws = open_valid_workspace(args)
    rows = audit_rows(ws, args.sample, args.awaiting)
    if not ws.samples:
        print("no samples drawn yet; draw one with 'rsqm sample'")
        return 0
    for case_ref, sample, audit, state in rows:
        who = ""
        if audit is not None:
            who = f"  auditor {audit.auditor}" + (f", second marker {audit.moderation.moderator}" if audit.moderation else "")
        print(f"{case_ref}  {sample}  {state}{who}")
    what = f"awaiting {args.awaiting.replace('-', ' ')}" if args.awaiting else "sampled"
    print(f"{len(rows)} case{'s' * (len(rows) != 1)} {what}")
    return 0
