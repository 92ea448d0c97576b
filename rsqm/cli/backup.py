"""rsqm backup: a consistent, checkable snapshot of the workspace; --verify checks one.

The passphrase of an encrypted backup comes from $RSQM_BACKUP_PASSPHRASE, else
from the terminal (asked twice when encrypting). It is never printed or stored.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path

from rsqm.backup.archive import take_backup, verify_backup
from rsqm.backup.crypto import check_passphrase
from rsqm.backup.manifest import PERSONAL_DATA_NOTE, TOPS, BackupManifest, BadArchive, archive_format
from rsqm.base.formatting import file_size
from rsqm.base.root import resolve_root
from rsqm.cli import add_command, add_workspace_option
from rsqm.cli.common import CommandError, UsageError, default_user

PASSPHRASE_ENV = "RSQM_BACKUP_PASSPHRASE"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "backup", description="Backups hold personal data: encrypt them (--encrypt) or keep them where only the service can read them.")
    add_workspace_option(parser)
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--out", metavar="FILE", type=Path, help="new archive: NAME.tar.zst or NAME.zip (NAME.tar.zst.enc with --encrypt)")
    action.add_argument("--verify", metavar="FILE", type=Path, help="check every file of a backup against its manifest")
    parser.add_argument("--encrypt", action="store_true", help=f"encrypt with a passphrase (from ${PASSPHRASE_ENV} or the terminal)")
    parser.set_defaults(func=run)


def passphrase(*, confirm: bool) -> str:
    """$RSQM_BACKUP_PASSPHRASE, else asked without echo at a terminal; UsageError when neither is possible."""
    given = os.environ.get(PASSPHRASE_ENV)
    if given:
        return given
    if sys.stdin is None or not sys.stdin.isatty():
        raise UsageError(f"a passphrase is needed: set {PASSPHRASE_ENV} or run at a terminal")
    first = getpass.getpass("Backup passphrase: ")
    if confirm and getpass.getpass("Same passphrase again: ") != first:
        raise UsageError("the two passphrases differ; nothing written")
    return first


def asked_once() -> Callable[[], str]:
    """The passphrase of an existing backup, asked at most once however often the archive is opened."""
    return cache(lambda: passphrase(confirm=False))


def describe(manifest: BackupManifest) -> str:
    return f"{len(manifest.files)} files ({file_size(manifest.total_bytes)}) of {manifest.service}, taken {manifest.created:%Y-%m-%d %H:%M} UTC"


def run(args: argparse.Namespace) -> int:
    if args.verify:
        return _verify(args.verify)
    return _backup(args)


def _verify(path: Path) -> int:
    if not path.exists():
        raise UsageError(f"{path}: no such file")
    try:  # a folder, pipe or device in its place is refused by the reader (exit 1)
        manifest = verify_backup(path, asked_once())
    except BadArchive as bad:
        raise CommandError(f"{path}: {bad}; do not rely on this backup") from None
    print(f"{path}: intact: {describe(manifest)}; every SHA-256 matches its manifest")
    return 0


def _backup(args: argparse.Namespace) -> int:
    root = resolve_root(args.workspace)
    out: Path = args.out
    _check_out(root, out, args.encrypt)
    secret = None
    if args.encrypt:
        try:
            secret = check_passphrase(passphrase(confirm=True))
        except ValueError as weak:
            raise UsageError(str(weak)) from None
    try:
        result = take_backup(root, out, user=default_user(), passphrase=secret)
    except OSError as exc:
        raise CommandError(f"{out}: cannot write the backup: {exc.strerror or exc}") from None
    manifest = result.manifest
    print(f"backed up {len(manifest.files)} files ({file_size(manifest.total_bytes)}) of {root} to {out}: "
          f"{file_size(result.archive_bytes)} in {result.seconds:.2f} s")
    if secret is not None:
        print("encrypted with your passphrase (scrypt, AES-256-GCM): without it nobody can restore this backup, you included")
    for link in result.skipped_links:
        print(f"{link}: warning: a link, not backed up (links are never followed); copy what it points to separately")
    print(f"warning: {PERSONAL_DATA_NOTE}")
    return 0


def _check_out(root: Path, out: Path, encrypt: bool) -> None:
    try:
        archive_format(out.name)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if encrypt != out.name.endswith(".enc"):
        raise UsageError(f"{out.name}: an encrypted backup's name ends in .enc, and only an encrypted one's does "
                         f"(use --encrypt with NAME.tar.zst.enc or NAME.zip.enc)")
    if out.exists():
        raise UsageError(f"{out} already exists; backups are never overwritten: choose a new name")
    if not out.parent.is_dir():
        raise UsageError(f"{out.parent}: no such folder")
    where = out.parent.resolve()
    if any(where.is_relative_to(root / top) for top in TOPS):
        raise UsageError(f"{out}: a backup inside the workspace's own folders would be backed up itself; write it elsewhere")
