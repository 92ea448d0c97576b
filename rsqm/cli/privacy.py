"""rsqm privacy accept "TEXT" --reason R (--where PATH | --everywhere): a reviewed false positive of the pre-flight;
rsqm privacy accept SHA256 --reason R: a picture a person has looked at, accepted everywhere by its hash."""

from __future__ import annotations

import argparse
import re

from rsqm.base.dates import workspace_today
from rsqm.base.paths import PRIVACY_REVIEW_FILE, SETTINGS_FILE
from rsqm.base.root import resolve_root
from rsqm.cli import add_command
from rsqm.cli.common import CommandError, default_user, open_for_editing, workspace_action
from rsqm.files.folder import Workspace
from rsqm.files.models import PrivacyAcceptance, PrivacyReview
from rsqm.files.yamlio import dump_model
from rsqm.workspace.store import Store

PICTURE_HASH = re.compile(r"[0-9a-f]{64}")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "privacy")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    accept = workspace_action(actions, "accept", "accept a finding of the pre-flight as not personal data, with why and where")
    accept.add_argument("text", metavar="TEXT", help="the exact text the pre-flight flagged, or a picture's SHA-256 (accepted everywhere)")
    accept.add_argument("--reason", required=True, metavar="R", help="why it is not personal data")
    scope = accept.add_mutually_exclusive_group()  # one of them, unless TEXT is a picture's hash
    scope.add_argument("--where", metavar="PATH", help="a workspace file, an evidence id, or a folder (everything in it)")
    scope.add_argument("--everywhere", action="store_true", help="wherever the text is found")
    accept.add_argument("--by", default=None, help="who reviewed it (default: $RSQM_USER, else your login name)")
    accept.set_defaults(func=run_accept)


def scope_of(ws: Workspace, where: str) -> str:
    """``--where`` as the review records it: an evidence id, a file, or a folder ending in '/'; refused when it is none of them."""
    if any(item.id == where for item in ws.register.items):
        return where
    rel = where.strip().replace("\\", "/").removeprefix("./")
    target = (ws.root / rel).resolve()
    if not target.is_relative_to(ws.root.resolve()) or target == ws.root.resolve():
        raise CommandError(f"--where {where}: name a file or folder inside the workspace, or an evidence id (or use --everywhere)")
    if target.is_dir():
        return rel.rstrip("/") + "/"
    if target.is_file():
        return rel
    raise CommandError(f"--where {where}: no such file, folder or evidence id in the workspace")


def run_accept(args: argparse.Namespace) -> int:
    by = args.by or default_user()
    store = Store(resolve_root(args.workspace), by)
    token = store.token(PRIVACY_REVIEW_FILE)  # taken before reading: a change made meanwhile refuses the write
    ws = open_for_editing(args, (SETTINGS_FILE, PRIVACY_REVIEW_FILE))
    text, reason = args.text.strip(), args.reason.strip()
    if not text:
        raise CommandError("the text to accept is empty: give the exact text the pre-flight flagged")
    if not reason:
        raise CommandError("--reason is empty: say why this is not personal data")
    picture = PICTURE_HASH.fullmatch(text.lower()) is not None
    if picture and args.where:
        raise CommandError("a picture is accepted by its SHA-256 everywhere it is (the same picture in any file): drop --where")
    if not (picture or args.where or args.everywhere):
        raise CommandError("say where the text is accepted: --where PATH or --everywhere (a picture's SHA-256 needs neither)")
    text = text.lower() if picture else text
    everywhere = picture or args.everywhere
    where = None if everywhere else scope_of(ws, args.where)
    acceptance = PrivacyAcceptance(what=text, where=where, everywhere=everywhere or None, reviewed_by=by,
                                   reviewed_on=workspace_today(ws.settings), why=reason)
    review: PrivacyReview = ws.privacy_review
    same = [a for a in review.accepted if (a.what, a.where, bool(a.everywhere)) == (text, where, everywhere)]
    shown = f"the picture with SHA-256 {text}" if picture else f"'{text}'"
    if same:
        raise CommandError(f"{shown} is already accepted {_scope_words(where)} (by {same[0].reviewed_by} on {same[0].reviewed_on})")
    updated = review.model_copy(update={"accepted": [*review.accepted, acceptance]})
    store.write(PRIVACY_REVIEW_FILE, dump_model(updated), change="privacy finding accepted", item=where or "everywhere", expected=token)
    print(f"accepted {shown} {_scope_words(where)} as not personal data ({PRIVACY_REVIEW_FILE}); "
          "the export's pre-flight no longer stops on it" + (" in any file; a changed picture is asked about again" if picture else ""))
    return 0


def _scope_words(where: str | None) -> str:
    if where is None:
        return "everywhere"
    return f"in everything under {where}" if where.endswith("/") else f"in {where}"
