"""rsqm feedback: bring a survey export into evidence/feedback.csv through the same kind of import map as cases."""

from __future__ import annotations

import argparse

from rsqm.cli import add_command
from rsqm.cli.cases import add_import_command, add_template_command, run_import, write_template
from rsqm.imports.importing import FEEDBACK
from rsqm.workspace.load import load_workspace


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "feedback")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add_import_command(actions, "evidence/feedback.csv by response_id (questions as in rsqm.yaml)", _import)
    add_template_command(actions, " survey", _template)


def _import(args: argparse.Namespace) -> int:
    return run_import(args, FEEDBACK)


def _template(args: argparse.Namespace) -> int:
    return write_template(args, FEEDBACK, load_workspace(args.workspace))
