"""The ``rsqm`` command: a thin shell over the library.

Every module in this package that defines ``register(subparsers)`` adds one
command. Exit codes: 0 success, 1 the input has problems, 2 misuse.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys

from rsqm.base.errors import ProblemsPrinted, RsqmError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rsqm",
        description="Quality evidence for restorative justice services: validate, find gaps, sample, export.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    package = importlib.import_module(__name__)
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "register"):
            module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
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
    from rsqm.files.folder import resolve_root
    from rsqm.workspace.store import OUTSIDE, Store

    try:
        Store(resolve_root(args.workspace), OUTSIDE).note_outside_edits()
    except (RsqmError, OSError):  # no workspace there, or one that cannot be read: the command itself will say so
        return


def run() -> None:
    sys.exit(main())
