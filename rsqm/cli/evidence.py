"""rsqm evidence add | update | link | unlink | approve | list | retire: the register without hand-editing YAML."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from rsqm.base.dates import workspace_today
from rsqm.base.labels import EVIDENCE_STATUS, readable
from rsqm.base.paths import REGISTER_FILE, SETTINGS_FILE
from rsqm.base.root import resolve_root
from rsqm.cli import add_command, add_workspace_option
from rsqm.cli.common import CommandError, default_user, iso_date, open_for_editing, open_valid_workspace
from rsqm.files.folder import Workspace, read_input
from rsqm.files.models import EvidenceItem, EvidenceStatus, Link, PersonalData, Register
from rsqm.files.yamlio import describe_error, dump_model
from rsqm.outputs import EvidenceListOut, json_text
from rsqm.workspace.register_edits import (
    RegisterEditError,
    approval_digest,
    approved,
    check_indicator,
    check_type,
    find_item,
    next_id,
    retired,
    save_item,
    with_link,
    without_link,
)
from rsqm.workspace.store import Store
from rsqm.workspace.uploads import MAX_UPLOAD_BYTES, UPLOAD_FOLDER, check_upload, store_upload


@dataclass
class Edited:
    """What an edit produced; the report is printed only once the register is written."""

    register: Register
    change: str  # for the change log
    item: str
    report: str  # stdout
    hint: str = ""  # stderr: what to do next


Edit = Callable[[Workspace, Register], Edited]
EDIT_DEPENDS_ON = (REGISTER_FILE, SETTINGS_FILE, "standards/")  # an error elsewhere does not block a register edit


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "evidence")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    add = actions.add_parser("add", help="copy a file into evidence/files/ and register it; prints the new id")
    add.add_argument("file", metavar="FILE", help="the document (pdf, docx, md, txt or csv)")
    add.add_argument("--type", required=True, help="an evidence type of the framework, e.g. policy")
    add.add_argument("--title", required=True)
    add.add_argument("--dated", type=iso_date, required=True, metavar="D", help="the date the document carries (YYYY-MM-DD)")
    add.add_argument("--owner", default="Coordinator", help="the role that owns it, not a person's name (default: Coordinator)")
    add.add_argument("--review-by", type=iso_date, metavar="D", help="when it is due for review")
    add.add_argument("--personal-data", choices=list(PersonalData), default="none", help="whether it holds personal data (default: none)")
    add.set_defaults(func=run_add)

    update = actions.add_parser("update", help="change an item; a new file, dated or review-by needs approving again")
    update.add_argument("evidence_id", metavar="ID")
    update.add_argument("--file", metavar="FILE", help="a new version of the document (copied into evidence/files/)")
    update.add_argument("--title")
    update.add_argument("--type")
    update.add_argument("--owner")
    update.add_argument("--dated", type=iso_date, metavar="D")
    update.add_argument("--review-by", type=iso_date, metavar="D")
    update.set_defaults(func=run_update)

    link = actions.add_parser("link", help="link an item to an indicator (again: replaces that link)")
    link.add_argument("evidence_id", metavar="ID")
    link.add_argument("indicator", metavar="INDICATOR", help="e.g. 2.1, or framework:C for another framework")
    link.add_argument("--locator", required=True, metavar="L", help="where in the document to look, e.g. 'section 3, p. 4'")
    link.add_argument("--claim", default="", metavar="C", help="what that part shows")
    link.set_defaults(func=run_link)

    unlink = actions.add_parser("unlink", help="remove an item's link to an indicator")
    unlink.add_argument("evidence_id", metavar="ID")
    unlink.add_argument("indicator", metavar="INDICATOR")
    unlink.set_defaults(func=run_unlink)

    approve = actions.add_parser("approve", help="approve an item: records its file's sha256, who and when")
    approve.add_argument("evidence_id", metavar="ID")
    approve.add_argument("--by", required=True, metavar="NAME", help="who approves it (a role or board, e.g. 'Management board')")
    approve.add_argument("--on", type=iso_date, metavar="D", help="approval date (default: today)")
    approve.set_defaults(func=run_approve)

    listing = actions.add_parser("list", help="the register, one item a line")
    listing.add_argument("--json", action="store_true", help="the items as JSON")
    listing.set_defaults(func=run_list)

    retire = actions.add_parser("retire", help="mark an item superseded by a newer one")
    retire.add_argument("evidence_id", metavar="ID")
    retire.add_argument("--superseded-by", required=True, metavar="ID2", help="the item that replaces it")
    retire.set_defaults(func=run_retire)

    kinds = actions.add_parser("types", help="the evidence types the frameworks know, for --type")
    kinds.set_defaults(func=run_types)

    for sub in (add, update, link, unlink, approve, listing, retire, kinds):
        add_workspace_option(sub)


def _edit(args: argparse.Namespace, edit: Edit) -> int:
    """Load, apply ``edit``, write the register through the Store; nothing is written when the edit is refused."""
    store = Store(resolve_root(args.workspace), default_user())
    expected = store.token(REGISTER_FILE)  # before loading: a change made meanwhile is a conflict, not lost
    ws = open_for_editing(args, EDIT_DEPENDS_ON)
    try:
        edited = edit(ws, ws.register)
        store.write(REGISTER_FILE, dump_model(edited.register), change=edited.change, item=edited.item, expected=expected)
    except RegisterEditError as refused:
        raise CommandError(f"{refused.where}: {refused}") from None
    print(edited.report)
    if edited.hint:
        print(edited.hint, file=sys.stderr)
    return 0


def _validated(fields: dict) -> EvidenceItem:
    try:
        return EvidenceItem.model_validate(fields)
    except ValidationError as exc:
        raise RegisterEditError("; ".join(describe_error(e) for e in exc.errors())) from None


def _copy_in(store: Store, ws: Workspace, source: str, item_id: str) -> str:
    """The register path of ``source``: used in place when already under evidence/files/, else copied there."""
    path = Path(source).expanduser().resolve()
    if not path.exists():
        raise RegisterEditError(f"{source}: no such file")
    data = read_input(path, "an evidence file", MAX_UPLOAD_BYTES)
    problems = check_upload(path.name, data)
    if problems:
        raise RegisterEditError("; ".join(problems))
    evidence, files = (ws.root / "evidence").resolve(), (ws.root / UPLOAD_FOLDER).resolve()
    if path.is_relative_to(files):
        return path.relative_to(evidence).as_posix()
    return store_upload(store, data, path.name, change="evidence file added", item=item_id)


def _not_future(day: date, what: str, ws: Workspace) -> date:
    if day > workspace_today(ws.settings):
        raise RegisterEditError(f"{what} {day} lies in the future")
    return day


def run_add(args: argparse.Namespace) -> int:
    store = Store(resolve_root(args.workspace), default_user())

    def add(ws: Workspace, register: Register) -> Edited:
        item_id = next_id([i.id for i in register.items], "E")
        fields = {
            "id": item_id, "title": args.title.strip(), "type": check_type(ws, args.type), "file": "pending",
            "owner": args.owner.strip(), "dated": _not_future(args.dated, "dated", ws), "review_by": args.review_by,
            "status": EvidenceStatus.in_review, "personal_data": args.personal_data,
        }
        _validated(fields)  # every field checked before the file is copied
        item = _validated(fields | {"file": _copy_in(store, ws, args.file, item_id)})
        new, _ = save_item(register, item)
        hint = (f"registered {item_id} ({item.file}, in review); next: rsqm evidence link {item_id} INDICATOR --locator L "
                f"and rsqm evidence approve {item_id} --by NAME")
        return Edited(new, "evidence item added", item_id, item_id, hint)

    return _edit(args, add)


def run_update(args: argparse.Namespace) -> int:
    store = Store(resolve_root(args.workspace), default_user())

    def update(ws: Workspace, register: Register) -> Edited:
        old = find_item(register, args.evidence_id)
        changes = {k: v for k, v in {"title": args.title, "owner": args.owner, "dated": args.dated, "review_by": args.review_by}.items() if v is not None}
        if args.type is not None:
            changes["type"] = check_type(ws, args.type)
        if args.dated is not None:
            _not_future(args.dated, "dated", ws)
        if args.file is not None:
            changes["file"] = _copy_in(store, ws, args.file, old.id)
        if not changes:
            raise RegisterEditError(f"{old.id}: nothing to change (give --file, --title, --type, --owner, --dated or --review-by)")
        new, item = save_item(register, _validated(old.model_dump() | changes))
        back = old.status == EvidenceStatus.approved and item.status != EvidenceStatus.approved
        report = f"updated {item.id}" + (f"; it needs approving again: rsqm evidence approve {item.id} --by NAME" if back else "")
        return Edited(new, "evidence item updated" + (" (back to in review)" if back else ""), item.id, report)

    return _edit(args, update)


def run_link(args: argparse.Namespace) -> int:
    def link(ws: Workspace, register: Register) -> Edited:
        item = find_item(register, args.evidence_id)
        indicator = check_indicator(ws, args.indicator)
        if not args.locator.strip():
            raise RegisterEditError("--locator is empty: say where in the document the assessor should look")
        new, _ = save_item(register, with_link(item, Link(indicator=indicator, locator=args.locator.strip(), claim=args.claim.strip())))
        return Edited(new, f"linked to {indicator}", item.id, f"linked {item.id} to {indicator} ({args.locator.strip()})")

    return _edit(args, link)


def run_unlink(args: argparse.Namespace) -> int:
    def unlink(ws: Workspace, register: Register) -> Edited:
        item = find_item(register, args.evidence_id)
        new, _ = save_item(register, without_link(item, args.indicator))
        return Edited(new, f"unlinked from {args.indicator}", item.id, f"unlinked {item.id} from {args.indicator}")

    return _edit(args, unlink)


def run_approve(args: argparse.Namespace) -> int:
    def approve(ws: Workspace, register: Register) -> Edited:
        item = find_item(register, args.evidence_id)
        on = _not_future(args.on or workspace_today(ws.settings), "approval date", ws)
        new_item = approved(item, approval_digest(ws.root, item), args.by, on)
        new, _ = save_item(register, new_item)
        report = f"approved {item.id} by {new_item.approved_by} on {on}; sha256 {new_item.sha256}"
        return Edited(new, "evidence approved", item.id, report)

    return _edit(args, approve)


def run_retire(args: argparse.Namespace) -> int:
    def retire(ws: Workspace, register: Register) -> Edited:
        new = retired(register, args.evidence_id, args.superseded_by)
        report = f"retired {args.evidence_id}: superseded by {args.superseded_by}"
        return Edited(new, f"superseded by {args.superseded_by}", args.evidence_id, report)

    return _edit(args, retire)


def run_list(args: argparse.Namespace) -> int:
    ws = open_valid_workspace(args)
    items = ws.register.items
    if args.json:
        print(json_text(EvidenceListOut.of(items, ws.files)))
        return 0
    if not items:
        print("the register is empty; add evidence with: rsqm evidence add FILE --type T --title X --dated D")
        return 0
    kinds = _type_titles(ws)
    rows = [(item, EVIDENCE_STATUS[item.status.value], kinds.get(item.type) or readable(item.type)) for item in items]
    status_width, type_width = (max(len(row[n]) for row in rows) for n in (1, 2))  # long type titles stay in their column
    for item, status, kind in rows:
        links = ", ".join(dict.fromkeys(link.indicator for link in item.links)) or "no links"
        missing = "" if ws.files[item.id].exists else "  [file missing]"
        print(f"{item.id}  {status:<{status_width}}  {kind:<{type_width}}  {item.dated}  {item.title}  ({links}){missing}")
    return 0


def _type_titles(ws: Workspace) -> dict[str, str]:
    """Every evidence type of the workspace's frameworks and its title (the first framework's wording wins)."""
    known: dict[str, str] = {}
    for framework in ws.frameworks.values():
        for kind, words in framework.evidence_types.items():
            known.setdefault(kind, words)
    return known


def run_types(args: argparse.Namespace) -> int:
    known = _type_titles(open_valid_workspace(args))
    for kind in sorted(known):
        print(f"{kind:<26}  {known[kind]}")
    return 0
