"""Helpers shared by the command modules."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from rsqm.base.errors import InputRefused, ProblemsPrinted, UsageError
from rsqm.base.problems import Problem, summary
from rsqm.cli import add_workspace_option
from rsqm.files.folder import Workspace
from rsqm.files.models import in_date_range
from rsqm.workspace.load import load_workspace

CommandError = InputRefused  # the name the command modules raise: the input is refused, exit 1


def workspace_action(actions: argparse._SubParsersAction, name: str, help: str) -> argparse.ArgumentParser:
    """One action of a command group, taking the workspace option."""
    parser = actions.add_parser(name, help=help)
    add_workspace_option(parser)
    return parser


def add_as_of_option(parser: argparse.ArgumentParser, verb: str = "as", default: str = "assessment_date in rsqm.yaml, else today") -> None:
    parser.add_argument("--as-of", type=iso_date, metavar="D", default=None, help=f"{verb} on this date (default: {default})")


def iso_date(text: str) -> date:
    """argparse type for YYYY-MM-DD dates."""
    try:
        return in_date_range(date.fromisoformat(text))
    except ValueError as exc:
        why = str(exc) if "outside" in str(exc) else f"'{text}' is not a date as YYYY-MM-DD"
        raise argparse.ArgumentTypeError(why) from None


def print_problems(problems: Iterable[Problem], stream=None) -> None:
    stream = stream or sys.stdout
    for problem in problems:
        print(problem, file=stream)


def open_valid_workspace(args: argparse.Namespace) -> Workspace:
    """Load the workspace; print its problems and raise ``ProblemsPrinted`` (exit 1) when it has errors."""
    ws = load_workspace(args.workspace)
    if not ws.valid:
        print_problems(ws.problems, sys.stderr)
        raise ProblemsPrinted(f"workspace has errors ({summary(ws.problems)}); run 'rsqm validate' after fixing them")
    return ws


def open_for_editing(args: argparse.Namespace, depends_on: tuple[str, ...]) -> Workspace:
    """Load the workspace for an edit: refuse (print, raise ``ProblemsPrinted``) only when files the edit depends on have errors.

    ``depends_on`` holds workspace-relative paths or folder prefixes ending in '/'.
    A typo in an unrelated file (an audit in progress) does not block the edit;
    it is mentioned on stderr.
    """
    ws = load_workspace(args.workspace)
    blocking = [p for p in ws.errors if any(p.path == d or (d.endswith("/") and p.path.startswith(d)) for d in depends_on)]
    if blocking:
        print_problems(blocking, sys.stderr)
        raise ProblemsPrinted(f"nothing changed: fix {'this' if len(blocking) == 1 else 'these'} first ('rsqm validate' lists every problem)")
    if ws.errors:
        print(f"note: the workspace has {len(ws.errors)} error(s) elsewhere; 'rsqm validate' lists them", file=sys.stderr)
    return ws


def output_path(given: str, *, word: tuple[str, str] | None = None, workspace: Path | None = None,
                force: bool | None = None) -> Path:
    """``--out`` resolved and checked before any work, so a mistake costs nothing.

    ``word``: the file is a Word document, as (what it is, an example name). Its folder must exist.
    ``workspace``: the root the file must stay out of (its evidence/ and standards/, which a pack is
    built from). ``force``: whether an existing file may be replaced; None when replacing is the point.
    """
    target = Path(given).expanduser().resolve()
    if word is not None and target.suffix.lower() != ".docx":
        raise UsageError(f"{given}: {word[0]} is a Word document; name it {word[1]}")
    if not target.parent.is_dir():
        raise UsageError(f"{given}: folder {target.parent} does not exist")
    for folder in ("evidence", "standards") if workspace is not None else ():
        if target.is_relative_to((workspace / folder).resolve()):
            raise UsageError(f"{given}: inside the workspace's {folder}/ folder; write the pack somewhere else")
    if force is False and target.exists():
        raise CommandError(f"{given} already exists; nothing was written (add --force to replace it)")
    return target


def default_user() -> str:
    """$RSQM_USER, else the operating system's login name."""
    user = os.environ.get("RSQM_USER", "").strip()
    if user:
        return user
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        raise CommandError("cannot tell who you are: set RSQM_USER") from None
