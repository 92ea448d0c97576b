"""rsqm validate: every problem in the workspace, one per line.

On a workspace unchanged since its last load the problems are that load's (``unchanged_problems``): the answer comes
without importing the models or the rules, which is most of the command's time.
"""

from __future__ import annotations

import argparse

from rsqm.base.problems import Problem, summary
from rsqm.base.root import resolve_root
from rsqm.cli import add_command, add_workspace_option
from rsqm.workspace.loadcache import unchanged_problems


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "validate")
    add_workspace_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    problems = unchanged_problems(resolve_root(args.workspace))
    if problems is None:
        problems = _loaded_problems(args.workspace)
    for problem in problems:
        print(problem)
    print(summary(problems))
    return 1 if any(problem.is_error for problem in problems) else 0


def _loaded_problems(workspace: str | None) -> list[Problem]:
    from rsqm.workspace.load import load_workspace

    return load_workspace(workspace).problems
