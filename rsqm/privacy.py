"""The privacy pre-flight: scan everything that would leave the service before a pack is written.

Blocks on linked evidence marked ``personal_data: contains`` and on anything the
detectors recognise (e-mail addresses, UK phone numbers, postcodes, National
Insurance numbers, dates of birth, titled names, names from the pseudonymisation
key) in narratives, audit notes, actions, register text and the text of the
evidence files going into the pack. A reviewed false positive is accepted only
through evidence/privacy-review.yaml (``what`` = the flagged text, ``where`` =
the path or evidence id).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from rsqm.detectors import scan_text
from rsqm.models import PersonalData
from rsqm.problems import Problem, error
from rsqm.workspace import ACTIONS_FILE, MAX_TEXT_BYTES, NARRATIVES_DIR, REGISTER_FILE, SETTINGS_FILE, Workspace, read_regular
from rsqm.yamlio import YamlRefused

if TYPE_CHECKING:
    from rsqm.gaps import Assessment

NAME_HEADER = re.compile(r"name|surname|forename|given|family", re.I)
NOT_A_NAME_HEADER = re.compile(r"pseudonym|case|ref|code|id$", re.I)
TEXT_SUFFIXES = (".md", ".txt", ".docx", ".pdf")
REVIEW_HINT = "not personal data? record it in evidence/privacy-review.yaml"


@dataclass(frozen=True)
class Hit:
    """One piece of flagged text, before acceptance is checked."""

    path: str  # workspace-relative
    line: int | None
    kind: str
    text: str
    evidence_id: str | None = None
    place: str = ""  # "paragraph 4", "page 2, line 7" for evidence files

    def problem(self) -> Problem:
        prefix = f"{self.evidence_id}: " if self.evidence_id else ""
        place = f" in {self.place}" if self.place else ""
        return error(self.path, self.line, f"{prefix}{self.kind} '{self.text}'{place} ({REVIEW_HINT})")


def pack_evidence(assessment: Assessment) -> list[str]:
    """Ids of the evidence that goes into the pack: qualifying items linked to an indicator, sorted."""
    return sorted({evidence_id for result in assessment.indicators for evidence_id in result.evidence},
                  key=lambda e: (len(e), e))


def key_names(ws: Workspace) -> tuple[list[str], list[Problem]]:
    """Real names from the pseudonymisation key: every cell of the columns that hold names."""
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
    columns = [i for i, h in enumerate(rows[0]) if NAME_HEADER.search(h) and not NOT_A_NAME_HEADER.search(h.strip())]
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


def evidence_text(path: Path) -> Iterator[tuple[str, int | None, str]]:
    """(place, line, text) pieces of an evidence file's text; raises ValueError when unreadable."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".md", ".txt"):
            for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
                yield "", number, line
        elif suffix == ".docx":
            import docx

            document = docx.Document(str(path))
            for number, paragraph in enumerate(document.paragraphs, start=1):
                yield f"paragraph {number}", None, paragraph.text
            for t_number, table in enumerate(document.tables, start=1):
                for r_number, row in enumerate(table.rows, start=1):
                    yield f"table {t_number}, row {r_number}", None, " | ".join(cell.text for cell in row.cells)
        elif suffix == ".pdf":
            from pypdf import PdfReader

            for p_number, page in enumerate(PdfReader(str(path)).pages, start=1):
                for l_number, line in enumerate((page.extract_text() or "").splitlines(), start=1):
                    yield f"page {p_number}, line {l_number}", None, line
    except ValueError:
        raise
    except Exception as exc:  # a corrupt document: python-docx and pypdf raise many kinds
        raise ValueError(f"{type(exc).__name__}: {exc}") from exc


def _hits(text: str, names: list[str], path: str, first_line: int | None, evidence_id: str | None = None, place: str = "") -> list[Hit]:
    found = []
    for finding in scan_text(text, names):
        line = first_line + finding.line - 1 if first_line is not None else None
        found.append(Hit(path, line, finding.kind, finding.text, evidence_id, place))
    return found


def _workspace_text_hits(ws: Workspace, names: list[str], exported: Iterable[str]) -> Iterator[Hit]:
    framework_ids = {indicator.id for _, indicator in ws.framework.indicators()} if ws.framework else set()
    for indicator_id, text in sorted(ws.narratives.items()):
        if not framework_ids or indicator_id in framework_ids:
            yield from _hits(text, names, f"{NARRATIVES_DIR}/{indicator_id}.md", 1)
    for case_ref, audit in sorted(ws.audits.items()):
        rel = ws.audit_path(case_ref)
        for item, answer in audit.answers.items():
            yield from _hits(answer.note, names, rel, ws.line(rel, "answers", item, "note"))
        yield from _hits(audit.safeguarding_note, names, rel, ws.line(rel, "safeguarding_note"))
        if audit.moderation:
            for part in ("answers", "agreed"):
                for item, answer in getattr(audit.moderation, part).items():
                    yield from _hits(answer.note, names, rel, ws.line(rel, "moderation", part, item, "note"))
    for index, action in enumerate(ws.actions.actions):
        for key in ("title", "note"):
            yield from _hits(getattr(action, key), names, ACTIONS_FILE, ws.line(ACTIONS_FILE, "actions", index, key))
    wanted = set(exported)
    for index, item in enumerate(ws.register.items):
        if item.id not in wanted:
            continue
        loc = ws.register_loc(index)
        yield from _hits(item.title, names, REGISTER_FILE, ws.line(REGISTER_FILE, *loc, "title"), item.id)
        for l_index, link in enumerate(item.links):
            for key in ("locator", "claim"):
                yield from _hits(getattr(link, key), names, REGISTER_FILE, ws.line(REGISTER_FILE, *loc, "links", l_index, key), item.id)


def _evidence_hits(ws: Workspace, names: list[str], exported: Iterable[str]) -> Iterator[Hit | Problem]:
    items = {item.id: (index, item) for index, item in enumerate(ws.register.items)}
    key = (ws.root / ws.settings.pseudonymisation_key).resolve() if ws.settings.pseudonymisation_key else None
    for evidence_id in exported:
        index, item = items[evidence_id]
        rel = f"evidence/{item.file}"
        if item.personal_data is PersonalData.contains:
            line = ws.line(REGISTER_FILE, *ws.register_loc(index), "personal_data")
            yield error(REGISTER_FILE, line, f"{evidence_id}: marked 'personal_data: contains' but linked to an indicator; "
                        "redact it (and mark it 'redacted') or unlink it before exporting")
        facts = ws.files.get(evidence_id)
        if facts is None or facts.path is None or not facts.exists:
            continue
        if key is not None and facts.path == key:
            yield error(rel, None, f"{evidence_id}: this is the pseudonymisation key; it must never leave the service")
            continue
        if facts.path.suffix.lower() not in TEXT_SUFFIXES:
            continue
        try:
            for place, line, text in evidence_text(facts.path):
                yield from _hits(text, names, rel, line, evidence_id, place)
        except ValueError as exc:
            yield error(rel, None, f"{evidence_id}: cannot read the text to check it for personal data ({exc})")


def _accepted(ws: Workspace, hit: Hit) -> bool:
    return any(a.what == hit.text and a.where in (hit.path, hit.evidence_id) for a in ws.privacy_review.accepted)


def scan(ws: Workspace, exported: Iterable[str]) -> list[Problem]:
    """Pre-flight findings for a pack holding the ``exported`` evidence ids (empty = nothing blocks)."""
    exported = list(exported)
    names, problems = key_names(ws)
    hits: list[Hit] = list(_workspace_text_hits(ws, names, exported))
    for found in _evidence_hits(ws, names, exported):
        if isinstance(found, Problem):
            problems.append(found)
        else:
            hits.append(found)
    problems += [hit.problem() for hit in hits if not _accepted(ws, hit)]
    return list(dict.fromkeys(problems))


def preflight(ws: Workspace, as_of: date, assessment: Assessment | None = None) -> list[Problem]:
    """The privacy scan over what an export on ``as_of`` would send out."""
    if assessment is None:
        from rsqm.gaps import assess_workspace

        assessment = assess_workspace(ws, as_of=as_of)
    return scan(ws, pack_evidence(assessment))
