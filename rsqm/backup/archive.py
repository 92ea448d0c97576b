"""Taking, checking and restoring a workspace backup (the file-system side of ``rsqm.backup.manifest``).

The snapshot is taken while holding the workspace lock of ``rsqm.workspace.store``: every
write (dashboard or command line) takes that lock too, so the backup never
holds half a save, nor a change-log line without its file. Under the lock the
files are only hard-linked aside (see ``_freeze``); the archive is written after
the lock is released, so saves wait milliseconds, not the length of the backup.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import io
import json
import os
import shutil
import stat
import tarfile
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

import zstandard
from pydantic import ValidationError

from rsqm import __version__
from rsqm.backup.crypto import HEADER, DecryptingReader, EncryptingWriter, check_header, is_encrypted
from rsqm.backup.manifest import (
    BACKUP_LOG,
    MANIFEST_NAME,
    STAGING,
    TOPS,
    ArchiveFormat,
    BackupFile,
    BackupManifest,
    BackupRecord,
    BadArchive,
    archive_format,
    check_complete,
    check_manifest,
    check_member,
    is_backed_up,
    safe_member,
)
from rsqm.base.errors import InputRefused, UsageError
from rsqm.base.paths import CHANGE_LOG, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, SETTINGS_FILE, STATE_DIR, WORKSPACE_FOLDERS
from rsqm.files.folder import open_input, read_yaml
from rsqm.files.hashing import sha256_file
from rsqm.files.yamlio import YamlRefused
from rsqm.workspace.store import Store, WriteConflict, _fsync_dir, content_token

ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
ZSTD_LEVEL = 3  # zstd's default: most evidence (PDF, docx) is compressed already, and saves wait meanwhile
BLOCK = 1 << 20
MAX_MANIFEST = 64 << 20
FREE_MARGIN = 64 << 20  # room left on the disk after a restore
TAR_RECORD = 10240  # tarfile.RECORDSIZE: a tar stream ends with zeros up to a multiple of it


@dataclass(frozen=True)
class BackupResult:
    manifest: BackupManifest
    path: Path
    archive_bytes: int
    seconds: float
    skipped_links: list[str] = field(default_factory=list)


# --- taking a backup ---------------------------------------------------------


def take_backup(root: Path, out: Path, *, user: str, passphrase: str | None = None) -> BackupResult:
    """Write a backup of the workspace at ``root`` to ``out`` (never overwritten) and record it in the workspace."""
    started = time.perf_counter()
    root = Path(root).resolve()
    fmt = archive_format(out.name)
    service = _service(root)
    links: list[str] = []
    sweep_leftovers(root, out.parent)
    (root / STAGING).mkdir(parents=True, exist_ok=True)
    frozen = Path(tempfile.mkdtemp(dir=root / STAGING))
    staging_lock = os.open(frozen, os.O_RDONLY)
    fcntl.flock(staging_lock, fcntl.LOCK_EX)  # a live backup's staging: the next run's sweep leaves it alone
    temp: Path | None = None
    try:
        with Store(root, user).locked():
            snapshot = _freeze(root, frozen, links)
        handle, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)  # mode 0600
        temp = Path(name)
        with open(handle, "wb") as raw:
            fcntl.flock(raw, fcntl.LOCK_EX)  # held until the archive has its name
            with ExitStack() as stack:
                sink = raw
                if passphrase is not None:
                    sink = stack.enter_context(_closing(EncryptingWriter(raw, passphrase)))
                add = stack.enter_context(_archive_writer(sink, fmt))
                files = []
                for rel, path in snapshot:
                    data, mtime_ns = path.read_bytes(), path.stat().st_mtime_ns
                    add(rel, data, mtime_ns)
                    files.append(BackupFile(path=rel, bytes=len(data), sha256=hashlib.sha256(data).hexdigest(), mtime_ns=mtime_ns))
                manifest = BackupManifest(created=datetime.now(UTC).replace(microsecond=0), service=service, rsqm_version=__version__, files=files)
                add(MANIFEST_NAME, _manifest_bytes(manifest), time.time_ns())
            raw.flush()
            os.fsync(raw.fileno())
        _place(temp, out)
    finally:
        if temp is not None:
            temp.unlink(missing_ok=True)
        shutil.rmtree(frozen, ignore_errors=True)
        os.close(staging_lock)
        with contextlib.suppress(OSError):  # another backup may be staging at the same moment: then it stays
            (root / STAGING).rmdir()
    result = BackupResult(manifest, out, out.stat().st_size, time.perf_counter() - started, links)
    _record(root, user, result, encrypted=passphrase is not None)
    return result


def _unlocked(path: Path) -> bool:
    """Whether no live backup holds ``path`` (a killed one's lock died with it)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def _backup_temp(name: str) -> bool:
    """A half-written backup's name: ``.NAME.RANDOM.tmp`` where NAME is a backup's name."""
    if not (name.startswith(".") and name.endswith(".tmp")):
        return False
    inner = name[1:-4].rpartition(".")[0]
    try:
        archive_format(inner)
    except ValueError:
        return False
    return True


def leftovers(root: Path, folders: list[Path]) -> list[Path]:
    """What killed backups left: staging folders under .rsqm/backup-staging and half-written archives in ``folders``.

    Both hold personal data. A running backup locks its own, so they are never listed.
    """
    found = []
    staging = Path(root) / STAGING
    if staging.is_dir():
        found += [child for child in sorted(staging.iterdir()) if _unlocked(child)]
    for folder in folders:
        with contextlib.suppress(OSError):
            found += [child for child in sorted(folder.iterdir()) if _backup_temp(child.name) and child.is_file() and _unlocked(child)]
    return found


def sweep_leftovers(root: Path, out_folder: Path) -> list[Path]:
    """Remove what killed backups left behind (see ``leftovers``); returns what was removed."""
    removed = []
    for path in leftovers(root, [out_folder]):
        with contextlib.suppress(OSError):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
            removed.append(path)
    return removed


def _freeze(root: Path, frozen: Path, links: list[str]) -> list[tuple[str, Path]]:
    """The workspace as it is now, kept in ``frozen`` while the archive is written; call holding the lock.

    The store replaces a file rather than rewriting it, so a hard link keeps the content of this moment
    even after a later save, and costs no copy: the lock is held for milliseconds, not for the whole
    archive (6 s for a 1 GB workspace as .tar.zst). The change log grows in place, so it is copied.
    """
    snapshot = []
    for index, (rel, path) in enumerate(list(workspace_files(root, links))):
        kept = frozen / f"{index:07d}"
        try:
            if rel == CHANGE_LOG:
                raise OSError("appended in place: copy it")
            os.link(path, kept)
        except OSError:  # also where hard links are not supported
            shutil.copy2(path, kept)
        snapshot.append((rel, kept))
    return snapshot


def _place(temp: Path, out: Path) -> None:
    """Give the finished archive its name without ever replacing a file of that name."""
    try:
        os.link(temp, out)  # unlike a rename, fails if the name was taken meanwhile
    except FileExistsError:
        raise
    except OSError:  # no hard links on this file system (some network shares, FAT): check, then rename
        if out.exists():
            raise FileExistsError(errno.EEXIST, "a file of that name appeared while the backup was written", str(out)) from None
        os.replace(temp, out)
    _fsync_dir(out.parent)


def _service(root: Path) -> str:
    """The service's name from rsqm.yaml, for the manifest; a broken workspace is still worth backing up."""
    try:
        data = read_yaml(root, SETTINGS_FILE).data
    except YamlRefused:
        data = None
    name = data.get("service") if isinstance(data, dict) else None
    return name if isinstance(name, str) and name.strip() else "(service name unreadable in rsqm.yaml)"


def _manifest_bytes(manifest: BackupManifest) -> bytes:
    return (json.dumps(manifest.model_dump(mode="json", by_alias=True), indent=2, sort_keys=True) + "\n").encode("utf-8")


def workspace_files(root: Path, links: list[str]) -> Iterator[tuple[str, Path]]:
    """Regular files of the workspace, sorted; links are never followed but listed in ``links``."""
    for top in TOPS:
        path = root / top
        if path.is_symlink():
            links.append(top)
        elif path.is_file():
            if is_backed_up(top):
                yield top, path
        elif path.is_dir():
            for folder, dirs, names in os.walk(path):
                base = Path(folder)
                for name in sorted(dirs):
                    if (base / name).is_symlink():
                        links.append((base / name).relative_to(root).as_posix())
                dirs.sort()
                for name in sorted(names):
                    file = base / name
                    rel = file.relative_to(root).as_posix()
                    if file.is_symlink():
                        links.append(rel)
                    elif file.is_file() and is_backed_up(rel):
                        yield rel, file


@contextmanager
def _closing(stream):
    try:
        yield stream
    finally:
        stream.close()


@contextmanager
def _archive_writer(sink: BinaryIO, fmt: ArchiveFormat) -> Iterator[Callable[[str, bytes, int], None]]:
    """A function adding one file to the archive; the archive is complete when the context ends."""
    if fmt is ArchiveFormat.zip:
        with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:

            def add_zip(name: str, data: bytes, mtime_ns: int) -> None:
                when = max(datetime.fromtimestamp(mtime_ns / 1e9, UTC), datetime(1980, 1, 1, tzinfo=UTC))
                info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
                info.compress_type = zipfile.ZIP_DEFLATED if _compressible(data) else zipfile.ZIP_STORED
                info.external_attr = (stat.S_IFREG | PRIVATE_FILE_MODE) << 16
                archive.writestr(info, data)

            yield add_zip
        return
    compressed = zstandard.ZstdCompressor(level=ZSTD_LEVEL, write_checksum=True).stream_writer(sink, closefd=False)
    with compressed, tarfile.open(fileobj=compressed, mode="w|", format=tarfile.PAX_FORMAT) as archive:

        def add_tar(name: str, data: bytes, mtime_ns: int) -> None:
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), mtime_ns // 1_000_000_000, PRIVATE_FILE_MODE
            archive.addfile(info, _BytesReader(data))

        yield add_tar


def _compressible(data: bytes) -> bool:
    """Whether deflate will gain anything: PDFs, Office files and images mostly compress already, and deflating
    them is slow (31 s against 6 s for zstd on a 1 GB workspace) while saves wait for the lock."""
    sample = data[:65536]
    return len(zlib.compress(sample, 1)) < 0.9 * len(sample)


class _BytesReader:
    def __init__(self, data: bytes):
        self._view, self._at = memoryview(data), 0

    def read(self, size: int = -1) -> bytes:
        end = len(self._view) if size < 0 else self._at + size
        chunk = bytes(self._view[self._at : end])
        self._at += len(chunk)
        return chunk


def _record(root: Path, user: str, result: BackupResult, *, encrypted: bool) -> None:
    """One line in .rsqm/backups.jsonl (through the store, so it is in the change log too)."""
    store = Store(root, user)
    path = store.path(BACKUP_LOG)
    digest = sha256_file(result.path)
    entry = BackupRecord(when=datetime.now(UTC).replace(microsecond=0), file=str(result.path.resolve()),
                         bytes=result.archive_bytes, files=len(result.manifest.files), sha256=digest, encrypted=encrypted)
    line = (json.dumps(entry.model_dump(mode="json"), sort_keys=True) + "\n").encode("utf-8")
    for _ in range(5):  # another backup may record itself between our read and our write
        token = content_token(path)
        old = path.read_bytes() if token else b""
        try:
            store.write(BACKUP_LOG, old + line, change="backup taken", item=result.path.name, expected=token)
            return
        except WriteConflict:
            continue
    raise WriteConflict(f"{result.path} was written, but {BACKUP_LOG} stayed busy, so rsqm doctor will not know of it")


def last_backup(root: Path) -> BackupRecord | None:
    """The most recent entry of .rsqm/backups.jsonl, or None; ``BadArchive`` when that entry is damaged."""
    try:
        lines = (Path(root) / BACKUP_LOG).read_text(encoding="utf-8").splitlines()
    except (FileNotFoundError, UnicodeDecodeError):
        return None
    last = next((line for line in reversed(lines) if line.strip()), None)
    if last is None:
        return None
    try:
        return BackupRecord.model_validate_json(last)
    except ValidationError as exc:
        raise BadArchive(f"{BACKUP_LOG}: the last entry is damaged ({exc.errors()[0]['msg']})") from None


# --- reading a backup ---------------------------------------------------------


DAMAGE = (tarfile.TarError, zipfile.BadZipFile, zstandard.ZstdError, zlib.error, EOFError)


@contextmanager
def _entries(path: Path, ask_passphrase: Callable[[], str]) -> Iterator[Iterator[tuple[str, BinaryIO]]]:
    """The archive's members in order, as (name, stream); only regular files are accepted."""
    try:
        with ExitStack() as stack:
            source: BinaryIO = stack.enter_context(open_input(path, "a backup"))
            decrypting = None
            if is_encrypted(source.read(8)):
                source.seek(0)
                check_header(source.read(HEADER))  # before the passphrase is asked for or any key derived
                source.seek(0)
                source = decrypting = stack.enter_context(DecryptingReader(source, ask_passphrase()))
            source.seek(0)
            head = source.read(4)
            source.seek(0)
            if head.startswith(ZSTD_MAGIC):
                frame_end = _zstd_frame_end(source)
                source.seek(0)
                stream = stack.enter_context(zstandard.ZstdDecompressor().stream_reader(source, closefd=False))
                tar = stack.enter_context(tarfile.open(fileobj=stream, mode="r|"))
                yield _tar_members(tar)
                _tar_ends(tar, stream)
                total = source.seek(0, io.SEEK_END)
                if frame_end != total:
                    raise BadArchive(f"{total - frame_end} bytes follow the end of the archive; a backup ends where its archive ends")
            elif head.startswith(b"PK"):
                archive = stack.enter_context(zipfile.ZipFile(source))
                yield _zip_members(archive)
                _zip_ends(source)
            else:
                raise BadArchive("not an rsqm backup (neither .tar.zst nor .zip)")
            if decrypting is not None:
                decrypting.finish()
    except DAMAGE as exc:
        raise BadArchive(f"the archive is damaged ({exc})") from None


def _zstd_frame_end(source: BinaryIO) -> int:
    """Where the one zstd frame starting at 0 ends, from its block headers (RFC 8878, section 3.1.1)."""
    source.seek(4)
    descriptor = source.read(1)
    if not descriptor:
        raise BadArchive("the archive is damaged (cut short in its zstd header)")
    fhd = descriptor[0]
    single = (fhd >> 5) & 1
    size_bytes = {0: single, 1: 2, 2: 4, 3: 8}[fhd >> 6]
    position = 5 + (0 if single else 1) + (0, 1, 2, 4)[fhd & 3] + size_bytes
    while True:
        source.seek(position)
        header = source.read(3)
        if len(header) < 3:
            raise BadArchive("the archive is damaged (cut short inside its compressed data)")
        value = int.from_bytes(header, "little")
        last, kind, size = value & 1, (value >> 1) & 3, value >> 3
        if kind == 3:
            raise BadArchive("the archive is damaged (an invalid zstd block)")
        position += 3 + (1 if kind == 1 else size)
        if last:
            return position + (4 if fhd & 4 else 0)


def _tar_ends(tar: tarfile.TarFile, stream: BinaryIO) -> None:
    """After the last member a tar stream holds only its end-of-archive zeros, up to a full record."""
    buffered = bytes(getattr(tar.fileobj, "buf", b""))  # read ahead by tarfile's stream, not yet looked at
    if buffered.count(0) != len(buffered):
        raise BadArchive("other data follows the end of the archive; a backup ends where its archive ends")
    while block := stream.read(BLOCK):
        if block.count(0) != len(block) or stream.tell() > tar.offset + 2 * TAR_RECORD:
            raise BadArchive("other data follows the end of the archive; a backup ends where its archive ends")
    expected = -(-(tar.offset + 1024) // TAR_RECORD) * TAR_RECORD
    if stream.tell() != expected:
        raise BadArchive("the archive does not end as a tar archive does (cut short, or other data follows it)")


def _zip_ends(source: BinaryIO) -> None:
    """The ZIP's end record is the last thing in it, with no comment: nothing follows the archive."""
    source.seek(-22, io.SEEK_END)
    if source.read(4) != b"PK\x05\x06" or source.read(18)[-2:] != b"\0\0":
        raise BadArchive("other data follows the end of the archive; a backup ends where its archive ends")


def _tar_members(archive: tarfile.TarFile) -> Iterator[tuple[str, BinaryIO]]:
    for member in archive:
        if not member.isreg():
            raise BadArchive(f"{member.name!r}: the archive holds a link, folder or device, not a file; refusing it")
        stream = archive.extractfile(member)
        assert stream is not None  # a regular member always has one
        yield safe_member(member.name), stream


def _zip_members(archive: zipfile.ZipFile) -> Iterator[tuple[str, BinaryIO]]:
    for info in archive.infolist():
        mode = info.external_attr >> 16
        if info.is_dir() or stat.S_IFMT(mode) not in (0, stat.S_IFREG):  # 0: made without Unix file types
            raise BadArchive(f"{info.filename!r}: the archive holds a link or folder, not a file; refusing it")
        with archive.open(info) as stream:
            yield safe_member(info.filename), stream


def _copy(stream: BinaryIO, sink: Callable[[bytes], object] | None = None, limit: int | None = None) -> tuple[int, str]:
    """Size and SHA-256 of a stream, passing each block to ``sink``; more than ``limit`` bytes stops it (BadArchive)."""
    digest, size = hashlib.sha256(), 0
    while block := stream.read(BLOCK):
        size += len(block)
        if limit is not None and size > limit:
            raise BadArchive(f"a file holds more than the {limit} bytes its manifest declares; stopped writing it")
        digest.update(block)
        if sink:
            sink(block)
    return size, digest.hexdigest()


def _read(path: Path, ask_passphrase: Callable[[], str]) -> BackupManifest:
    found: dict[str, tuple[int, str]] = {}
    raw_manifest: bytes | None = None
    with _entries(path, ask_passphrase) as members:
        for name, stream in members:
            if name in found or (name == MANIFEST_NAME and raw_manifest is not None):
                raise BadArchive(f"{name}: appears twice in the archive")
            if name == MANIFEST_NAME:
                raw_manifest = stream.read(MAX_MANIFEST + 1)
            else:
                found[name] = _copy(stream)
    manifest = _parse_manifest(raw_manifest)
    by_path = {entry.path: entry for entry in manifest.files}
    for name, (size, sha256) in found.items():
        check_member(by_path.get(name), name, size, sha256)
    check_complete(manifest, found)
    return manifest


def _parse_manifest(raw: bytes | None) -> BackupManifest:
    if raw is None:
        raise BadArchive(f"the archive has no {MANIFEST_NAME}: it is not an rsqm backup, or it was cut short")
    if len(raw) > MAX_MANIFEST:
        raise BadArchive(f"{MANIFEST_NAME} is implausibly large")
    try:
        manifest = BackupManifest.model_validate_json(raw)
    except ValidationError as exc:
        raise BadArchive(f"{MANIFEST_NAME} is damaged: {exc.errors()[0]['msg']}") from None
    check_manifest(manifest)
    return manifest


def verify_backup(path: Path, ask_passphrase: Callable[[], str]) -> BackupManifest:
    """Read the whole backup and check every file against its manifest; ``BadArchive`` says what is wrong."""
    return _read(Path(path), ask_passphrase)


class TargetNotEmpty(UsageError):
    """``restore`` only writes into an empty or new folder."""


def restore_backup(path: Path, target: Path, ask_passphrase: Callable[[], str]) -> BackupManifest:
    """Verify the backup, then write it into ``target`` (new or empty) byte for byte; nothing is left on failure."""
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise TargetNotEmpty(f"{target} is not an empty folder; restore only into a new or empty folder")
    manifest = verify_backup(path, ask_passphrase)  # first pass: nothing is written from a bad backup
    by_path = {entry.path: entry for entry in manifest.files}
    _check_room(target, manifest)
    created = not target.exists()
    target.mkdir(parents=True, exist_ok=True)
    try:
        with _entries(path, ask_passphrase) as members:
            for name, stream in members:
                if name == MANIFEST_NAME:
                    continue
                if name not in by_path:
                    raise BadArchive(f"{name}: not in the manifest (the archive changed while it was restored)")
                _restore_file(target, by_path[name], stream)
        for folder in WORKSPACE_FOLDERS:  # empty folders are not in a backup: the layout rsqm init makes
            (target / folder).mkdir(parents=True, exist_ok=True)
        _private(target / STATE_DIR)
        _sync(target, manifest)
    except BaseException:
        _empty(target, remove=created)
        raise
    return manifest


def _check_room(target: Path, manifest: BackupManifest) -> None:
    """The restore must fit on the disk, with room to spare, before anything is written."""
    existing = target if target.exists() else next((p for p in target.parents if p.exists()), Path("."))
    free = shutil.disk_usage(existing).free
    needed = manifest.total_bytes + FREE_MARGIN
    if needed > free:
        raise InputRefused(
            f"{target}: the backup's manifest declares {manifest.total_bytes:,} bytes, but only {free:,} bytes are free there "
            f"(rsqm keeps {FREE_MARGIN >> 20} MiB spare): free space or restore to another disk; nothing was restored"
        )


def _restore_file(target: Path, entry: BackupFile, stream: BinaryIO) -> None:
    dest = target.joinpath(*entry.path.split("/"))
    private = entry.path.startswith(f"{STATE_DIR}/")
    dest.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    with open(os.open(dest, flags, PRIVATE_FILE_MODE if private else 0o666), "wb") as handle:
        size, sha256 = _copy(stream, handle.write, limit=entry.bytes)
    check_member(entry, entry.path, size, sha256)  # the archive changed between the two passes
    os.utime(dest, ns=(entry.mtime_ns, entry.mtime_ns))


def _sync(target: Path, manifest: BackupManifest) -> None:
    """Everything on disk before restore reports success. One pass at the end: after the first fsync has
    committed the journal the others find little left to do (one per file as it was written took 5 s for 634 files)."""
    folders = {target}
    for entry in manifest.files:
        path = target.joinpath(*entry.path.split("/"))
        folders.add(path.parent)
        _fsync_dir(path)  # the store's helper: opens read-only and fsyncs, which serves a file as well
    for folder in sorted(folders, reverse=True):
        _fsync_dir(folder)


def _private(state: Path) -> None:
    if state.is_dir():
        state.chmod(PRIVATE_DIR_MODE)
        for folder, dirs, _ in os.walk(state):
            for name in dirs:
                (Path(folder) / name).chmod(PRIVATE_DIR_MODE)


def _empty(target: Path, *, remove: bool) -> None:
    """Undo a failed restore: the folder was empty (or absent) before, so everything in it is ours."""
    if remove:
        shutil.rmtree(target, ignore_errors=True)
        return
    for child in target.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)
