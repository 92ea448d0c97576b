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
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.writer.excel import ExcelWriter

from rsqm.assess.gaps import Assessment
from rsqm.base.labels import STATUS
from rsqm.pack.archive import normalise_zip, zip_time
from rsqm.pack.plan import PackPlan

CROSSREF = "crossref.xlsx"
HEADERS = ("Indicator", "Indicator title", "Status", "Evidence", "Evidence title", "Locator", "Claim", "In this pack")
WIDTHS = (10, 42, 14, 10, 40, 22, 60, 12)


def sheet_title(framework_id: str, taken: set[str]) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\, unique."""
    base = re.sub(r"[\[\]:*?/\\]", "-", framework_id)[:31] or "framework"
    title, number = base, 2
    while title.lower() in taken:
        suffix = f" ({number})"
        title, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(title.lower())
    return title


def _rows(plan: PackPlan, assessment: Assessment) -> list[tuple[str, ...]]:
    titles = {item.id: item.title for item in plan.ws.register.items}
    in_pack = {e.item.id for e in plan.evidence}
    rows = []
    for result in assessment.indicators:
        status = STATUS[result.status]
        if not result.links:
            rows.append((result.id, result.title, status, "", "", "", "", ""))
        for evidence_id, locator, claim in result.links:
            rows.append((result.id, result.title, status, evidence_id, titles.get(evidence_id, ""), locator, claim,
                         "yes" if evidence_id in in_pack else "no"))
    return rows


def build_crossref(plan: PackPlan) -> bytes:
    """The workbook's bytes: identical for the same plan."""
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="D9E2F3")
    for assessment in (plan.assessment, *plan.others):
        sheet = book.create_sheet(sheet_title(assessment.framework_id, taken))
        sheet.append(HEADERS)
        for cell in sheet[1]:
            cell.font, cell.fill = bold, fill
        for row in _rows(plan, assessment):
            sheet.append(row)
        for column, width in zip("ABCDEFGH", WIDTHS, strict=True):
            sheet.column_dimensions[column].width = width
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
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
