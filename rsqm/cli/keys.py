"""rsqm keys: the service's signing key for submission packs (Ed25519, kept in .rsqm/, never exported)."""

from __future__ import annotations

import argparse
from pathlib import Path

from rsqm.base.root import resolve_root
from rsqm.cli import add_command, add_workspace_option
from rsqm.cli.common import default_user
from rsqm.pack.signing import PRIVATE_KEY_FILE, PUBLIC_KEY_FILE, fingerprint, load_private_key, new_key


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "keys")
    commands = parser.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    new = commands.add_parser("new", help="create the key pair in .rsqm/ and print the public key's fingerprint")
    new.add_argument("--replace", action="store_true", help="replace an existing key (packs signed with the old one then verify only with the old one)")
    new.set_defaults(func=_new)
    show = commands.add_parser("show", help="print the public key's fingerprint and where the public key file is")
    show.set_defaults(func=_show)
    for sub in (new, show):
        add_workspace_option(sub)


def _new(args: argparse.Namespace) -> int:
    root = resolve_root(args.workspace)
    printed = new_key(root, default_user(), replace=args.replace)
    print(f"created a signing key in {PRIVATE_KEY_FILE} (keep it private; it is never exported)")
    _describe(root, printed)
    return 0


def _show(args: argparse.Namespace) -> int:
    root = resolve_root(args.workspace)
    printed = fingerprint(load_private_key(root).public_key())
    _describe(root, printed)
    return 0


def _describe(root: Path, printed: str) -> None:
    print(f"public key fingerprint: {printed}")
    print(f"public key file: {root / PUBLIC_KEY_FILE} (safe to send)")
    print("give the fingerprint to the assessor apart from the pack, e.g. in the covering letter;"
          " they run: rsqm verify PACK.zip --key FINGERPRINT")
