"""Reading CSV rows with the line each starts on: the case list, the feedback file and exports share it."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from rsqm.base.problems import Problem, error


def data_rows(reader, width: int, rel: str, problems: list[Problem]) -> Iterator[tuple[int, list[str]]]:
    """Rows after the header, with the line each starts on (a quoted field may span lines).

    Blank rows are skipped; a row of the wrong width is reported and skipped; a
    CSV syntax error is reported and ends the reading.
    """
    line = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problems.append(error(rel, reader.line_num, f"CSV error: {exc}"))
            return
        start, line = line, reader.line_num + 1
        if not any(map(str.strip, row)):
            continue
        if len(row) != width:
            problems.append(error(rel, start, f"row has {len(row)} fields, the header has {width}"))
            continue
        yield start, row
