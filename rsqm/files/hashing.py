"""SHA-256 of evidence files, cached on (path, size, modification time).

An unchanged file is never hashed twice: the cache lives in the workspace's
private state folder and is rewritten only when something new was hashed.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from rsqm.base.paths import STATE_DIR, state_dir

if TYPE_CHECKING:
    from rsqm.files.folder import EvidenceFile, Workspace

CACHE_FILE = f"{STATE_DIR}/hash-cache.json"


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in chunks: the one file digest of rsqm."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


class HashCache:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.file = self.root / CACHE_FILE
        self.entries: dict[str, list] = {}
        self.hashed = 0  # files actually read in this run: 0 on a warm run
        self.dirty = False
        try:
            self.entries = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.entries = {}

    def digest(self, facts: EvidenceFile) -> str | None:
        if facts.path is None or not facts.exists:
            return None
        key = str(facts.path)
        cached = self.entries.get(key)
        if cached and cached[0] == facts.size and cached[1] == facts.mtime_ns:
            return cached[2]
        try:
            value = sha256_file(facts.path)
        except OSError:
            return None
        self.entries[key] = [facts.size, facts.mtime_ns, value]
        self.hashed += 1
        self.dirty = True
        return value

    def save(self) -> None:
        if not self.dirty:
            return
        try:
            state_dir(self.root)
            temp = self.file.with_suffix(".tmp")
            temp.write_text(json.dumps(self.entries), encoding="utf-8")
            os.replace(temp, self.file)
            self.dirty = False
        except OSError:
            pass  # a cache that cannot be saved only costs time next run


def evidence_digests(
    ws: Workspace,
    ids: Iterable[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, str]:
    """Evidence id -> SHA-256 of its file, for files on disk (all items, or ``ids``)."""
    cache = HashCache(ws.root)
    wanted = list(ids) if ids is not None else list(ws.files)
    digests: dict[str, str] = {}
    for done, evidence_id in enumerate(wanted, start=1):
        facts = ws.files.get(evidence_id)
        value = cache.digest(facts) if facts else None
        if value:
            digests[evidence_id] = value
        if progress:
            progress(done, len(wanted))
    cache.save()
    return digests
