"""Loading the workspace for the dashboard, once per change of its files.

Streamlit reruns the whole script on every click. The expensive work (parsing
the YAML, hashing evidence, the gap analysis, the audit summary) is cached on a
fingerprint of the workspace files: (path, mtime_ns, size) for every file that
feeds it. A rerun with unchanged files reuses the cached objects; any write
through the Store changes a file and so the fingerprint.

``st.cache_resource`` rather than ``st.cache_data``: cache_data pickles and
unpickles the value on every hit (a full copy of the workspace per rerun); the
models are frozen, so sharing one object between reruns is safe.
"""

from __future__ import annotations

import gc
import hashlib
import os
import threading
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path

import streamlit as st

from rsqm.base.dates import default_as_of
from rsqm.base.paths import SETTINGS_FILE
from rsqm.base.root import NoWorkspace, resolve_root
from rsqm.files.folder import Workspace
from rsqm.server.access import View
from rsqm.workspace.load import load_workspace

Fingerprint = tuple[tuple[str, int, int], ...]

LOADS: Counter[str] = Counter()  # real (uncached) loads per kind; tests read it
WATCHED = (SETTINGS_FILE, "standards", "evidence")


def workspace_root() -> Path:
    """$RSQM_WORKSPACE, else the current folder; ``NoWorkspace`` when rsqm.yaml is missing."""
    return resolve_root(None)


def fingerprint(root: Path) -> Fingerprint:
    """(relative path, mtime_ns, size) of every file the workspace is loaded from."""
    entries: list[tuple[str, int, int]] = []
    for top in WATCHED:
        path = root / top
        if path.is_file():
            stat = path.stat()
            entries.append((top, stat.st_mtime_ns, stat.st_size))
            continue
        _scan(str(path), top, entries)
    return tuple(entries)


def _scan(folder: str, rel: str, out: list[tuple[str, int, int]]) -> None:
    """Files of ``folder`` (sorted), then its sub-folders; skips hidden and linked folders, like os.walk."""
    try:
        with os.scandir(folder) as found:
            entries = sorted(found, key=lambda e: e.name)
    except OSError:
        return
    folders = []
    for entry in entries:
        try:
            if entry.is_dir():
                if not entry.is_symlink() and not entry.name.startswith("."):
                    folders.append(entry)
                continue
            stat = entry.stat()
        except OSError:
            continue
        out.append((f"{rel}/{entry.name}", stat.st_mtime_ns, stat.st_size))
    for entry in folders:
        _scan(entry.path, f"{rel}/{entry.name}", out)


def cache_key(entries: Fingerprint) -> str:
    """One short string for the cache: Streamlit hashes a long tuple argument element by element (~50 ms at 3,000 files)."""
    return hashlib.sha256(repr(entries).encode()).hexdigest()


@st.cache_resource(max_entries=4, show_spinner=False)
def _workspace(root: str, key: str) -> Workspace:
    """The loaded workspace, kept out of the cyclic garbage collector's walks until the next load.

    The load makes millions of objects with the collector paused; left to it, its next collections walk all of
    them two or three times (about 2.5 s on XL, paid by the first page) and every full collection after that walks
    them again. Frozen, they are still freed by their reference counts (the models hold no cycles). Whatever died
    in a cycle while frozen (a page's view of an older workspace) is unfrozen and collected at the next load, so
    nothing is kept for good; that collection walks the workspaces still cached, a cost of a reload, not a click
    (and not of the first load, with nothing frozen yet).
    """
    LOADS["workspace"] += 1
    if gc.get_freeze_count():
        gc.unfreeze()
        gc.collect()
    ws = load_workspace(root)
    gc.freeze()
    return ws


@st.cache_resource(max_entries=8, show_spinner="Checking the evidence against the standards…")
def _assessment(root: str, key: str, as_of: date):
    from rsqm.assess.gaps import assess_workspace

    LOADS["assessment"] += 1
    return assess_workspace(_workspace(root, key), as_of)


@st.cache_resource(max_entries=4, show_spinner=False)
def _audit_summary(root: str, key: str):
    from rsqm.audit.audits import summarise

    LOADS["audit_summary"] += 1
    return summarise(_workspace(root, key))


_PREFLIGHTS: dict[tuple[str, str, date], object] = {}  # (root, fingerprint key, as of) -> the pre-flighted plan
_PREFLIGHT_LOCK = threading.Lock()
PREFLIGHTS_KEPT = 2


def preflight(root: Path, as_of: date, progress: Callable[[int, int], None] | None = None):
    """The pack planned and pre-flighted (``prepare_pack``) once per change of the files: a second run of the Export
    page's pre-flight, in this session or another, with nothing changed reuses it (``progress`` is told only when it
    is made). The review of accepted findings (evidence/privacy-review.yaml) and every evidence file are in the
    fingerprint, so accepting a finding or changing a file runs it again. A plain dictionary, not
    ``st.cache_resource``: that would record the progress bar's updates to replay them, and refuse an element made
    outside the cached function."""
    from rsqm.pack.prepare import prepare_pack

    key = cache_key(fingerprint(root))
    wanted = (str(root), key, as_of)
    with _PREFLIGHT_LOCK:
        kept = _PREFLIGHTS.get(wanted)
    if kept is not None:
        return kept
    LOADS["preflight"] += 1
    plan = prepare_pack(_workspace(str(root), key), as_of, progress)
    with _PREFLIGHT_LOCK:
        _PREFLIGHTS[wanted] = plan
        for older in list(_PREFLIGHTS)[:-PREFLIGHTS_KEPT]:
            del _PREFLIGHTS[older]
    return plan


class Snapshot:
    """The workspace as it is on disk now, with its derived results computed on first use."""

    def __init__(self, root: Path):
        self.root = root
        self.key = cache_key(fingerprint(root))
        self.ws = _workspace(str(root), self.key)

    @property
    def as_of(self) -> date:
        return default_as_of(self.ws.settings)

    def assessment(self):
        return _assessment(str(self.root), self.key, self.as_of)

    def audit_summary(self):
        return _audit_summary(str(self.root), self.key)

    def view(self, role: str) -> View:
        """Every page reads through this: the access layer checks the role on each read."""
        return View(self.ws, role, self.as_of, assessment_source=self.assessment, summary_source=self.audit_summary)


__all__ = ["LOADS", "NoWorkspace", "Snapshot", "fingerprint", "preflight", "workspace_root"]
