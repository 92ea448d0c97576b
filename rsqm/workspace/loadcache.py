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

Unchanged at a glance: with the problems, a load keeps the stamp of every file and folder it read or listed and of
every linked evidence file. ``unchanged_problems`` checks those stamps, the day and the code, and nothing else: when
all are as they were, the problems are the last load's, known without importing a model (``rsqm validate`` on an
unchanged workspace).
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

from rsqm.base.code import code_stamp
from rsqm.base.paths import STATE_DIR, state_dir
from rsqm.base.problems import Problem, Severity

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
    return hashlib.sha256(f"{FORMAT}\n{code_stamp('pydantic_core')}".encode()).hexdigest()


def file_stamp(path: str | Path) -> Stamp | None:
    """The identity of a regular file's content, or None when it must not be trusted (a link, not a file)."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns, info.st_dev]


def folder_stamp(path: str | Path) -> Stamp | None:
    """The identity of a folder's list of entries (adding, removing or renaming one changes it); None when absent or
    not a folder."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return [info.st_mtime_ns, info.st_ino, info.st_ctime_ns, info.st_dev] if stat.S_ISDIR(info.st_mode) else None


def _read_cache(file: Path, whole: bool) -> tuple[dict[str, Any], memoryview, int] | None:
    """(header, the models' JSON, when the cache was written) of a cache made by this code, else None. Only the header
    line is read unless ``whole``."""
    try:
        fd = os.open(file, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO in its place must not hang the load
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_CACHE_BYTES:
                return None
            raw = handle.read() if whole else handle.readline()
        cut = raw.index(b"\n")
        found = json.loads(raw[:cut])
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(found, dict) or found.get("format") != FORMAT or found.get("code") != code_version():
        return None
    if found.get("size") != info.st_size - cut - 1:  # truncated, or appended to
        return None
    return found, memoryview(raw)[cut + 1:], info.st_mtime_ns


def _trusted_at(stamp: Stamp | None, written_ns: int | None, modified: int = 1) -> bool:
    """Modified well before the cache was written (``modified``: where the stamp holds the time)."""
    return stamp is not None and written_ns is not None and stamp[modified] <= written_ns - RACY_NS


def _quick_trusted(quick: Any, written_ns: int | None) -> bool:
    """Whether every stamp in a quick record was taken well before the cache was written (absent files and folders
    have no stamp and are trusted as absent)."""
    try:
        return (all(_trusted_at(stamp, written_ns) for stamp in quick["files"].values())
                and all(stamp is None or _trusted_at(stamp, written_ns) for stamp in quick["linked"].values())
                and all(stamp is None or _trusted_at(stamp, written_ns, modified=0) for stamp in quick["folders"].values()))
    except (KeyError, TypeError, AttributeError, IndexError):
        return False


def unchanged_problems(root: Path) -> list[Problem] | None:
    """The last load's problems when nothing that load read can have changed since: every file, folder and linked
    evidence file it noted has the same stamp, taken well before the cache was written, on the same day, with the
    same code. None when anything differs or cannot be told: then the workspace must be loaded."""
    found = _read_cache(root / CACHE_FILE, whole=False)
    if found is None:
        return None
    header, _, written_ns = found
    problems = header.get("problems")
    quick = problems.get("quick") if isinstance(problems, dict) else None
    if not isinstance(quick, dict) or quick.get("day") != date.today().isoformat() or not _quick_trusted(quick, written_ns):
        return None
    try:
        now = {"files": {rel: file_stamp(root / rel) for rel in quick["files"]},
               "linked": {rel: file_stamp(root / rel) for rel in quick["linked"]},
               "folders": {rel: folder_stamp(root / rel) for rel in quick["folders"]}}
        if any(json.loads(json.dumps(now[kind])) != quick[kind] for kind in now):
            return None
        return problems_from(problems["problems"])
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def problems_json(problems: list[Problem]) -> list[list[Any]]:
    return [[p.path, p.line, p.severity.value, p.message] for p in problems]


def problems_from(rows: list[list[Any]]) -> list[Problem]:
    return [Problem(path=path, line=line, severity=Severity(severity), message=message) for path, line, severity, message in rows]


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
        self.folders: dict[str, Stamp | None] = {}  # every folder it listed, or read a file in
        self.linked: dict[str, Stamp | None] | None = {}  # the evidence files the register links to; None: not plainly
        self.dirty = False
        self.blob = memoryview(b"")
        self._read()

    def _read(self) -> None:
        found = _read_cache(self.file, whole=True)
        if found is None:
            return
        header, self.blob, self.written_ns = found
        files, problems = header.get("files"), header.get("problems")
        self.old = files if isinstance(files, dict) else {}
        self.old_problems = problems if isinstance(problems, dict) else {}

    def _trusted(self, stamp: Stamp | None) -> bool:
        """A stamp that may stand for the content: modified well before the cache found was written."""
        return _trusted_at(stamp, self.written_ns)

    def note(self, rel: str) -> Stamp | None:
        """Stamp ``rel`` before it is read: the workspace's problems depend on every file read."""
        stamp = self.stamps[rel] = file_stamp(os.path.join(self.root, rel))
        self.note_folder(os.path.dirname(rel))
        return stamp

    def note_folder(self, rel: str) -> None:
        """Stamp a folder that was listed or looked in (``rel`` "" for the workspace), and the folders above it: a file
        added, removed or renamed there changes its stamp."""
        while rel not in self.folders:
            self.folders[rel] = folder_stamp(os.path.join(self.root, rel))
            if not rel:
                return
            rel = os.path.dirname(rel)

    def note_linked(self, rels: list[str | None]) -> None:
        """Stamp the evidence files the register links to (None: a link that does not lead plainly to its own path,
        so the workspace can only be judged unchanged by loading it)."""
        if any(rel is None for rel in rels) or self.linked is None:
            self.linked = None
            return
        self.linked.update((rel, file_stamp(os.path.join(self.root, rel))) for rel in rels if rel is not None)

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
        quick = self.old_problems.get("quick")
        if self.linked is not None and (quick != self._quick() or not _quick_trusted(quick, self.written_ns)):
            self.keep_problems(key, found)  # the same problems, with stamps the next run can trust at a glance
        return found

    def keep_problems(self, key: str | None, problems: list[Problem]) -> None:
        if key is not None:
            self.new_problems = {"key": key, "problems": problems_json(problems)}
            if self.linked is not None:
                self.new_problems["quick"] = self._quick()
            self.dirty = True

    def _quick(self) -> dict[str, Any]:
        """What ``unchanged_problems`` checks; JSON's own types, so a record read back compares equal."""
        return json.loads(json.dumps({"day": date.today().isoformat(), "files": self.stamps, "linked": self.linked,
                                      "folders": self.folders}))

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
