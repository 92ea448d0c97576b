"""The privacy pre-flight: scan exactly what would leave the service, as it would leave.

What leaves is the rendered document (and any other generated file) and the full
content of every exported evidence file: every part and every metadata field, read
by the extractors in ``rsqm.privacy.extract``. The sources the document is rendered from
(narratives, the action plan, the register entries, not-applicable
justifications) are scanned too, so a finding names the file and line to fix; a
finding in the rendered document that no source explains is reported against the
document itself. Text that stays in the service (audit notes) is not scanned for
the pack; ``personal_data_warnings`` lets the dashboard warn as it is typed.

Blocks on: linked evidence marked ``personal_data: contains``; the
pseudonymisation key; anything the detectors recognise (rsqm.privacy.detectors); a
document author that is a person; content no extractor can read (an unknown file
type); every picture in an evidence file (an image file, a picture in an Office file
or a data URI, a PDF's images and ink drawings), named by the SHA-256 of its bytes:
a person looks at it once, and accepting that hash (everywhere) clears the same
picture in every file, while a changed picture is asked about again. Not a finding: the service's own public contacts
(``public_contacts:`` in rsqm.yaml) and national helplines
(rsqm/data/helplines.txt). A reviewed false positive is accepted only through
evidence/privacy-review.yaml (``what`` = the flagged text, ``where`` = the path or
evidence id).
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import hashlib
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import TYPE_CHECKING

from rsqm.base.formatting import CHECKSUM_DIGITS
from rsqm.base.paths import ACTIONS_FILE, NARRATIVES_DIR, REGISTER_FILE, SETTINGS_FILE
from rsqm.base.problems import Problem, error
from rsqm.files.folder import MAX_TEXT_BYTES, Workspace, read_regular
from rsqm.files.models import PersonalData, PrivacyAcceptance, PrivacyReview
from rsqm.files.yamlio import YamlRefused
from rsqm.privacy.detectors import Detectors, forenames, organisation_words, scan_text
from rsqm.privacy.extract import ExtractError, Piece, Unchecked, extract, readable, suffix_of
from rsqm.privacy.extract import text as text_formats
from rsqm.privacy.memo import Memo, detectors_stamp
from rsqm.privacy.names import is_name_column, known_names, name_forms

if TYPE_CHECKING:
    from rsqm.assess.gaps import Assessment

REVIEW_HINT = "not personal data? record it in evidence/privacy-review.yaml"
UNCHECKED = "content that cannot be checked"
PICTURE = "picture nobody has reviewed"
AUTHOR = "document author"
# Author fields that name a tool or a role, not a person; a staff code such as P07 is not a name either.
NOT_A_PERSON = frozenset({"", "rsqm", "python-docx", "openpyxl", "microsoft office user", "administrator", "admin", "user", "author",
                          "unknown", "owner", "libreoffice", "windows user", "microsoft word", "microsoft excel"})
STAFF_CODE = re.compile(r"[A-Z]{1,4}\d{1,4}")
AUTHOR_PARTS = re.compile(r"[,;/()|&+]| - | – | and ")


@dataclass(frozen=True)
class Hit:
    """One piece of flagged text, before acceptance is checked."""

    path: str  # workspace-relative, or the name of a generated file in the pack
    line: int | None
    kind: str
    text: str
    evidence_id: str | None = None
    place: str = ""  # "header (word/header1.xml)", "page 2" for files that are not plain text

    @property
    def where(self) -> str:
        """What privacy-review.yaml's ``where`` names to accept this hit."""
        return self.evidence_id or self.path

    def problem(self) -> Problem:
        prefix = f"{self.evidence_id}: " if self.evidence_id else ""
        place = f" in {self.place}" if self.place else ""
        if self.kind == PICTURE:
            return error(self.path, self.line, f"{prefix}{self.kind}, SHA-256 {self.text}{place} (look at it: if it shows no "
                         f"personal data, accept it once on the Export page or with: rsqm privacy accept {self.text} --reason R)")
        return error(self.path, self.line, f"{prefix}{self.kind} '{self.text}'{place} ({REVIEW_HINT})")


@dataclass(frozen=True)
class Preflight:
    """The outcome: every problem (empty = nothing blocks), and the hits a person may review and accept."""

    problems: list[Problem]
    reviewable: list[Hit]


def pack_evidence(assessment: Assessment) -> list[str]:
    """Ids of the evidence that goes into the pack: qualifying items linked to an indicator, sorted."""
    return sorted({evidence_id for result in assessment.indicators for evidence_id in result.evidence},
                  key=lambda e: (len(e), e))


def key_names(ws: Workspace) -> tuple[list[str], list[Problem]]:
    """Real names: those the case export's name columns gave (rsqm.privacy.names), and every cell of the columns of the
    pseudonymisation key that hold names."""
    known = [form for name in known_names(ws.root) for form in name_forms(name)]
    names, problems = _pseudonymisation_key(ws)
    return sorted({*known, *names}), problems


def _pseudonymisation_key(ws: Workspace) -> tuple[list[str], list[Problem]]:
    rel = ws.settings.pseudonymisation_key
    if not rel:
        return [], []
    line = ws.line(SETTINGS_FILE, "pseudonymisation_key")
    try:
        text = read_regular(ws.root / rel, rel, MAX_TEXT_BYTES).decode("utf-8-sig")  # a FIFO there must not block the export
    except (YamlRefused, UnicodeDecodeError) as exc:
        reason = exc.problem.message if isinstance(exc, YamlRefused) else str(exc)
        return [], [error(SETTINGS_FILE, line, f"pseudonymisation key {rel} cannot be read ({reason}); names cannot be checked")]
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return [], []
    columns = [i for i, h in enumerate(rows[0]) if is_name_column(h)]
    if not columns:
        return [], [error(SETTINGS_FILE, line, f"pseudonymisation key {rel} has no column whose header names real names")]
    names: set[str] = set()
    for row in rows[1:]:
        for index in columns:
            cell = row[index].strip() if index < len(row) else ""
            if len(cell) >= 2:
                names.add(cell)
                names.update(part for part in cell.split() if len(part) >= 3)
    return sorted(names), []


# --- what is never a finding -------------------------------------------------


def _phone_digits(text: str) -> str:
    digits = re.sub(r"\D", "", text)
    return "0" + digits[2:] if digits.startswith("44") and len(digits) >= 12 else digits


def _letters(text: str) -> str:
    return re.sub(r"[^0-9a-z@]", "", text.lower())


@functools.cache
def helplines() -> tuple[str, ...]:
    """National helpline numbers (rsqm/data/helplines.txt), as digits."""
    text = resources.files("rsqm").joinpath("data", "helplines.txt").read_text(encoding="utf-8")
    return tuple(_phone_digits(line.split("|")[0]) for line in text.splitlines() if line.strip() and not line.startswith("#"))


@dataclass(frozen=True)
class Allowed:
    """The service's own public contacts and the national helplines: printed on purpose, never findings."""

    phones: frozenset[str]
    texts: tuple[str, ...]

    @classmethod
    def of(cls, contacts: Iterable[str]) -> Allowed:
        contacts = list(contacts)
        phones = {_phone_digits(c) for c in contacts if len(_phone_digits(c)) >= 3} | set(helplines())
        return cls(frozenset(phones), tuple(_letters(c) for c in contacts))

    @classmethod
    def for_workspace(cls, ws: Workspace) -> Allowed:
        return cls.of([*ws.settings.public_contacts, ws.settings.service])

    def with_checksums(self, digests: Iterable[str], shown: int) -> Allowed:
        """Also the start of each evidence file's SHA-256 as the evidence index prints it: 10 hex digits that happen
        to be all numbers read like a phone number (about one file in a hundred)."""
        return Allowed(self.phones | {digest[:shown] for digest in digests if digest[:shown].isdigit()}, self.texts)

    def allows(self, kind: str, text: str) -> bool:
        if kind == "UK phone number":
            return _phone_digits(text) in self.phones
        letters = _letters(text)
        if kind == AUTHOR:  # a tool, a staff code, or the service itself
            value = text.strip()
            return value.lower() in NOT_A_PERSON or bool(STAFF_CODE.fullmatch(value)) or any(letters == c or (
                len(letters) >= 5 and letters in c) or (len(c) >= 5 and letters.startswith(c)) for c in self.texts)
        return len(letters) >= 5 and any(letters in contact for contact in self.texts)


NOTHING_ALLOWED = Allowed(frozenset(), ())  # every finding: what a file holds, before the workspace's allow-list


# --- scanning ----------------------------------------------------------------


class Scanner:
    """Collects hits: the detectors, the allow-list, and where each line of a workspace file is."""

    def __init__(self, detectors: Detectors, allowed: Allowed, line_of: Callable[..., int | None] = lambda *_: None):
        self.detectors, self.allowed, self.line_of = detectors, allowed, line_of
        self.hits: list[Hit] = []

    @classmethod
    def for_workspace(cls, ws: Workspace, names: Iterable[str] = ()) -> Scanner:
        detectors = Detectors.for_workspace(names, ws.settings.case_ref_pattern, (case.case_ref for case in ws.cases))
        return cls(detectors, Allowed.for_workspace(ws), ws.line)

    def keeps(self, kind: str, text: str) -> bool:
        """Whether a finding is reported: a picture or unreadable content always is, text unless it is allowed."""
        return kind in (PICTURE, UNCHECKED) or not self.allowed.allows(kind, text)

    def text(self, text: str, path: str, first_line: int | None, *, evidence_id: str | None = None, place: str = "",
             prose: bool = True) -> None:
        several_lines = "\n" in text  # asked once: per finding it made a text full of findings quadratic
        for finding in scan_text(text, self.detectors, join_lines=prose):
            if not self.keeps(finding.kind, finding.text):
                continue
            line = first_line + finding.line - 1 if first_line is not None else None
            where = f"{place}, line {finding.line}" if place and several_lines else place
            self.hits.append(Hit(path, line, finding.kind, finding.text, evidence_id, where))

    def organisation(self, author: str) -> bool:
        """An organisation, a team or a role as a document's author ("Wiltshire Council", "Service Manager"): each part of
        it holds one of their words, its first word is no common forename, and nothing in it is recognised as personal."""
        parts = [part.split() for part in AUTHOR_PARTS.split(author.lower()) if part.strip()]
        words = organisation_words()
        return bool(parts) and parts[0][0] not in forenames() and all(any(w.strip(".'’") in words for w in part) for part in parts) \
            and not scan_text(author, self.detectors)

    def field(self, text: str | None, path: str, *loc: str | int, evidence_id: str | None = None) -> None:
        """A field of a workspace file; its line is looked up only when something is found (a cached file's lines are
        read by parsing it again)."""
        if not text:
            return
        found = len(self.hits)
        self.text(text, path, 1, evidence_id=evidence_id)
        if len(self.hits) > found:
            first = self.line_of(path, *loc)
            self.hits[found:] = [dataclasses.replace(hit, line=None if first is None or hit.line is None else first + hit.line - 1)
                                 for hit in self.hits[found:]]

    def file(self, name: str, data: bytes, path: str, evidence_id: str | None = None, memo: Memo | None = None,
             digest: str | None = None) -> None:
        """Every piece of a file's content; raises ExtractError when it cannot be parsed. With a ``memo``, what an earlier
        run found in bytes of the same SHA-256 (``digest``) is reused, and what is found now kept."""
        if memo is None:
            self.pieces(list(extract(name, data)), path, evidence_id, plain_text=suffix_of(name) in text_formats.SUFFIXES)
            return
        digest = digest or hashlib.sha256(data).hexdigest()
        found = memo.recall(digest, name)
        if found is None:
            everything = Scanner(self.detectors, NOTHING_ALLOWED)
            everything.file(name, data, path, evidence_id)
            found = [(hit.kind, hit.text, hit.line, hit.place) for hit in everything.hits]
            memo.keep(digest, name, found)
        self.hits += [Hit(path, line, kind, text, evidence_id, place) for kind, text, line, place in found if self.keeps(kind, text)]

    def pieces(self, found: Iterable[Piece | Unchecked], path: str, evidence_id: str | None, plain_text: bool) -> None:
        for piece in found:
            if isinstance(piece, Unchecked):
                self.hits.append(Hit(path, None, PICTURE if piece.picture else UNCHECKED, piece.what, evidence_id, piece.place))
            elif piece.author:
                if self.keeps(AUTHOR, piece.text) and not self.organisation(piece.text):
                    self.hits.append(Hit(path, None, AUTHOR, piece.text, evidence_id, piece.place))
            elif plain_text:
                self.text(piece.text, path, 1, evidence_id=evidence_id, prose=piece.prose)
            else:
                self.text(piece.text, path, None, evidence_id=evidence_id, place=piece.place, prose=piece.prose)


def _sources(ws: Workspace, scanner: Scanner, exported: list[str]) -> None:
    """Everything the document is rendered from, with file and line."""
    framework_ids = {indicator.id for _, indicator in ws.framework.indicators()} if ws.framework else set()
    # the further frameworks' accounts are in the document too
    framework_ids |= {f"{fid}:{indicator.id}" for fid in ws.settings.frameworks if fid in ws.frameworks
                      for _, indicator in ws.frameworks[fid].indicators()}
    for indicator_id, text in sorted(ws.narratives.items()):
        if not framework_ids or indicator_id in framework_ids:
            scanner.text(text, ws.narrative_files.get(indicator_id, f"{NARRATIVES_DIR}/{indicator_id}.md"), 1)
    for indicator_id, why in ws.settings.not_applicable.items():
        scanner.field(why, SETTINGS_FILE, "not_applicable", indicator_id)
    for index, action in enumerate(ws.actions.actions):
        for key in ("title", "note", "owner"):
            scanner.field(getattr(action, key), ACTIONS_FILE, "actions", index, key)
    wanted = set(exported)
    for index, item in enumerate(ws.register.items):
        if item.id not in wanted:
            continue
        loc = ws.register_loc(index)
        for key in ("title", "owner"):
            scanner.field(getattr(item, key), REGISTER_FILE, *loc, key, evidence_id=item.id)
        for l_index, link in enumerate(item.links):
            for key in ("locator", "claim"):
                scanner.field(getattr(link, key), REGISTER_FILE, *loc, "links", l_index, key, evidence_id=item.id)


def _generated(scanner: Scanner, outputs: dict[str, bytes], memo: Memo | None = None) -> list[Problem]:
    """The rendered files: anything found there that no source scan explains is reported against the file."""
    explained = {(hit.kind, hit.text) for hit in scanner.hits}
    own = Scanner(scanner.detectors, scanner.allowed)
    problems = []
    for name, data in outputs.items():
        try:
            own.file(name, data, name, memo=memo)
        except ExtractError as exc:
            problems.append(error(name, None, f"cannot read the rendered {name} to check it ({exc})"))
    # a picture there is rsqm's own chart of the assessment's numbers, drawn from text scanned above
    scanner.hits += [hit for hit in own.hits if (hit.kind, hit.text) not in explained and hit.kind != PICTURE]
    return problems


def _evidence(ws: Workspace, scanner: Scanner, exported: list[str], digests: dict[str, str], memo: Memo) -> list[Problem]:
    """The full content of every exported evidence file, exactly the bytes that will be copied."""
    problems: list[Problem] = []
    items = {item.id: (index, item) for index, item in enumerate(ws.register.items)}
    key = (ws.root / ws.settings.pseudonymisation_key).resolve() if ws.settings.pseudonymisation_key else None
    for evidence_id in exported:
        index, item = items[evidence_id]
        rel = f"evidence/{item.file}"
        if item.personal_data is PersonalData.contains:
            line = ws.line(REGISTER_FILE, *ws.register_loc(index), "personal_data")
            problems.append(error(REGISTER_FILE, line, f"{evidence_id}: marked 'personal_data: contains' but linked to an "
                                  "indicator; redact it (and mark it 'redacted') or unlink it before exporting"))
        facts = ws.files.get(evidence_id)
        if facts is None or facts.path is None or not facts.exists:
            continue
        if key is not None and facts.path == key:
            problems.append(error(rel, None, f"{evidence_id}: this is the pseudonymisation key; it must never leave the service"))
            continue
        if not readable(facts.path.name):  # refused by its type: no need to read it
            scanner.file(facts.path.name, b"", rel, evidence_id)
            continue
        try:  # the size the load saw: a file since grown, or replaced by a pipe or a device, is not read on and on
            data = read_regular(facts.path, rel, facts.size)
        except YamlRefused:
            problems.append(error(rel, None, f"{evidence_id}: cannot read the file to check it: it is no longer the regular file "
                                  f"of {facts.size:,} bytes the workspace was loaded with (a pipe, a device or a folder in its "
                                  "place, or it grew); check it and export again"))
            continue
        digest = hashlib.sha256(data).hexdigest()
        if evidence_id in digests and digest != digests[evidence_id]:
            problems.append(error(rel, None, f"{evidence_id}: the file changed while it was being checked; check again"))
            continue
        try:
            scanner.file(facts.path.name, data, rel, evidence_id, memo, digest)
        except ExtractError as exc:
            problems.append(error(rel, None, f"{evidence_id}: cannot read the text to check it for personal data ({exc})"))
    return problems


def accepted(review: PrivacyReview, hit: Hit) -> bool:
    """The hit's text was accepted where it was found: everywhere, in its file or evidence item, or in a folder holding it."""
    return any(a.what == hit.text and covers(a, hit) for a in review.accepted)


def covers(acceptance: PrivacyAcceptance, hit: Hit) -> bool:
    where = acceptance.where
    if acceptance.everywhere or where is None:
        return bool(acceptance.everywhere)
    return where in (hit.path, hit.evidence_id) or (where.endswith("/") and hit.path.startswith(where))


def scan(ws: Workspace, exported: Iterable[str], outputs: dict[str, bytes] | None = None,
         digests: dict[str, str] | None = None) -> Preflight:
    """Pre-flight over a pack of the ``exported`` evidence ids and the generated ``outputs`` (name -> bytes); what a file
    held when an earlier run read the same bytes is reused (rsqm.privacy.memo)."""
    exported = list(exported)
    names, problems = key_names(ws)
    scanner = Scanner.for_workspace(ws, names)
    scanner.allowed = scanner.allowed.with_checksums((digests or {}).values(), CHECKSUM_DIGITS)
    memo = Memo(ws.root, detectors_stamp(names, ws.settings.case_ref_pattern, scanner.detectors.case_ref_prefixes))
    _sources(ws, scanner, exported)
    problems += _generated(scanner, outputs or {}, memo)
    problems += _evidence(ws, scanner, exported, digests or {}, memo)
    memo.save()
    return _outcome(ws, scanner, problems)


def scan_outputs(ws: Workspace, outputs: dict[str, bytes]) -> Preflight:
    """Pre-flight over generated documents alone (a renewal return): exactly what they hold."""
    names, problems = key_names(ws)
    scanner = Scanner.for_workspace(ws, names)
    problems += _generated(scanner, outputs)
    return _outcome(ws, scanner, problems)


def _outcome(ws: Workspace, scanner: Scanner, problems: list[Problem]) -> Preflight:
    reviewable = [hit for hit in dict.fromkeys(scanner.hits) if not accepted(ws.privacy_review, hit)]
    problems += [hit.problem() for hit in reviewable]
    return Preflight(list(dict.fromkeys(problems)), reviewable)


def picture_of(ws: Workspace, hit: Hit) -> bytes | None:
    """The picture a finding names, as an image file to show the person reviewing it: read again from its evidence file,
    so the pre-flight holds no picture in memory; None when the file no longer holds that picture (it changed since) or
    rsqm cannot make an image of it (an ink drawing, a PDF image it cannot convert)."""
    facts = ws.files.get(hit.evidence_id) if hit.evidence_id else None
    if hit.kind != PICTURE or facts is None or facts.path is None or not facts.exists:
        return None
    try:
        data = read_regular(facts.path, hit.path, facts.size)
        found = next((piece for piece in extract(facts.path.name, data)
                      if isinstance(piece, Unchecked) and piece.picture and piece.what == hit.text), None)
    except (YamlRefused, ExtractError):
        return None
    try:
        return found.shown() if found is not None and found.shown is not None else None
    except Exception:  # pypdf and Pillow raise many kinds on an image they cannot convert
        return None


def personal_data_warnings(text: str, ws: Workspace | None = None) -> list[str]:
    """What the dashboard says when personal data is typed into a note, a narrative or an action as it is saved."""
    scanner = Scanner.for_workspace(ws, key_names(ws)[0]) if ws else Scanner(Detectors(), Allowed.of([]))
    scanner.text(text, "", 1)
    return [f"{hit.kind} '{hit.text}'" for hit in dict.fromkeys(scanner.hits)]


def accept(review: PrivacyReview, hit: Hit, reviewed_by: str, why: str, on: date) -> PrivacyReview:
    """The review with ``hit`` accepted as a reviewed false positive (pure: the caller writes it through the Store); a
    picture everywhere, by its hash."""
    everywhere = hit.kind == PICTURE
    acceptance = PrivacyAcceptance(what=hit.text, where=None if everywhere else hit.where, everywhere=everywhere or None,
                                   reviewed_by=reviewed_by, reviewed_on=on, why=why)
    if acceptance in review.accepted:
        return review
    return review.model_copy(update={"accepted": [*review.accepted, acceptance]})
