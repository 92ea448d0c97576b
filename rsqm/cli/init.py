"""rsqm init DIR: a new, valid, empty workspace."""

from __future__ import annotations

import argparse
from pathlib import Path

from rsqm.cli import add_command
from rsqm.cli.common import CommandError
from rsqm.workspace.scaffold import init_workspace


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "init")
    parser.add_argument("directory", metavar="DIR", help="folder to create the workspace in")
    parser.add_argument("--service", default="New Restorative Service", help="the service's name")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    target = Path(args.directory)
    try:
        created = init_workspace(target, args.service)
    except (FileExistsError, OSError) as exc:
        raise CommandError(str(exc)) from None
    for path in created:
        print(f"created {path}")
    print(f"workspace ready at {target}; next: export RSQM_WORKSPACE={target}, then add evidence with "
          "'rsqm evidence add FILE --type T --title X --dated D' (see docs/getting-started.md)")
    return 0
