"""rsqm validate: every problem in the workspace, one per line."""

from __future__ import annotations

import argparse

from rsqm.base.problems import summary
from rsqm.cli import add_command
from rsqm.cli.common import add_workspace_option, print_problems
from rsqm.workspace.load import load_workspace


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "validate")
    add_workspace_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    ws = load_workspace(args.workspace)
    print_problems(ws.problems)
    print(summary(ws.problems))
    return 0 if ws.valid else 1
