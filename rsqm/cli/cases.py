"""rsqm cases: bring a case-management system's export into evidence/cases.csv through an import map."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from rsqm.base.dates import workspace_today
from rsqm.base.paths import KNOWN_NAMES_FILE
from rsqm.base.root import resolve_root
from rsqm.cli import add_command, add_workspace_option
from rsqm.cli.common import CommandError, default_user, open_valid_workspace, print_problems
from rsqm.files.folder import Workspace, read_input
from rsqm.imports.case_import import Merge
from rsqm.imports.importing import CASES, ImportKind, prepare
from rsqm.imports.reader import ExportRefused, read_table
from rsqm.privacy.names import with_names
from rsqm.workspace.store import Store

SHOWN = 20  # changed rows listed per kind before "... and N more"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "cases")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add_import_command(actions, "evidence/cases.csv by case_ref", _import)
    add_template_command(actions, "", _template)


def add_template_command(actions: argparse._SubParsersAction, kind: str, func: Callable[[argparse.Namespace], int]) -> None:
    command = actions.add_parser(
        "map-template", help=f"write a starting import map from a{kind or 'n'} export's header",
        description="Guess our columns from the export's headers and list the others under ignore; check it before importing.",
    )
    command.add_argument("export", metavar="EXPORT", help="the .csv or .xlsx export")
    command.add_argument("--out", metavar="MAP.yaml", help="write the map here (default: print it)")
    if kind:
        add_workspace_option(command)
    command.set_defaults(func=func)


def add_import_command(actions: argparse._SubParsersAction, into: str, func: Callable[[argparse.Namespace], int]) -> None:
    command = actions.add_parser(
        "import", help=f"merge an export (.csv or .xlsx) into {into}",
        description=f"Read an export through an import map and merge it into {into}. Nothing is written when any row "
        "is rejected; columns the map ignores are dropped unread, but for the names in name columns, kept privately "
        "in .rsqm/known-names.txt for the privacy check.",
    )
    add_workspace_option(command)
    command.add_argument("export", metavar="EXPORT", help="the .csv (UTF-8 or Windows-1252) or .xlsx export")
    command.add_argument("--map", required=True, metavar="MAP.yaml", help="the import map (schema rsqm/case-import@1)")
    command.add_argument("--dry-run", action="store_true", help="say what would change and write nothing")
    command.add_argument("--by", metavar="USER", help="who imports it (default: $RSQM_USER, else your login name)")
    command.set_defaults(func=func)


MAX_EXPORT_BYTES = 200 * 1024 * 1024  # a case-management export of 100,000 rows stays far below
MAX_MAP_BYTES = 1024 * 1024  # an import map is a page of YAML


def _read(path: str, what: str, limit: int) -> bytes:
    """A regular file of at most ``limit`` bytes: a pipe, device or folder is refused (exit 1), never read."""
    try:
        return read_input(Path(path), what, limit)
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror or exc}") from None


def run_import(args: argparse.Namespace, kind: ImportKind) -> int:
    """The shared shell of every import: read, map, merge, report, write once (or not at all)."""
    store = Store(resolve_root(args.workspace), args.by or default_user())
    token = store.token(kind.rel)
    ws = open_valid_workspace(args)
    data = _read(args.export, "an export (.csv or .xlsx)", MAX_EXPORT_BYTES)
    map_text = _read(args.map, "an import map (.yaml)", MAX_MAP_BYTES)
    prepared = prepare(ws, kind, args.export, data, map_text.decode("utf-8", errors="replace"), args.map, workspace_today(ws.settings))
    if prepared.merge is None:
        print_problems(prepared.problems, sys.stderr)
        print(f"nothing imported: {len(prepared.problems)} problem(s) in {args.export}; {kind.rel} is unchanged", file=sys.stderr)
        return 1
    _report(prepared.merge, args.export, kind.what)
    if Path(args.export).resolve().is_relative_to(ws.root):
        print(f"warning: {args.export} lies inside the workspace; move it out: it holds the columns the map drops", file=sys.stderr)
    for column, values in prepared.new_values.items():
        print(f"note: {column} gets value(s) no row had before: {', '.join(values)}; translate them under values if they are words of theirs")
    if args.dry_run:
        print(f"dry run: nothing written; without --dry-run {kind.rel} would be {'rewritten' if prepared.text else 'left as it is'}")
        return 0
    if prepared.names and store.update(KNOWN_NAMES_FILE, with_names(prepared.names)) is not None:
        print(f"kept the names in the columns the map ignores in {KNOWN_NAMES_FILE} (private, never exported): "
              "the privacy check blocks them in every pack")
    if prepared.text is None:
        print(f"{kind.rel} is already up to date")
        return 0
    store.write(kind.rel, prepared.text, change=f"import {kind.what}", item=prepared.summary, expected=token)
    print(f"written {kind.rel}")
    return 0


def _report(merge: Merge, export: str, what: str) -> None:
    total = len(merge.added) + len(merge.updated) + merge.unchanged
    print(f"{export}: {total} {what}: {len(merge.added)} added, {len(merge.updated)} updated, {merge.unchanged} unchanged")
    for key in merge.added[:SHOWN]:
        print(f"  added {key}")
    if len(merge.added) > SHOWN:
        print(f"  ... and {len(merge.added) - SHOWN} more added")
    for key, columns in merge.updated[:SHOWN]:
        print(f"  updated {key}: {', '.join(columns)}")
    if len(merge.updated) > SHOWN:
        print(f"  ... and {len(merge.updated) - SHOWN} more updated")


def _import(args: argparse.Namespace) -> int:
    return run_import(args, CASES)


def write_template(args: argparse.Namespace, kind: ImportKind, ws: Workspace | None) -> int:
    try:
        table = read_table(args.export, _read(args.export, "an export (.csv or .xlsx)", MAX_EXPORT_BYTES))
    except ExportRefused as refused:
        print_problems(refused.problems, sys.stderr)
        return 1
    text = kind.template(ws, table)
    if not args.out:
        sys.stdout.write(text)
        return 0
    out = Path(args.out)
    if out.exists():
        raise CommandError(f"{out} already exists; not overwriting it (choose another --out)")
    out.write_text(text, encoding="utf-8")
    print(f"written {out}: check each column, value and ignored column, then run the import with --dry-run")
    return 0


def _template(args: argparse.Namespace) -> int:
    return write_template(args, CASES, None)
