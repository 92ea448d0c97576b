"""What the last load of a workspace found, kept in ``.rsqm/load-cache.json`` for the next process.

Parsing every YAML file and the case list is most of a cold load. Each file
read by ``rsqm.workspace.load.load_workspace`` is identified by a *stamp* taken
before it is read: (size, mtime_ns, inode, ctime_ns, device). A file whose
stamp is unchanged is not parsed again; its models are validated from the JSON
kept here (pydantic, in Rust). When every stamp, every evidence file's facts
and the date are unchanged, the workspace's problems are reused as well.

The file is one line of JSON (the entries: stamps, problems, and where each
model's JSON lies) followed by the models' JSON back to back, so they are
handed to pydantic as bytes, never unescaped or decoded in Python.

Safety: plain JSON only (nothing in the file can run code); a damaged, foreign
or unreadable cache is ignored and rebuilt; a cache that cannot be written
costs time, never the load. Trust: only regular files (not links) are cached,
and an entry is reused only when its file was modified at least ``RACY_NS``
before the cache itself was written, so an edit in the same clock tick as that
write cannot hide behind an equal stamp (git's "racy" rule). Both times come
from the file system's clock, never the process's: a skewed or faked clock
cannot make a fresh edit look old. A write through ``rsqm.workspace.store`` replaces the file: new inode and
ctime, so a new stamp even when size and mtime are restored. Deleting the
file is always safe.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import stat
import tempfile
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pydantic_core

import rsqm
from rsqm.base.paths import STATE_DIR, state_dir
from rsqm.base.problems import Problem

CACHE_FILE = f"{STATE_DIR}/load-cache.json"
FORMAT = "rsqm/load-cache@1"
MAX_CACHE_BYTES = 512 * 2**20  # a national roll-up (100,000 cases, 20,000 audits) needs about 80 MiB
RACY_NS = 3 * 10**9  # files modified this close to the cache's writing are read again (coarse file clocks)

Stamp = list[int]
BLOBS = ("value", "lines")  # the fields of an entry kept after the header line, as [offset, length]
TALLY: Counter[str] = Counter()  # "files" served from the cache, "problems" reused; tests and benchmarks read it


@functools.cache
def code_version() -> str:
    """The rsqm code and pydantic that made a cache: a cache made by other code is ignored."""
    package = Path(rsqm.__file__).parent
    facts = [FORMAT, rsqm.__version__, pydantic_core.__version__]
    for path in sorted(package.rglob("*")):  # the code and its data (the personal-data scan's word lists)
        if "__pycache__" not in path.parts and path.is_file():
            info = path.stat()
            facts.append(f"{path.relative_to(package)}:{info.st_size}:{info.st_mtime_ns}")
    return hashlib.sha256("\n".join(facts).encode()).hexdigest()


def file_stamp(path: str | Path) -> Stamp | None:
    """The identity of a regular file's content, or None when it must not be trusted (a link, not a file)."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns, info.st_dev]


def problems_json(problems: list[Problem]) -> list[list[Any]]:
    return [[p.path, p.line, p.severity.value, p.message] for p in problems]


def problems_from(rows: list[list[Any]]) -> list[Problem]:
    return [Problem(path=path, line=line, severity=severity, message=message) for path, line, severity, message in rows]


class LoadCache:
    """One load's view of the cache: entries found (``old``), entries for the next load (``new``)."""

    def __init__(self, root: Path, today: date):
        self.file = root / CACHE_FILE
        self.root = root
        self.written_ns: int | None = None  # when the cache found was written, by the file system's clock
        self.today = today
        self.old: dict[str, Any] = {}
        self.old_problems: dict[str, Any] = {}
        self.new: dict[str, Any] = {}
        self.new_problems: dict[str, Any] = {}
        self.stamps: dict[str, Stamp | None] = {}  # every file this load read, in order
        self.dirty = False
        self.blob = memoryview(b"")
        self._read()

    def _read(self) -> None:
        try:
            fd = os.open(self.file, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO in its place must not hang the load
            with os.fdopen(fd, "rb") as handle:
                info = os.fstat(fd)
                raw = handle.read(MAX_CACHE_BYTES + 1) if stat.S_ISREG(info.st_mode) else b""
            cut = raw.index(b"\n")
            found = json.loads(raw[:cut]) if len(raw) <= MAX_CACHE_BYTES else None
        except (OSError, ValueError, RecursionError):
            return
        blob = memoryview(raw)[cut + 1:]
        if not isinstance(found, dict) or found.get("format") != FORMAT or found.get("code") != code_version():
            return
        if found.get("size") != len(blob):  # truncated, or appended to
            return
        files, problems = found.get("files"), found.get("problems")
        self.old = files if isinstance(files, dict) else {}
        self.old_problems = problems if isinstance(problems, dict) else {}
        self.blob = blob
        self.written_ns = info.st_mtime_ns

    def _trusted(self, stamp: Stamp | None) -> bool:
        """A stamp that may stand for the content: modified well before the cache found was written."""
        return stamp is not None and self.written_ns is not None and stamp[1] <= self.written_ns - RACY_NS

    def note(self, rel: str) -> Stamp | None:
        """Stamp ``rel`` before it is read: the workspace's problems depend on every file read."""
        stamp = self.stamps[rel] = file_stamp(os.path.join(self.root, rel))
        return stamp

    def recall(self, rel: str, params: str = "") -> dict[str, Any] | None:
        """The entry kept for ``rel`` when the file (and ``params``) are unchanged; notes the file as read."""
        stamp = self.note(rel)
        entry = self.old.get(rel)
        if not self._trusted(stamp) or not isinstance(entry, dict) or entry.get("stamp") != stamp or entry.get("params") != params:
            return None
        found = dict(entry)
        for name in BLOBS:
            span = entry.get(name)
            if span is None:
                continue
            if not (isinstance(span, list) and len(span) == 2 and all(type(n) is int and n >= 0 for n in span)):
                return None
            found[name] = bytes(self.blob[span[0]:span[0] + span[1]])  # a damaged span gives bytes pydantic refuses
        return found

    def reuse(self, rel: str, entry: dict[str, Any]) -> None:
        """``entry`` (from ``recall``) served this load: keep it for the next."""
        self.new[rel] = entry
        TALLY["files"] += 1

    def keep(self, rel: str, params: str = "", **payload: Any) -> None:
        """What a fresh parse of ``rel`` gave, for the next load (nothing when the file is not to be trusted).

        ``value`` and ``lines`` are JSON as bytes; anything else goes into the header.
        """
        stamp = self.stamps.get(rel)
        if stamp is not None:
            self.new[rel] = {"stamp": stamp, "params": params, **payload}
            self.dirty = True

    def workspace_key(self, facts: list[Any]) -> str | None:
        """One key for everything the workspace's checks depend on; None when some file cannot be trusted."""
        if any(stamp is None for stamp in self.stamps.values()):
            return None
        material = [self.today.isoformat(), date.today().isoformat(), sorted(self.stamps.items()), facts]
        return hashlib.sha256(json.dumps(material, default=str).encode()).hexdigest()

    def problems(self, key: str | None) -> list[Problem] | None:
        """The problems found last time the workspace key was the same (and every file read was trusted)."""
        if key is None or self.old_problems.get("key") != key or not all(map(self._trusted, self.stamps.values())):
            return None
        try:
            found = problems_from(self.old_problems["problems"])
        except (KeyError, TypeError, ValueError):
            return None
        self.new_problems = self.old_problems
        TALLY["problems"] += 1
        return found

    def keep_problems(self, key: str | None, problems: list[Problem]) -> None:
        if key is not None:
            self.new_problems = {"key": key, "problems": problems_json(problems)}
            self.dirty = True

    def save(self) -> None:
        """Write the cache for the next load when anything changed; a folder that cannot be written is left alone."""
        if not self.dirty and set(self.new) == set(self.old):
            return
        files, parts, offset = {}, [], 0
        for rel, entry in self.new.items():
            files[rel] = header = dict(entry)
            for name in BLOBS:
                if name in header:
                    parts.append(header[name])
                    header[name] = [offset, len(parts[-1])]
                    offset += len(parts[-1])
        head = json.dumps({"format": FORMAT, "code": code_version(), "size": offset, "files": files, "problems": self.new_problems},
                          separators=(",", ":")).encode()  # ASCII, so no raw line break
        if len(head) + 1 + offset > MAX_CACHE_BYTES:
            return
        try:
            state_dir(self.root)
            fd, temp = tempfile.mkstemp(prefix=".load-cache.", suffix=".tmp", dir=self.file.parent)  # private: mode 0600
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(head + b"\n")
                    handle.writelines(parts)
                os.replace(temp, self.file)
            except BaseException:
                Path(temp).unlink(missing_ok=True)
                raise
        except OSError:
            pass  # a read-only workspace: the next load parses again, nothing else changes
