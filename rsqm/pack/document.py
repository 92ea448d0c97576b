"""submission.docx: the self-assessment an assessor reads, cross-referenced to the files in the pack.

Contents are bookmarked headings listed with PAGEREF fields (filled by Word on
open and by LibreOffice when converting). Nothing case-level goes in: audit
results are aggregates per checklist item, never per case.
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from rsqm.audit_rounds import counted_results, counting_rule
from rsqm.formatting import percent
from rsqm.pack.archive import normalise_zip, zip_time
from rsqm.pack.chart import readiness_chart_png
from rsqm.pack.docx_fields import add_bookmark, add_field, repeat_as_header, shade, update_fields_on_open
from rsqm.pack.plan import PackPlan

FONT = "Arial"
NAVY = RGBColor(0x1F, 0x38, 0x64)
BLUE = RGBColor(0x2B, 0x6C, 0xB0)
GREY = RGBColor(0x59, 0x59, 0x59)
HEADER_FILL = "D9E2F3"
TEXT_WIDTH_CM = 17.0
STATUS = {"met": "Met", "partly_met": "Partly met", "not_met": "Not met", "not_applicable": "Not applicable"}


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


class _Writer:
    """Holds the document and the headings listed in the contents."""

    def __init__(self, plan: PackPlan):
        self.plan = plan
        self.doc = docx.Document()
        self.contents: list[tuple[int, str, str]] = []  # (level, text, bookmark)
        self._style_ids: dict[str, str] = {}
        self._setup_styles()
        self._setup_page()

    # --- styles and page ----------------------------------------------------

    def _font(self, style, size: float, colour: RGBColor | None = None, bold: bool | None = None) -> None:
        font = style.font
        font.name = FONT
        font.size = Pt(size)
        if colour is not None:
            font.color.rgb = colour
        if bold is not None:
            font.bold = bold
        fonts = style.element.rPr.find(qn("w:rFonts"))
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attribute), None)

    def _setup_styles(self) -> None:
        styles = self.doc.styles
        self._font(styles["Normal"], 10)
        styles["Normal"].paragraph_format.space_after = Pt(4)
        for name, size, colour, before in (("Heading 1", 16, NAVY, 18), ("Heading 2", 12.5, BLUE, 12), ("Heading 3", 10.5, NAVY, 8)):
            style = styles[name]
            self._font(style, size, colour, True)
            style.font.italic = False
            style.paragraph_format.space_before = Pt(before)
            style.paragraph_format.space_after = Pt(4)
            style.paragraph_format.keep_with_next = True
        self._font(styles["Title"], 26, NAVY, True)
        self._font(styles["Subtitle"], 14, GREY, False)
        self._font(styles["List Bullet"], 10)
        self.cell_style = styles.add_style("Table Text", 1)
        self.cell_style.base_style = styles["Normal"]
        self._font(self.cell_style, 8.5)
        self.cell_style.paragraph_format.space_after = Pt(0)
        for level in (1, 2):
            style = styles.add_style(f"Contents {level}", 1)
            style.base_style = styles["Normal"]
            self._font(style, 10.5 if level == 1 else 9.5, bold=level == 1)
            style.paragraph_format.left_indent = Cm(0 if level == 1 else 0.6)
            style.paragraph_format.space_before = Pt(6 if level == 1 else 0)
            style.paragraph_format.space_after = Pt(1)
            style.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)

    def _setup_page(self) -> None:
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        for side in ("left_margin", "right_margin"):
            setattr(section, side, Cm(2))
        section.top_margin, section.bottom_margin = Cm(2.2), Cm(2)
        section.different_first_page_header_footer = True  # a clean cover
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = header.add_run(self.header_text())
        run.font.size, run.font.color.rgb = Pt(8), GREY
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for text, field in (("Page ", "PAGE"), (" of ", "NUMPAGES")):
            footer.add_run(text).font.size = Pt(8)
            add_field(footer, field).font.size = Pt(8)
        update_fields_on_open(self.doc)
        properties = self.doc.core_properties
        day, properties.title, properties.subject = self.described()
        moment = datetime(day.year, day.month, day.day)
        properties.author = properties.last_modified_by = "rsqm"
        properties.created = properties.modified = properties.last_printed = moment
        properties.revision = 1
        properties.comments = properties.keywords = properties.category = ""

    def header_text(self) -> str:
        return f"{self.plan.assessment.service} · self-assessment as of {long_date(self.plan.as_of)}"

    def described(self) -> tuple[date, str, str]:
        """(date, title, subject) of the document's properties; the date also fixes the bytes."""
        a = self.plan.assessment
        return self.plan.as_of, f"{a.service}: self-assessment and evidence pack", f"{a.framework_title} {a.framework_version}"

    # --- building blocks ----------------------------------------------------

    def heading(self, text: str, level: int, listed: bool = True) -> None:
        paragraph = self.doc.add_heading(text, level)
        if listed:
            bookmark = f"_rsqm_{len(self.contents) + 1}"
            add_bookmark(paragraph, bookmark, len(self.contents) + 1)
            self.contents.append((level, text, bookmark))

    def para(self, text: str = "", *, bold_lead: str = "", style: str | None = None, size: float | None = None):
        paragraph = self.doc.add_paragraph()
        if style:
            self._set_style(paragraph, style)
        if bold_lead:
            paragraph.add_run(bold_lead).bold = True
        self._inline(paragraph, text)
        if size:
            for run in paragraph.runs:
                run.font.size = Pt(size)
        return paragraph

    def _set_style(self, paragraph, name: str) -> None:
        """``paragraph.style = name`` without python-docx scanning every style on each call (2 ms each)."""
        if name not in self._style_ids:
            self._style_ids[name] = self.doc.styles[name].style_id
        paragraph._p.style = self._style_ids[name]

    @staticmethod
    def _inline(paragraph, text: str) -> None:
        """Plain text with **bold** spans."""
        for index, part in enumerate(re.split(r"\*\*(.+?)\*\*", text)):
            if part:
                paragraph.add_run(part).bold = index % 2 == 1

    def markdown(self, text: str) -> None:
        """A narrative: paragraphs, '-' bullets and '#' headings as bold lines."""
        block: list[str] = []

        def flush() -> None:
            if block:
                self.para(" ".join(block))
                block.clear()

        for raw in text.splitlines():
            line = raw.strip()
            if not line:
                flush()
            elif line.startswith("#"):
                flush()
                self.para(bold_lead=line.lstrip("#").strip())
            elif re.match(r"^[-*] ", line):
                flush()
                self.para(line[2:], style="List Bullet")
            else:
                block.append(line)
        flush()

    def table(self, headers: list[str], rows: list[list[str]], widths: list[float]) -> None:
        """A full-width table: header row repeated on each page; rows added, never indexed."""
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Cm(width)
        header = table.rows[0]
        repeat_as_header(header)
        self._fill(header.cells, headers, widths, bold=True)
        for cell in header.cells:
            shade(cell, HEADER_FILL)
        for values in rows:
            self._fill(table.add_row().cells, values, widths)
        self.doc.add_paragraph().paragraph_format.space_after = Pt(2)

    def _fill(self, cells, values: list[str], widths: list[float], bold: bool = False) -> None:
        for cell, value, width in zip(cells, values, widths, strict=True):
            cell.width = Cm(width)
            paragraph = cell.paragraphs[0]
            self._set_style(paragraph, self.cell_style.name)
            paragraph.add_run(value).bold = bold

    def page_break(self):
        paragraph = self.doc.add_paragraph()
        paragraph.add_run().add_break(WD_BREAK.PAGE)
        return paragraph

    # --- the sections -------------------------------------------------------

    def cover(self) -> None:
        a = self.plan.assessment
        for _ in range(6):
            self.doc.add_paragraph()
        self.doc.add_paragraph(a.service, style="Title")
        self.doc.add_paragraph("Self-assessment and evidence pack", style="Subtitle")
        self.doc.add_paragraph()
        self.para(f"{a.framework_title}, version {a.framework_version}", bold_lead="Framework: ")
        self.para(long_date(self.plan.as_of), bold_lead="Position as of: ")
        verdict = "ready to apply" if a.ready else "not yet ready to apply"
        self.para(f"{percent(a.readiness)} overall; {verdict}", bold_lead="Readiness: ")
        self.para(f"{len(self.plan.evidence)} evidence files, listed in the evidence index", bold_lead="Evidence: ")
        self.doc.add_paragraph()
        self.para("Each evidence file in this pack is named after its identifier (E012 is evidence/E012-…). "
                  "The pack's manifest.json records the SHA-256 of every file; run 'rsqm verify' on the ZIP to "
                  "check that nothing has changed since it was exported.", size=9)

    def contents_marker(self):
        self.doc.add_heading("Contents", 1)
        return self.page_break()

    def fill_contents(self, marker) -> None:
        for level, text, bookmark in self.contents:
            paragraph = self.doc.add_paragraph(style=f"Contents {level}")
            paragraph.add_run(text + "\t")
            add_field(paragraph, f"PAGEREF {bookmark} \\h", "?")
            marker._p.addprevious(paragraph._p)

    def readiness(self) -> None:
        a = self.plan.assessment
        self.heading("Readiness summary", 1)
        verdict = ("Every critical indicator is met and no indicator is not met: the service is ready to apply."
                   if a.ready else
                   f"Not yet ready to apply: {len(a.blockers)} indicator{'s' * (len(a.blockers) != 1)} "
                   f"({', '.join(a.blockers)}) must be met first (critical indicators must be met; none may be not met).")
        self.para(f"Overall readiness is {percent(a.readiness)} (met counts fully, partly met half, weighted by indicator). {verdict}")
        rows = [[f"{s.id} {s.title}", percent(s.readiness), str(s.counts.get("met", 0)), str(s.counts.get("partly_met", 0)),
                 str(s.counts.get("not_met", 0)), str(s.counts.get("not_applicable", 0))] for s in a.standards]
        self.table(["Standard", "Readiness", "Met", "Partly met", "Not met", "Not applicable"], rows, [7.4, 2.0, 1.6, 2.0, 1.8, 2.2])
        png = readiness_chart_png([(f"{s.id} {s.title}", s.readiness or 0.0) for s in a.standards])
        self.doc.add_picture(io.BytesIO(png), width=Cm(15.5))
        self.doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.para("Figure 1. Readiness by standard on the as-of date.", size=8.5)

    def standards(self) -> None:
        a = self.plan.assessment
        framework = self.plan.ws.frameworks[a.framework_id]
        in_pack = {e.item.id for e in self.plan.evidence}
        questions = {i.id: i.question for i in self.plan.ws.checklist.items} if self.plan.ws.checklist else {}
        results = {r.id: r for r in a.indicators}
        for standard in framework.standards:
            self.doc.add_page_break()
            self.heading(f"Standard {standard.id}: {standard.title}", 1)
            if standard.description:
                self.para(standard.description)
            for indicator in standard.indicators:
                result = results[indicator.id]
                self.heading(f"{indicator.id} {indicator.title}", 2)
                extra = " · critical (safeguarding) indicator" if result.critical else ""
                self.para(f"{STATUS[result.status]}{extra}", bold_lead="Status: ")
                if result.justification:
                    self.para(result.justification, bold_lead="Why not applicable: ")
                self.para(bold_lead="Self-assessment")
                narrative = self.plan.ws.narratives.get(indicator.id)
                if narrative and narrative.strip():
                    self.markdown(narrative)
                else:
                    self.para("No narrative has been written for this indicator yet.")
                references = [(eid, locator, claim) for eid, locator, claim in result.links if eid in in_pack]
                self.para(bold_lead="Evidence")
                if not references:
                    self.para("No qualifying evidence in this pack.")
                for evidence_id, locator, claim in references:
                    where = f"{evidence_id}, {locator}" if locator else evidence_id
                    self.para(f"{where} — {claim}" if claim else where, style="List Bullet")
                for item in result.audit:
                    judged = ("meets the target" if item.met_target else
                              "below target" if item.enough else "too few applicable cases to judge")
                    ci = f"; 95% CI {percent(item.ci_low)}–{percent(item.ci_high)}" if item.rate is not None else ""
                    self.para(f"{questions.get(item.item, item.item)} {item.met} of {item.applicable} applicable cases met "
                              f"({percent(item.rate)}{ci}); target {percent(item.target)}: {judged}.",
                              bold_lead="Case-file audit: ")
                if result.reasons:
                    self.para(bold_lead="Open gaps")
                    for reason in result.reasons:
                        self.para(reason.message, style="List Bullet")

    def audit(self) -> None:
        ws, summary = self.plan.ws, self.plan.audits
        self.doc.add_page_break()
        self.heading("Case-file audit", 1)
        self.heading("Method", 2)
        checklist = ws.checklist
        title = checklist.title if checklist else ws.settings.checklist
        self.para(f"Closed case files are audited against the checklist '{title}'. Each sample is drawn from the "
                  "pseudonymised case list by a seeded random draw, so anyone holding the same case list can draw the "
                  "same cases again; the population hash records which list was used. Answers count as met, partly met, "
                  "not met or not applicable; where a second marker moderated a file the agreed answer counts. "
                  "No case-level information is included in this pack.")
        audited = {s.sample: s.audited for s in summary.samples}
        rows = []
        for sample in sorted(ws.samples.values(), key=lambda s: (s.drawn_on, s.name)):
            period = f"{sample.population.closed_from or '…'} to {sample.population.closed_to or '…'}"
            strata = ", ".join(sample.method.strata) or "none (simple random)"
            rows.append([sample.name, period, str(sample.population.size), str(len(sample.cases)),
                         str(sample.method.seed), strata, str(audited.get(sample.name, 0))])
        if rows:
            self.table(["Sample", "Cases closed", "Population", "Sample size", "Seed", "Strata", "Audited"],
                       rows, [2.2, 4.4, 2.0, 1.8, 1.6, 3.0, 2.0])
        else:
            self.para("No audit sample has been drawn yet.")
        self.heading("Results by checklist item", 2)
        questions = {item.id: item.question for item in checklist.items} if checklist else {}
        minimum = checklist.min_sample if checklist else 0
        self.para(f"Each sample is one audit round. {counting_rule(ws.settings)} "
                  f"Rate = met ÷ applicable cases (not applicable answers left out), with its 95% Wilson interval. "
                  f"An item is judged once it has at least {minimum} applicable cases.")
        rows = []
        for item in counted_results(ws, self.plan.as_of).values():  # checklist order
            judged = "Met" if item.met_target else "Below target" if item.enough else "Too few cases"
            ci = f"{percent(item.ci_low)}–{percent(item.ci_high)}" if item.rate is not None else "–"
            rows.append([item.section, questions.get(item.item, item.item) + (" (critical)" if item.critical else ""),
                         ", ".join(item.rounds) or "none", str(item.applicable), str(item.met), percent(item.rate), ci,
                         percent(item.target), judged])
        self.table(["Section", "Checklist item", "Round", "Applicable", "Met", "Rate", "95% CI", "Target", "Result"],
                   rows, [1.7, 3.9, 1.5, 2.3, 1.1, 1.3, 2.0, 1.5, 1.7])
        self.heading("Second marking", 2)
        agreement = summary.agreement
        if agreement.pairs:
            kappa = f"{agreement.kappa:.2f}" if agreement.kappa is not None else "not defined"
            self.para(f"{agreement.pairs} answers were marked independently by a second auditor. The two markers agreed on "
                      f"{agreement.percent:.0f}% of them (Cohen's kappa {kappa}); disagreements were settled by an "
                      "agreed answer, which is the one counted above.")
        else:
            self.para("No audits have been second-marked yet.")
        concerns = summary.safeguarding_concerns
        self.para(f"{concerns} safeguarding concern{'s were' if concerns != 1 else ' was'} raised during the audit and "
                  "handled under the service's safeguarding procedure; details stay with the service.")

    def actions(self) -> None:
        a, ws = self.plan.assessment, self.plan.ws
        self.doc.add_page_break()
        self.heading("Action plan", 1)
        self.heading("Open gaps and suggested actions", 2)
        rows = [[f"{r.id} {r.title}", reason.message, reason.action]
                for r in a.indicators if r.status != "not_applicable" for reason in r.reasons]
        if rows:
            self.table(["Indicator", "Gap", "Suggested action"], rows, [4.0, 6.5, 6.5])
        else:
            self.para("There are no open gaps on the as-of date.")
        self.heading("Agreed actions", 2)
        rows = [[action.id, action.title + (f" ({action.note})" if action.note else ""), action.indicator or "–",
                 action.owner, long_date(action.due) if action.due else "–", action.status.value.replace("_", " ")]
                for action in ws.actions.actions]
        if rows:
            self.table(["ID", "Action", "Indicator", "Owner", "Due", "Status"], rows, [1.2, 7.0, 1.8, 3.0, 2.4, 1.6])
        else:
            self.para("No actions have been recorded in the action plan.")

    def evidence_index(self) -> None:
        self.doc.add_page_break()
        self.heading("Evidence index", 1)
        self.para("Every file in the pack's evidence folder, with the first 12 hexadecimal digits of its SHA-256 "
                  "(manifest.json holds the full value).")
        types = self.plan.ws.frameworks[self.plan.assessment.framework_id].evidence_types
        rows = [[e.item.id, e.item.title, types.get(e.item.type, e.item.type), str(e.item.dated),
                 str(e.item.review_by) if e.item.review_by else "–", e.name.removeprefix("evidence/"), e.sha256[:12]]
                for e in self.plan.evidence]
        if rows:
            self.table(["ID", "Title", "Type", "Dated", "Review by", "File in pack (evidence/)", "SHA-256"],
                       rows, [1.1, 3.4, 2.0, 2.0, 2.0, 3.7, 2.8])
        else:
            self.para("No evidence qualifies on the as-of date.")

    def data_protection(self) -> None:
        plan, ws = self.plan, self.plan.ws
        self.heading("Data protection statement", 1)
        self.para(f"This pack contains this document, {len(plan.evidence)} approved evidence files current on "
                  f"{long_date(plan.as_of)} and a manifest of their SHA-256 digests.", bold_lead="What the pack contains. ")
        self.para("No case list, case references, individual audit records or auditors' notes, no draft, unapproved, "
                  "expired or unlinked documents, and not the pseudonymisation key.", bold_lead="What it does not contain. ")
        self.para("Case files are identified inside the service by pseudonymous references; the key linking them to people "
                  "is held separately by the service and never exported. Audit results appear only as totals per "
                  "checklist item.", bold_lead="Pseudonymisation. ")
        accepted = len(ws.privacy_review.accepted)
        reviewed = f" {accepted} reviewed false positive{'s' * (accepted != 1)} recorded in the workspace were accepted." if accepted else ""
        self.para("Before export, the narratives, audit notes, action plan, register entries and the text of every "
                  "evidence file in the pack were scanned for e-mail addresses, UK phone numbers, postcodes, National "
                  "Insurance numbers, dates of birth, titled names and names from the pseudonymisation key. The scan found "
                  f"nothing that blocks the export.{reviewed}", bold_lead="Privacy pre-flight passed. ")
        self.para("Who approved each evidence item for release:", bold_lead="Approvals. ")
        rows = [[e.item.id, e.item.title, e.item.personal_data.value, e.item.approved_by or "not recorded",
                 str(e.item.approved_on) if e.item.approved_on else "not recorded"] for e in plan.evidence]
        if rows:
            self.table(["ID", "Title", "Personal data", "Approved by", "Approved on"], rows, [1.3, 6.9, 2.6, 3.6, 2.6])


def build_document(plan: PackPlan) -> bytes:
    """The submission document as deterministic .docx bytes (same plan, same bytes)."""
    writer = _Writer(plan)
    writer.cover()
    writer.page_break()
    marker = writer.contents_marker()
    writer.readiness()
    writer.standards()
    writer.audit()
    writer.actions()
    writer.evidence_index()
    writer.data_protection()
    writer.fill_contents(marker)
    out = io.BytesIO()
    writer.doc.save(out)
    return normalise_zip(out.getvalue(), zip_time(plan.as_of))

