"""rsqm verify: check a submission pack against its manifest (needs nothing but the ZIP)."""

from __future__ import annotations

import argparse
from pathlib import Path

from rsqm.cli.common import UsageError
from rsqm.pack.verify import verify_pack


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("verify", help="check that a submission pack is intact; exit 1 when anything was altered")
    parser.add_argument("pack", metavar="PACK.zip", help="the ZIP written by rsqm export")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path = Path(args.pack)
    if not path.is_file():
        raise UsageError(f"{args.pack}: no such file")
    result = verify_pack(path)
    for problem in result.problems:
        print(f"{args.pack}: {problem}")
    if result.intact:
        print(f"pack intact: {result.verified} files verified")
        return 0
    print(f"pack NOT intact: {len(result.problems)} problem{'s' * (len(result.problems) != 1)} found")
    return 1
