"""rsqm audit new CASE_REF: start a blank audit record for a sampled case."""

from __future__ import annotations

import argparse

from rsqm.audits import AuditError, audit_document, blank_audit
from rsqm.cli.common import CommandError, add_workspace_option, default_user, open_valid_workspace
from rsqm.store import Store, WriteConflict, WriteRefused
from rsqm.yamlio import dump_yaml


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("audit", help="case-file audit records")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    new = actions.add_parser("new", help="write a blank audit record for a sampled case")
    add_workspace_option(new)
    new.add_argument("case_ref", metavar="CASE_REF", help="a case in one of the drawn samples")
    new.add_argument("--auditor", help="who audits the case (default: $RSQM_USER, else your login name)")
    new.add_argument("--sample", metavar="NAME", help="the sample the case was drawn in (needed when it is in several)")
    new.set_defaults(func=run_new)


def run_new(args: argparse.Namespace) -> int:
    ws = open_valid_workspace(args)
    if ws is None:
        return 1
    auditor = args.auditor if args.auditor is not None else default_user()
    try:
        audit = blank_audit(ws, args.case_ref, auditor, sample=args.sample)
    except AuditError as exc:
        raise CommandError(str(exc)) from None
    rel = ws.audit_path(audit.case_ref)
    try:
        Store(ws.root, auditor).write(
            rel, dump_yaml(audit_document(audit)), change="new audit record", item=audit.case_ref, expected=None
        )
    except (WriteConflict, WriteRefused) as exc:
        raise CommandError(str(exc)) from None
    print(f"written {rel}: blank audit of {audit.case_ref} (sample {audit.sample}, {len(audit.answers)} checklist items)")
    print("answer every item (met, partly_met, not_met, n_a), then set audited_on to the date you finished")
    return 0
