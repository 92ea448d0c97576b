"""submission.docx: the self-assessment an assessor reads, cross-referenced to the files in the pack.

Contents are bookmarked headings listed as links with PAGEREF fields (filled by Word on
open and by LibreOffice when converting). Nothing case-level goes in: audit
results are aggregates per checklist item, never per case.

For readers with screen readers (docs/accessibility.md): the language is British English,
sub-headings are real Heading n paragraphs with no level skipped, every figure has
alternative text and a Caption-style caption, and the contents link to their headings.
"""

from __future__ import annotations

import copy
import functools
import io
import re
from datetime import date, datetime

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from rsqm.assess.lifecycle import answered_between, lapsed
from rsqm.assess.outcomes import outcome_rows, workspace_outcomes, year_to
from rsqm.assess.workforce import workforce_measures
from rsqm.audit.rounds import counted_results, counting_rule
from rsqm.base.dates import counted_because
from rsqm.base.formatting import CHECKSUM_DIGITS, and_list, percent
from rsqm.base.labels import ITEM_VERDICT, STATUS
from rsqm.base.labels import field as field_words
from rsqm.pack.archive import normalise_zip, zip_time
from rsqm.pack.chart import readiness_chart_png
from rsqm.pack.citations import dead_ids
from rsqm.pack.content import (
    SUMMARY_MEASURE_HEADINGS,
    IndicatorSection,
    action_rows,
    concerns_sentence,
    counted_sentence,
    draft_reasons,
    held_back,
    long_date,
    measure_sentence,
    readiness_verdict,
    settling_sentence,
    short_date,
    source_sections,
    standard_sections,
    summary_measures,
    to_do,
    to_write,
)
from rsqm.pack.docx_fields import (
    add_bookmark,
    add_field,
    add_internal_link,
    no_wrap,
    repeat_as_header,
    shade,
    update_fields_on_open,
)
from rsqm.pack.plan import PackPlan
from rsqm.pack.versions import compare, statuses

FONT = "Arial"
NAVY = RGBColor(0x1F, 0x38, 0x64)
BLUE = RGBColor(0x2B, 0x6C, 0xB0)
GREY = RGBColor(0x59, 0x59, 0x59)
HEADER_FILL = "D9E2F3"
TEXT_WIDTH_CM = 17.0
RED = RGBColor(0xB0, 0x1E, 0x1E)
LANGUAGE = "en-GB"


def evidence_bookmark(evidence_id: str) -> str:
    return f"_rsqm_ev_{evidence_id}"


class DocumentWriter:
    """A document in the pack's house style: styles, page, running header and footer, and building blocks.

    Subclasses say what the document is (``described``), what its header reads and why it is a draft.
    """

    def __init__(self) -> None:
        self.draft = self.draft_reasons()
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
        self._language(styles)
        for name, size, colour, before in (("Heading 1", 16, NAVY, 18), ("Heading 2", 12.5, BLUE, 12), ("Heading 3", 10.5, NAVY, 8),
                                           ("Heading 4", 10, GREY, 6)):
            style = styles[name]
            self._font(style, size, colour, True)
            style.font.italic = False
            style.paragraph_format.space_before = Pt(before)
            style.paragraph_format.space_after = Pt(4)
            style.paragraph_format.keep_with_next = True
        self._font(styles["Title"], 26, NAVY, True)
        self._font(styles["Subtitle"], 14, GREY, False)
        self._font(styles["List Bullet"], 10)
        self._font(styles["Caption"], 8.5, GREY, False)
        styles["Caption"].font.italic = False
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

    def _language(self, styles) -> None:
        """British English for every run: the document default, not the template's en-US (spelling and screen readers)."""
        defaults = styles.element.find(qn("w:docDefaults"))
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        lang.set(qn("w:val"), LANGUAGE)
        self.doc.core_properties.language = LANGUAGE

    def _setup_page(self) -> None:
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        for side in ("left_margin", "right_margin"):
            setattr(section, side, Cm(2))
        section.top_margin, section.bottom_margin = Cm(2.2), Cm(2)
        section.different_first_page_header_footer = True  # a clean cover
        self._header(section.header.paragraphs[0], self.header_text())
        if self.draft:
            self._header(section.first_page_header.paragraphs[0], "")
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

    def draft_reasons(self) -> list[str]:
        """Why the document is a draft (every page says so); empty when it is not."""
        raise NotImplementedError

    def docx_bytes(self) -> bytes:
        """The document as deterministic .docx bytes: fixed timestamps from its date, sorted parts."""
        out = io.BytesIO()
        self.doc.save(out)
        return normalise_zip(out.getvalue(), zip_time(self.described()[0]))

    def header_text(self) -> str:
        raise NotImplementedError

    def described(self) -> tuple[date, str, str]:
        """(date, title, subject) of the document's properties; the date also fixes the bytes."""
        raise NotImplementedError

    def _header(self, paragraph, text: str) -> None:
        """The running header; a draft says so on every page, the cover included."""
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if self.draft:
            mark = paragraph.add_run("DRAFT" + (" · " if text else ""))
            mark.bold, mark.font.size, mark.font.color.rgb = True, Pt(8), RED
        run = paragraph.add_run(text)
        run.font.size, run.font.color.rgb = Pt(8), GREY

    # --- building blocks ----------------------------------------------------

    def heading(self, text: str, level: int, listed: bool = True) -> None:
        paragraph = self._new_heading(text, level)
        if listed:
            bookmark = f"_rsqm_{len(self.contents) + 1}"
            add_bookmark(paragraph, bookmark, len(self.contents) + 1)
            self.contents.append((level, text, bookmark))

    def figure(self, png: bytes, alt: str, caption: str) -> None:
        """A centred picture with its alternative text (read by screen readers) and a Caption-style caption below."""
        shape = self.doc.add_picture(io.BytesIO(png), width=Cm(15.5))
        number = len(self.doc.inline_shapes)
        properties = shape._inline.docPr
        properties.set("descr", alt)
        properties.set("title", caption)
        properties.set("name", f"Figure {number}")
        self.doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.para(caption, style="Caption")

    def para(self, text: str = "", *, bold_lead: str = "", style: str | None = None, size: float | None = None):
        paragraph = self._new_paragraph()
        if style:
            self._set_style(paragraph, style)
        if bold_lead:
            paragraph.add_run(bold_lead).bold = True
        self._inline(paragraph, text)
        if size:
            for run in paragraph.runs:
                run.font.size = Pt(size)
        return paragraph

    def _new_heading(self, text: str, level: int) -> Paragraph:
        """``doc.add_heading(text, level)``, its style set as ``_set_style`` sets one."""
        paragraph = self._new_paragraph()
        self._set_style(paragraph, "Title" if level == 0 else f"Heading {level}")
        if text:
            paragraph.add_run(text)
        return paragraph

    def _new_paragraph(self) -> Paragraph:
        """``doc.add_paragraph()`` without python-docx searching the whole body for its section properties each time."""
        p = OxmlElement("w:p")
        self._section_properties.addprevious(p)
        return Paragraph(p, self.doc._body)

    @functools.cached_property
    def _section_properties(self):
        """The body's last element, before which each paragraph goes: found once, where each search read the whole body."""
        return self.doc.element.body.sectPr

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

    def markdown(self, text: str, heading_level: int = 2) -> None:
        """A narrative: paragraphs, '-' bullets, '1.' numbered items and '#' headings as unlisted headings of ``heading_level``
        (one below the heading the narrative sits under, whatever the number of '#': no level is skipped; 2 suits a
        narrative straight under a section's heading 1, as in the renewal return).

        An indented line continues the bullet or item above it, as Markdown renders it.
        """
        block: list[str] = []
        style: list[str | None] = [None]

        def flush() -> None:
            if block:
                self.para(" ".join(block), style="List Bullet" if style[0] == "bullet" else None)
                block.clear()
            style[0] = None

        for raw in text.splitlines():
            line = raw.strip()
            if not line:
                flush()
            elif line.startswith("#"):
                flush()
                self.heading(line.lstrip("#").strip(), heading_level, listed=False)
            elif re.match(r"^([-*]|\d{1,3}[.)]) ", line):
                flush()
                bullet = line[0] in "-*"
                style[0] = "bullet" if bullet else "item"
                block.append(line[2:] if bullet else line)
            elif raw[:1].isspace() and block:
                block.append(line)
            else:
                if style[0]:
                    flush()
                block.append(line)
        flush()

    def table(self, headers: list[str], rows: list[list[str]], widths: list[float], *,
              one_line: tuple[int, ...] = (0,), bookmarks: list[str] | None = None) -> None:
        """A full-width table: header row repeated on each page; rows added, never indexed.

        Columns in ``one_line`` (identifiers, statuses) never wrap; ``bookmarks`` name each row's first cell.
        """
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
        if rows:
            template = self._row_template(table, widths, one_line)
            for index, values in enumerate(rows):
                row = copy.deepcopy(template)
                cells = row.findall(_TC)
                for cell, value in zip(cells, values, strict=True):
                    _set_text(cell.find(_RUN), value)
                if bookmarks and bookmarks[index]:
                    add_bookmark(Paragraph(cells[0].find(_P), None), bookmarks[index], 10_000 + index)
                table._tbl.append(row)
        self.doc.add_paragraph().paragraph_format.space_after = Pt(2)

    def _row_template(self, table, widths: list[float], one_line: tuple[int, ...]):
        """One body row laid out as every row is, taken out of the table to be copied per row.

        python-docx's ``add_row().cells`` indexes every cell of the table on each call (quadratic in
        the rows; 27 s for a national roll-up's evidence index); a copied ``<w:tr>`` is the same XML.
        """
        cells = table.add_row().cells
        self._fill(cells, ["x"] * len(widths), widths)
        for column in one_line:
            no_wrap(cells[column])
        row = table.rows[-1]._tr
        table._tbl.remove(row)
        return row

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



class _Writer(DocumentWriter):
    """The submission document: the sections of the self-assessment, from the pack's plan."""

    def __init__(self, plan: PackPlan):
        self.plan = plan
        super().__init__()

    def draft_reasons(self) -> list[str]:
        """Why the document is a draft (every page says so); empty when it is not."""
        return draft_reasons(self.plan)

    def header_text(self) -> str:
        return f"{self.plan.assessment.service} · self-assessment as of {long_date(self.plan.as_of)}"

    def described(self) -> tuple[date, str, str]:
        """(date, title, subject) of the document's properties; the date also fixes the bytes."""
        a = self.plan.assessment
        return self.plan.as_of, f"{a.service}: self-assessment and evidence pack", f"{a.framework_title} {a.framework_version}"

    # --- the sections -------------------------------------------------------

    def cover(self) -> None:
        a = self.plan.assessment
        for _ in range(5):
            self.doc.add_paragraph()
        self.doc.add_paragraph(a.service, style="Title")
        self.doc.add_paragraph("Self-assessment and evidence pack" + (" — draft" if self.draft else ""), style="Subtitle")
        self.doc.add_paragraph()
        self.para(f"{a.framework_title}, version {a.framework_version}", bold_lead="Framework: ")
        for other in self.plan.others:
            self.para(f"{other.framework_title}, version {other.framework_version}", bold_lead="Also assessed: ")
        self.para(long_date(self.plan.as_of), bold_lead="Position as of: ")
        verdict = "ready to apply" if a.ready else "not yet ready to apply"
        self.para(f"{percent(a.readiness)} overall; {verdict}", bold_lead="Readiness: ")
        self.para(f"{len(self.plan.evidence)} evidence files, listed in the evidence index", bold_lead="Evidence: ")
        self.doc.add_paragraph()
        if self.draft:
            paragraph = self.para(bold_lead="This is a draft. ")
            paragraph.runs[0].font.color.rgb = RED
            self._inline(paragraph, "It is not yet the service's submission because " + "; and ".join(self.draft) + ".")
        first = self.plan.evidence[0].item.id if self.plan.evidence else None
        example = f": the file of {first} is the one whose name starts {first}- in the pack's evidence folder" if first else ""
        self.para(f"Each evidence file in this pack is named after its identifier{example}. "
                  "The pack's manifest.json records the SHA-256 of every file, so an assessor can check that nothing "
                  "has changed since the service exported it.", size=9)

    def still_to_do(self) -> None:
        """A draft's one list of what is still to be written and done; a final pack has none."""
        if not self.draft:
            return
        writing, doing = to_write(self.plan), to_do(self.plan)
        self.heading("Still to be written and done", 1)
        self.para("This draft is shared to show where the service stands. Before it becomes the service's submission:")
        if writing:
            self.para(f"the service's account of {len(writing)} indicator{'s' * (len(writing) != 1)}.",
                      bold_lead="Still to be written: ")
            for ind, title in writing:
                self.para(f"{ind} {title}", style="List Bullet")
        if doing:
            self.para("open gaps that no agreed action covers yet.", bold_lead="Still to be done: ")
            for ind, gap in doing:
                self.para(f"{ind}: {gap}", style="List Bullet")
        dead = dead_ids(self.plan)
        if dead:
            self.para(f"the text cites {', '.join(dead)}, which {'are' if len(dead) != 1 else 'is'} not in this pack: "
                      "to be added, or the reference taken out.", bold_lead="Still to be checked: ")
        if held := held_back(self.plan.assessment):
            self.para(f"{and_list(held)}.", bold_lead="Before the service applies: ")
        self.page_break()

    def contents_marker(self):
        self._new_heading("Contents", 1)
        return self.page_break()

    def fill_contents(self, marker) -> None:
        for level, text, bookmark in self.contents:
            paragraph = self._new_paragraph()
            self._set_style(paragraph, f"Contents {level}")
            add_internal_link(paragraph, text, bookmark, colour="000000")
            paragraph.add_run("\t")
            add_field(paragraph, f"PAGEREF {bookmark} \\h", "?")
            marker._p.addprevious(paragraph._p)

    def summary(self) -> None:
        """One page for leadership and the commissioner: where the service stands and what stops it."""
        plan, a = self.plan, self.plan.assessment
        self.heading("Summary", 1)
        self.para(f"Position on {long_date(plan.as_of)}"
                  + (f", ahead of the assessment on {long_date(plan.ws.settings.assessment_date)}."
                     if plan.ws.settings.assessment_date and plan.ws.settings.assessment_date > plan.as_of else "."))
        everything = [a, *plan.others]
        rows = [[f.framework_title, percent(f.readiness), "Ready" if f.ready else "Not yet ready",
                 ", ".join(f.holding_back) or "none"] for f in everything]
        self.table(["Framework", "Readiness", "Verdict", "To be met first"], rows, [7.0, 2.3, 2.8, 4.9], one_line=(1, 2))
        overall = all(f.ready for f in everything)
        self.para("ready to apply under every framework assessed." if overall else
                  "not yet ready: every framework must be ready before the service applies.", bold_lead="Overall: ")
        titles = {r.id: r.title for r in a.indicators}
        counted_on = a.counted_on or plan.as_of
        renewals = [(label, expires) for key, label, expires in lapsed(plan.ws.accreditation, counted_on) if key != "award"]
        if a.blockers or renewals:
            self.heading("What must be met first", 2, listed=False)
            for blocker in a.blockers:
                result = next(r for r in a.indicators if r.id == blocker)
                why = " (a critical indicator: it must be met)" if result.critical and result.status != "not_met" else ""
                self.para(f"{blocker} {titles[blocker]} — {STATUS[result.status].lower()}{why}", style="List Bullet")
            for label, expires in renewals:
                self.para(f"{label} — ran out on {long_date(expires)}: renew it first", style="List Bullet")
        due = [(label, expires) for key, label, expires in lapsed(plan.ws.accreditation, plan.as_of)
               if key != "award" and expires >= counted_on]
        if due:
            self.heading(f"Due before {long_date(plan.as_of)}", 2, listed=False)
            for label, expires in due:
                self.para(f"{label} — runs out on {long_date(expires)}: to be renewed before then", style="List Bullet")
        shares = workforce_measures(plan.ws, plan.as_of)  # counted once for the table and the sentence above it
        measured = summary_measures(plan, shares)
        if measured:
            self.heading("Workforce and time limits", 2, listed=False)
            self.para(counted_sentence(plan, shares))
            self.table(SUMMARY_MEASURE_HEADINGS, measured, [6.6, 3.2, 3.2, 1.7, 2.3], one_line=(1, 2, 3, 4))
        samples = [s for s in plan.audits.samples if s.audited]
        if samples:
            self.heading("Case-file audit compliance by round", 2, listed=False)
            self.table(["Round", "Drawn", "Audited", "Compliance", "95% CI"],
                       [[s.sample, short_date(s.drawn_on), f"{s.audited} of {s.cases}",
                         *((percent(s.rate), f"{percent(s.ci_low)} to {percent(s.ci_high)}") if s.audited >= s.cases
                           else ("not yet complete", "–"))] for s in samples],
                       [3.0, 3.6, 2.8, 2.6, 5.0], one_line=(0, 1, 2, 3, 4))
        agreed = [r for r in action_rows(plan) if r.status != "Done"]
        overdue = [r for r in agreed if r.overdue]
        upcoming = sorted((r for r in agreed if r.due and not r.overdue), key=lambda r: r.due)
        next_due = f"; next due {long_date(upcoming[0].due)} ({upcoming[0].id})" if upcoming else ""
        counted_on = plan.assessment.counted_on
        ahead = [r for r in upcoming if r.due <= plan.as_of] if counted_on else []
        when = (f"{long_date(counted_on)}, {counted_because(counted_on, plan.today)}" if counted_on
                else long_date(plan.as_of))
        planned = f"; {len(ahead)} fall{'s' * (len(ahead) == 1)} due before {long_date(plan.as_of)}" if ahead else ""
        self.para(f"{len(agreed)} open action{'s' * (len(agreed) != 1)}, {len(overdue)} of them overdue on {when}"
                  f"{planned}{next_due}.", bold_lead="Action plan: ")

    def readiness(self) -> None:
        a = self.plan.assessment
        self.doc.add_page_break()
        self.heading("Readiness by standard", 1)
        verdict = ("Every critical indicator is met and no indicator is not met: the service is ready to apply."
                   if a.ready else
                   f"Not yet ready to apply: {len(a.blockers)} indicator{'s' * (len(a.blockers) != 1)} "
                   f"({', '.join(a.blockers)}) must be met first (critical indicators must be met; none may be not met).")
        self.para(f"Overall readiness is {percent(a.readiness)} (met counts fully, partly met half, weighted by indicator). {verdict}")
        rows = [[f"{s.id} {s.title}", percent(s.readiness), str(s.counts.get("met", 0)), str(s.counts.get("partly_met", 0)),
                 str(s.counts.get("not_met", 0)), str(s.counts.get("not_applicable", 0))] for s in a.standards]
        self.table(["Standard", "Readiness", "Met", "Partly met", "Not met", "Not applicable"], rows,
                   [6.6, 2.3, 1.4, 2.0, 1.9, 2.8], one_line=(1, 2, 3, 4, 5))
        png = readiness_chart_png([(f"{s.id} {s.title}", s.readiness or 0.0) for s in a.standards])
        self.figure(png, "Bar chart of readiness per standard: " + "; ".join(
            f"{s.id} {s.title} {percent(s.readiness or 0.0)}" for s in a.standards) + ". The table above gives the same figures.",
                    "Figure 1. Readiness by standard on the as-of date.")

    def changes_since(self) -> None:
        """What changed since the pack this one replaces (export --supersedes)."""
        previous = self.plan.previous
        if previous is None:
            return
        now = statuses(self.plan.assessment)
        changes = compare(previous, {e.name: e.sha256 for e in self.plan.evidence}, now)
        self.heading("Changes since the previous pack", 1)
        dated = f"assessed as of {long_date(previous.as_of)}, " if previous.as_of else ""
        self.para(f"This pack replaces the one sent earlier ({dated}SHA-256 {previous.sha256}). "
                  "The document itself is written afresh for every pack.")
        if not changes.statuses_known:
            self.para("The previous pack did not record the status of each indicator, so only the evidence is compared.")
        elif changes.statuses:
            rows = [[c.indicator, STATUS.get(c.before or "", "not assessed"), STATUS.get(c.now or "", "not assessed")]
                    for c in changes.statuses]
            self.table(["Indicator", "Before", "Now"], rows, [5.0, 6.0, 6.0])
        else:
            self.para("No indicator changed status.")
        for label, names in (("Evidence added: ", changes.added), ("Evidence removed: ", changes.removed),
                             ("Evidence changed: ", changes.changed)):
            listed = [name.removeprefix("evidence/") for name in names if name.startswith("evidence/")]
            self.para(", ".join(listed) if listed else "none.", bold_lead=label)

    def standards(self) -> None:
        a = self.plan.assessment
        framework = self.plan.ws.frameworks[a.framework_id]
        for standard in standard_sections(self.plan, framework, a.indicators):
            self.doc.add_page_break()
            self.heading(f"Standard {standard.id}: {standard.title}", 1)
            if standard.description:
                self.para(standard.description)
            for section in standard.indicators:
                self.indicator(section)

    def indicator(self, section: IndicatorSection) -> None:
        self.heading(f"{section.id} {section.title}", 2)
        extra = " · critical (safeguarding) indicator" if section.critical else ""
        self.para(f"{section.status}{extra}", bold_lead="Status: ")
        if section.asks:
            self.para(section.asks, bold_lead="What this asks: ")
        if section.justification:
            self.para(section.justification, bold_lead="Why it does not apply: ")
            return
        if section.narrative:
            self.heading("The service's account", 3, listed=False)
            self.markdown(section.narrative, 4)
        else:
            self.para("still to be written.", bold_lead="The service's account: ")
        self.heading("Evidence", 3, listed=False)
        if not section.evidence:
            self.para("No current evidence for this indicator is in the pack.")
        for ref in section.evidence:
            paragraph = self.para(style="List Bullet")
            add_internal_link(paragraph, ref.id, evidence_bookmark(ref.id))
            where = f", {ref.locator}" if ref.locator else ""
            self._inline(paragraph, f" {ref.title}{where}" + (f" — {ref.claim}" if ref.claim else ""))
        if section.results:
            self.heading("Results", 3, listed=False)
            for line in section.results:
                self.para(line, style="List Bullet")
        if section.gaps:
            self.heading("Open gaps", 3, listed=False)
            for line in section.gaps:
                self.para(line, style="List Bullet")
        for line in section.notes:
            self.para(line, bold_lead="Note: ")

    def further_frameworks(self) -> None:
        for other in self.plan.others:
            self.doc.add_page_break()
            self.heading(f"{other.framework_title}", 1)
            self.para(f"Readiness {percent(other.readiness)}; {readiness_verdict(other)}. Evidence listed here is in the evidence index.")
            framework = self.plan.ws.frameworks[other.framework_id]
            for standard in standard_sections(self.plan, framework, other.indicators):
                self.heading(f"{standard.id} {standard.title}", 2)
                for section in standard.indicators:
                    self.indicator_brief(section)

    def indicator_brief(self, section: IndicatorSection) -> None:
        self.heading(f"{section.id} {section.title} — {section.status}", 3, listed=False)
        refs = section.evidence
        if refs:
            paragraph = self.para("Evidence: ")
            for index, ref in enumerate(refs):
                add_internal_link(paragraph, ref.id, evidence_bookmark(ref.id))
                self._inline(paragraph, (f" ({ref.locator})" if ref.locator else "") + (", " if index < len(refs) - 1 else ". "))
        if section.narrative:
            self.markdown(section.narrative, 4)
        for line in section.gaps:
            self.para(line, style="List Bullet")

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
                  f"Only audits completed by {long_date(self.plan.as_of)} are counted. "
                  "No case-level information is included in this pack.")
        audited = {s.sample: s.audited for s in summary.samples}
        rows = []
        for sample in sorted(ws.samples.values(), key=lambda s: (s.drawn_on, s.name)):
            closed = sample.population
            period = " to ".join(short_date(d) if d else "…" for d in (closed.closed_from, closed.closed_to))
            strata = ", ".join(field_words(s) for s in sample.method.strata) or "none (simple random)"
            rows.append([sample.name, period, str(sample.population.size), str(len(sample.cases)),
                         str(sample.method.seed), strata, str(audited.get(sample.name, 0))])
        if rows:
            self.table(["Sample", "Cases closed", "Population", "Sample size", "Seed", "Strata", "Audited"],
                       rows, [2.2, 4.2, 2.3, 2.2, 1.4, 2.6, 2.1], one_line=(0, 2, 3, 4, 6))
        else:
            self.para("No audit sample had been drawn by the as-of date.")
        self.heading("Results by checklist item", 2)
        questions = {item.id: item.question for item in checklist.items} if checklist else {}
        minimum = checklist.min_sample if checklist else 0
        self.para(f"Each sample is one audit round. {counting_rule(ws.settings)} "
                  f"Rate = met ÷ applicable cases (not applicable answers left out), with its 95% Wilson interval. "
                  f"An item is judged once it has at least {minimum} applicable cases.")
        rows = []
        for item in counted_results(ws, self.plan.as_of).values():  # checklist order
            judged = ITEM_VERDICT[item.verdict].capitalize()
            ci = f"{percent(item.ci_low)}–{percent(item.ci_high)}" if item.rate is not None else "–"
            rows.append([item.section, questions.get(item.item, item.item) + (" (critical)" if item.critical else ""),
                         ", ".join(item.rounds) or "none", str(item.applicable), str(item.met), percent(item.rate), ci,
                         percent(item.target), judged])
        self.table(["Section", "Checklist item", "Round", "Cases", "Met", "Rate", "95% CI", "Target", "Result"],
                   rows, [2.0, 4.2, 1.6, 1.3, 1.1, 1.3, 2.0, 1.5, 2.0], one_line=(3, 4, 5, 6, 7))
        self.heading("Second marking", 2)
        agreement = summary.agreement
        if agreement.pairs:
            kappa = f"{agreement.kappa:.2f}" if agreement.kappa is not None else "not defined"
            self.para(f"{agreement.pairs} answers were marked independently by a second auditor. The two markers agreed on "
                      f"{agreement.percent:.0f}% of them (Cohen's kappa {kappa}); "
                      f"{settling_sentence(ws, agreement.disagreements)}")
        else:
            self.para("No audits had been second-marked by the as-of date.")
        self.para(concerns_sentence(ws, summary.concern_cases, self.plan.as_of))

    def workforce(self) -> None:
        """The four workforce shares from the service's register: counts and method, nobody named."""
        shares = workforce_measures(self.plan.ws, self.plan.as_of)
        if not shares:
            return
        self.heading("Workforce", 1)
        self.para(f"The service keeps a register of everyone who delivers restorative justice: training, registration "
                  f"with the RJC, case supervision, observed practice and continuing professional development. On "
                  f"{long_date(self.plan.as_of)} it shows:")
        for measured in shares:
            self.para(measure_sentence(measured.counts_only(), self.plan.today), style="List Bullet")

    def outcomes(self) -> None:
        start, end = year_to(self.plan.as_of)
        o = workspace_outcomes(self.plan.ws, start, end)
        if not (o.current.referrals or o.current.closed or o.current.responses):
            return
        self.doc.add_page_break()
        self.heading("Outcomes and participants' feedback", 1)
        self.para(f"From the service's case list and anonymous feedback forms, {long_date(start)} to {long_date(end)}, beside the "
                  f"year before. Referrals, offers, take-up and first contact count cases referred in the year; process and "
                  f"agreements count cases closed in it. A case counts as offered information about restorative justice when the "
                  f"case list records the day it was offered, the same rule as the time-limit measure. Time to first contact is counted in working days of England and Wales; "
                  f"a referral not yet contacted counts once it is past its limit. Shares carry their 95% Wilson interval.")
        self.para(f"{o.comparison(long_date)}.")
        rows = [[r.measure.strip(), r.now, r.count, r.ci or "–", r.before] for r in outcome_rows(o)]
        this_year = f"To {short_date(o.covered_to)}" if o.covered_to else "This year"
        self.table(["Measure", this_year, "Counted over", "95% interval", "Year before"], rows, [6.4, 1.8, 3.2, 2.4, 3.2])
        shares = [(label, s) for label, s in (("Offered information about RJ", o.current.offers), ("Took up the offer", o.current.take_up),
                                              ("First contact within the limit", o.current.first_contact.within_limit),
                                              ("Agreement reached", o.current.agreements_reached),
                                              ("Agreement completed", o.current.agreements_completed),
                                              *((f.text, f.share) for f in o.current.feedback)) if s.rate is not None]
        if shares:
            short = [(label if len(label) <= 44 else label[:43].rstrip() + "…", s) for label, s in shares]
            png = readiness_chart_png([(f"{label} ({s.k} of {s.n})", s.rate or 0.0) for label, s in short], "Share")
            self.figure(png, "Bar chart of outcome and feedback shares in the year: " + "; ".join(
                f"{label} {percent(s.rate)} ({s.k} of {s.n})" for label, s in shares) + ". The table above gives the same figures.",
                        "Figure 2. Outcome and feedback shares in the year to the as-of date.")

    def actions(self) -> None:
        self.doc.add_page_break()
        self.heading("Action plan", 1)
        self.para("The actions the service has agreed, with who leads each and by when.")
        rows = [[r.id, r.what, r.indicators or "–", r.owner,
                 (short_date(r.due) + (" (overdue)" if r.overdue else "")) if r.due else "–", r.status]
                for r in action_rows(self.plan)]
        if rows:
            self.table(["ID", "Action", "Indicator", "Owner", "Due", "Status"], rows,
                       [1.2, 6.6, 2.0, 2.6, 2.2, 2.4], one_line=(0, 2))
        else:
            self.para("The service had not agreed any action by the as-of date.")

    def requests(self) -> None:
        """The assessor's clarification requests answered by the as-of date."""
        answered = answered_between(self.plan.ws.requests, None, self.plan.as_of)
        if not answered:
            return
        self.heading("Clarification requests answered", 1)
        self.para("Questions the assessor raised about the previous submission, and how the service answered them.")
        rows = [[r.id, r.indicator, r.question, short_date(r.answered_on) if r.answered_on else "–",
                 r.response + (f" Evidence: {', '.join(r.evidence)}." if r.evidence else "")] for r in answered]
        self.table(["Request", "Indicator", "Question", "Answered", "Answer"], rows, [1.6, 1.8, 5.0, 2.2, 6.4], one_line=(0, 1, 3))

    def evidence_index(self) -> None:
        self.doc.add_page_break()
        self.heading("Evidence index", 1)
        self.para(f"Every file in the pack's evidence folder, with the first {CHECKSUM_DIGITS} hexadecimal digits of its SHA-256 "
                  "(manifest.json holds the full value).")
        types = self.plan.ws.frameworks[self.plan.assessment.framework_id].evidence_types
        rows = [[e.item.id, e.item.title, types.get(e.item.type, e.item.type.replace("_", " ")), short_date(e.item.dated),
                 short_date(e.item.review_by) if e.item.review_by else "–", e.name.removeprefix("evidence/"), e.sha256[:CHECKSUM_DIGITS]]
                for e in self.plan.evidence]
        if rows:
            self.table(["ID", "Title", "Type", "Dated", "Review by", "File in pack (evidence/)", "SHA-256"],
                       rows, [1.2, 3.4, 2.4, 2.0, 2.0, 3.4, 2.6], one_line=(0, 3, 4, 6),
                       bookmarks=[evidence_bookmark(e.item.id) for e in self.plan.evidence])
        else:
            self.para("No evidence qualifies on the as-of date.")

    def sources(self) -> None:
        """Where each framework the service assessed itself against comes from, and every caveat its pack records."""
        self.heading("Sources of the frameworks", 1)
        self.para("The service assessed itself against the frameworks below as a standards pack sets them out. We pass on "
                  "what each pack says it follows and every limit it records, so the reader can weigh our readiness "
                  "figures against them.")
        for section in source_sections(self.plan):
            self.heading(section.title, 2, listed=False)
            if section.version:
                self.para(section.version, bold_lead="Version: ")
            if section.follows:
                self.para(section.follows, bold_lead="We followed: ")
            if section.caveats:
                self.heading("What the pack records about its limits", 3, listed=False)
                for caveat in section.caveats:
                    self.para(caveat, style="List Bullet")
            else:
                self.para("The pack records no limits.")

    def data_protection(self) -> None:
        plan, ws = self.plan, self.plan.ws
        self.heading("Data protection statement", 1)
        self.para(f"This pack contains this document, a cross-reference spreadsheet, {len(plan.evidence)} approved evidence "
                  f"files current on {long_date(plan.as_of)} and a manifest of their SHA-256 digests.",
                  bold_lead="What the pack contains. ")
        self.para("No case list, case references, individual audit records or auditors' notes, no draft, unapproved, "
                  "expired or unlinked documents, and not the pseudonymisation key.", bold_lead="What it does not contain. ")
        self.para("Case files are identified inside the service by pseudonymous references; the key linking them to people "
                  "is held separately by the service and never exported. Audit results appear only as totals per "
                  "checklist item. Case data about offences is criminal-offence data; the service processes it under its "
                  "appropriate policy document.", bold_lead="Pseudonymisation. ")
        accepted = len(ws.privacy_review.accepted)
        reviewed = f" {accepted} reviewed false positive{'s' * (accepted != 1)} recorded by the service were accepted." if accepted else ""
        self.para("Before export, this document and the full content of every evidence file in the pack were scanned for "
                  "e-mail addresses, UK phone numbers, postcodes, National Insurance numbers, dates of birth, names and "
                  f"case references. The scan found nothing that blocks the export.{reviewed}",
                  bold_lead="Privacy pre-flight passed. ")
        self.para("When each evidence item was approved for release, and how it handles personal data:", bold_lead="Approvals. ")
        handling = {"none": "None", "redacted": "Redacted", "contains": "Contains"}
        rows = [[e.item.id, e.item.title, handling.get(e.item.personal_data.value, e.item.personal_data.value), e.item.owner,
                 short_date(e.item.approved_on) if e.item.approved_on else "not recorded"] for e in plan.evidence]
        if rows:
            self.table(["ID", "Title", "Personal data", "Owner", "Approved on"], rows, [1.2, 7.0, 2.4, 3.6, 2.8], one_line=(0, 2, 4))


_TC, _P, _RUN, _TEXT = qn("w:tc"), qn("w:p"), f"{qn('w:p')}/{qn('w:r')}", qn("w:t")


def _set_text(run, value: str) -> None:
    """Replace the text of a template cell's run, as ``paragraph.add_run(value)`` would have written it."""
    text = run.find(_TEXT)
    if value and not any(c in value for c in "\t\r\n"):
        text.text = value
        if len(value.strip()) < len(value):
            text.set(qn("xml:space"), "preserve")
        return
    run.remove(text)
    if value:  # tabs and line breaks become their own elements
        Run(run, None).text = value


def build_document(plan: PackPlan) -> bytes:
    """The submission document as deterministic .docx bytes (same plan, same bytes)."""
    writer = _Writer(plan)
    writer.cover()
    writer.page_break()
    marker = writer.contents_marker()
    writer.still_to_do()
    writer.summary()
    writer.readiness()
    writer.changes_since()
    writer.standards()
    writer.further_frameworks()
    writer.audit()
    writer.workforce()
    writer.outcomes()
    writer.actions()
    writer.requests()
    writer.evidence_index()
    writer.sources()
    writer.data_protection()
    writer.fill_contents(marker)
    return writer.docx_bytes()



def build_summary(plan: PackPlan) -> bytes:
    """The one-page summary alone, as .docx bytes: the board report (the same words as the pack's summary page)."""
    writer = _Writer(plan)
    writer.doc.add_paragraph(plan.assessment.service, style="Title")
    writer.summary()
    out = io.BytesIO()
    writer.doc.save(out)
    return normalise_zip(out.getvalue(), zip_time(plan.as_of))
