"""rsqm verify: check a submission pack against its manifest (needs nothing but the ZIP), and its signature with --key."""

from __future__ import annotations

import argparse
from pathlib import Path

from rsqm.cli import add_command
from rsqm.cli.common import UsageError
from rsqm.pack.signing import SigningError, trusted_fingerprint
from rsqm.pack.verify import verify_pack


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "verify")
    parser.add_argument("pack", metavar="PACK.zip", help="the ZIP written by rsqm export")
    parser.add_argument(
        "--key", metavar="FINGERPRINT_OR_PUBFILE",
        help="the service's public key fingerprint (from the covering letter) or public key file: the manifest must be signed by it",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path = Path(args.pack)
    if not path.exists():
        raise UsageError(f"{args.pack}: no such file")
    try:
        trusted = trusted_fingerprint(args.key) if args.key is not None else None
    except SigningError as exc:
        raise UsageError(str(exc)) from None
    result = verify_pack(path, trusted)
    for problem in result.problems:
        print(f"{args.pack}: {problem}")
    if result.intact:
        print(f"pack intact: {result.verified} files verified")
        if result.manifest is not None:  # what the signed manifest says: a replayed older pack or another service's shows here
            print(f"service: {result.manifest.service}")
            print(f"as of: {result.manifest.as_of.isoformat()}")
        if result.older_form:
            print("form: every file deflated, as rsqm wrote packs before 29 November 2026; checked to that form")
        if trusted is not None:
            print(f"signature valid: the manifest was signed by the key {trusted}")
        elif result.signed_by is not None:
            print(f"signed by the key {result.signed_by}; check it against the fingerprint the service gave you (--key)")
        else:
            print("not signed: the files match the manifest, but nothing shows who wrote it")
        return 0
    print(f"pack NOT intact: {len(result.problems)} problem{'s' * (len(result.problems) != 1)} found")
    return 1
