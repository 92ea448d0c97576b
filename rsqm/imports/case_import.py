"""Merging mapped export rows into evidence/cases.csv by case_ref (docs/case-data.md).

Pure: existing cases and mapped records in, the merged list and what changed
out. Every row is checked the way ``rsqm validate`` checks the case list, so an
import that succeeds leaves a valid workspace; any bad row rejects the whole
import, with every problem reported at once.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError

from rsqm.base.problems import Problem, error
from rsqm.files.models import CASE_COLUMNS, OPTIONAL_CASE_COLUMNS, Case
from rsqm.files.yamlio import describe_error
from rsqm.imports.caselist import cell_messages, rule_breaches
from rsqm.imports.packed import PackedRows
from rsqm.imports.reader import Target

CASE_TARGET = Target(
    columns=CASE_COLUMNS + OPTIONAL_CASE_COLUMNS,
    key="case_ref",
    dates=("referred_on", "closed_on", "first_contact_on", "rj_info_offered_on"),
)
T = TypeVar("T", bound=BaseModel)


@dataclass
class Merge(Generic[T]):
    """The outcome of merging an export: the full new list and what changed, or the problems."""

    key: str = ""  # the column rows are matched by
    rows: Sequence[T] = field(default_factory=list)  # existing order, updates in place, additions at the end
    added: list[str] = field(default_factory=list)
    updated: list[tuple[str, list[str]]] = field(default_factory=list)  # (key, changed columns)
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated)


def merge_rows(
    existing: Sequence[T],
    records: Iterable[tuple[int, dict[str, str]]],
    *,
    key: str,
    export: str,
    build: Callable[[dict[str, str], dict[str, object] | None], T],
    check: Callable[[T, dict[str, str]], list[str]],
    problems: list[Problem],
    model: type[BaseModel] | None = None,
) -> Merge[T]:
    """Merge records into ``existing`` by ``key``; ``build`` makes a row (over the old one's field values), ``check`` lists its breaches.

    ``problems`` may already hold problems found while reading; any problem
    means the merge is refused (the returned rows are then not to be written).
    """
    by_key = {getattr(row, key): index for index, row in enumerate(existing)}  # the export's own keys are checked by seen
    merged = PackedRows(existing)
    result: Merge[T] = Merge(key=key, problems=problems)
    seen: dict[str, int] = {}
    headers: dict[str, str] = getattr(records, "headers", {})  # ours -> the export's own header, when read through a map
    words = functools.partial(in_their_words, headers=headers)
    for number, record in records:
        ref = record.get(key, "")
        if not ref:
            problems.append(error(export, number, words(f"no {key} on row {number}: every row needs one")))
            continue
        if ref in seen:
            problems.append(error(export, number, words(f"{key} '{ref}' appears twice in the export (rows {seen[ref]} and {number})")))
            continue
        seen[ref] = number
        index = by_key.get(ref)
        old = merged.fields_of(index) if index is not None else None  # a row already there is not made into a model again
        try:
            row = build(record, old)
        except ValidationError as exc:
            problems.extend(error(export, number, f"{ref}: {words(describe_error(e, model))}") for e in exc.errors())
            continue
        breaches = check(row, record)
        if breaches:
            # a breach saying "{row}" is a whole sentence about the value; the others are about the row's case
            problems.extend(error(export, number, words(b.replace("{row}", str(number))) if "{row}" in b else f"{ref}: {words(b)}")
                            for b in breaches)
            continue
        if old is None:
            merged.append(row)
            result.added.append(ref)
        elif merged.holds(index, row):
            result.unchanged += 1
        else:
            merged[index] = row
            result.updated.append((ref, [name for name in type(row).model_fields if getattr(row, name) != old[name]]))
    result.rows = merged
    return result


def in_their_words(message: str, headers: dict[str, str]) -> str:
    """A message about our columns with each named by the export's own header ('closed_on' -> 'Date Closed')."""
    for ours in sorted(headers, key=len, reverse=True):
        theirs = headers[ours].replace("\\", "\\\\")
        message = re.sub(rf"column '{re.escape(ours)}'", f"column '{theirs}'", message)
        message = re.sub(rf"(?<![\w'])(?:answers\.)?{re.escape(ours)}(?![\w'])", theirs, message)
    return message


EXAMPLE_REFS = ("RJS-2025-0001", "RJ-2025-001", "RJS-2025-001", "RJ-2025-0001")


def example_ref(pattern: re.Pattern[str], existing: Sequence[Case]) -> str:
    """A case reference of this service to show as an example: one already in the case list, else a common form that fits."""
    for case in existing:
        if pattern.match(case.case_ref):
            return case.case_ref
    return next((ref for ref in EXAMPLE_REFS if pattern.match(ref)), "the form set as case_ref_pattern in rsqm.yaml")


def new_values(existing: Sequence[BaseModel], merge: Merge, columns: Sequence[str]) -> dict[str, list[str]]:
    """Values of ``columns`` the import brings that no existing row uses: often a word of theirs the map should translate."""
    known = {column: {getattr(row, column) for row in existing} for column in columns}
    asked = [column for column in columns if known[column]]  # a first import brings every word: none is new
    if not asked or not merge.changed:
        return {}
    changed = set(merge.added) | {key for key, _ in merge.updated}
    brought: dict[str, set] = {column: set() for column in asked}
    for row in merge.rows:  # one model at a time: the rows may be a million
        if getattr(row, merge.key) in changed:
            for column in asked:
                brought[column].add(getattr(row, column))
    found = {column: sorted(str(v) for v in brought[column] - known[column] if v not in (None, "")) for column in asked}
    return {column: fresh for column, fresh in found.items() if fresh}


def merge_cases(
    existing: Sequence[Case],
    records: Iterable[tuple[int, dict[str, str]]],
    *,
    export: str,
    case_ref_pattern: str,
    today: date,
    problems: list[Problem],
) -> Merge[Case]:
    """Mapped export rows into the case list: a row updates only the columns the map reads."""
    pattern = re.compile(case_ref_pattern)
    example = example_ref(pattern, existing)
    dates = operator.attrgetter(*CASE_TARGET.dates)

    def build(record: dict[str, str], old: dict[str, object] | None) -> Case:
        return Case.model_validate({**old, **record} if old else record)

    def check(case: Case, record: dict[str, str]) -> list[str]:
        found = cell_messages(record)
        if not pattern.match(case.case_ref):
            found.append(f"case_ref '{case.case_ref}' on row {{row}} is not a case reference of this service (expected something like {example})")
        found += rule_breaches(case)
        if max(filter(None, dates(case)), default=date.min) > today:
            found += [f"{c} {getattr(case, c)} lies in the future" for c in CASE_TARGET.dates if (getattr(case, c) or date.min) > today]
        return found

    return merge_rows(existing, records, key="case_ref", export=export, build=build, check=check, problems=problems, model=Case)
