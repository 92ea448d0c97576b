"""The one way anything writes into a workspace.

Every write: takes the workspace lock, refuses when the file changed since the
writer read it, writes a temporary file in the same folder, fsyncs it,
``os.replace``s the file into place and then appends one line to the change
log. Readers therefore see either the old or the new content, never half of
one, and the log never records a change that did not happen.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from glob import escape as glob_escape
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from rsqm.base.errors import InputRefused
from rsqm.base.paths import CHANGE_LOG, LOCK_FILE, PRIVATE_FILE_MODE, STATE_DIR, state_dir
from rsqm.files.yamlio import YamlRefused, load_yaml_text
from rsqm.workspace.outline import outline

ANY = "*"  # expected token meaning "whatever is there now"
WRITTEN_DIR = f"{STATE_DIR}/written"  # a copy of each YAML and CSV file as rsqm last wrote it: the outline of an outside edit
MAX_COPY_BYTES = 8 * 2**20  # a larger file (a very long case list) is reported without an outline


class WriteConflict(InputRefused):
    """The file changed on disk since it was read: the write is refused, nothing lost."""


class WriteRefused(InputRefused):
    """The write would leave the workspace or overwrite something it must not."""


class ChangeEntry(BaseModel):
    """One line of the change log (.rsqm/changes.jsonl): who changed which file, when, and to what content."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    when: str  # ISO 8601 in UTC, to the second, as written
    who: str
    file: str  # workspace-relative
    change: str
    item: str | None = None
    sha256: str  # of the content written


def content_token(path: Path) -> str | None:
    """SHA-256 of a file's bytes, or None when it does not exist. Taken at read, checked at write."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO in the file's place must not block
    except FileNotFoundError:
        return None
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            return f"not-a-regular-file:{stat.S_IFMT(mode):o}"
        return hashlib.file_digest(handle, "sha256").hexdigest()


@dataclass
class Store:
    root: Path
    user: str

    def __post_init__(self) -> None:
        self.root = Path(self.root).resolve()

    def path(self, rel: str) -> Path:
        target = (self.root / rel).resolve()
        if not target.is_relative_to(self.root) or target == self.root:
            raise WriteRefused(f"{rel}: path leaves the workspace")
        return target

    def token(self, rel: str) -> str | None:
        return content_token(self.path(rel))

    @contextmanager
    def locked(self, timeout: float = 30) -> Iterator[None]:
        from filelock import FileLock, Timeout  # imported when a command first writes: reading needs no lock

        lock_path = self.root / LOCK_FILE
        state_dir(self.root)
        try:
            with FileLock(str(lock_path), timeout=timeout, mode=PRIVATE_FILE_MODE):
                yield
        except Timeout:
            raise WriteConflict("the workspace is busy: another save is in progress; try again") from None

    def write(
        self,
        rel: str,
        data: bytes | str,
        *,
        change: str,
        item: str | None = None,
        expected: str | None = ANY,
    ) -> str:
        """Replace ``rel`` atomically and log it; returns the new content token.

        ``expected`` is the token the writer read (None: the file must not exist
        yet; ``ANY``: no check).
        """
        payload = data.encode("utf-8") if isinstance(data, str) else data
        target = self.path(rel)
        with self.locked():
            current = content_token(target)
            if expected != ANY and current != expected:
                if expected is None:
                    raise WriteConflict(f"{rel} already exists; not overwriting it")
                raise WriteConflict(f"{rel} was changed by someone else since you opened it; reload and apply your change again")
            return self._replace(rel, target, payload, change, item)

    def update(self, rel: str, compute: Callable[[bytes | None], tuple[bytes | str, str] | None], *, item: str | None = None) -> str | None:
        """Read, decide and write ``rel`` under one hold of the lock, so parallel updates cannot interleave.

        ``compute`` gets the current bytes (None: no file) and returns the new
        content and the change to log, or None to leave the file as it is. It
        may raise to refuse; the exception passes through with nothing written.
        An empty change writes without a log line: private state (under .rsqm/)
        whose steps are logged by ``record`` once they mean something.
        """
        target = self.path(rel)
        with self.locked():
            try:
                current = target.read_bytes()
            except FileNotFoundError:
                current = None
            result = compute(current)
            if result is None:
                return None
            data, change = result
            return self._replace(rel, target, data.encode("utf-8") if isinstance(data, str) else data, change, item)

    def _replace(self, rel: str, target: Path, payload: bytes, change: str, item: str | None) -> str:
        """Move the new content into place, then log it. The caller holds the lock."""
        payload = _with_hand_comments(target, payload)
        if rel.startswith(f"{STATE_DIR}/"):
            state_dir(self.root)
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_temps(target)
        temp = _write_temp(target, payload)
        try:
            os.replace(temp, target)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        _fsync_dir(target.parent)
        token = hashlib.sha256(payload).hexdigest()
        if change or not rel.startswith(f"{STATE_DIR}/"):
            self._log(rel, change, item, token)
        self._keep_copy(rel, payload)
        return token

    def _keep_copy(self, rel: str, payload: bytes | None) -> None:
        """Keep what rsqm wrote (YAML and CSV, not its private state) so an outside edit can be told in outline.

        Best effort: a copy that cannot be written costs the outline, never the write.
        """
        if rel.startswith(f"{STATE_DIR}/") or not rel.endswith((".yaml", ".csv")):
            return
        copy = self.root / WRITTEN_DIR / rel
        try:
            if payload is None or len(payload) > MAX_COPY_BYTES:
                copy.unlink(missing_ok=True)
                return
            state_dir(self.root)
            copy.parent.mkdir(parents=True, exist_ok=True)
            os.replace(_write_temp_private(copy, payload), copy)
        except OSError:
            return

    def _outside_change(self, rel: str, found: bool) -> str:
        """The change-log words for a file rsqm did not write: removed, or changed and what changed in outline."""
        if not found:
            self._keep_copy(rel, None)
            return "removed outside rsqm"
        try:
            now = self.path(rel).read_bytes()
            said = outline(rel, (self.root / WRITTEN_DIR / rel).read_text(encoding="utf-8"), now.decode("utf-8"))
        except (OSError, UnicodeDecodeError):
            said, now = "", None
        if now is not None:
            self._keep_copy(rel, now)  # the next outside edit is told against what was found now
        return f"changed outside rsqm: {said}" if said else "changed outside rsqm"

    def write_changed(self, files: dict[str, str], *, change: str, item: str | None = None,
                      expected: dict[str, str | None] | None = None) -> list[str]:
        """Write, in the order given, each of ``files`` whose content differs from the file now; returns those written.

        A YAML file that says the same in other words (comments, layout) is left as it is. ``expected``: the token
        each file had when its writer read it (a file not named there is not checked).
        """
        written = []
        for rel, text in files.items():
            if not _same_content(self.path(rel), rel, text):
                self.write(rel, text, change=change, item=item, expected=(expected or {}).get(rel, ANY))
                written.append(rel)
        return written

    def record(self, rel: str, change: str, item: str | None = None) -> None:
        """Log ``change`` against ``rel`` as it is now, without writing it: what an unlogged step turned out to be."""
        with self.locked():
            self._log(rel, change, item, content_token(self.path(rel)) or "")

    def note_outside_edits(self, timeout: float = 2) -> list[str]:
        """Log every file whose content is no longer what rsqm last wrote: "changed outside rsqm" (or removed).

        Compares the SHA-256 the change log holds for each file's last write with
        the file now, under the lock (a write in progress is not mistaken for an
        outside edit). Each entry records the content found, so an edit is
        reported once. Returns the files reported; a busy workspace is left for
        the next command.
        """
        log = self.root / CHANGE_LOG
        if not log.exists():
            return []
        try:
            with self.locked(timeout=timeout):
                reported = []
                for rel, logged in _last_written(log).items():
                    if rel.startswith(f"{STATE_DIR}/"):
                        continue
                    try:
                        current = content_token(self.path(rel)) or ""
                    except WriteRefused:
                        continue
                    if current != logged:
                        self._log(rel, self._outside_change(rel, bool(current)), None, current)
                        reported.append(rel)
                return reported
        except WriteConflict:
            return []

    def _log(self, rel: str, change: str, item: str | None, token: str) -> None:
        entry = ChangeEntry(when=datetime.now(UTC).isoformat(timespec="seconds"), who=self.user, file=rel, change=change, item=item,
                            sha256=token)
        log = self.root / CHANGE_LOG
        state_dir(self.root)
        with open(os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, PRIVATE_FILE_MODE), "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry.model_dump(), sort_keys=True) + "\n")
            handle.flush()
            os.fsync(handle.fileno())


def _same_content(path: Path, rel: str, text: str) -> bool:
    try:
        now = path.read_text(encoding="utf-8")
        return now == text or (rel.endswith(".yaml") and load_yaml_text(now, rel).data == load_yaml_text(text, rel).data)
    except (OSError, UnicodeDecodeError, YamlRefused):
        return False


OUTSIDE = "outside rsqm"  # who the change log names for an edit rsqm did not make


def _last_written(log: Path) -> dict[str, str]:
    """File -> the SHA-256 of its content as last written or found, from the change log (a torn or foreign line skipped)."""
    last: dict[str, str] = {}
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and isinstance(entry.get("file"), str) and isinstance(entry.get("sha256"), str):
            last[entry["file"]] = entry["sha256"]
    return last


def _with_hand_comments(target: Path, payload: bytes) -> bytes:
    """A YAML file someone annotated by hand keeps its comments through the rewrite (rsqm.files.yaml_comments)."""
    if target.suffix != ".yaml":
        return payload
    try:
        old = target.read_text(encoding="utf-8")
        new = payload.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return payload
    from rsqm.files.yaml_comments import keep_comments  # ruamel.yaml, only when a hand-annotated file is rewritten

    return keep_comments(old, new).encode("utf-8")


def _write_temp_private(target: Path, payload: bytes) -> Path:
    """A temporary file beside ``target`` readable by its owner only (no fsync: a lost copy costs only an outline)."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    with os.fdopen(fd, "wb") as handle:
        handle.write(payload)
    return Path(name)


def _write_temp(target: Path, payload: bytes) -> Path:
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def replace_file(target: Path, payload: bytes) -> None:
    """Write a file outside any workspace (a report, a pack) atomically: a temporary file beside it, then a rename."""
    temp = _write_temp(target, payload)
    try:
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _remove_stale_temps(target: Path) -> None:
    """Temporary files a killed writer left beside ``target``; safe to remove while holding the lock."""
    for stale in target.parent.glob(f".{glob_escape(target.name)}.*.tmp"):
        stale.unlink(missing_ok=True)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_change_log(root: Path, limit: int | None = None) -> list[ChangeEntry]:
    """Most recent entries first; a torn last line (crash mid-append) or a line that is no entry is skipped."""
    log = Path(root) / CHANGE_LOG
    if not log.exists():
        return []
    entries = []
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entries.append(ChangeEntry.model_validate_json(line))
        except ValidationError:
            continue
    entries.reverse()
    return entries[:limit] if limit else entries
