"""What an extractor yields."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

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
    what: str  # for a picture: the SHA-256 of its bytes, which a review accepts wherever the picture is
    shown: Callable[[], bytes] | None = field(default=None, compare=False, repr=False)  # a picture: its image file, made on demand

    @property
    def picture(self) -> bool:
        return self.shown is not None


def picture(place: str, data: bytes, shown: Callable[[], bytes] | None = None) -> Unchecked:
    """A picture that leaves in a file: what it shows cannot be read as text, so a person looks at it once. It is named
    by the SHA-256 of its bytes, so one review clears the same logo in every file, and a changed picture is asked again.
    ``shown``: the picture as an image file to show the reviewer, when ``data`` is not one (a PDF's raw pixels)."""
    return Unchecked(place, hashlib.sha256(data).hexdigest(), shown or (lambda: data))
