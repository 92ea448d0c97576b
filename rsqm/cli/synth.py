"""rsqm synth DIR --size S|M|L|XL: a synthetic workspace for benchmarks (all data invented)."""

from __future__ import annotations

import argparse
from pathlib import Path

from rsqm.cli import add_command
from rsqm.cli.common import CommandError
from rsqm.synth import SIZES, generate


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "synth")
    parser.add_argument("directory", metavar="DIR", help="folder to create the workspace in")
    parser.add_argument("--size", choices=list(SIZES), required=True, help="S demo copy, M service, L large (1 GB of files), XL national roll-up")
    parser.add_argument("--seed", type=int, default=1, help="same seed, same workspace (default 1)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    target = Path(args.directory)
    try:
        generate(target, args.size, args.seed)
    except OSError as exc:
        raise CommandError(str(exc)) from None
    print(f"synthetic workspace of size {args.size} (seed {args.seed}) written to {target}")
    return 0
