"""Recognisers for personal data in free text: the privacy scan's building blocks.

Pure functions over strings. They err on the side of flagging: a reviewed false
positive is accepted in the workspace (evidence/privacy-review.yaml), not here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import phonenumbers

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# National Insurance number: two prefix letters (not D, F, I, Q, U, V), six digits, suffix A-D.
NI_NUMBER = re.compile(r"\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b")
POSTCODE = re.compile(r"\b(GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b")
DOB_LABEL = re.compile(
    r"\b(?:d\.?o\.?b\.?|date of birth|born(?: on)?)\s*[:\-]?\s*"
    r"(\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2} [A-Z][a-z]+ \d{4})",
    re.IGNORECASE,
)
TITLED_NAME = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.? [A-Z][a-z]{2,}\b")
NAME_COLUMN = re.compile(r"(^|_)(name|surname|forename|first_?name|last_?name|email|e_?mail|phone|mobile|tel|address|postcode|dob|birth)", re.I)


@dataclass(frozen=True)
class Finding:
    kind: str  # e-mail address, UK phone number, ...
    text: str  # the matched text
    line: int  # 1-based line within the scanned text


def _phone_numbers(line: str) -> Iterator[str]:
    if len(line) < 10 or sum(map(str.isdigit, line)) < 10:  # cheap test first: most lines have no number
        return
    for match in phonenumbers.PhoneNumberMatcher(line, "GB", leniency=phonenumbers.Leniency.VALID):
        yield match.raw_string


def scan_line(line: str, names: Iterable[str] = ()) -> Iterator[tuple[str, str]]:
    """(kind, text) for every piece of personal data recognised in one line."""
    for match in EMAIL.finditer(line):
        yield "e-mail address", match.group(0)
    for text in _phone_numbers(line):
        yield "UK phone number", text
    for match in NI_NUMBER.finditer(line):
        yield "National Insurance number", match.group(0)
    for match in POSTCODE.finditer(line):
        yield "UK postcode", match.group(0)
    for match in DOB_LABEL.finditer(line):
        yield "date of birth", match.group(0)
    for match in TITLED_NAME.finditer(line):
        yield "personal name", match.group(0)
    lowered = line.lower()
    for name in names:
        if name and name.lower() in lowered and re.search(rf"\b{re.escape(name)}\b", line, re.IGNORECASE):
            yield "name from the pseudonymisation key", name


def scan_text(text: str, names: Iterable[str] = ()) -> list[Finding]:
    names = [n for n in names if len(n) >= 2]
    return [
        Finding(kind, found, number)
        for number, line in enumerate(text.splitlines(), start=1)
        for kind, found in scan_line(line, names)
    ]


def looks_like_personal_column(header: str) -> bool:
    return bool(NAME_COLUMN.search(header.strip()))
