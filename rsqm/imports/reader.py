"""Reading another system's export (CSV or XLSX) through an import map, into our columns.

Pure over bytes: the shells read the export and the map, this module turns them
into records keyed by our column names, with every problem located as
``EXPORT:ROW``. Columns the map ignores are dropped as the rows are read: their
values are never kept, checked, printed or written.
"""

from __future__ import annotations

import csv
import functools
import io
import operator
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from rsqm.base.errors import InputRefused
from rsqm.base.problems import Problem, error
from rsqm.files.csvrows import data_rows
from rsqm.files.models import CaseImportMap
from rsqm.files.yamlio import YamlRefused, decode, load_yaml_text, parse_model
from rsqm.privacy.names import is_name_column

_NUMERIC_DATE = re.compile(r"(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_STYLE_WORDS = {"dayfirst": "day first, e.g. 31/01/2026", "monthfirst": "month first, e.g. 01/31/2026", "iso": "YYYY-MM-DD"}

Cell = str | int | float | bool | date | datetime | None


class ExportRefused(InputRefused):
    """The export or the map cannot be used at all; carries the problems to report."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(map(str, problems)))
        self.problems = problems


@dataclass(frozen=True)
class Target:
    """The file an export is imported into: its columns, its key, its date columns."""

    columns: tuple[str, ...]
    key: str
    dates: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """An export's header and a way to read its rows, keeping only the columns asked for."""

    name: str
    header: list[str]
    rows: Callable[[Sequence[int], list[Problem]], Iterator[tuple[int, Sequence[Cell]]]]


MapLine = Callable[[Sequence[str | int]], int | None]


def load_map(text: str, rel: str) -> tuple[CaseImportMap, MapLine]:
    """Parse an import map, with the line of each key; raises ``ExportRefused`` with line-numbered problems."""
    try:
        loaded = load_yaml_text(text, rel)
    except YamlRefused as refused:
        raise ExportRefused([refused.problem]) from None
    if not isinstance(loaded.data, dict):
        raise ExportRefused([*loaded.problems, error(rel, 1, "expected a mapping with schema, columns, dates, values, ignore")])
    parsed, problems = parse_model(CaseImportMap, loaded, rel)
    errors = [p for p in loaded.problems + problems if p.is_error]
    if parsed is None or errors:
        raise ExportRefused(errors)
    return parsed, loaded.line


def read_table(name: str, data: bytes) -> Table:
    """The export as a table: ``.xlsx`` by its contents (a ZIP), anything else as CSV text."""
    if data.startswith(b"PK\x03\x04"):
        return _xlsx_table(name, data)
    return _csv_table(name, data)


def decode_export(data: bytes, name: str) -> str:
    """UTF-8 (with or without a byte-order mark), else Windows-1252: what spreadsheet programs save."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text, _ = decode(data, name)
        return text
    except YamlRefused as refused:
        if "UTF-8" not in refused.problem.message or "UTF-16" in refused.problem.message:
            raise ExportRefused([refused.problem]) from None
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ExportRefused([error(name, None, "file is neither UTF-8 nor Windows-1252 text; save it as CSV UTF-8")]) from None


def _csv_table(name: str, data: bytes) -> Table:
    text = decode_export(data, name)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise ExportRefused([error(name, 1, f"CSV error in the header row: {exc}")]) from None
    if not header or not any(h.strip() for h in header):
        raise ExportRefused([error(name, 1, "the export has no header row")])

    def rows(keep: Sequence[int], problems: list[Problem]) -> Iterator[tuple[int, Sequence[Cell]]]:
        take = operator.itemgetter(*keep) if len(keep) > 1 else lambda row: [row[i] for i in keep]  # one: not a tuple
        for number, row in data_rows(reader, len(header), name, problems):
            yield number, take(row)

    return Table(name, [h.strip() for h in header], rows)


def _xml_refused(name: str, exc: Exception) -> ExportRefused:
    what = type(exc).__name__
    return ExportRefused([error(name, None, f"its XML is refused ({what}: {exc}): a workbook with a DTD or entities is not a plain "
                                            "Excel export; open it in Excel and save it again as .xlsx, or export as .csv")])


def _xlsx_table(name: str, data: bytes) -> Table:
    """The first worksheet, read row by row.

    openpyxl reads the workbook's parts (shared strings, styles for dates, the
    sheet list) and converts each row; the sheet itself is parsed here, each row
    dropped from the parse tree once read, so memory does not grow with the
    rows. ``load_workbook`` is not used: without a ``<dimension>`` in the sheet
    (openpyxl's own write-only files have none) it parses the whole sheet first
    and keeps every element it met.
    """
    import zipfile
    from xml.etree.ElementTree import ParseError

    import defusedxml
    from defusedxml.ElementTree import iterparse  # no entity expansion, no external fetches
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet
    from openpyxl.worksheet._reader import DATA_TAG, ROW_TAG, WorkSheetParser

    xml_errors = (ParseError, defusedxml.DefusedXmlException)
    try:
        reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)  # its parts are parsed with defusedxml too
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        sheets = [rel.target for _, rel in reader.parser.find_sheets() if rel.target in reader.valid_files and "chartsheet" not in rel.Type]
    except xml_errors as exc:
        raise _xml_refused(name, exc) from None
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ExportRefused([error(name, None, f"cannot read it as an .xlsx workbook: {exc}")]) from None
    if not sheets:
        raise ExportRefused([error(name, None, "the workbook has no worksheet")])
    cells = WorkSheetParser(None, reader.shared_strings, data_only=True, epoch=reader.wb.epoch,
                            date_formats=reader.wb._date_formats, timedelta_formats=reader.wb._timedelta_formats)

    def parsed() -> Iterator[tuple[int, list[Cell]]]:
        with reader.archive, reader.archive.open(sheets[0]) as source:
            try:
                rows = None
                for event, element in iterparse(source, events=("start", "end")):
                    if event == "start":
                        if element.tag == DATA_TAG:
                            rows = element
                    elif element.tag == ROW_TAG:
                        try:
                            number, found = cells.parse_row(element)
                        except (ValueError, IndexError, KeyError, TypeError, OverflowError) as exc:  # a shared string that is not there
                            raise ExportRefused([error(name, cells.row_counter or None, f"a cell of this row cannot be read "
                                                       f"({type(exc).__name__}: {exc}); open it in Excel and save it again")]) from None
                        (element if rows is None else rows).clear()  # the row read is the only child: nothing is kept
                        row: list[Cell] = [None] * max((c["column"] for c in found), default=0)
                        for cell in found:
                            row[cell["column"] - 1] = cell["value"]
                        yield number, row
            except xml_errors as exc:
                raise _xml_refused(name, exc) from None

    found = parsed()
    first = next(found, (1, []))[1]
    if not any(_text(c) for c in first):
        raise ExportRefused([error(name, 1, "the first sheet has no header row")])
    width = max(i for i, c in enumerate(first) if _text(c)) + 1
    header = [_text(c) for c in first[:width]]

    def rows(keep: Sequence[int], problems: list[Problem]) -> Iterator[tuple[int, list[Cell]]]:
        for number, row in found:
            if not any(_text(c) for c in row):
                continue
            if any(_text(c) for c in row[width:]):
                problems.append(error(name, number, f"row has values beyond the {width} columns of the header"))
                continue
            padded = (*row, *([None] * (width - len(row))))
            yield number, [padded[i] for i in keep]

    return Table(name, header, rows)


def _text(cell: Cell) -> str:
    """A cell as text: whole numbers without '.0', booleans as yes/no, dates as ISO."""
    if type(cell) is str:  # nearly every cell: CSV gives nothing else
        return cell.strip()
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "yes" if cell else "no"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell).strip()


def parse_date(cell: Cell, style: str) -> date:
    """One export date, read the way the map says; ``ValueError`` says why it is not a date."""
    if type(cell) is str:  # every CSV cell
        return _parse_text_date(cell.strip(), style)
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, int | float) and not isinstance(cell, bool) and 1 <= cell < 2958466:
        return _excel_serial(cell)
    return _parse_text_date(_text(cell), style)


def _excel_serial(number: float) -> date:
    """A spreadsheet date kept as its serial number (a date column formatted as a number)."""
    from openpyxl.utils.datetime import from_excel

    return from_excel(number).date()


@functools.lru_cache(maxsize=1 << 14)
def _parse_text_date(text: str, style: str) -> date:
    """Cached: an export repeats the same few thousand dates many times over."""
    if "%" in style:
        try:
            return datetime.strptime(text, style).date()
        except ValueError:
            raise ValueError(f"'{text}' is not a date in the format {style}") from None
    match = _NUMERIC_DATE.fullmatch(text)
    if not match:
        raise ValueError(f"'{text}' is not a date ({_STYLE_WORDS[style]})")
    a, b, c = match.groups()
    if len(a) == 4:
        year, month, day = a, b, c
    elif style == "iso":
        raise ValueError(f"'{text}' is not a date (YYYY-MM-DD); set dates: dayfirst or monthfirst in the map")
    elif len(c) != 4:
        raise ValueError(f"'{text}' has a two-digit year; set dates to a format such as %d/%m/%y in the map")
    else:
        year, month, day = (c, b, a) if style == "dayfirst" else (c, a, b)
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(f"'{text}' is not a real date (read as year {year}, month {month}, day {day})") from None


@functools.lru_cache(maxsize=1 << 14)
def _iso_text(text: str, style: str) -> str:
    """An export's date text as ISO, cached like ``_parse_text_date``."""
    return _parse_text_date(text, style).isoformat()


@dataclass(frozen=True)
class ColumnPlan:
    """Which export columns are read, and as which of our columns."""

    ours: list[str]  # our column names, in reading order
    theirs: list[str]  # their headers, same order
    indexes: list[int]  # positions in the export's rows
    unnamed: list[int]  # positions of columns without a header: read only to check they are empty
    names: list[int]  # positions of ignored columns holding people's names ("Victim Name"): read only for the known-names list


def plan_columns(table: Table, mapping: CaseImportMap, target: Target, map_rel: str, map_line: MapLine) -> ColumnPlan:
    """Match the map to the export's header; raises ``ExportRefused`` listing every mismatch at once."""
    problems: list[Problem] = []
    for section, names in (("columns", mapping.columns), ("values", mapping.values)):
        for ours in names:
            if ours not in target.columns:
                problems.append(error(map_rel, map_line((section, ours)), f"unknown column '{ours}' of ours; known: {', '.join(target.columns)}"))
    for ours, rule in mapping.rewrite.items():
        if ours not in target.columns:
            problems.append(error(map_rel, map_line(("rewrite", ours)), f"unknown column '{ours}' of ours; known: {', '.join(target.columns)}"))
        problems += _rewrite_problems(rule.match, rule.to, map_rel, map_line(("rewrite", ours, "match")), map_line(("rewrite", ours, "to")))
    if target.key not in mapping.columns:
        problems.append(error(map_rel, map_line(("columns",)), f"columns must map {target.key}: it is how rows are matched"))
    mapped = {theirs.strip().casefold() for theirs in mapping.columns.values()}
    ignored = {theirs.strip().casefold() for theirs in mapping.ignore}
    for index, theirs in enumerate(mapping.ignore):
        if theirs.strip().casefold() in mapped:
            problems.append(error(map_rel, map_line(("ignore", index)), f"column '{theirs}' is both mapped and ignored"))
    positions: dict[str, int] = {}
    unnamed: list[int] = []
    for index, header in enumerate(table.header):
        folded = header.casefold()
        if not header:
            unnamed.append(index)
        elif folded not in mapped | ignored:
            problems.append(error(table.name, 1, f"column '{header}' is neither mapped nor ignored by the map; add it under columns or ignore"))
        elif folded in positions and folded in mapped:
            problems.append(error(table.name, 1, f"column '{header}' appears twice in the header"))
        positions.setdefault(folded, index)
    for ours, theirs in mapping.columns.items():
        if theirs.strip().casefold() not in positions:
            problems.append(error(table.name, 1, f"column '{theirs}' (mapped to {ours}) is not in the export"))
    if problems:
        raise ExportRefused(problems)
    ours = list(mapping.columns)
    theirs = [mapping.columns[o] for o in ours]
    names = [index for index, header in enumerate(table.header) if header.casefold() in ignored and is_name_column(header)]
    return ColumnPlan(ours, theirs, [positions[t.strip().casefold()] for t in theirs], unnamed, names)


_GROUP_REFERENCE = re.compile(r"\\(\d+)|\\g<([^>]*)>")


def _rewrite_problems(match: str, to: str, rel: str, match_line: int | None, to_line: int | None) -> list[Problem]:
    """A rewrite rule that cannot work, located in the map: a regular expression that does not compile, a missing part."""
    try:
        compiled = re.compile(match)
    except re.error as exc:
        return [error(rel, match_line, f"rewrite: match is not a valid regular expression ({exc})")]
    found = []
    for number, name in _GROUP_REFERENCE.findall(to):
        if number and int(number) > compiled.groups:
            found.append(error(rel, to_line, f"rewrite: to uses part \\{number}, but match has only {compiled.groups} part(s) in brackets"))
        if name and not (name.isdigit() and int(name) <= compiled.groups) and name not in compiled.groupindex:
            found.append(error(rel, to_line, f"rewrite: to uses part '{name}', which match does not have"))
    return found


def _rewriter(match: str, to: str) -> Callable[[str], str]:
    compiled = re.compile(match)

    def rewrite(text: str) -> str:
        return compiled.sub(to, text, count=1) if compiled.search(text) else text

    return rewrite


class MappedRows(Iterator[tuple[int, dict[str, str]]]):
    """The mapped rows, and the export's own header for each of our columns (for messages in the export's words).

    ``names`` fills as the rows are read: every name in the columns the map ignores that hold people's names,
    not imported but kept privately so the pre-flight knows them (rsqm.privacy.names), once the import is accepted.
    """

    def __init__(self, rows: Iterator[tuple[int, dict[str, str]]], headers: dict[str, str], names: set[str]):
        self._rows = rows
        self.headers = headers
        self.names = names

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        return self._rows  # a loop over the rows steps the reading itself

    def __next__(self) -> tuple[int, dict[str, str]]:
        return next(self._rows)


def mapped_records(
    table: Table, mapping: CaseImportMap, plan: ColumnPlan, target: Target, problems: list[Problem], names: set[str]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows as {our column: text}: values mapped, dates as ISO. A row with problems is reported and skipped.

    The names in ``plan.names`` go to ``names``, whatever the row's problems.
    """
    lookups = {ours: _lookup(table) for ours, table in mapping.values.items()}
    rewrites = {ours: _rewriter(rule.match, rule.to) for ours, rule in mapping.rewrite.items()}
    columns = [_MappedColumn(ours, theirs, rewrites.get(ours), lookups.get(ours), mapping.dates if ours in target.dates else None)
               for ours, theirs in zip(plan.ours, plan.theirs, strict=True)]
    ours, seen = [column.ours for column in columns], [column.seen for column in columns]
    mapped, checked = len(plan.indexes), len(plan.indexes) + len(plan.unnamed)
    for number, cells in table.rows(plan.indexes + plan.unnamed + plan.names, problems):
        names.update(filter(None, map(_text, cells[checked:])))
        bad = False
        for index, cell in zip(plan.unnamed, cells[mapped:checked], strict=True):
            if _text(cell):
                problems.append(error(table.name, number, f"column {index + 1} has no header but holds a value; name it so the map can ignore it"))
                bad = True
        texts = list(map(dict.get, seen, cells[:mapped]))  # the cells their columns have met before: no loop in Python
        at = -1
        for _ in range(texts.count(None)):  # the others, in column order (a key column's every cell)
            at = texts.index(None, at + 1)
            text = columns[at].read(cells[at])
            if type(text) is str:
                texts[at] = text
            else:
                problems.append(error(table.name, number, f"column '{columns[at].theirs}': {text}"))
                bad = True
        if not bad:
            yield number, dict(zip(ours, texts, strict=True))


class _MappedColumn:
    """One mapped column: how a cell of theirs becomes our text, and the text each cell already read gave (``seen``).

    A column of dates or categories repeats a few values on every row: each is mapped once. ``read`` gives the
    ``ValueError`` itself for a cell that cannot be read, for the row to report; such a cell is not kept.
    """

    SEEN = 1 << 14  # distinct cells kept; past that (a column of unique references) the others are mapped as they come

    def __init__(self, ours: str, theirs: str, rewrite: Callable[[str], str] | None, lookup: Callable[[str], str] | None,
                 dates: str | None):
        self.ours, self.theirs = ours, theirs
        self._rewrite, self._lookup, self._dates = rewrite, lookup, dates
        self.seen: dict[str | None, str] = {}  # text cells and the empty cell only: True, 1 and 1.0 would be one key

    def read(self, cell: Cell) -> str | ValueError:
        try:
            text = self._mapped(cell)
        except ValueError as exc:
            return exc
        if (type(cell) is str or cell is None) and len(self.seen) < self.SEEN:
            self.seen[cell] = text
        return text

    def _mapped(self, cell: Cell) -> str:
        text = cell.strip() if type(cell) is str else _text(cell)
        if self._rewrite is not None and text:
            text = self._rewrite(text)
        if self._lookup is not None and text:
            text = self._lookup(text)  # a value the map does not list passes through, then is checked like any other
        if self._dates is not None and text:
            text = _iso_text(text, self._dates) if type(cell) is str else parse_date(
                cell if self._lookup is None else text, self._dates).isoformat()
        return text


def _lookup(values: dict[str, str]) -> Callable[[str], str]:
    """Their value -> ours: exact, then ignoring case; a value the map does not list passes through unchanged."""
    exact = {k.strip(): v for k, v in values.items()}
    folded = {k.strip().casefold(): v for k, v in values.items()}

    def find(text: str) -> str:
        if text in exact:
            return exact[text]
        return folded.get(text.casefold(), text)

    return find


def mapped_rows(
    name: str, data: bytes, map_text: str, map_rel: str, target: Target, problems: list[Problem]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Read an export through a map: map and header problems raise ``ExportRefused`` at once, row problems go to ``problems``."""
    mapping, map_line = load_map(map_text, map_rel)
    table = read_table(name, data)
    plan = plan_columns(table, mapping, target, map_rel, map_line)
    names: set[str] = set()
    return MappedRows(mapped_records(table, mapping, plan, target, problems, names), dict(mapping.columns), names)
