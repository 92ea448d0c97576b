"""rsqm audit new | second-mark | list: case-file audit records for sampled cases."""

from __future__ import annotations

import argparse

from rsqm.audit.audits import (
    AWAITING,
    agree,
    answer,
    audit_files,
    audit_rows,
    awaiting_agreement,
    blank_audit,
    blank_moderation,
    complete,
    differences,
    parse_result,
    question,
    result_words,
    second_answer,
)
from rsqm.base.dates import workspace_today
from rsqm.base.labels import readable
from rsqm.base.paths import AUDITS_DIR, SAMPLES_DIR, SECOND_MARKING_SUFFIX, SETTINGS_FILE
from rsqm.base.root import resolve_root
from rsqm.cli import add_command, add_workspace_option
from rsqm.cli.common import default_user, iso_date, open_for_editing, open_valid_workspace, workspace_action
from rsqm.files.folder import Workspace
from rsqm.files.models import Audit
from rsqm.workspace.store import Store, content_token


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "audit")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    new = workspace_action(actions, "new", "write a blank audit record for a sampled case")
    new.add_argument("case_ref", metavar="CASE_REF", help="a case in one of the drawn samples")
    new.add_argument("--auditor", help="who audits the case (default: $RSQM_USER, else your login name)")
    new.add_argument("--sample", metavar="NAME", help="the sample the case was drawn in (needed when it is in several)")
    new.set_defaults(func=run_new)

    second = workspace_action(actions, "second-mark", "add a blank second-marking block to a finished audit")
    second.add_argument("case_ref", metavar="CASE_REF", help="a case whose audit is finished")
    second.add_argument("--moderator", required=True, metavar="X", help="who second-marks it (not the first auditor)")
    second.add_argument("--on", type=iso_date, metavar="D", help="date of the second marking (default: today)")
    second.set_defaults(func=run_second_mark)

    listing = workspace_action(actions, "list", "every sampled case and where its audit stands")
    listing.add_argument("--sample", metavar="S", help="only this sample")
    listing.add_argument("--awaiting", choices=list(AWAITING), help="only cases awaiting completion, second marking or agreement")
    listing.set_defaults(func=run_list)

    answer = _answer_parser(actions, "answer", "record the first marker's answer to one checklist item (starts the record when "
                            "there is none)", "a sampled case", "the auditor (default: $RSQM_USER, else your login name)")
    answer.set_defaults(func=run_answer)

    done = workspace_action(actions, "complete", "mark an audit complete; refused while any question is unanswered")
    done.add_argument("case_ref", metavar="CASE", help="a case with an audit record")
    done.add_argument("--on", type=iso_date, metavar="D", help="the day the audit was finished (default: today)")
    done.add_argument("--by", default=None, help="who records it (default: $RSQM_USER, else your login name)")
    done.set_defaults(func=run_complete)

    blind = _answer_parser(actions, "second-answer", "record the second marker's answer to one item, blind: the first answers are "
                           "not shown", "a case whose audit is complete", "the second marker (default: the one who started the "
                           "second marking, else $RSQM_USER, else your login name); not the auditor")
    blind.set_defaults(func=run_second_answer)

    settle = _answer_parser(actions, "agree", "record the answer both markers settled on for an item where they differ (it counts)",
                            "a case whose second marking is complete", "who records it (default: $RSQM_USER, else your login name)",
                            note=False)
    settle.set_defaults(func=run_agree)


def _answer_parser(actions: argparse._SubParsersAction, name: str, what: str, case: str, by: str, note: bool = True) -> argparse.ArgumentParser:
    """A command that records one answer: CASE ITEM RESULT [--note T] [--by NAME]."""
    parser = actions.add_parser(name, help=what)
    add_workspace_option(parser)
    parser.add_argument("case_ref", metavar="CASE", help=case)
    parser.add_argument("item", metavar="ITEM", help="the checklist item's id")
    parser.add_argument("result", metavar="RESULT", help="met, partly met, not met or n/a")
    if note:
        parser.add_argument("--note", default="", metavar="T", help="why, in a sentence (no names)")
    parser.add_argument("--by", default=None, help=by)
    return parser


def audit_tokens(workspace: str | None, case_ref: str) -> dict[str, str | None]:
    """The content token of both files of an audit as they are before loading (a change made meanwhile is refused)."""
    root = resolve_root(workspace)
    return {rel: content_token(root / rel) for rel in (f"{AUDITS_DIR}/{case_ref}.yaml", f"{AUDITS_DIR}/{case_ref}{SECOND_MARKING_SUFFIX}")}


def write_audit(ws: Workspace, audit: Audit, user: str, change: str, expected: dict[str, str | None]) -> str:
    """Write the audit's files that changed, the second marker's own file first (an older record is split without loss)."""
    files = audit_files(ws, audit)
    Store(ws.root, user).write_changed(dict(reversed(files.items())), change=change, item=audit.case_ref, expected=expected)
    return next(iter(files))


def run_new(args: argparse.Namespace) -> int:
    ws = open_valid_workspace(args)
    auditor = args.auditor if args.auditor is not None else default_user()
    audit = blank_audit(ws, args.case_ref, auditor, sample=args.sample)
    rel = write_audit(ws, audit, auditor, "new audit record", expected={ws.audit_path(audit.case_ref): None})
    print(f"written {rel}: blank audit of {audit.case_ref} (sample {audit.sample}, {len(audit.answers)} checklist items)")
    print(f"answer every question (met, partly met, not met or n/a) with 'rsqm audit answer {audit.case_ref} ITEM RESULT', "
          f"then mark it complete with 'rsqm audit complete {audit.case_ref}'")
    return 0


def run_second_mark(args: argparse.Namespace) -> int:
    expected = audit_tokens(args.workspace, args.case_ref)
    ws = open_valid_workspace(args)
    audit = blank_moderation(ws, args.case_ref, args.moderator, args.on or workspace_today(ws.settings))
    write_audit(ws, audit, args.moderator.strip(), "second marking started", expected)
    print(f"written {ws.second_marking_path(audit.case_ref)}: a blank second marking of {audit.case_ref} by {audit.moderation.moderator}")
    print(f"answer every question without looking at the first answers, with 'rsqm audit second-answer {audit.case_ref} ITEM RESULT'; "
          f"where the two differ, settle each with 'rsqm audit agree {audit.case_ref} ITEM RESULT'")
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


def _edit(args: argparse.Namespace, who: str | None, change_of) -> tuple[Workspace, Audit]:
    """Load, compute the new record, write it through the store against the token read before loading.

    The change log names ``who``; without it, the second marker for a second answer, else the default user.
    """
    expected = audit_tokens(args.workspace, args.case_ref)
    ws = open_for_editing(args, (SETTINGS_FILE, f"{SAMPLES_DIR}/", *expected, "standards/"))
    audit, change = change_of(ws)
    if who is None and change.startswith("second answer") and audit.moderation is not None:
        who = audit.moderation.moderator
    write_audit(ws, audit, who or default_user(), change, expected)
    return ws, audit


def run_answer(args: argparse.Namespace) -> int:
    result = parse_result(args.result)
    by = args.by or default_user()
    ws, audit = _edit(args, by, lambda ws: (answer(ws, args.case_ref, args.item, result, args.note, by), f"answer: {readable(args.item)}"))
    left = sum(a.result is None for a in audit.answers.values())
    print(f"{audit.case_ref}: {question(ws.checklist, args.item)}: {result_words(result)}")
    print(f"{left} question{'s' * (left != 1)} left to answer" if left else
          f"every question answered: mark the audit complete with 'rsqm audit complete {audit.case_ref}'")
    return 0


def run_complete(args: argparse.Namespace) -> int:
    def change_of(ws: Workspace) -> tuple[Audit, str]:
        on = args.on or workspace_today(ws.settings)
        return complete(ws, args.case_ref, on), f"audit completed {on}"
    _, audit = _edit(args, args.by, change_of)
    print(f"the audit of {audit.case_ref} is complete ({audit.audited_on}); a colleague can now second-mark it with "
          f"'rsqm audit second-answer {audit.case_ref} ITEM RESULT --by NAME'")
    return 0


def run_second_answer(args: argparse.Namespace) -> int:
    result = parse_result(args.result)

    def change_of(ws: Workspace) -> tuple[Audit, str]:
        by = args.by if args.by is not None else (None if args.case_ref in ws.audits and ws.audits[args.case_ref].moderation else default_user())
        return second_answer(ws, args.case_ref, args.item, result, args.note, by, workspace_today(ws.settings)), f"second answer: {readable(args.item)}"
    ws, audit = _edit(args, args.by, change_of)
    moderation = audit.moderation
    assert moderation is not None
    left = sum(a.result is None for a in moderation.answers.values())
    print(f"{audit.case_ref}, second marking by {moderation.moderator}: {question(ws.checklist, args.item)}: {result_words(result)}")
    if left:
        print(f"{left} question{'s' * (left != 1)} left to answer in the second marking")
        return 0
    differ = differences(audit)
    print(f"second marking complete: the two markings agree on {len(moderation.answers) - len(differ)} of {len(moderation.answers)} questions")
    for item in differ:
        first, second = audit.answers[item].result, moderation.answers[item].result
        assert first is not None and second is not None
        print(f"  differ: {question(ws.checklist, item)}: first {result_words(first)}, second {result_words(second)}"
              f" (settle it with 'rsqm audit agree {audit.case_ref} {item} RESULT')")
    return 0


def run_agree(args: argparse.Namespace) -> int:
    result = parse_result(args.result)
    ws, audit = _edit(args, args.by, lambda ws: (agree(ws, args.case_ref, args.item, result), f"agreed answer: {readable(args.item)}"))
    waiting = "every difference now has an agreed answer" if not awaiting_agreement(audit) else "differences without an agreed answer remain"
    print(f"{audit.case_ref}: agreed answer to {question(ws.checklist, args.item)}: {result_words(result)}; {waiting}")
    return 0
