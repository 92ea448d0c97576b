"""Reading an export (rsqm/imports/reader.py): a large .xlsx row by row, in memory that does not grow with the rows;
each repeated cell mapped once, as it would be every time."""

from __future__ import annotations

import re
import tracemalloc
from pathlib import Path

import pytest
from openpyxl import Workbook

from rsqm.base.paths import KNOWN_NAMES_FILE
from rsqm.base.problems import Problem
from rsqm.imports import reader
from rsqm.imports.case_import import CASE_TARGET
from rsqm.imports.reader import mapped_rows, read_table

HEADER = ["Case Reference", "Referral Date", "Date Closed", "Process Type", "Offence", "Initiated By", "Facilitator Code", "Victim Name"]
MAP = """schema: rsqm/case-import@1
columns: {case_ref: Case Reference, referred_on: Referral Date, closed_on: Date Closed, process: Process Type,
          offence_category: Offence, initiator: Initiated By, practitioner: Facilitator Code}
dates: dayfirst
values:
  process: {Shuttle: shuttle}
  initiator: {Victim: harmed_person}
ignore: [Victim Name]
"""


def write_only_xlsx(path: Path, rows: list[list[object]]) -> Path:
    """Saved as openpyxl's write-only mode saves it (as some systems export): inline strings, no <dimension> in the sheet."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def row(n: int, referred: str = "03/02/2025") -> list[object]:
    return [f"RJ-2025-{n:05d}", referred, "", "Shuttle", "theft", "Victim", "P01", f"Invented Quillperson{n}"]


def peak_while_reading(path: Path) -> tuple[int, int]:
    """The rows read, and the peak memory allocated while reading them (the workbook's bytes already in hand)."""
    data = path.read_bytes()
    tracemalloc.start()
    try:
        table = read_table(path.name, data)
        count = sum(1 for _ in table.rows(range(len(table.header)), []))
        return count, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_reading_four_times_the_rows_takes_no_more_memory(tmp_path):
    # every row alike, so any growth is rows kept by the reader
    # (openpyxl's load_workbook keeps an element of every row of a sheet without <dimension>: 1,500 rows, 190 KB)
    warm, small, large = (write_only_xlsx(tmp_path / f"{n}.xlsx", [row(1)] * n) for n in (1, 500, 2_000))
    peak_while_reading(warm)  # the reader's modules are imported on first use
    (read_small, peak_small), (read_large, peak_large) = peak_while_reading(small), peak_while_reading(large)
    assert (read_small, read_large) == (500, 2_000)
    assert peak_large - peak_small < 64 * 1024, f"{peak_small:,} bytes for 500 rows, {peak_large:,} for 2,000"


def test_thousands_of_xlsx_rows_import_with_their_names_kept_privately(ws, cli, tmp_path):
    export = write_only_xlsx(tmp_path / "export.xlsx", [row(n) for n in range(3_000)])
    (tmp_path / "map.yaml").write_text(MAP, encoding="utf-8")
    result = cli("cases", "import", str(export), "--map", str(tmp_path / "map.yaml"), "-w", str(ws.root))
    assert result.code == 0, result.err
    assert "3000 cases: 3000 added, 0 updated, 0 unchanged" in result.out
    lines = (ws.root / "evidence" / "cases.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3_001 and lines[1].startswith("RJ-2025-00000,2025-02-03,")
    assert "Quillperson" not in "".join(lines)
    names = (ws.root / KNOWN_NAMES_FILE).read_text(encoding="utf-8")
    assert sum(line.startswith("Invented Quillperson") for line in names.splitlines()) == 3_000


def test_a_bad_row_is_located_by_its_row_in_the_sheet_past_blank_rows(ws, cli, tmp_path):
    export = write_only_xlsx(tmp_path / "export.xlsx", [row(1), row(2), [], [], row(3, referred="31/02/2025"), row(4)])
    (tmp_path / "map.yaml").write_text(MAP, encoding="utf-8")
    before = (ws.root / "evidence" / "cases.csv").read_bytes()
    result = cli("cases", "import", str(export), "--map", str(tmp_path / "map.yaml"), "-w", str(ws.root))
    assert result.code == 1
    assert "export.xlsx:6: error: column 'Referral Date': '31/02/2025' is not a real date" in result.err
    assert "Traceback" not in result.err and (ws.root / "evidence" / "cases.csv").read_bytes() == before


def test_a_cell_pointing_past_the_shared_strings_is_a_located_error(ws, cli, tmp_path):
    import zipfile

    plain = write_only_xlsx(tmp_path / "plain.xlsx", [row(1), row(2)])
    crafted = tmp_path / "export.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(crafted, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":  # the third row's first cell: a shared string the workbook lacks
                data, count = re.subn(rb'<c r="A3" t="inlineStr">.*?</c>', b'<c r="A3" t="s"><v>99999</v></c>', data)
                assert count == 1
            out.writestr(info, data)
    (tmp_path / "map.yaml").write_text(MAP, encoding="utf-8")
    result = cli("cases", "import", str(crafted), "--map", str(tmp_path / "map.yaml"), "-w", str(ws.root))
    assert result.code == 1
    assert "export.xlsx:3: error: a cell of this row cannot be read" in result.err
    assert "internal error" not in result.err and "Traceback" not in result.err


def mapped_csv(rows: list[list[object]]) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    """An export's rows as the import reads them through MAP, and the problems found while reading."""
    data = "\r\n".join(",".join(map(str, cells)) for cells in [HEADER, *rows]).encode("utf-8")
    problems: list[Problem] = []
    records = list(mapped_rows("export.csv", data, MAP, "map.yaml", CASE_TARGET, problems))
    return records, [str(p) for p in problems]


REPEATS = [row(1), row(2, referred="31/02/2025"), row(3), row(4, referred="31/02/2025"), row(5, referred="04/02/2025"),
           [*row(6)[:3], " shuttle ", *row(6)[4:]], [*row(7)[:3], "Conference", *row(7)[4:]], row(8, referred="3 Feb 2025")]


@pytest.mark.parametrize("kept", [0, 2])
def test_a_cell_met_before_maps_as_it_did_the_first_time_and_a_bad_one_is_reported_on_each_row(monkeypatch, kept):
    remembered = mapped_csv(REPEATS)
    monkeypatch.setattr(reader._MappedColumn, "SEEN", kept)  # 0: every cell mapped as it comes; 2: most of them
    assert mapped_csv(REPEATS) == remembered
    records, problems = remembered
    assert [number for number, _ in records] == [2, 4, 6, 7, 8]
    assert [r["referred_on"] for _, r in records] == ["2025-02-03", "2025-02-03", "2025-02-04", "2025-02-03", "2025-02-03"]
    assert [r["process"] for _, r in records] == ["shuttle", "shuttle", "shuttle", "shuttle", "Conference"]
    assert problems == [
        "export.csv:3: error: column 'Referral Date': '31/02/2025' is not a real date (read as year 2025, month 02, day 31)",
        "export.csv:5: error: column 'Referral Date': '31/02/2025' is not a real date (read as year 2025, month 02, day 31)",
        "export.csv:9: error: column 'Referral Date': '3 Feb 2025' is not a date (day first, e.g. 31/01/2026)",
    ]
