"""The return for people: one table per section, rendered as a workbook (a sheet each, and definitions) or a
covering report (.docx in the pack's house style). Same return, same bytes."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter
from pydantic import BaseModel, ConfigDict

from rsqm.assess.outcomes import Share
from rsqm.base.formatting import percent
from rsqm.base.labels import CASE_VALUE, EQUALITY, words
from rsqm.base.suppression import FEWER, HIDDEN
from rsqm.commission.portfolio import Portfolio, Value, figure_words
from rsqm.commission.returns import Figures, Measured, Return
from rsqm.pack.archive import normalise_zip, zip_time
from rsqm.pack.content import long_date
from rsqm.pack.document import DocumentWriter

HEADERS = ["Figure", "This period", "Counted over", "95% interval", "Period before"]
WIDTHS = [58, 16, 26, 16, 22]
PARTIES = (("all", "everyone"), ("harmed", "people harmed"), ("responsible", "people responsible"))

# what each figure counts, in our words (docs/commissioning.md says the same at more length)
DEFINITIONS = [
    ("Referrals", "Cases whose referral date lies in the period, by who referred them and by offence category "
     "(rsqm outcomes, the referral cohort)."),
    ("Offered information", "Referrals in the period with the date information about restorative justice was offered."),
    ("Took up the offer", "Referrals in the period whose offer was accepted, of those with a recorded yes or no; "
     "the rest of them declined."),
    ("Cases closed", "Cases whose closing date lies in the period, by how they ended (the case list's outcome: "
     "agreements, not suitable, withdrawn)."),
    ("Processes delivered", "Cases closed in the period that went ahead (offer not declined), by process."),
    ("Agreement reached", "Cases closed in the period that ended in an agreement, of those with the answer recorded."),
    ("Agreement completed", "Agreements carried out, of the period's agreements with the answer recorded."),
    ("Median days to first contact", "Working days (England and Wales) from referral to first contact, median over "
     "the referrals of the period that were contacted."),
    ("Time limits", "Every working-days measure of the workspace's frameworks and local targets (the Victims' Code "
     "Right 3 and Right 4 limits, the service's first-contact target), as rsqm measures counts it on the period's "
     "last day; each measure's own label says the window it counts over."),
    ("Feedback", "Feedback forms received in the period answering yes, of those answering the question; for "
     "everyone, then for people harmed and people responsible apart."),
    ("Equality monitoring", f"Referrals in the period by each equality column. A count under 5 reads '{FEWER}'; "
     f"other counts read '{HIDDEN}' where needed so that no hidden count can be worked out from the total and the rest."),
    ("Practitioners", "Staff delivering restorative justice on the day counted (the period's last day, or the day "
     "the records end), as the supervision measure counts them."),
    ("Registered", "Practitioners registered with the RJC at a level at least their training level, of those the "
     "60% rule counts (rsqm measures)."),
    ("Supervised", "Practitioners supervised at least every 12 weeks, of those delivering (rsqm measures)."),
    ("95% interval", "Wilson score interval of a share."),
    ("Part period", "The period runs on past the day the records end: counted to that day, not comparable with a "
     "whole period."),
]


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str
    rows: list[list[str]]  # as HEADERS


def _share(s: Share | None) -> tuple[str, str, str]:
    if s is None or s.rate is None:
        return "no data", "0 recorded", ""
    return percent(s.rate), f"{s.k} of {s.n}", f"{percent(s.ci_low)} to {percent(s.ci_high)}"


def _before(s: Share | None) -> str:
    return "no data" if s is None or s.rate is None else f"{percent(s.rate)} ({s.k} of {s.n})"


def _share_row(label: str, now: Share | None, was: Share | None) -> list[str]:
    value, count, ci = _share(now)
    return [label, value, count, ci, _before(was)]


def _counts(label: str, noun: str, now: dict[str, int], was: dict[str, int]) -> list[list[str]]:
    return [[f"  {label}: {words(key, CASE_VALUE)}", str(n), f"of {sum(now.values())} {noun}", "", str(was.get(key, 0))]
            for key, n in now.items()]


def _measure_share(m: Measured | None) -> Share | None:
    return None if m is None else Share(k=m.k, n=m.n, rate=m.rate, ci_low=m.ci_low, ci_high=m.ci_high)


def sections(doc: Return) -> list[Section]:
    now, was = doc.current, doc.previous
    referrals = [["Referrals received", str(now.referrals), "cases referred", "", str(was.referrals)],
                 *_counts("source", "referrals", now.by_source, was.by_source),
                 *_counts("offence", "referrals", now.by_offence, was.by_offence),
                 _share_row("Offered information about restorative justice", now.offers, was.offers),
                 _share_row("Took up the offer", now.take_up, was.take_up),
                 ["  declined", str(now.take_up.n - now.take_up.k), "of decided offers", "", str(was.take_up.n - was.take_up.k)],
                 ["Median working days from referral to first contact",
                  "no data" if now.first_contact_median_days is None else f"{now.first_contact_median_days:g}", "", "",
                  "no data" if was.first_contact_median_days is None else f"{was.first_contact_median_days:g}"]]
    went_ahead = [["Cases closed", str(now.closed), "cases closed", "", str(was.closed)],
                  *_counts("outcome", "closed", now.by_outcome, was.by_outcome),
                  *_counts("process", "that went ahead", now.processes, was.processes),
                  _share_row("Agreement reached", now.agreements_reached, was.agreements_reached),
                  _share_row("Agreement completed", now.agreements_completed, was.agreements_completed)]
    limits = [_share_row(f"{m.label} ({key})", _measure_share(m), _measure_share(was.time_limits.get(key)))
              for key, m in now.time_limits.items()]
    feedback = [["Feedback forms received", str(now.feedback.responses), "", "", str(was.feedback.responses)]]
    for party, whom in PARTIES:
        mine, before = getattr(now.feedback, party), getattr(was.feedback, party)
        feedback += [_share_row(f"{question.replace('_', ' ')}: {whom}", s, before.get(question)) for question, s in mine.items()]
    workforce = [["Practitioners", _number(now.workforce.practitioners), "delivering on the day counted", "",
                  _number(was.workforce.practitioners)],
                 _share_row("Registered with the RJC at the right level", _measure_share(now.workforce.registered),
                            _measure_share(was.workforce.registered)),
                 _share_row("Supervised at least every 12 weeks", _measure_share(now.workforce.supervised),
                            _measure_share(was.workforce.supervised))]
    return [Section(title="Referrals", rows=referrals), Section(title="Processes and agreements", rows=went_ahead),
            Section(title="Time limits", rows=limits), Section(title="Feedback", rows=feedback),
            Section(title="Equality", rows=equality_rows(now, was)), Section(title="Workforce", rows=workforce)]


def _number(n: int | None) -> str:
    return "no data" if n is None else str(n)


def equality_rows(now: Figures, was: Figures) -> list[list[str]]:
    rows = []
    for column, found in now.equality.items():
        before = was.equality.get(column)
        if not found.kept:
            rows.append([words(column, EQUALITY), "not kept", "the case list has no such column", "", ""])
            continue
        rows.append([words(column, EQUALITY), str(found.total), "referrals", "", str(before.total) if before else ""])
        rows += [[f"  {words(value, EQUALITY)}", cell.shown, f"of {found.total} referrals", "",
                  before.cells[value].shown if before and value in before.cells else ""]
                 for value, cell in found.cells.items()]
    return rows


def _period_words(f: Figures) -> str:
    part = f" (a part period: the records end on {long_date(f.covered_to)})" if f.covered_to else ""
    return f"{f.period.label}: {long_date(f.period.start)} to {long_date(f.period.end)}{part}"


def summary_rows(doc: Return) -> list[list[str]]:
    rows = [["Service", doc.service], ["Period", _period_words(doc.current)], ["Period before", _period_words(doc.previous)],
            ["Made on", long_date(doc.made_on)]]
    if doc.signature:
        rows.append(["Signed by the key", doc.signature.fingerprint])
    return rows


# --- the workbooks -------------------------------------------------------------


def _header(sheet, row: list[str]) -> None:
    sheet.append(row)
    for cell in sheet[sheet.max_row]:
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="D9E2F3")


def _saved(book: Workbook, day: date, title: str) -> bytes:
    """The workbook's bytes with fixed properties and timestamps: the same content gives the same bytes."""
    book.properties.creator = book.properties.lastModifiedBy = "rsqm"
    book.properties.title = title
    book.properties.created = book.properties.modified = datetime(day.year, day.month, day.day)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).write_data()  # save_workbook() would stamp the current time
    return normalise_zip(out.getvalue(), zip_time(day))


def _value(v: Value) -> str | int:
    """A portfolio figure for a cell: a count as a number, a share as 'k of n (rate)'."""
    return v if isinstance(v, int) else value_text(v)


def value_text(v: Value) -> str:
    if v is None:
        return "no data"
    if isinstance(v, Share):
        return "no data" if v.rate is None else f"{v.k} of {v.n} ({percent(v.rate)})"
    return str(v)


def build_portfolio_workbook(p: Portfolio) -> bytes:
    """portfolio.xlsx: the services read, then their figures side by side with totals, then equality, suppressed."""
    book = Workbook()
    services = book.active
    services.title = "Services"
    _header(services, ["Service", "Return", "Signed by the key", "Part period"])
    for s in p.services:
        services.append([s.name, s.file, s.fingerprint or "not signed", f"records end {s.covered_to}" if s.covered_to else ""])
    names = [s.name for s in p.services]
    figures = book.create_sheet("Figures")
    _header(figures, ["Figure", *names, "Total"])
    for key, values, total in p.figures:
        figures.append([figure_words(key), *map(_value, values), _value(total)])
    equality = book.create_sheet("Equality")
    _header(equality, ["Column", "Value", *names, "Total"])
    for row in p.equality:
        equality.append([words(row.column, EQUALITY), words(row.value, EQUALITY),
                         *(c.count if c is not None and c.count is not None else c.shown if c else "not kept" for c in row.cells),
                         row.total.count if row.total.count is not None else row.total.shown])
    for sheet, widths in ((services, [36, 30, 80, 22]), (figures, [60, *[22] * len(names), 22]),
                          (equality, [18, 16, *[18] * len(names), 18])):
        for index, width in enumerate(widths):
            sheet.column_dimensions[get_column_letter(index + 1)].width = width
        sheet.freeze_panes = "B2"
    return _saved(book, p.period.end, f"Portfolio {p.period.label}")


def build_workbook(doc: Return) -> bytes:
    """return.xlsx: a summary sheet, a sheet per section and a definitions sheet; the same return gives the same bytes."""
    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    summary = book.create_sheet("Summary")
    for row in summary_rows(doc):
        summary.append(row)
        summary.cell(row=summary.max_row, column=1).font = bold
    summary.column_dimensions["A"].width, summary.column_dimensions["B"].width = 20, 90
    part = ", part" if doc.current.covered_to else ""
    heading = [HEADERS[0], f"This period ({doc.current.period.label}{part})", *HEADERS[2:4],
               f"Period before ({doc.previous.period.label})"]
    for section in sections(doc):
        sheet = book.create_sheet(section.title)
        _header(sheet, heading)
        for row in section.rows:
            sheet.append(row)
        for column, width in zip("ABCDE", WIDTHS, strict=True):
            sheet.column_dimensions[column].width = width
        sheet.freeze_panes = "A2"
    definitions = book.create_sheet("Definitions")
    _header(definitions, ["Figure", "What it counts"])
    for row in DEFINITIONS:
        definitions.append(list(row))
        definitions.cell(row=definitions.max_row, column=2).alignment = Alignment(wrap_text=True, vertical="top")
    definitions.column_dimensions["A"].width, definitions.column_dimensions["B"].width = 28, 100
    return _saved(book, doc.made_on, f"{doc.service}: return {doc.current.period.label}")


# --- the covering report -------------------------------------------------------


class _ReportWriter(DocumentWriter):
    def __init__(self, doc: Return):
        self.figures = doc
        super().__init__()

    def draft_reasons(self) -> list[str]:
        return []

    def header_text(self) -> str:
        return f"{self.figures.service} · return {self.figures.current.period.label}"

    def described(self) -> tuple[date, str, str]:
        doc = self.figures
        return doc.made_on, f"{doc.service}: return {doc.current.period.label}", "Commissioner's monitoring return"

    def build(self) -> None:
        doc = self.figures
        self.doc.add_paragraph(f"Monitoring return {doc.current.period.label}", style="Title")
        for label, text in summary_rows(doc):
            self.para(text, bold_lead=f"{label}: ")
        if doc.current.covered_to:
            self.para("This is a part period: its figures run to the day the records end and are not comparable "
                      "with a whole period.")
        self.para("Counts only: no case reference, name or free text is in this return. Shares are given as k of n "
                  "with their 95% Wilson interval; equality counts under 5 are not shown.")
        for number, section in enumerate(sections(doc), start=1):
            self.heading(f"{number}. {section.title}", 1)
            self.table(["Figure", "This period", "Counted over", "95% interval", "Before"],
                       [[cell.strip() for cell in row] for row in section.rows], [5.8, 2.8, 3.2, 2.4, 2.8])
        self.heading("Definitions", 1)
        for label, text in DEFINITIONS:
            self.para(text, bold_lead=f"{label}: ")


def build_report(doc: Return) -> bytes:
    """The covering report as deterministic .docx bytes."""
    writer = _ReportWriter(doc)
    writer.build()
    return writer.docx_bytes()
