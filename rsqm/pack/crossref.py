"""crossref.xlsx: the cross-reference matrix an assessor filters, one sheet per framework.

Each row is one evidence link (indicator x evidence id) with its locator and
claim, beside the indicator's status on the as-of date. The workbook is written
with fixed properties and timestamps, so the same plan gives the same bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.writer.excel import ExcelWriter

from rsqm.assess.gaps import Assessment
from rsqm.base.labels import STATUS
from rsqm.pack.archive import normalise_zip, zip_time
from rsqm.pack.omissions import left_out
from rsqm.pack.plan import PackPlan

CROSSREF = "crossref.xlsx"
HEADERS = ("Indicator", "Indicator title", "Status", "Evidence", "Evidence title", "File in this pack", "Locator", "Claim",
           "Counted through a mapping", "In this pack")
WIDTHS = (10, 42, 14, 10, 40, 36, 22, 60, 30, 40)
FILE_COLUMN = 6  # 1-based: the file name, a link that opens the file inside the unzipped pack
_MAPPED = re.compile(r"^(?:(?P<claim>.*) \()?linked to (?P<fid>[^:\s]+):(?P<ind>\S+), mapped as equal\)?$", re.S)


def sheet_title(title: str, taken: set[str]) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\, not starting or ending with ', not History, unique."""
    whole = re.sub(r"[\[\]:*?/\\]", "-", " ".join(title.split()))
    base = whole if len(whole) <= 31 else (whole[:32].rsplit(" ", 1)[0] if " " in whole[:32] else whole[:31])
    base = base.strip().strip("'").strip() or "framework"
    if base.lower() == "history":
        base = "History (framework)"
    title, number = base, 2
    while title.lower() in taken:
        suffix = f" ({number})"
        title, number = base[: 31 - len(suffix)].rstrip().rstrip("'") + suffix, number + 1
    taken.add(title.lower())
    return title


def split_claim(claim: str, titles: dict[str, str]) -> tuple[str, str]:
    """(the service's claim, the mapping it was counted through in words) from a link counted through a mapping."""
    found = _MAPPED.match(claim)
    if not found:
        return claim, ""
    return found["claim"] or "", f"{titles.get(found['fid'], found['fid'])} {found['ind']}, mapped as equal"


def _rows(plan: PackPlan, assessment: Assessment) -> list[tuple[tuple[str, ...], str]]:
    """Each row's cells, and the file in the pack its file cell opens ("" for none)."""
    titles = {item.id: item.title for item in plan.ws.register.items}
    framework_titles = {fid: framework.title for fid, framework in plan.ws.frameworks.items()}
    files = {e.item.id: e.name for e in plan.evidence}
    why_not = dict(left_out(plan.ws.register.items, set(files), assessment))
    rows = []
    for result in assessment.indicators:
        status = STATUS[result.status]
        if not result.links:
            rows.append(((result.id, result.title, status, "", "", "", "", "", "", ""), ""))
        for evidence_id, locator, claim in result.links:
            said, mapped = split_claim(claim, framework_titles)
            name = files.get(evidence_id, "")
            packed = "yes" if name else "no: " + why_not.get(evidence_id, f"{evidence_id} is not in the evidence register")
            rows.append(((result.id, result.title, status, evidence_id, titles.get(evidence_id, ""), name, locator, said,
                          mapped, packed), name))
    return rows


WRAPPED = Alignment(wrap_text=True, vertical="top")


def _align(cell: Cell, alignment: int) -> None:
    """What ``cell.alignment = WRAPPED`` stores (``alignment``: its number in the workbook), without openpyxl hashing
    the Alignment again for each cell: a third of the workbook's time on L."""
    if cell._style is None:
        cell._style = StyleArray()
    cell._style.alignmentId = alignment


def build_crossref(plan: PackPlan) -> bytes:
    """The workbook's bytes: identical for the same plan."""
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="D9E2F3")
    wrapped = book._alignments.add(WRAPPED)  # its number in the workbook's alignments, as openpyxl's setter finds it
    for assessment in (plan.assessment, *plan.others):
        sheet = book.create_sheet(sheet_title(assessment.framework_title, taken))
        sheet.append(HEADERS)
        for cell in sheet[1]:
            cell.font, cell.fill = bold, fill
        for number, (row, target) in enumerate(_rows(plan, assessment), start=2):  # counted: max_row reads every cell
            sheet.append(row)
            if target:  # relative: opens the file beside the workbook once the pack is unzipped
                cell = sheet.cell(row=number, column=FILE_COLUMN)
                cell.hyperlink = target
                cell.style = "Hyperlink"
        for column, width in zip("ABCDEFGHIJ", WIDTHS, strict=True):
            sheet.column_dimensions[column].width = width
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                _align(cell, wrapped)
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
    moment = datetime(plan.as_of.year, plan.as_of.month, plan.as_of.day)
    book.properties.creator = book.properties.lastModifiedBy = "rsqm"
    book.properties.title = f"{plan.assessment.service}: cross-reference of evidence"
    book.properties.created = book.properties.modified = moment
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).write_data()  # save_workbook() would stamp the current time
    return normalise_zip(out.getvalue(), zip_time(plan.as_of))
