"""rsqm feedback: bring a survey export into evidence/feedback.csv through the same kind of import map as cases."""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from datetime import date

from rsqm.case_import import Merge
from rsqm.cli.cases import add_import_command, run_import, write_template
from rsqm.feedback import feedback_csv, feedback_target, merge_feedback
from rsqm.map_template import normalise
from rsqm.problems import Problem
from rsqm.workspace import FEEDBACK_FILE, Workspace, load_workspace

HEADER_NAMES = {
    "response_id": ("responseid", "response", "respondentid", "id", "surveyid", "submissionid"),
    "received_on": ("receivedon", "received", "date", "datereceived", "submitted", "submittedon", "completed", "completiondate"),
    "party": ("party", "participant", "role", "respondenttype", "youare"),
    "process": ("process", "processtype", "typeofprocess"),
}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("feedback", help="import participant feedback from a survey export")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add_import_command(actions, "evidence/feedback.csv by response_id (questions as in rsqm.yaml)", _import)
    template = actions.add_parser("map-template", help="write a starting import map from a survey export's header")
    template.add_argument("export", metavar="EXPORT", help="the .csv or .xlsx export")
    template.add_argument("--out", metavar="MAP.yaml", help="write the map here (default: print it)")
    template.add_argument("-w", "--workspace", metavar="DIR", default=None, help="workspace whose rsqm.yaml lists the questions")
    template.set_defaults(func=_template)


def _merge(ws: Workspace, rows: Iterable[tuple[int, dict[str, str]]], export: str, problems: list[Problem]) -> Merge:
    return merge_feedback(
        ws.feedback, rows, export=export, questions=list(ws.settings.feedback_questions),
        case_ref_pattern=ws.settings.case_ref_pattern, today=date.today(), problems=problems,
    )


def _import(args: argparse.Namespace) -> int:
    return run_import(
        args, FEEDBACK_FILE, lambda ws: feedback_target(ws.settings.feedback_questions), _merge,
        lambda ws, rows: feedback_csv(rows, ws.settings.feedback_questions), "responses",
    )


def _template(args: argparse.Namespace) -> int:
    questions = load_workspace(args.workspace).settings.feedback_questions
    names = HEADER_NAMES | {q: (text,) for q, text in questions.items()}
    normalised = {q: tuple(normalise(t) for t in texts) for q, texts in names.items()}
    return write_template(args, feedback_target(questions), normalised, ("party", "process", *questions), questions)
