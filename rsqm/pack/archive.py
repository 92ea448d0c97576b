"""Deterministic ZIP writing: the same entries always give the same bytes.

Every entry gets the same timestamp (derived from the as-of date), the same
permissions and the same creator system, and entries are written in sorted
order, so two exports of the same workspace on the same as-of date compare equal.

Formats that are compressed already (PDF, Office files, pictures, ZIPs) are
stored as they are: deflating them again costs most of an export's time and
saves almost nothing. Everything else (text, CSV, XML) is deflated. The choice
depends on the entry's name only, so it too is the same on every export.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath

from rsqm.base.errors import InputRefused

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"  # signature over the exact bytes of manifest.json (rsqm.pack.signing)
SCHEMA = "rsqm/pack@1"
CHUNK = 1 << 20
FILE_MODE = 0o100644 << 16  # regular file, rw-r--r--
COMPRESSED_SUFFIXES = frozenset({".pdf", ".docx", ".xlsx", ".pptx", ".png", ".jpg", ".jpeg", ".zip"})

DateTime = tuple[int, int, int, int, int, int]


def zip_time(as_of: date) -> DateTime:
    """The ZIP timestamp for every entry: midnight on the as-of date (ZIP cannot go before 1980)."""
    return (max(as_of.year, 1980), as_of.month, as_of.day, 0, 0, 0)


def compression(name: str) -> int:
    """ZIP_STORED for a format that is compressed already, else ZIP_DEFLATED."""
    return zipfile.ZIP_STORED if PurePosixPath(name).suffix.lower() in COMPRESSED_SUFFIXES else zipfile.ZIP_DEFLATED


def entry_info(name: str, date_time: DateTime) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time)
    info.compress_type = compression(name)
    info.create_system = 3  # Unix, whatever the machine
    info.external_attr = FILE_MODE
    return info


@dataclass(frozen=True)
class Entry:
    """One file of the pack: bytes held in memory, or a file on disk read while writing."""

    name: str
    data: bytes | None = None
    source: Path | None = None

    def chunks(self) -> Iterable[bytes]:
        if self.data is not None:
            yield self.data
            return
        assert self.source is not None
        with open(self.source, "rb") as handle:
            while chunk := handle.read(CHUNK):
                yield chunk


class ChangedWhileWriting(InputRefused):
    """A file's bytes differ from the digest recorded in the manifest moments before."""


def write_zip(
    target: Path | io.BytesIO,
    entries: Iterable[Entry],
    date_time: DateTime,
    expected: dict[str, str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Write ``entries`` sorted by name; with ``expected`` (name -> sha256) check each file as it is copied."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entry in sorted(entries, key=lambda e: e.name):
            digest = hashlib.sha256()
            with archive.open(entry_info(entry.name, date_time), "w") as out:
                for chunk in entry.chunks():
                    out.write(chunk)
                    digest.update(chunk)
                    if progress:
                        progress(len(chunk))
            if expected and entry.name in expected and expected[entry.name] != digest.hexdigest():
                raise ChangedWhileWriting(entry.name)


def normalise_zip(data: bytes, date_time: DateTime) -> bytes:
    """Rewrite a ZIP (a .docx) with fixed timestamps, permissions and sorted entries."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = [Entry(info.filename, source.read(info)) for info in source.infolist()]
    out = io.BytesIO()
    write_zip(out, entries, date_time)
    return out.getvalue()
