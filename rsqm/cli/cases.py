"""rsqm cases: bring a case-management system's export into evidence/cases.csv through an import map."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

from rsqm.case_import import CASE_TARGET, Merge, merge_cases
from rsqm.caselist import cases_csv
from rsqm.cli.common import CommandError, add_workspace_option, default_user, open_valid_workspace, print_problems
from rsqm.exports import ExportRefused, Target, load_map, mapped_rows, read_table
from rsqm.map_template import CASE_HEADER_NAMES, YES_NO_COLUMNS, map_template
from rsqm.problems import Problem, sort_problems
from rsqm.store import Store, WriteConflict, WriteRefused
from rsqm.workspace import CASES_FILE, Workspace, resolve_root

SHOWN = 20  # changed rows listed per kind before "... and N more"
CATEGORICAL = ("process", "offence_category", "initiator", "outcome", "referral_source", *YES_NO_COLUMNS)

Merger = Callable[[Workspace, Iterable[tuple[int, dict[str, str]]], str, list[Problem]], Merge]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("cases", help="import the case list from a case-management system's export")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add_import_command(actions, "evidence/cases.csv by case_ref", _import)
    template = actions.add_parser(
        "map-template", help="write a starting import map from an export's header",
        description="Guess our columns from the export's headers and list the others under ignore; check it before importing.",
    )
    template.add_argument("export", metavar="EXPORT", help="the .csv or .xlsx export")
    template.add_argument("--out", metavar="MAP.yaml", help="write the map here (default: print it)")
    template.set_defaults(func=_template)


def add_import_command(actions: argparse._SubParsersAction, into: str, func: Callable[[argparse.Namespace], int]) -> None:
    command = actions.add_parser(
        "import", help=f"merge an export (.csv or .xlsx) into {into}",
        description=f"Read an export through an import map and merge it into {into}. Nothing is written when any row "
        "is rejected; columns the map ignores are dropped unread.",
    )
    add_workspace_option(command)
    command.add_argument("export", metavar="EXPORT", help="the .csv (UTF-8 or Windows-1252) or .xlsx export")
    command.add_argument("--map", required=True, metavar="MAP.yaml", help="the import map (schema rsqm/case-import@1)")
    command.add_argument("--dry-run", action="store_true", help="say what would change and write nothing")
    command.add_argument("--by", metavar="USER", help="who imports it (default: $RSQM_USER, else your login name)")
    command.set_defaults(func=func)


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror or exc}") from None


def run_import(
    args: argparse.Namespace,
    rel: str,
    target: Callable[[Workspace], Target],
    merger: Merger,
    render: Callable[[Workspace, list], str],
    what: str,
) -> int:
    """The shared shell of every import: read, map, merge, report, write once (or not at all)."""
    store = Store(resolve_root(args.workspace), args.by or default_user())
    token = store.token(rel)
    ws = open_valid_workspace(args)
    if ws is None:
        return 1
    data, map_text = _read(args.export), _read(args.map)
    problems: list[Problem] = []
    try:
        mapping = load_map(map_text.decode("utf-8", errors="replace"), args.map)
        rows = mapped_rows(args.export, data, mapping, target(ws), args.map, problems)
        merge = merger(ws, rows, args.export, problems)
    except ExportRefused as refused:
        problems = refused.problems
    if problems:
        print_problems(sort_problems(problems), sys.stderr)
        print(f"nothing imported: {len(problems)} problem(s) in {args.export}; {rel} is unchanged", file=sys.stderr)
        return 1
    _report(merge, args.export, what)
    if args.dry_run:
        print(f"dry run: nothing written; without --dry-run {rel} would be {'rewritten' if merge.changed else 'left as it is'}")
        return 0
    if not merge.changed:
        print(f"{rel} is already up to date")
        return 0
    summary = f"{len(merge.added)} added, {len(merge.updated)} updated, {merge.unchanged} unchanged"
    try:
        store.write(rel, render(ws, merge.rows), change=f"import {what}", item=summary, expected=token)
    except (WriteConflict, WriteRefused) as exc:
        raise CommandError(str(exc)) from None
    print(f"written {rel}")
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


def _merge_cases(ws: Workspace, rows: Iterable[tuple[int, dict[str, str]]], export: str, problems: list[Problem]) -> Merge:
    return merge_cases(ws.cases, rows, export=export, case_ref_pattern=ws.settings.case_ref_pattern, today=date.today(), problems=problems)


def _import(args: argparse.Namespace) -> int:
    return run_import(args, CASES_FILE, lambda _ws: CASE_TARGET, _merge_cases, lambda _ws, rows: cases_csv(rows), "cases")


def write_template(args: argparse.Namespace, target: Target, names: dict, categorical: Iterable[str], yes_no: Iterable[str] = YES_NO_COLUMNS) -> int:
    try:
        table = read_table(args.export, _read(args.export))
    except ExportRefused as refused:
        print_problems(refused.problems, sys.stderr)
        return 1
    text = map_template(table, target, names, tuple(categorical), tuple(yes_no))
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
    return write_template(args, CASE_TARGET, CASE_HEADER_NAMES, CATEGORICAL)
