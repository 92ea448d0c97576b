"""Plain-text formats: TXT and Markdown (prose), CSV/TSV (row by row), HTML (text, attributes, comments), RTF.

A text file is read in the encoding its byte-order mark or its content says (UTF-8, UTF-16 or UTF-32, with or
without a mark; else Windows-1252). Authors are read as authors: HTML ``<meta name="author">`` (and the other
meta names that name a person) and RTF's ``\\author`` and ``\\operator``. A ``data:`` URI in HTML or Markdown is
decoded and read as the file it holds: a picture as a picture (refused until a person has looked at it, named by
its hash so one review clears it everywhere), text as text.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import csv
import io
import re
import urllib.parse
from collections.abc import Callable, Iterator
from html.parser import HTMLParser

from rsqm.privacy.extract.base import Piece, Unchecked, picture

SUFFIXES = (".txt", ".md", ".markdown", ".csv", ".tsv", ".html", ".htm", ".rtf")
HTML_ATTRIBUTES = ("alt", "title", "href", "content", "value", "placeholder", "aria-label", "src", "data")
HTML_AUTHOR_META = frozenset({"author", "creator", "dc.creator", "dcterms.creator", "article:author", "twitter:creator",
                              "last-modified-by", "lastmodifiedby", "owner", "reply-to"})
RTF_CONTROL = re.compile(r"\\'([0-9a-fA-F]{2})|\\u(-?\d{1,6})\??|\\([a-zA-Z]{1,32})(-?\d{1,10})? ?|\\([^a-zA-Z])|[{}\r\n]")
RTF_BREAKS = frozenset({"par", "line", "row", "cell", "tab", "sect", "page"})
RTF_AUTHORS = re.compile(r"\{\\(?:author|operator) ([^{}]{0,1000})\}")
# data:[type][;charset=...][;base64],payload; the payload ends where an attribute value or a Markdown link ends
DATA_URI = re.compile(r"data:([\w.+/-]{0,100})((?:;[\w.+-]{1,40}(?:=[\w.+-]{1,40})?){0,5}),([A-Za-z0-9+/=%._~!$&'*:@-]*)")
BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def decode(data: bytes) -> str:
    """The text in the encoding its byte-order mark says; without one, UTF-16 or UTF-32 when every other byte (or
    three of four) of its start is zero, as in Latin text so written; else UTF-8, else Windows-1252 as spreadsheets
    and older editors write it."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace")
    encoding = _unmarked_wide(data[:4096])
    if encoding:
        return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _unmarked_wide(start: bytes) -> str | None:
    if len(start) < 4 or b"\x00" not in start:
        return None
    start = start[:len(start) - len(start) % 4]
    for width, encodings in ((4, ("utf-32-le", "utf-32-be")), (2, ("utf-16-le", "utf-16-be"))):
        for position, encoding in ((0, encodings[1]), (width - 1, encodings[0])):
            units = [start[i:i + width] for i in range(0, len(start), width)]
            # in big-endian Latin text the high bytes come first and are zero; in little-endian they come last
            zero_high = sum(unit[:width - 1] == b"\x00" * (width - 1) if position == 0 else unit[1:] == b"\x00" * (width - 1)
                            for unit in units)
            if zero_high >= 0.5 * len(units):
                return encoding
    return None


def extract(suffix: str, data: bytes, inner: Callable[[str, bytes], Iterator[Piece | Unchecked]] | None = None
            ) -> Iterator[Piece | Unchecked]:
    text = decode(data)
    if suffix in (".csv", ".tsv"):
        yield Piece("", _delimited(text, "\t" if suffix == ".tsv" else ","))
        return
    if suffix in (".html", ".htm", ".md", ".markdown") and "data:" in text:
        yield from _data_uris(text, inner)
        text = DATA_URI.sub(lambda match: f"data:{match.group(1)}", text)  # the payload is not prose
    if suffix in (".html", ".htm"):
        parser = _HtmlText()
        parser.feed(text)
        parser.close()
        yield Piece("", "".join(parser.parts), prose=True)
        yield from (Piece("meta author", author, author=True) for author in parser.authors)
    elif suffix == ".rtf":
        yield Piece("", rtf_text(RTF_AUTHORS.sub("", text)), prose=True)
        yield from (Piece("document properties", rtf_text(author).strip(), author=True) for author in RTF_AUTHORS.findall(text))
    else:
        yield Piece("", text, prose=True)


def _data_uris(text: str, inner: Callable[[str, bytes], Iterator[Piece | Unchecked]] | None) -> Iterator[Piece | Unchecked]:
    for number, match in enumerate(DATA_URI.finditer(text), start=1):
        kind, parameters, payload = match.group(1).lower() or "text/plain", match.group(2), match.group(3)
        place = f"data URI {number} ({kind})"
        try:
            content = base64.b64decode(payload + "=" * (-len(payload) % 4)) if ";base64" in parameters.lower() \
                else urllib.parse.unquote_to_bytes(payload)
        except (binascii.Error, ValueError):
            yield Unchecked(place, "a data URI that cannot be decoded")
            continue
        if kind.startswith("image/"):
            yield picture(place, content)
            suffix = "." + kind.split("/", 1)[1].split("+", 1)[0]
            if inner is not None:  # its metadata (an EXIF author, a GPS position) still counts
                yield from (found for found in inner(f"picture{suffix}", content) if not (isinstance(found, Unchecked) and not found.place))
        elif kind.startswith("text/") or kind in ("application/json", "application/xml"):
            yield Piece(place, decode(content), prose=True)
        elif inner is not None:
            yield from inner(f"embedded.{kind.rsplit('/', 1)[-1]}", content)


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
        self.authors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "title"):
            self.parts.append("\n")
        values = dict(attrs)
        if tag == "meta" and (values.get("name") or values.get("property") or "").strip().lower() in HTML_AUTHOR_META:
            if (values.get("content") or "").strip():
                self.authors.append((values["content"] or "").strip())
            return
        self.parts.extend(f"\n{value}\n" for name, value in attrs if value and name in HTML_ATTRIBUTES)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_comment(self, data: str) -> None:
        self.parts.append(f"\n{data}\n")


def rtf_text(text: str) -> str:
    """RTF with control words removed (hidden groups such as \\info, which holds the title, are kept)."""
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
