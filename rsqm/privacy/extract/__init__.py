"""Text extractors, one module per format: everything a reader of an exported file could see in it.

``extract(name, data)`` yields the pieces of a file's text with where they sit
("header (word/header1.xml)", "page 2", "metadata"), and ``Unchecked`` for parts
whose content cannot be read as text (a type with no extractor; every picture,
named by the SHA-256 of its bytes, see ``base.picture``): those are refused unless
a person reviews them. A file that cannot be parsed raises ``ExtractError``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from rsqm.privacy.extract import image, ooxml, pdf, text
from rsqm.privacy.extract.base import ExtractError, Piece, Unchecked

__all__ = ["ExtractError", "Piece", "Unchecked", "extract", "readable", "suffix_of", "unreadable_type"]


def suffix_of(name: str) -> str:
    return PurePosixPath(name).suffix.lower()


def unreadable_type(suffix: str) -> str:
    """What the pre-flight reports for a file type no extractor reads (the ``what`` a review accepts)."""
    return f"a {suffix or 'file without an extension'} file, whose content rsqm cannot read"


def readable(name: str) -> bool:
    """Whether an extractor reads files of this name's type (else ``extract`` refuses them unread)."""
    return suffix_of(name) in (*ooxml.SUFFIXES, *pdf.SUFFIXES, *text.SUFFIXES, *image.SUFFIXES)


def extract(name: str, data: bytes) -> Iterator[Piece | Unchecked]:
    """The text pieces of a file called ``name`` holding ``data``, by its type."""
    suffix = suffix_of(name)
    if suffix in ooxml.SUFFIXES:
        yield from ooxml.extract(data, extract)
    elif suffix in pdf.SUFFIXES:
        yield from pdf.extract(data, extract)
    elif suffix in text.SUFFIXES:
        yield from text.extract(suffix, data, extract)
    elif suffix in image.SUFFIXES:
        yield from image.extract(data)
    else:
        yield Unchecked("", unreadable_type(suffix))
