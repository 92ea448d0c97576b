"""rsqm restore: a backup into a new, empty folder, after checking every file against its manifest."""

from __future__ import annotations

import argparse
from pathlib import Path

from rsqm.backup.archive import restore_backup
from rsqm.backup.manifest import PERSONAL_DATA_NOTE, BadArchive
from rsqm.cli import add_command
from rsqm.cli.backup import asked_once, describe
from rsqm.cli.common import CommandError, UsageError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "restore")
    parser.add_argument("backup", metavar="FILE", type=Path, help="a backup written by rsqm backup")
    parser.add_argument("--to", metavar="DIR", type=Path, required=True, help="a new or empty folder")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not args.backup.exists():  # a folder, pipe or device in its place is refused by the reader (exit 1)
        raise UsageError(f"{args.backup}: no such file")
    try:
        manifest = restore_backup(args.backup, args.to, asked_once())
    except BadArchive as bad:
        raise CommandError(f"{args.backup}: {bad}; nothing was restored") from None
    except OSError as exc:
        raise CommandError(f"{args.to}: cannot write the restored files: {exc.strerror or exc}; nothing was restored") from None
    print(f"restored {describe(manifest)} into {args.to}; every SHA-256 matches the manifest")
    print(f"next: rsqm validate -w {args.to}, then point rsqm serve at it")
    print(f"warning: {PERSONAL_DATA_NOTE.replace('this backup holds', 'the restored folder holds')}")
    return 0
