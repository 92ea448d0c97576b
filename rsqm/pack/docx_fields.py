"""Word field and bookmark helpers python-docx does not offer.

The contents list is built from bookmarked headings and PAGEREF fields rather
than a TOC field: LibreOffice fills PAGEREF, PAGE and NUMPAGES when converting
but leaves a TOC field empty; Word refreshes all of them on open (updateFields).
"""

from __future__ import annotations

from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docx.text.run import Run


def _fld_char(kind: str) -> OxmlElement:
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    return element


def add_field(paragraph: Paragraph, instruction: str, placeholder: str = "1") -> Run:
    """Append a complex field (PAGE, NUMPAGES, PAGEREF x \\h) showing ``placeholder`` until updated."""
    begin = paragraph.add_run()
    begin._r.append(_fld_char("begin"))
    code = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    code._r.append(text)
    separate = paragraph.add_run()
    separate._r.append(_fld_char("separate"))
    shown = paragraph.add_run(placeholder)
    end = paragraph.add_run()
    end._r.append(_fld_char("end"))
    return shown


def add_bookmark(paragraph: Paragraph, name: str, number: int) -> None:
    """Wrap the paragraph's content in a bookmark called ``name``."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    p = paragraph._p
    properties = p.find(qn("w:pPr"))
    if properties is not None:
        properties.addnext(start)
    else:
        p.insert(0, start)
    p.append(end)


def update_fields_on_open(document: Document) -> None:
    """Ask Word to refresh every field (page references, page counts) when it opens the file."""
    settings = document.settings.element
    element = settings.find(qn("w:updateFields"))
    if element is None:
        element = OxmlElement("w:updateFields")
        settings.append(element)
    element.set(qn("w:val"), "true")


def shade(cell, fill: str) -> None:
    """Background colour of a table cell (hex RRGGBB)."""
    properties = cell._tc.get_or_add_tcPr()
    element = OxmlElement("w:shd")
    element.set(qn("w:val"), "clear")
    element.set(qn("w:color"), "auto")
    element.set(qn("w:fill"), fill)
    properties.append(element)


def repeat_as_header(row) -> None:
    """Repeat a table's first row at the top of every page it runs onto."""
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    properties.append(element)


def add_internal_link(paragraph: Paragraph, text: str, bookmark: str, colour: str = "2B6CB0") -> None:
    """Append ``text`` as a hyperlink that jumps to ``bookmark`` inside the document."""
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), bookmark)
    link.set(qn("w:history"), "1")
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    for tag, value in (("w:color", colour), ("w:u", "single")):
        element = OxmlElement(tag)
        element.set(qn("w:val"), value)
        properties.append(element)
    run.append(properties)
    shown = OxmlElement("w:t")
    shown.set(qn("xml:space"), "preserve")
    shown.text = text
    run.append(shown)
    link.append(run)
    paragraph._p.append(link)


def no_wrap(cell) -> None:
    """Keep a cell's text on one line (identifiers and statuses must not break mid-word)."""
    cell._tc.get_or_add_tcPr().append(OxmlElement("w:noWrap"))
