"""Checking a pack against its own manifest (and, given a key, its signature): needs nothing but the ZIP.

An assessor runs this on a file that came from outside, so the ZIP is treated
as hostile: its structure is checked before any entry is read (no comment, no
data before the first entry or after the end, no links, special files,
folders with data, encrypted entries or unknown compression methods, no names
that collide on a case-insensitive disk), and the work is bounded by the ZIP's
real size: the declared sizes must fit in it, nothing may expand more than
``MAX_RATIO`` times, and each entry is read at most once however often the
manifest lists it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import struct
import unicodedata
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from rsqm.files.yamlio import describe_error
from rsqm.pack.archive import CHUNK, MANIFEST, SCHEMA, SIGNATURE
from rsqm.pack.manifest import PackManifest

MAX_MANIFEST_BYTES = 16 * 1024 * 1024
MAX_RATIO = 200  # deflate manages about 1000:1 at most on crafted input; real documents stay far below 200:1
RATIO_FLOOR = 1024 * 1024  # small entries (empty, highly repetitive text) may compress better than that
MAX_TOTAL = 64 * 1024**3  # uncompressed bytes, whatever the ZIP's size
METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflated"}
READ_ERRORS = (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError, zlib.error, struct.error)


@dataclass
class Verification:
    verified: int = 0
    problems: list[str] = field(default_factory=list)
    signed_by: str | None = None  # fingerprint of the key whose signature on the manifest is valid

    @property
    def intact(self) -> bool:
        return not self.problems


def unsafe_name(name: str) -> str | None:
    """Why an entry would extract outside the folder, or None when it is safe."""
    if "\\" in name:
        return "contains a backslash"
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return "is an absolute path"
    if any(part == ".." for part in name.split("/")):
        return "climbs out with '..'"
    return None


def _entry_refusal(info: zipfile.ZipInfo) -> str | None:
    """Why this entry cannot be part of a genuine pack, or None."""
    name = info.filename
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode) if info.create_system == 3 else 0
    if kind == stat.S_IFLNK:
        return "a symbolic link (unzip would create a link that can point outside the folder)"
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        return "a special file (device, pipe or socket), not a regular file"
    if info.flag_bits & 0x1:
        return "encrypted, so its content cannot be checked"
    if info.compress_type not in METHODS:
        return f"compressed with method {info.compress_type}, which rsqm export never uses"
    if name.endswith("/") and info.file_size:
        return f"a folder entry that holds {info.file_size} bytes of hidden data"
    if info.comment:
        return "carries a comment, which rsqm export never writes"
    if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        return f"would expand {info.file_size // max(info.compress_size, 1)} times (more than {MAX_RATIO}); refusing to read it"
    return None


def _structure(
    archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], size: int, ends: tuple[bytes, bytes], pack: str,
) -> tuple[list[str], bool]:
    """Problems of the archive's structure, and whether it is safe to read any entry at all.

    ``ends`` are the file's first 4 and last 22 bytes: a pack starts with an
    entry and ends with the end-of-directory record, nothing before or after.
    """
    problems = []
    head, tail = ends
    if archive.comment:
        problems.append(f"{pack}: refused: the ZIP carries a comment ({len(archive.comment)} bytes), which rsqm export never writes")
    elif not tail.startswith(b"PK\x05\x06"):
        problems.append(f"{pack}: refused: other data follows the end of the ZIP")
    first = min((info.header_offset for info in infos), default=0)
    if infos and (first != 0 or not head.startswith(b"PK\x03\x04")):
        problems.append(f"{pack}: refused: {first} bytes of other data come before the first entry")
    names = Counter(info.filename for info in infos)
    for name, count in sorted(names.items()):
        if count > 1:
            problems.append(f"{name}: duplicated: the ZIP holds it {count} times")
        if why := unsafe_name(name):
            problems.append(f"{name}: unsafe: would extract outside the folder ({why})")
    folded: dict[str, list[str]] = {}
    for name in names:
        folded.setdefault(unicodedata.normalize("NFC", name).casefold(), []).append(name)
    for same in folded.values():
        if len(same) > 1:
            problems.append(f"{sorted(same)[1]}: refused: same name as {sorted(same)[0]} on a disk that ignores case")
    problems += [f"{info.filename}: refused: {why}" for info in infos if (why := _entry_refusal(info))]
    packed = sum(info.compress_size for info in infos)
    unpacked = sum(info.file_size for info in infos)
    readable = True
    if packed > size:
        problems.append(f"{pack}: refused: its entries claim {packed} compressed bytes but the file has only {size}")
        readable = False
    if unpacked > min(MAX_TOTAL, max(MAX_RATIO * size, RATIO_FLOOR)):
        problems.append(f"{pack}: refused: its entries would expand to {unpacked} bytes, far more than a {size}-byte pack can honestly hold")
        readable = False
    return problems, readable


def _digest(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with archive.open(info) as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def read_manifest(archive: zipfile.ZipFile, result: Verification) -> tuple[bytes, PackManifest] | None:
    """The manifest's exact bytes and its data, or None with the problem recorded."""
    try:
        info = archive.getinfo(MANIFEST)
    except KeyError:
        result.problems.append(f"{MANIFEST}: missing: the pack has no manifest")
        return None
    if _entry_refusal(info):
        return None  # already reported
    if info.file_size > MAX_MANIFEST_BYTES:
        result.problems.append(f"{MANIFEST}: unreadable: larger than {MAX_MANIFEST_BYTES // 2**20} MiB")
        return None
    try:
        raw = archive.read(info)
        data = json.loads(raw.decode("utf-8"))
    except (*READ_ERRORS, UnicodeDecodeError) as exc:
        result.problems.append(f"{MANIFEST}: unreadable: {exc}")
        return None
    try:
        return raw, PackManifest.model_validate(data)
    except ValidationError as exc:
        wrong = exc.errors()[0]
        if wrong["loc"][:1] in ((), ("schema",)):  # not an object, or another schema
            result.problems.append(f"{MANIFEST}: unreadable: not an {SCHEMA} manifest")
        elif wrong["loc"][:1] == ("files",):
            result.problems.append(f"{MANIFEST}: unreadable: 'files' must list {{path, bytes, sha256}} objects")
        else:
            result.problems.append(f"{MANIFEST}: unreadable: {describe_error(wrong)}")
        return None


def verify_pack(path: Path, trusted_key: str | None = None) -> Verification:
    """Every problem with the pack, one message per file; ``intact`` when there are none.

    With ``trusted_key`` (a public key fingerprint) the manifest must carry a
    valid signature by that key, so a manifest rewritten to match altered files fails.
    """
    result = Verification()
    pack = path.name
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        result.problems.append(f"{pack}: cannot be read ({exc.strerror or exc})")
        return result
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            result.problems.append(f"{pack}: not a regular file")
            return result
        head = handle.read(4)
        handle.seek(max(info.st_size - 22, 0))
        tail = handle.read(22)
        handle.seek(0)
        try:
            archive = zipfile.ZipFile(handle)
        except (*READ_ERRORS, UnicodeDecodeError) as exc:
            result.problems.append(f"{pack}: not a readable ZIP file ({exc})")
            return result
        with archive:
            _check(archive, info.st_size, (head, tail), pack, trusted_key, result)
    return result


def _check(
    archive: zipfile.ZipFile, size: int, ends: tuple[bytes, bytes], pack: str, trusted_key: str | None, result: Verification,
) -> None:
    infos = archive.infolist()
    problems, readable = _structure(archive, infos, size, ends, pack)
    result.problems += problems
    if not readable:
        return
    loaded = read_manifest(archive, result)
    if loaded is None:
        return
    raw, manifest = loaded
    _check_signature(archive, raw, trusted_key, result)
    entries = {info.filename: info for info in infos}
    refused = {info.filename for info in infos if _entry_refusal(info)}
    listed = Counter(f.path for f in manifest.files)
    seen: set[str] = set()  # each entry read once, however often it is listed
    for entry in manifest.files:
        name = entry.path
        if name in seen:
            continue
        seen.add(name)
        if listed[name] > 1:
            result.problems.append(f"{name}: refused: the manifest lists it {listed[name]} times")
        if why := unsafe_name(name):
            result.problems.append(f"{name}: unsafe: the manifest names a path outside the folder ({why})")
            continue
        if name not in entries:
            result.problems.append(f"{name}: missing: listed in the manifest but not in the pack")
            continue
        if name in refused:
            continue
        try:
            size_digest = _digest(archive, entries[name])
        except READ_ERRORS as exc:
            result.problems.append(f"{name}: modified: cannot be read back ({exc})")
            continue
        if size_digest != (entry.bytes, entry.sha256.lower()):
            result.problems.append(f"{name}: modified: SHA-256 or size differs from the manifest")
            continue
        result.verified += 1
    for name in sorted(set(entries) - set(listed) - {MANIFEST, SIGNATURE}):
        if not name.endswith("/"):
            result.problems.append(f"{name}: added: in the pack but not in the manifest")


def _check_signature(archive: zipfile.ZipFile, manifest: bytes, trusted_key: str | None, result: Verification) -> None:
    from rsqm.pack.signing import SignatureProblem, check_signature

    try:
        info = archive.getinfo(SIGNATURE)
    except KeyError:
        if trusted_key is not None:
            result.problems.append(f"{SIGNATURE}: missing: the pack is not signed, so it cannot be checked against the key")
        return
    if _entry_refusal(info):
        return  # already reported
    try:
        signature = archive.read(info) if info.file_size <= 64 * 1024 else b""
        result.signed_by = check_signature(signature, manifest, trusted_key)
    except SignatureProblem as problem:
        result.problems.append(f"{SIGNATURE}: {problem}")
    except READ_ERRORS as exc:
        result.problems.append(f"{SIGNATURE}: unreadable: {exc}")
