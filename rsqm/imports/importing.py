"""One import, whichever shell runs it: an export and its map in, the merge and the new file text out (no I/O)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from rsqm.base.paths import CASES_FILE, FEEDBACK_FILE
from rsqm.base.problems import Problem, sort_problems
from rsqm.files.folder import Workspace
from rsqm.imports.case_import import CASE_TARGET, Merge, merge_cases, new_values
from rsqm.imports.caselist import cases_csv
from rsqm.imports.feedback import feedback_csv, feedback_target, merge_feedback
from rsqm.imports.map_template import case_map_template, feedback_map_template
from rsqm.imports.reader import ExportRefused, Table, Target, mapped_rows

Rows = Iterable[tuple[int, dict[str, str]]]


@dataclass(frozen=True)
class ImportKind:
    """Where an import goes and how its rows are merged."""

    rel: str  # the workspace file it rewrites
    what: str  # what a row is, for messages
    existing: Callable[[Workspace], list]  # the rows the file holds now
    target: Callable[[Workspace], Target]
    merge: Callable[[Workspace, Rows, str, list[Problem], date], Merge]
    render: Callable[[Workspace, list], str]
    template: Callable[[Workspace | None, Table], str]  # a starting map from an export's header
    vocabulary: tuple[str, ...]  # columns whose words should match the ones already in use


CASES = ImportKind(
    rel=CASES_FILE,
    what="cases",
    existing=lambda ws: ws.cases,
    target=lambda ws: CASE_TARGET,
    merge=lambda ws, rows, export, problems, today: merge_cases(
        ws.cases, rows, export=export, case_ref_pattern=ws.settings.case_ref_pattern, today=today, problems=problems),
    render=lambda ws, rows: cases_csv(rows),
    template=lambda ws, table: case_map_template(table, CASE_TARGET),
    vocabulary=("process", "offence_category", "initiator", "outcome", "referral_source"),
)
FEEDBACK = ImportKind(
    rel=FEEDBACK_FILE,
    what="responses",
    existing=lambda ws: ws.feedback,
    target=lambda ws: feedback_target(ws.settings.feedback_questions),
    merge=lambda ws, rows, export, problems, today: merge_feedback(
        ws.feedback, rows, export=export, questions=list(ws.settings.feedback_questions),
        case_ref_pattern=ws.settings.case_ref_pattern, today=today, problems=problems),
    render=lambda ws, rows: feedback_csv(rows, ws.settings.feedback_questions),
    template=lambda ws, table: feedback_map_template(
        table, feedback_target(ws.settings.feedback_questions if ws else {}), ws.settings.feedback_questions if ws else {}),
    vocabulary=("process",),
)


@dataclass(frozen=True)
class Prepared:
    """The merge to write, or every problem that stops it."""

    merge: Merge | None
    problems: list[Problem]
    text: str | None  # the new file, when something changed
    new_values: dict[str, list[str]] = field(default_factory=dict)  # words no existing row uses, per column
    names: list[str] = field(default_factory=list)  # people's names in the columns the map ignores: kept privately, never imported

    @property
    def summary(self) -> str:
        m = self.merge
        return "" if m is None else f"{len(m.added)} added, {len(m.updated)} updated, {m.unchanged} unchanged"


def prepare(ws: Workspace, kind: ImportKind, export: str, data: bytes, map_text: str, map_rel: str, today: date) -> Prepared:
    problems: list[Problem] = []
    try:
        rows = mapped_rows(export, data, map_text, map_rel, kind.target(ws), problems)
        merge = kind.merge(ws, rows, export, problems, today)
    except ExportRefused as refused:
        return Prepared(None, refused.problems, None)
    if problems:
        return Prepared(None, sort_problems(problems), None)
    text = kind.render(ws, merge.rows) if merge.changed else None
    return Prepared(merge, [], text, new_values(kind.existing(ws), merge, kind.vocabulary), sorted(rows.names))
