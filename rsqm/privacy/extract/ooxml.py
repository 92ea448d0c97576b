"""Office documents as ZIPs of XML (.docx, .xlsx, .pptx and OpenDocument): every XML part, not only the body.

Headers, footers, comments, footnotes, text boxes, tracked insertions and
deletions, core, app and custom properties, alt text (``descr``/``title``),
external link targets (mailto:) and embedded files are all read; each picture (``word/media``, ``xl/media``,
``ppt/media``, ODT ``Pictures``) is yielded by its hash for a person to review once. Text runs of a
paragraph are joined as Word renders them ("07911" + "123456" in two runs is one
number); paragraphs, rows and cells are kept apart.
"""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from xml.etree import ElementTree

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree

from rsqm.privacy.extract.base import ExtractError, Piece, Unchecked, picture

SUFFIXES = (".docx", ".docm", ".dotx", ".xlsx", ".xlsm", ".pptx", ".pptm", ".odt", ".ods", ".odp")
# "pt" is a chart's or a diagram's data point: each label a value of its own, not joined to the next
BLOCKS = frozenset({"p", "h", "si", "row", "tr", "table-row", "comment", "annotation", "txbxContent", "footnote", "endnote", "pt"})
CELLS = frozenset({"tc", "c", "table-cell"})
SPACES = frozenset({"tab", "br", "cr", "s", "line-break", "noBreakHyphen", "softHyphen"})
RUN_TEXT = frozenset({"t", "delText", "instrText", "v", "f", "is", "span", "a"})
# "v": a pivot cache's items (<s v="..."/>); "val" is read only in external links (a linked workbook's sheet names)
ATTRIBUTES = frozenset({"descr", "title", "name", "author", "initials", "userId", "href", "Target", "v", "caption"})
EXTERNAL_LINK_PART = re.compile(r"externalLinks?/")
BIRTH_HEADER = re.compile(r"birth|\bd\.?o\.?b\b", re.IGNORECASE)
MAX_EXCEL_SERIAL = 2_958_466  # 31 December 9999
NOT_TEXT_ATTRIBUTE_PARTS = re.compile(r"(^|/)(styles|theme\d*|fontTable|settings|numbering|webSettings|presProps|viewProps|tableStyles)\.xml$")
# an element whose text is a person who wrote or changed something: a spreadsheet comment's <author> too
AUTHOR_FIELDS = frozenset({"creator", "lastModifiedBy", "Manager", "initial-creator", "author"})
PLACES = (
    (re.compile(r"word/document\.xml$"), "body"),
    (re.compile(r"header\d*\.xml$"), "header"),
    (re.compile(r"footer\d*\.xml$"), "footer"),
    (re.compile(r"comments\w*\.xml$"), "comments"),
    (re.compile(r"footnotes\.xml$"), "footnotes"),
    (re.compile(r"endnotes\.xml$"), "endnotes"),
    (re.compile(r"docProps/core\.xml$|meta\.xml$"), "core properties"),
    (re.compile(r"docProps/app\.xml$"), "document properties"),
    (re.compile(r"docProps/custom\.xml$"), "custom properties"),
    (re.compile(r"sharedStrings\.xml$"), "cell text"),
    (re.compile(r"worksheets/sheet\d+\.xml$"), "sheet"),
    (re.compile(r"slides/slide\d+\.xml$"), "slide"),
    (re.compile(r"notesSlide\d+\.xml$"), "speaker notes"),
    (re.compile(r"pivotCache"), "pivot cache"),
    (re.compile(r"pivotTable"), "pivot table"),
    (re.compile(r"charts/chart\w*\.xml$"), "chart"),
    (re.compile(r"externalLinks?/"), "external link"),
    (re.compile(r"\.rels$"), "links"),
)
MEDIA = re.compile(r"\.(?:jpe?g|tiff?|png|gif|bmp|webp|emf|wmf|svg)$", re.IGNORECASE)
EMBEDDED = re.compile(r"(^|/)(embeddings|media|Object \d+|Pictures)/|vbaProject\.bin$", re.IGNORECASE)


def place(part: str) -> str:
    label = next((label for pattern, label in PLACES if pattern.search(part)), "part")
    return f"{label} ({part})"


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def xml_text(data: bytes, attributes: bool = True, more: frozenset[str] = frozenset()) -> tuple[str, list[str]]:
    """(the part's text, one line per block, and the values of its author fields); ``more``: further attributes read."""
    try:
        root = SafeElementTree.fromstring(data)  # no entity expansion, no DTD, no external fetches
    except (ElementTree.ParseError, DefusedXmlException) as exc:
        raise ExtractError(f"XML error: {type(exc).__name__}: {exc}") from exc
    out: list[str] = []
    authors: list[str] = []

    def walk(element: ElementTree.Element, shared_index: bool = False) -> None:
        local = _local(element.tag) if isinstance(element.tag, str) else ""
        if local in SPACES:
            out.append(" ")
        if attributes:
            external = element.get("TargetMode") == "External"
            for name, value in element.attrib.items():
                key = _local(name)
                if value.strip() and (key in ATTRIBUTES or key in more) and (key != "Target" or external):
                    out.append(f"\n{value}\n")
                    if key == "author":  # who made a tracked change or wrote a comment
                        authors.append(value.strip())
        text = element.text or ""
        if text and not (shared_index and local == "v"):
            if local in RUN_TEXT:
                out.append(text)
            elif text.strip():
                out.append(f"\n{text}\n")
                if local in AUTHOR_FIELDS:
                    authors.append(text.strip())
        shared = local == "c" and element.get("t") == "s"  # a shared-string index, not the cell's text
        for child in element:
            walk(child, shared)
            if child.tail and child.tail.strip():
                out.append(child.tail)
        if local in BLOCKS:
            out.append("\n")
        elif local in CELLS:
            out.append(" | ")

    try:
        walk(root)
    except RecursionError as exc:
        raise ExtractError("nested too deeply to read") from exc
    return "".join(out), authors


def extract(data: bytes, inner: Callable[[str, bytes], Iterator[Piece | Unchecked]]) -> Iterator[Piece | Unchecked]:
    """Every part of the package; embedded files through ``inner`` (the extractor for their own type)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = [info.filename for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ExtractError(f"not a valid Office file: {exc}") from exc
    birth_header = False
    with archive:
        for name in names:
            try:
                content = archive.read(name)
            except (zipfile.BadZipFile, OSError, ValueError, RuntimeError) as exc:  # RuntimeError: encrypted member
                raise ExtractError(f"cannot read {name}: {exc}") from exc
            if name.endswith((".xml", ".rels")):
                more = frozenset({"val"}) if EXTERNAL_LINK_PART.search(name) else frozenset()
                text, authors = xml_text(content, attributes=not NOT_TEXT_ATTRIBUTE_PARTS.search(name), more=more)
                yield Piece(place(name), text)
                yield from (Piece(place(name), author, author=True) for author in authors)
                birth_header = birth_header or (name.startswith("xl/") and BIRTH_HEADER.search(text) is not None)
            elif EMBEDDED.search(name):  # other binary parts are package furniture: fonts, printer settings, thumbnails
                yield from _embedded(name, content, inner, images=bool(MEDIA.search(name)))
    if birth_header:
        yield from _birth_columns(data)


def _birth_columns(data: bytes) -> Iterator[Piece]:
    """A workbook stores a date as a number (31000 is 15 November 1984): under a "Date of birth" heading each value is
    read as the date it shows, after the heading, so the recogniser of dates of birth sees what a reader sees."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.datetime import from_excel

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on damaged files; the parts above were read all the same
        raise ExtractError(f"cannot read the workbook's cells: {type(exc).__name__}: {exc}") from exc
    try:
        for sheet in book.worksheets:
            headers: dict[int, str] = {}
            lines: list[str] = []
            for row in sheet.iter_rows(values_only=True):
                for index, value in enumerate(row):
                    if isinstance(value, str) and BIRTH_HEADER.search(value):
                        headers[index] = value.strip()
                    elif index in headers and value is not None and not isinstance(value, str):
                        when = from_excel(value) if isinstance(value, int | float) and 0 < value < MAX_EXCEL_SERIAL else value
                        shown = when.strftime("%d/%m/%Y") if hasattr(when, "strftime") else str(when)
                        lines.append(f"{headers[index]} (column {get_column_letter(index + 1)}): {shown}")
            if lines:
                yield Piece(f"sheet {sheet.title}, dates under a date-of-birth heading", "\n".join(lines))
    finally:
        book.close()


def _embedded(name: str, content: bytes, inner: Callable[[str, bytes], Iterator[Piece | Unchecked]],
              images: bool) -> Iterator[Piece | Unchecked]:
    """An embedded file: its own text; an embedded picture (a pasted screenshot, a logo) as a picture, by its hash, and
    its metadata (an EXIF author, a GPS position)."""
    if images:
        yield picture(name, content)  # by its own bytes, whatever its type (EMF, SVG too)
    for found in inner(name, content):
        if isinstance(found, Unchecked) and images and not found.place:  # the picture itself, yielded above
            continue
        where = f"{name}: {found.place}" if found.place else name
        yield Piece(where, found.text, found.prose, found.author) if isinstance(found, Piece) else dataclasses.replace(found, place=where)
