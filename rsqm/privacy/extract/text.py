"""Plain-text formats: TXT and Markdown (prose), CSV/TSV (row by row), HTML (text, attributes, comments), RTF."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from html.parser import HTMLParser

from rsqm.privacy.extract.base import Piece

SUFFIXES = (".txt", ".md", ".markdown", ".csv", ".tsv", ".html", ".htm", ".rtf")
HTML_ATTRIBUTES = ("alt", "title", "href", "content", "value", "placeholder", "aria-label", "src", "data")
RTF_CONTROL = re.compile(r"\\'([0-9a-fA-F]{2})|\\u(-?\d{1,6})\??|\\([a-zA-Z]{1,32})(-?\d{1,10})? ?|\\([^a-zA-Z])|[{}\r\n]")
RTF_BREAKS = frozenset({"par", "line", "row", "cell", "tab", "sect", "page"})


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as spreadsheets and older editors write it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def extract(suffix: str, data: bytes) -> Iterator[Piece]:
    text = decode(data)
    if suffix in (".csv", ".tsv"):
        yield Piece("", _delimited(text, "\t" if suffix == ".tsv" else ","))
    elif suffix in (".html", ".htm"):
        yield Piece("", html_text(text), prose=True)
    elif suffix == ".rtf":
        yield Piece("", rtf_text(text), prose=True)
    else:
        yield Piece("", text, prose=True)


def _delimited(text: str, delimiter: str) -> str:
    """One line per row, cells separated by ' | ' so neighbouring cells are not read as one number."""
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return "\n".join(" | ".join(row) for row in rows)
    except csv.Error:  # a malformed quote: read the raw lines, never skip them
        return text.replace(delimiter, " | ")


class _HtmlText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "title"):
            self.parts.append("\n")
        self.parts.extend(f"\n{value}\n" for name, value in attrs if value and name in HTML_ATTRIBUTES)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_comment(self, data: str) -> None:
        self.parts.append(f"\n{data}\n")


def html_text(text: str) -> str:
    parser = _HtmlText()
    parser.feed(text)
    parser.close()
    return "".join(parser.parts)


def rtf_text(text: str) -> str:
    """RTF with control words removed (hidden groups such as \\info, which holds the author, are kept)."""
    def replace(match: re.Match[str]) -> str:
        hex_byte, code, word, _, symbol = match.groups()
        if hex_byte:
            return bytes([int(hex_byte, 16)]).decode("cp1252", errors="replace")
        if code:
            return chr(int(code) % 65536)
        if word:
            return "\n" if word in RTF_BREAKS else ""
        if symbol:
            return symbol if symbol in "\\{}" else " " if symbol == "~" else ""
        return "\n" if match.group(0) in "{}" else ""

    return RTF_CONTROL.sub(replace, text)
