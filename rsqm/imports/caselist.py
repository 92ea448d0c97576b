"""Reading and writing evidence/cases.csv: the pseudonymised case list and sampling population."""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Mapping, Sequence
from datetime import date

from pydantic import ValidationError

from rsqm.base.labels import FIELD, field, readable
from rsqm.base.problems import Problem, error
from rsqm.files.csvrows import data_rows
from rsqm.files.models import CASE_COLUMNS, OPTIONAL_CASE_COLUMNS, Case
from rsqm.files.yamlio import describe_error
from rsqm.imports.packed import field_values
from rsqm.privacy.detectors import looks_like_personal_column, scan_line

FORMULA_START = ("=", "+", "-", "@")


def case_ref_search(case_ref_pattern: str) -> re.Pattern[str]:
    """The settings' anchored pattern, made to find case refs inside longer text."""
    body = case_ref_pattern.removeprefix("^").removeprefix(r"\A").removesuffix("$").removesuffix(r"\Z")
    return re.compile(f"(?:{body})")


def parse_cases(text: str, rel: str, case_ref_pattern: str) -> tuple[list[Case], dict[str, int], list[Problem]]:
    """Cases, the line each starts on, and every problem found (all of them, not the first)."""
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        return [], {}, [error(rel, 1, f"CSV error: {exc}")]
    if header is None:
        return [], {}, [error(rel, 1, "empty case list: the header row is missing")]
    header = [h.strip() for h in header]
    allowed = CASE_COLUMNS + OPTIONAL_CASE_COLUMNS
    for column in header:
        if column not in allowed:
            why = " (it looks like personal data)" if looks_like_personal_column(column) else ""
            problems.append(error(rel, 1, f"unknown column '{column}'{why}; allowed: {', '.join(allowed)}"))
    missing = [c for c in CASE_COLUMNS if c not in header and c not in ("outcome", "closed_on")]
    if missing:
        problems.append(error(rel, 1, f"missing column(s): {', '.join(missing)}"))
    if problems:
        return [], {}, problems

    pattern = re.compile(case_ref_pattern)
    cases: list[Case] = []
    lines: dict[str, int] = {}
    for start, row in data_rows(reader, len(header), rel, problems):
        record = dict(zip(header, (cell.strip() for cell in row), strict=True))
        try:
            case, invalid = Case.model_validate(record), None
        except ValidationError as exc:
            case, invalid = None, exc.errors()
        rejected = {str(e["loc"][0]) for e in invalid or () if e["loc"]}  # their own message says what is wrong
        row_problems = check_cells({k: v for k, v in record.items() if k not in rejected}, rel, start)
        if "\n" in "".join(row):
            row_problems.append(error(rel, start, "a field spans several lines; keep each case on one line"))
        problems.extend(row_problems)
        if case is None:
            problems.extend(error(rel, start, f"{record.get('case_ref', '?')}: {describe_error(e, Case, in_words=True)}") for e in invalid or ())
            continue
        if row_problems:
            continue
        if not pattern.fullmatch(case.case_ref) and not pattern.match(case.case_ref):
            problems.append(error(rel, start, f"the {field('case_ref')} '{case.case_ref}' does not have this service's form of reference (set in rsqm.yaml)"))
        if case.case_ref in lines:
            problems.append(error(rel, start, f"the {field('case_ref')} '{case.case_ref}' appears twice (first at line {lines[case.case_ref]})"))
            continue
        problems.extend(error(rel, start, f"{case.case_ref}: {readable(breach, FIELD)}") for breach in rule_breaches(case))
        lines[case.case_ref] = start
        cases.append(case)
    return cases, lines, problems


@functools.lru_cache(maxsize=1 << 16)
def _cell_problems(value: str) -> tuple[str, ...]:
    """What is wrong with one cell, whichever column holds it, cached: most cells repeat (dates, categories, staff codes)."""
    if value.startswith(FORMULA_START):
        return (f"holds a formula-like value {value[:20]!r}",)
    return tuple(f"looks like it holds personal data ({kind}: {text!r})" for kind, text in scan_line(value))


def rule_breaches(case: Case) -> list[str]:
    """What one case says that cannot be true: dates out of order, an agreement completed but never reached.

    Columns are named by their codes, for the import to name each by the export's own header; the case
    list's reader puts them in words.
    """
    found = []
    if case.closed_on and case.closed_on < case.referred_on:
        found.append("closed_on is before referred_on")
    if case.reported_on and case.referred_on < case.reported_on:
        found.append("referred_on is before reported_on")
    for column in ("first_contact_on", "rj_info_offered_on"):
        when = getattr(case, column)
        # the police may tell a victim about restorative justice before any referral (Victims' Code Right 3),
        # never before the crime was reported
        if when and column == "rj_info_offered_on" and case.reported_on and when < case.reported_on:
            found.append(f"{column} is before reported_on")
        elif when and when < case.referred_on and not (column == "rj_info_offered_on" and case.reported_on):
            found.append(f"{column} is before referred_on")
        if when and case.closed_on and case.closed_on < when:
            found.append(f"closed_on is before {column}")
    if case.agreement_completed and not case.agreement_reached:
        found.append("agreement_completed is yes but agreement_reached is not yes")
    if case.agreement_reached and case.offer_accepted is False:
        found.append("agreement_reached is yes but offer_accepted is no")
    if case.victim_under_18 is not None and case.age_band not in (None, "not_known") and (case.age_band == "under_18") != case.victim_under_18:
        found.append(f"age_band is {case.age_band} but victim_under_18 is {'yes' if case.victim_under_18 else 'no'}")
    return found


def check_cells(record: dict[str, str], rel: str, line: int) -> list[Problem]:
    """Formula-like cells and anything that looks like personal data are refused."""
    return [error(rel, line, message) for message in cell_messages(record)]


def cell_messages(record: Mapping[str, str]) -> list[str]:
    """``check_cells``' messages, for a caller that locates them itself."""
    if not any(map(_cell_problems, record.values())):  # nearly every row: its cells looked up without a loop in Python
        return []
    return [f"column '{column}' {problem}" for column, value in record.items() for problem in _cell_problems(value)]


def cell_text(value: object) -> str:
    """A model value as a CSV cell: yes / no for booleans, ISO dates, blank for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value.isoformat() if isinstance(value, date) else str(value)


def cases_csv(cases: Sequence[Case]) -> str:
    """The case list as written: the required columns, then the optional ones any case fills in."""
    filled = {column for values in field_values(cases, OPTIONAL_CASE_COLUMNS)
              for column, value in zip(OPTIONAL_CASE_COLUMNS, values, strict=True) if value not in (None, "")}
    used = [c for c in OPTIONAL_CASE_COLUMNS if c in filled]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*CASE_COLUMNS, *used])
    texts = _CellTexts()
    writer.writerows([value if type(value) is str else texts[value] for value in values]
                     for values in field_values(cases, [*CASE_COLUMNS, *used]))
    return buffer.getvalue()


class _CellTexts(dict):
    """``cell_text`` of each value met, worked out once: a case list's dates and yes / no repeat on thousands of rows."""

    def __missing__(self, value: object) -> str:
        text = self[value] = cell_text(value)
        return text
