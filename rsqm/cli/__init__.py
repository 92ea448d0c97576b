"""The ``rsqm`` command: a thin shell over the library.

Every command is listed in ``COMMANDS`` with the module that registers it
(``register(subparsers)``); a run imports that one module only, so a command
pays only for what it uses. Exit codes: 0 success, 1 the input has problems, 2 misuse.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import NamedTuple

from rsqm.base.errors import ProblemsPrinted, RsqmError


class Command(NamedTuple):
    module: str  # the module under rsqm.cli that registers the command
    summary: str  # one line for ``rsqm --help``; also the command's own description unless it has a longer one


# Every command, so that ``rsqm --help`` lists them without importing any, and ``rsqm CMD`` imports only CMD's module.
COMMANDS: dict[str, Command] = {
    "audit": Command("audit", "case-file audit records"),
    "audit-report": Command("audit_report", "write the report on one audit round (.docx), compared item by item with the round before"),
    "audit-summary": Command("audit_summary", "case-file audit results: items, samples over time, agreement"),
    "backup": Command("backup", "back up the workspace (files, accounts, change log) to one archive, or --verify one"),
    "cases": Command("cases", "import the case list from a case-management system's export"),
    "concern": Command("concern", "safeguarding concerns raised in case-file audits"),
    "config": Command("config", "read or change a setting in rsqm.yaml (no editor needed)"),
    "doctor": Command("doctor", "check this installation: one line per finding with what to do; exit 1 on a failure"),
    "evidence": Command("evidence", "add, link, approve and retire evidence in the register"),
    "export": Command("export", "write the submission pack ZIP; exit 1 when the privacy pre-flight blocks it"),
    "feedback": Command("feedback", "import participant feedback from a survey export"),
    "gaps": Command("gaps", "gap analysis and readiness to apply on a date"),
    "init": Command("init", "create a new empty workspace with the standards packs"),
    "keys": Command("keys", "the signing key that lets an assessor check a pack came from this service"),
    "log": Command("log", "recent changes to the workspace: when, who, which file, what"),
    "measures": Command("measures", "measured requirements (registration, supervision, CPD, time limits, feedback): k of n"),
    "outcomes": Command("outcomes", "referrals, take-up, agreements, time to first contact and feedback for a period"),
    "portfolio": Command("portfolio", "services' returns for one period side by side with totals (.xlsx)"),
    "privacy": Command("privacy", "the privacy pre-flight's reviewed false positives"),
    "renewal": Command("renewal", "write the annual renewal return (.docx) from the records"),
    "request": Command("request", "clarification requests from the assessor, and the answers"),
    "return": Command("return_", "the commissioner's monitoring return for a period: .xlsx, .docx (covering report) or .json"),
    "restore": Command("restore", "restore a backup into a new or empty folder, byte for byte"),
    "sample": Command("sample", "draw a reproducible sample of closed cases for audit (or --advise on its size)"),
    "schema": Command("schema", "JSON Schema of a workspace file format (for editors), or docs/formats.md"),
    "serve": Command("serve", "run the dashboard for the team (production settings; see docs/deploy.md)"),
    "submit": Command("submit", "record a pack as sent: keep a read-only copy with its SHA-256, date, draft or final, and who sent it"),
    "submitted": Command("submit", "list the packs recorded as sent, each with where its copy is"),
    "synth": Command("synth", "write a synthetic workspace of a given size, for benchmarks"),
    "users": Command("users", "manage who may sign in to the dashboard, and their roles"),
    "validate": Command("validate", "check the workspace files; exit 1 when there are errors"),
    "verify": Command("verify", "check that a submission pack is intact; exit 1 when anything was altered"),
    "workforce": Command("workforce", "the workforce register: registration, supervision, observed practice, CPD"),
}


def add_command(subparsers: argparse._SubParsersAction, name: str, **options: object) -> argparse.ArgumentParser:
    """The parser of one command listed in COMMANDS, with its summary as help (and description, unless given)."""
    summary = COMMANDS[name].summary
    options.setdefault("description", summary[:1].upper() + summary[1:] + ".")
    return subparsers.add_parser(name, help=summary, **options)


def _top_parser() -> tuple[argparse.ArgumentParser, argparse._SubParsersAction]:
    parser = argparse.ArgumentParser(
        prog="rsqm",
        description="Quality evidence for restorative justice services: validate, find gaps, sample, export.",
    )
    return parser, parser.add_subparsers(dest="command", metavar="COMMAND")


def _register(subparsers: argparse._SubParsersAction, modules: list[str]) -> None:
    for module in modules:
        importlib.import_module(f"{__name__}.{module}").register(subparsers)


def add_workspace_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-w", "--workspace", metavar="DIR", default=None,
        help="workspace folder (default: $RSQM_WORKSPACE, else the current folder)",
    )


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser for ``argv``: the named command's own, its module imported alone; else every command's summary."""
    parser, subparsers = _top_parser()
    named = next((word for word in (sys.argv[1:] if argv is None else argv) if not word.startswith("-")), None)
    if named in COMMANDS:
        _register(subparsers, [COMMANDS[named].module])
    else:
        for name, command in COMMANDS.items():
            subparsers.add_parser(name, help=command.summary)
    return parser


def build_full_parser() -> argparse.ArgumentParser:
    """Every command with all its options, for the docs and the tests (a run needs only its own command's)."""
    parser, subparsers = _top_parser()
    _register(subparsers, sorted({command.module for command in COMMANDS.values()}))
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    _note_outside_edits(args)
    try:
        return int(args.func(args) or 0)
    except ProblemsPrinted as exc:  # the problems are on stderr already: the last line says what to do
        print(exc, file=sys.stderr)
        return exc.exit_code
    except RsqmError as exc:  # misuse (2) reads as a usage note, refused input (1) as an error
        print(f"rsqm {args.command}: {'error: ' if exc.exit_code == 1 else ''}{exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # never end in a traceback; RSQM_DEBUG=1 shows it
        if os.environ.get("RSQM_DEBUG"):
            raise
        print(f"rsqm {args.command}: internal error: {type(exc).__name__}: {exc} (set RSQM_DEBUG=1 for details)", file=sys.stderr)
        return 1


def _note_outside_edits(args: argparse.Namespace) -> None:
    """Before a command on a workspace: record in its change log any file edited since rsqm last wrote it."""
    if not hasattr(args, "workspace"):
        return
    from rsqm.base.paths import CHANGE_LOG
    from rsqm.base.root import resolve_root

    try:
        root = resolve_root(args.workspace)
        if not (root / CHANGE_LOG).exists():  # nothing written by rsqm yet: nothing to compare (and no store to load)
            return
        from rsqm.workspace.store import OUTSIDE, Store

        Store(root, OUTSIDE).note_outside_edits()
    except (RsqmError, OSError):  # no workspace there, or one that cannot be read: the command itself will say so
        return


def run() -> None:
    sys.exit(main())
