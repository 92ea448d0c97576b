"""evidence/feedback.csv: participants' yes / no answers, read, written and merged (docs/case-data.md).

No free text, no case reference, no names: a cell that is not yes / no / blank
in a question column is refused, as is anything that looks like a case
reference or personal data anywhere in the file.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from pydantic import ValidationError

from rsqm.base.labels import field
from rsqm.base.problems import Problem, error
from rsqm.files.csvrows import data_rows
from rsqm.files.models import FEEDBACK_COLUMNS, FeedbackResponse
from rsqm.files.yamlio import describe_error
from rsqm.imports.case_import import Merge, merge_rows
from rsqm.imports.caselist import case_ref_search, cell_messages, cell_text
from rsqm.imports.reader import Target
from rsqm.privacy.detectors import looks_like_personal_column


def feedback_target(questions: Iterable[str]) -> Target:
    return Target(columns=(*FEEDBACK_COLUMNS, *questions), key="response_id", dates=("received_on",))


def response_breaches(response: FeedbackResponse, record: Mapping[str, str], case_ref: re.Pattern[str], today: date,
                      received: str = "received_on") -> list[str]:
    """Why one response may not be kept: a case reference or personal data in it, a date in the future.

    ``received`` names the date column as the reader knows it: the import names it by the export's own header.
    """
    found = cell_messages(record)
    found += [f"column '{column}' holds a case reference" for column, value in record.items() if case_ref.search(value)]
    if response.received_on > today:
        found.append(f"{received} {response.received_on} lies in the future")
    return found


def _build(record: Mapping[str, str], questions: Sequence[str], old: Mapping[str, Any] | None = None) -> FeedbackResponse:
    """A response from one mapped row, over the field values of the one it updates."""
    base = old or {"answers": {}}
    answers = {**base["answers"], **{q: record[q] for q in questions if q in record}}
    fixed = {c: record[c] for c in FEEDBACK_COLUMNS if c in record}
    return FeedbackResponse.model_validate({**base, **fixed, "answers": answers})


def parse_feedback(
    text: str, rel: str, questions: Mapping[str, str], case_ref_pattern: str, today: date
) -> tuple[list[FeedbackResponse], list[Problem]]:
    """Responses and every problem found, each at its line."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader, None) or []]
    except csv.Error as exc:
        return [], [error(rel, 1, f"CSV error: {exc}")]
    problems = [error(rel, 1, f"missing column '{c}'") for c in FEEDBACK_COLUMNS if c not in header]
    for column in header:
        if column not in FEEDBACK_COLUMNS and column not in questions:
            why = " (it looks like personal data)" if looks_like_personal_column(column) else ""
            known = ", ".join(questions) or "none: list them under feedback_questions in rsqm.yaml"
            problems.append(error(rel, 1, f"unknown question column '{column}'{why}; questions: {known}"))
    if problems:
        return [], problems
    asked = [c for c in header if c in questions]
    case_ref = case_ref_search(case_ref_pattern)
    responses: list[FeedbackResponse] = []
    seen: dict[str, int] = {}
    for start, row in data_rows(reader, len(header), rel, problems):
        record = dict(zip(header, (cell.strip() for cell in row), strict=True))
        name = record["response_id"] or "?"
        try:
            response = _build(record, asked)
        except ValidationError as exc:
            problems.extend(error(rel, start, f"{name}: {_answer_error(e, questions)}") for e in exc.errors())
            continue
        problems.extend(error(rel, start, f"{name}: {b}") for b in response_breaches(response, record, case_ref, today, f"the {field('received_on')}"))
        if response.response_id in seen:
            problems.append(error(rel, start, f"the response '{name}' appears twice (first at line {seen[name]})"))
            continue
        seen[response.response_id] = start
        responses.append(response)
    return responses, problems


def _answer_error(err: dict, questions: Mapping[str, str]) -> str:
    """The answer's error, naming its question by the question's own words (rsqm.yaml feedback_questions)."""
    loc = err["loc"]
    if len(loc) == 2 and loc[0] == "answers":
        return f"the answer to “{questions[loc[1]]}” must be yes, no or blank (no free text), got {err['input']!r}"
    return describe_error(err, in_words=True)


def feedback_csv(responses: Sequence[FeedbackResponse], questions: Iterable[str]) -> str:
    """The feedback file as written: the fixed columns, then the questions any response answers, in rsqm.yaml order."""
    asked = [q for q in questions if any(r.answers.get(q) is not None for r in responses)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*FEEDBACK_COLUMNS, *asked])
    for r in responses:
        writer.writerow([r.response_id, r.received_on.isoformat(), r.party, r.process, *(cell_text(r.answers.get(q)) for q in asked)])
    return buffer.getvalue()


def merge_feedback(
    existing: Sequence[FeedbackResponse],
    records: Iterable[tuple[int, dict[str, str]]],
    *,
    export: str,
    questions: Sequence[str],
    case_ref_pattern: str,
    today: date,
    problems: list[Problem],
) -> Merge[FeedbackResponse]:
    """Mapped survey rows into the feedback file by response_id."""
    case_ref = case_ref_search(case_ref_pattern)
    return merge_rows(
        existing, records, key="response_id", export=export,
        build=lambda record, old: _build(record, questions, old),
        check=lambda response, record: response_breaches(response, record, case_ref, today),
        problems=problems,
    )
