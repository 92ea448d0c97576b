"""Uploaded and registered evidence files: safe names, and types judged by content.

An uploaded name is never trusted as a path, and an extension is never trusted
as a type: a ``.pdf`` must start like a PDF, a ``.docx`` must be a ZIP holding
a Word document, text must be UTF-8.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Collection

from rsqm.workspace.store import Store, WriteConflict

MAX_UPLOAD_BYTES = 25 * 1024 * 1024
ALLOWED_TYPES = ("pdf", "docx", "md", "txt", "csv")
TEXT_TYPES = ("md", "txt", "csv")
EXPECTED_KIND = {"pdf": "pdf", "docx": "zip"}  # extension -> what its first bytes must be
UPLOAD_FOLDER = "evidence/files"
DESCRIBED = {"pdf": "a PDF", "zip": "a ZIP archive", "executable": "a program", "html": "a web page (HTML)"}


def sniff(head: bytes) -> str | None:
    """What the first bytes of a file say it is: pdf, zip, executable, html, or None (unknown)."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith((b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa", b"#!")):
        return "executable"
    if head.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html", b"<script")):
        return "html"
    return None


def extension(name: str) -> str:
    """Lower-case extension without the dot ('' when there is none)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return base.rpartition(".")[2].lower() if "." in base.strip(".") else ""


def type_mismatch(name: str, head: bytes) -> tuple[bool, str] | None:
    """For a registered file: (blocking, message) when its bytes do not match its extension.

    Blocking when the bytes are positively another format (an executable or a
    ZIP named .pdf); not blocking when they are merely unrecognised (a placeholder).
    """
    expected = EXPECTED_KIND.get(extension(name))
    if expected is None:
        return None
    found = sniff(head)
    if found == expected:
        return None
    if found is None:
        return False, f"content does not look like a .{extension(name)} file"
    return True, f"content is {DESCRIBED[found]}, not a .{extension(name)} file"


def safe_filename(name: str) -> str:
    """A slug that cannot leave its folder: the last path part, ASCII letters, digits, '-', '_' and one dot."""
    base = unicodedata.normalize("NFKD", name.replace("\\", "/").rsplit("/", 1)[-1]).encode("ascii", "ignore").decode()
    stem, dot, ext = base.strip(". ").rpartition(".")
    if not dot:
        stem, ext = ext, ""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-_").lower()[:80] or "file"
    ext = re.sub(r"[^a-z0-9]", "", ext.lower())[:10]
    return f"{stem}.{ext}" if ext else stem


def check_upload(
    name: str, data: bytes, max_bytes: int = MAX_UPLOAD_BYTES, allowed_types: Collection[str] = ALLOWED_TYPES
) -> list[str]:
    """Why an upload is refused (empty list: accepted). Type is checked by content as well as extension."""
    ext = extension(safe_filename(name))
    if ext not in allowed_types:
        return [f"'{name}': only {', '.join(allowed_types)} files can be uploaded"]
    if not data:
        return [f"'{name}' is empty"]
    if len(data) > max_bytes:
        return [f"'{name}' is {len(data) / 2**20:.1f} MB; the limit is {max_bytes / 2**20:g} MB"]
    if ext in TEXT_TYPES:
        return _text_problems(name, data)
    if ext == "pdf" and sniff(data) != "pdf":
        return [f"'{name}' is not a PDF: its content does not start with %PDF-"]
    if ext == "docx" and not _is_word_document(data):
        return [f"'{name}' is not a Word document: its content is not a .docx ZIP"]
    return []


def _text_problems(name: str, data: bytes) -> list[str]:
    if b"\x00" in data:
        return [f"'{name}' is not a text file (it holds NUL bytes)"]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return [f"'{name}' is not UTF-8 text; save it as UTF-8"]
    return []


def _is_word_document(data: bytes) -> bool:
    if sniff(data) != "zip":
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def store_upload(store: Store, data: bytes, name: str, *, change: str = "upload evidence file", item: str | None = None) -> str:
    """Save an upload under evidence/files/ without overwriting anything; returns the path for the register.

    The returned path is relative to evidence/ (``files/policy-2.pdf``), as the
    register's ``file`` field wants it. A taken name gets -2, -3, ... appended.
    """
    slug = safe_filename(name)
    stem, dot, ext = slug.rpartition(".")
    if not dot:
        stem, ext = slug, ""
    for number in range(1, 10_000):
        candidate = (f"{stem}-{number}" if number > 1 else stem) + (f".{ext}" if ext else "")
        rel = f"{UPLOAD_FOLDER}/{candidate}"
        try:
            store.write(rel, data, change=change, item=item, expected=None)
        except WriteConflict:
            if store.token(rel) is None:  # busy, not taken: let the caller retry
                raise
            continue
        return rel.removeprefix("evidence/")
    raise WriteConflict(f"too many files named like '{slug}' in {UPLOAD_FOLDER}")
