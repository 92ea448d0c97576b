"""What an extractor yields."""

from __future__ import annotations

from dataclasses import dataclass

from rsqm.base.errors import InputRefused


class ExtractError(InputRefused, ValueError):
    """The file could not be parsed as its type says (corrupt, encrypted, truncated)."""


@dataclass(frozen=True)
class Piece:
    """Text as a reader sees it. ``prose``: its lines are read as one paragraph (rendered joined)."""

    place: str  # "" for the whole file, else "header (word/header1.xml)", "page 3", ...
    text: str
    prose: bool = False
    author: bool = False  # a document-author field: any person's name or user name there is a finding


@dataclass(frozen=True)
class Unchecked:
    """Content rsqm cannot read as text, so cannot clear: refused unless a person reviews it."""

    place: str
    what: str
