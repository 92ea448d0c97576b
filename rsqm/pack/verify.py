"""Checking a pack against its own manifest (and, given a key, its signature): needs nothing but the ZIP.

An assessor runs this on a file that came from outside, so the ZIP is treated
as hostile, and only the one layout ``rsqm export`` writes (rsqm.pack.archive,
through Python's ``zipfile`` into a seekable file) is accepted. The bytes are
read here with ``struct`` against the ZIP specification (PKWARE's APPNOTE),
not through a general ZIP reader, because general readers disagree about
ambiguous files: a pack with two central directories, data hidden between
entries or a local header that says something else than the central directory
can show one tool one set of files and ``unzip`` another. So:

- the file is entries, then one central directory, then its end record, and
  nothing else: no data before the first entry, between entries or after the
  end, no archive comment, and a zip64 end record only where ``zipfile`` must
  write one (a central directory beyond 2 GiB, or more than 65,535 entries);
- each local header says exactly what its central entry says (version, flags,
  method, time, CRC, sizes, name) and carries no extra field; each entry's data
  is exactly its declared compressed size, so the next header starts where the
  data ends; its content decompresses to exactly the declared size and CRC and
  to the manifest's SHA-256;
- entries are regular files (no folders, links, special files), unencrypted,
  stored or deflated as export chooses for the name, all dated midnight on the
  pack's as-of date, with no extra fields or comments, in sorted order, and
  the end record's count is the number of entries; a pack whose every entry
  is deflated is the form export wrote before it stored PDFs, Office files and
  pictures (29 November 2026, same ``rsqm/pack@1`` manifest), and is held to
  that form exactly: one form or the other for the whole pack, never a mix;
- ``manifest.sig`` is exactly the file ``rsqm.pack.signing`` writes.

The work is bounded by the ZIP's real size: the declared sizes must fit in it,
nothing may expand more than ``MAX_RATIO`` times, and each entry is read at most
once however often the manifest lists it.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import stat
import struct
import unicodedata
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from pydantic import ValidationError

from rsqm.base.errors import InputRefused
from rsqm.files.yamlio import describe_error
from rsqm.pack.archive import CHUNK, FILE_MODE, MANIFEST, SCHEMA, SIGNATURE, compression, zip_time
from rsqm.pack.manifest import PackManifest

MAX_MANIFEST_BYTES = 16 * 1024 * 1024
MAX_SIGNATURE_BYTES = 64 * 1024
MAX_DIRECTORY_BYTES = 64 * 1024 * 1024  # a central directory of 65,535 long names stays far below
MAX_RATIO = 200  # deflate manages about 1000:1 at most on crafted input; real documents stay far below 200:1
RATIO_FLOOR = 1024 * 1024  # small entries (empty, highly repetitive text) may compress better than that
MAX_TOTAL = 64 * 1024**3  # uncompressed bytes, whatever the ZIP's size
METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflated"}
READ_ERRORS = (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError, zlib.error, struct.error)

# What zipfile writes (Python's zipfile module, which rsqm.pack.archive uses).
ZIP64_LIMIT = (1 << 31) - 1  # zipfile.ZIP64_LIMIT: beyond it zipfile switches to zip64 records
FILECOUNT_LIMIT = (1 << 16) - 1
VERSION = 20  # zipfile.DEFAULT_VERSION: "version needed" and "made by" of every entry
ZIP64_VERSION = 45
UNIX = 3  # create_system of every entry (rsqm.pack.archive.entry_info)
UTF8_NAME = 0x800  # the only flag zipfile sets on a seekable file, and only for a name that is not ASCII

LOCAL = struct.Struct("<4sHHHHHLLLHH")  # 30 bytes: signature, version, flags, method, time, date, crc, csize, size, name, extra
CENTRAL = struct.Struct("<4sBBBBHHHHLLLHHHHHLL")  # 46 bytes (APPNOTE 4.3.12)
END = struct.Struct("<4sHHHHLLH")  # 22 bytes (APPNOTE 4.3.16)
LOCATOR = struct.Struct("<4sLQL")  # 20 bytes (APPNOTE 4.3.15)
END64 = struct.Struct("<4sQHHLLQQQQ")  # 56 bytes (APPNOTE 4.3.14)
LOCAL_SIG, CENTRAL_SIG, END_SIG = b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06"
LOCATOR_SIG, END64_SIG = b"PK\x06\x07", b"PK\x06\x06"


@dataclass
class Verification:
    verified: int = 0
    problems: list[str] = field(default_factory=list)
    signed_by: str | None = None  # fingerprint of the key whose signature on the manifest is valid
    manifest: PackManifest | None = None  # the manifest as read (its service and as-of date are worth showing)
    older_form: bool = False  # every entry deflated: written by an rsqm from before 29 November 2026

    @property
    def intact(self) -> bool:
        return not self.problems


class NotAZip(InputRefused):
    """The file cannot be read as a ZIP at all (no end record, a damaged central directory)."""


class LayoutRefused(InputRefused):
    """The file is a ZIP, but not laid out as rsqm export writes one, so which entries it holds is ambiguous."""


@dataclass
class Member:
    """One central directory entry as written in the file (field names as in ``zipfile.ZipInfo``)."""

    filename: str
    raw_name: bytes
    create_version: int
    create_system: int
    extract_version: int
    reserved: int
    flag_bits: int
    compress_type: int
    dos_time: int
    dos_date: int
    CRC: int
    compress_size: int
    file_size: int
    extra: bytes
    comment: bytes
    disk: int
    internal_attr: int
    external_attr: int
    header_offset: int
    data_offset: int | None = None  # where its data starts; None when its local header is unusable

    @property
    def date_time(self) -> tuple[int, int, int, int, int, int]:
        d, t = self.dos_date, self.dos_time
        return ((d >> 9) + 1980, (d >> 5) & 0xF, d & 0x1F, t >> 11, (t >> 5) & 0x3F, (t & 0x1F) * 2)


def dos_stamp(date_time: tuple[int, ...]) -> tuple[int, int]:
    """(time, date) as zipfile writes them."""
    year, month, day, hour, minute, second = date_time
    return hour << 11 | minute << 5 | second // 2, (year - 1980) << 9 | month << 5 | day


def unsafe_name(name: str) -> str | None:
    """Why an entry would extract outside the folder, or None when it is safe."""
    if "\\" in name:
        return "contains a backslash"
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return "is an absolute path"
    if any(part == ".." for part in name.split("/")):
        return "climbs out with '..'"
    return None


def _entry_refusal(info: Member) -> str | None:
    """Why this entry's content cannot be read as part of a genuine pack, or None."""
    name = info.filename
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode) if info.create_system == UNIX else 0
    if kind == stat.S_IFLNK:
        return "a symbolic link (unzip would create a link that can point outside the folder)"
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        return "a special file (device, pipe or socket), not a regular file"
    if info.flag_bits & 0x1:
        return "encrypted, so its content cannot be checked"
    if info.compress_type not in METHODS:
        return f"compressed with method {info.compress_type}, which rsqm export never uses"
    if name.endswith("/") or kind == stat.S_IFDIR:
        if info.file_size or info.compress_size:
            return f"a folder entry that holds {max(info.file_size, info.compress_size)} bytes of hidden data"
        return "a folder entry; rsqm export writes files only"
    if info.comment:
        return "carries a comment, which rsqm export never writes"
    if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        return f"would expand {info.file_size // max(info.compress_size, 1)} times (more than {MAX_RATIO}); refusing to read it"
    return None


def _unreadable(info: Member) -> bool:
    """Whether the entry's content must not be read: refused, or its local header unusable (both reported)."""
    return info.data_offset is None or _entry_refusal(info) is not None


def _zip64_extra(info: Member) -> bytes:
    """The extra field zipfile writes in the central directory: only the offset of an entry beyond 2 GiB."""
    return struct.pack("<HHQ", 1, 8, info.header_offset) if info.header_offset > ZIP64_LIMIT else b""


def older_form(infos: list[Member]) -> bool:
    """Whether the pack is in the form rsqm export wrote before 29 November 2026: every entry deflated, PDFs too.

    The manifest (``rsqm/pack@1``) did not change, so the form is told from the entries: all deflated where export
    now stores some. Content is checked the same way in both forms; only the method each name must have differs.
    """
    return all(info.compress_type == zipfile.ZIP_DEFLATED for info in infos) and any(
        compression(info.filename) == zipfile.ZIP_STORED for info in infos)


def _header_differences(info: Member, older: bool = False) -> list[str]:
    """How this central entry differs from what zipfile writes for rsqm export (beyond what _entry_refusal says);
    ``older``: as the export of the older form wrote it (every entry deflated)."""
    wrong = []
    zip64 = _zip64_extra(info)
    version = ZIP64_VERSION if zip64 else VERSION
    if info.extra != zip64:
        wrong.append(f"carries {len(info.extra)} bytes of extra fields, which rsqm export never writes")
    if info.flag_bits & ~0x1 != (0 if info.raw_name.isascii() else UTF8_NAME):
        wrong.append(f"has flag bits {info.flag_bits:#06x}, which rsqm export never sets for this name")
    if (info.create_system, info.create_version, info.extract_version) != (UNIX, version, version) or info.reserved:
        wrong.append(
            f"says it was made by system {info.create_system} version {info.create_version} for version {info.extract_version}; "
            f"rsqm export writes system {UNIX}, version {version}"
        )
    if info.external_attr != FILE_MODE or info.internal_attr:
        wrong.append(f"has file attributes {info.external_attr:#x}/{info.internal_attr:#x}, not the {FILE_MODE:#x}/0x0 rsqm export writes")
    if info.disk:
        wrong.append(f"says it starts on disk {info.disk}; a pack is one file")
    method = zipfile.ZIP_DEFLATED if older else compression(info.filename)
    if info.compress_type in METHODS and not info.filename.endswith("/") and info.compress_type != method:
        wrong.append(f"is {METHODS[info.compress_type]}, but rsqm export writes a file of this type {METHODS[method]}")
    return wrong


@dataclass
class Layout:
    members: list[Member]
    problems: list[str]  # of the file as a whole and of the local headers


def _read_at(handle: BinaryIO, offset: int, length: int) -> bytes:
    handle.seek(offset)
    return handle.read(length)


def _end_record(handle: BinaryIO, size: int, pack: str, problems: list[str]) -> int:
    """Where the end-of-central-directory record starts; a comment or trailing data are problems."""
    if size < END.size:
        raise NotAZip(f"only {size} bytes, too short for a ZIP")
    tail_start = max(0, size - END.size - 0xFFFF)
    tail = _read_at(handle, tail_start, size - tail_start)
    if tail[-END.size :].startswith(END_SIG) and tail[-2:] == b"\0\0":
        return size - END.size
    at = tail.rfind(END_SIG, 0, len(tail) - END.size + 1)
    if at < 0:
        raise NotAZip("no end-of-central-directory record")
    comment = struct.unpack_from("<H", tail, at + 20)[0]
    if comment and at + END.size + comment == len(tail):
        problems.append(f"{pack}: refused: the ZIP carries a comment ({comment} bytes), which rsqm export never writes")
    else:
        problems.append(f"{pack}: refused: other data follows the end of the ZIP ({len(tail) - at - END.size} bytes)")
    return tail_start + at


def _directory(handle: BinaryIO, size: int, pack: str, problems: list[str]) -> tuple[int, int, int, int]:
    """(count, directory offset, directory size, where the directory must end), from the end record(s)."""
    end = _end_record(handle, size, pack, problems)
    _, disk, cd_disk, on_disk, count, cd_size, cd_offset, _ = END.unpack(_read_at(handle, end, END.size))
    if disk or cd_disk or on_disk != count:
        problems.append(f"{pack}: refused: the end record describes a ZIP split over several disks; a pack is one file")
    cd_end = end
    has_locator = end >= LOCATOR.size and _read_at(handle, end - LOCATOR.size, 4) == LOCATOR_SIG
    if not has_locator:
        return count, cd_offset, cd_size, cd_end
    _, loc_disk, record, disks = LOCATOR.unpack(_read_at(handle, end - LOCATOR.size, LOCATOR.size))
    at = end - LOCATOR.size - END64.size
    raw = _read_at(handle, at, END64.size) if at >= 0 else b""
    if record != at or loc_disk or disks != 1 or len(raw) != END64.size or not raw.startswith(END64_SIG):
        raise LayoutRefused("its zip64 locator does not point at a zip64 end record just before it (two directories?)")
    _, length, made, needed, disk64, cd_disk64, on_disk64, count64, size64, offset64 = END64.unpack(raw)
    if (length, made, needed, disk64, cd_disk64) != (44, ZIP64_VERSION, ZIP64_VERSION, 0, 0) or on_disk64 != count64:
        raise LayoutRefused("its zip64 end record is not the one zipfile writes")
    if not (count64 > FILECOUNT_LIMIT or offset64 > ZIP64_LIMIT or size64 > ZIP64_LIMIT):
        raise LayoutRefused(
            "it has a zip64 end record, which rsqm export writes only for packs over 2 GiB or 65,535 files; "
            "a second directory may hide behind it"
        )
    if (count, cd_size, cd_offset) != (min(count64, 0xFFFF), min(size64, 0xFFFFFFFF), min(offset64, 0xFFFFFFFF)):
        raise LayoutRefused("its end record and its zip64 end record describe different central directories")
    return count64, offset64, size64, at


def _members(handle: BinaryIO, size: int, pack: str) -> Layout:
    problems: list[str] = []
    count, cd_offset, cd_size, cd_end = _directory(handle, size, pack, problems)
    if cd_offset + cd_size != cd_end:
        gap = cd_end - cd_offset - cd_size
        if gap > 0 and _read_at(handle, cd_end - cd_size, 4) == CENTRAL_SIG and _read_at(handle, gap, 4) == LOCAL_SIG:
            raise LayoutRefused(f"{gap} bytes of other data come before the first entry")
        if gap > 0:
            raise LayoutRefused(f"{gap} bytes of other data lie between the central directory and its end record")
        raise NotAZip("the end record's directory size and offset do not fit the file")
    if cd_size > MAX_DIRECTORY_BYTES:
        raise NotAZip(f"a central directory of {cd_size} bytes, far more than any pack needs")
    directory = _read_at(handle, cd_offset, cd_size)
    members: list[Member] = []
    pos = 0
    while pos < len(directory):
        if len(directory) - pos < CENTRAL.size or directory[pos : pos + 4] != CENTRAL_SIG:
            raise NotAZip(f"its central directory is damaged at byte {cd_offset + pos}")
        fields = CENTRAL.unpack_from(directory, pos)
        (_, create_version, create_system, extract_version, reserved, flags, method, dos_time, dos_date, crc,
         csize, usize, name_len, extra_len, comment_len, disk, internal, external, offset) = fields
        start = pos + CENTRAL.size
        pos = start + name_len + extra_len + comment_len
        if pos > len(directory):
            raise NotAZip(f"its central directory is damaged at byte {cd_offset + start}")
        raw_name = directory[start : start + name_len]
        extra = directory[start + name_len : start + name_len + extra_len]
        if offset == 0xFFFFFFFF and extra[:4] == b"\x01\x00\x08\x00" and len(extra) >= 12:
            offset = struct.unpack_from("<Q", extra, 4)[0]  # judged later against what zipfile writes
        name = raw_name.decode("utf-8" if flags & UTF8_NAME else "cp437", errors="replace")
        members.append(Member(
            name, raw_name, create_version, create_system, extract_version, reserved, flags, method, dos_time, dos_date,
            crc, csize, usize, extra, directory[pos - comment_len : pos], disk, internal, external, offset,
        ))
    if count != len(members):
        problems.append(f"{pack}: refused: its end record counts {count} entries but the central directory holds {len(members)}")
    _local_headers(handle, members, cd_offset, pack, problems)
    return Layout(members, problems)


def _gap(handle: BinaryIO, start: int, length: int) -> str:
    hidden = " (it holds a local file header: an entry unzip would see and this check would not)" if (
        _read_at(handle, start, 4) == LOCAL_SIG
    ) else ""
    return f"{length} bytes of other data{hidden}"


def _local_headers(handle: BinaryIO, members: list[Member], cd_offset: int, pack: str, problems: list[str]) -> None:
    """Each local header must repeat its central entry and start exactly where the previous entry's data ends."""
    expected = 0
    for info in members:
        if info.header_offset != expected:
            if expected == 0 and info.header_offset > 0:
                problems.append(f"{pack}: refused: {info.header_offset} bytes of other data come before the first entry")
            elif info.header_offset > expected:
                problems.append(
                    f"{info.filename}: refused: {_gap(handle, expected, info.header_offset - expected)} "
                    f"lie between it and the entry before; rsqm export leaves no gaps"
                )
            else:
                problems.append(f"{info.filename}: refused: its local header overlaps the entry before it")
        head = _read_at(handle, info.header_offset, LOCAL.size) if info.header_offset < cd_offset else b""
        if len(head) != LOCAL.size or not head.startswith(LOCAL_SIG):
            problems.append(f"{info.filename}: refused: no local header where the central directory says it starts")
            expected = max(expected, info.header_offset + 1)
            continue
        _, version, flags, method, dos_time, dos_date, crc, csize, usize, name_len, extra_len = LOCAL.unpack(head)
        raw_name = _read_at(handle, info.header_offset + LOCAL.size, name_len)
        local = {"version needed": version, "flags": flags, "method": method, "time": dos_time, "date": dos_date,
                 "CRC": crc, "compressed size": csize, "size": usize, "name": raw_name}
        central = {"version needed": info.extract_version if not _zip64_extra(info) else VERSION, "flags": info.flag_bits,
                   "method": info.compress_type, "time": info.dos_time, "date": info.dos_date, "CRC": info.CRC,
                   "compressed size": info.compress_size, "size": info.file_size, "name": info.raw_name}
        differ = [key for key in local if local[key] != central[key]]
        if differ:
            shown = "; ".join(f"{key} {local[key]!r} in the local header, {central[key]!r} in the directory" for key in differ)
            problems.append(f"{info.filename}: refused: its local header differs from the central directory ({shown})")
        if extra_len:
            problems.append(f"{info.filename}: refused: its local header carries {extra_len} bytes of extra fields, which rsqm export never writes")
        data_offset = info.header_offset + LOCAL.size + name_len + extra_len
        expected = data_offset + info.compress_size
        if not differ and not extra_len and expected <= cd_offset:
            info.data_offset = data_offset
    if members and expected < cd_offset:
        problems.append(
            f"{pack}: refused: {_gap(handle, expected, cd_offset - expected)} lie between the last entry and the "
            "central directory; rsqm export leaves no gaps"
        )
    elif members and expected > cd_offset:
        problems.append(f"{pack}: refused: the last entry's data runs into the central directory")
    elif not members and cd_offset:
        problems.append(f"{pack}: refused: {cd_offset} bytes of other data come before the central directory")


def _structure(layout: Layout, size: int, pack: str, older: bool) -> tuple[list[str], bool]:
    """Problems of the entries themselves, and whether it is safe to read any entry at all."""
    infos = layout.members
    problems = list(layout.problems)
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
    for info in infos:
        if why := _entry_refusal(info):
            problems.append(f"{info.filename}: refused: {why}")
        problems += [f"{info.filename}: refused: {why}" for why in _header_differences(info, older)]
    for before, info in itertools.pairwise(infos):
        if info.filename <= before.filename:
            problems.append(f"{info.filename}: refused: out of order (after {before.filename}); rsqm export writes entries sorted by name")
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


class Unreadable(InputRefused):
    """An entry's data does not decompress to exactly what its header declares."""


def _content(handle: BinaryIO, info: Member) -> Iterator[bytes]:
    """The entry's content, checked as it streams: exactly its compressed bytes, its size and its CRC."""
    assert info.data_offset is not None
    handle.seek(info.data_offset)
    left = info.compress_size
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    produced = 0
    crc = 0
    while left:
        chunk = handle.read(min(CHUNK, left))
        if not chunk:
            raise Unreadable("the file ends inside its data")
        left -= len(chunk)
        pieces = [chunk] if inflater is None else _inflate(inflater, chunk)
        for piece in pieces:
            produced += len(piece)
            if produced > info.file_size:
                raise Unreadable(f"its data holds more than the {info.file_size} bytes its header declares")
            crc = zlib.crc32(piece, crc)
            yield piece
        if inflater is not None and inflater.eof and (left or inflater.unused_data):
            raise Unreadable("bytes follow the end of its compressed data within its declared size")
    if inflater is not None and not inflater.eof:
        raise Unreadable("its compressed data ends early (the deflate stream is not complete)")
    if produced != info.file_size:
        raise Unreadable(f"it holds {produced} bytes, not the {info.file_size} its header declares")
    if crc != info.CRC:
        raise Unreadable("its CRC differs from the one its header declares")


def _inflate(inflater: zlib._Decompress, chunk: bytes) -> Iterator[bytes]:
    """Decompressed pieces of ``chunk``, at most ``CHUNK`` bytes each: the reader stops a bomb at its declared size."""
    yield inflater.decompress(chunk, CHUNK)
    while inflater.unconsumed_tail:
        yield inflater.decompress(inflater.unconsumed_tail, CHUNK)


def _digest(handle: BinaryIO, info: Member) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    for piece in _content(handle, info):
        digest.update(piece)
        size += len(piece)
    return size, digest.hexdigest()


def _read_small(handle: BinaryIO, info: Member) -> bytes:
    return b"".join(_content(handle, info))


def read_manifest(handle: BinaryIO, entries: dict[str, Member], result: Verification) -> tuple[bytes, PackManifest] | None:
    """The manifest's exact bytes and its data, or None with the problem recorded."""
    info = entries.get(MANIFEST)
    if info is None:
        result.problems.append(f"{MANIFEST}: missing: the pack has no manifest")
        return None
    if _unreadable(info):
        return None  # already reported
    if info.file_size > MAX_MANIFEST_BYTES:
        result.problems.append(f"{MANIFEST}: unreadable: larger than {MAX_MANIFEST_BYTES // 2**20} MiB")
        return None
    try:
        raw = _read_small(handle, info)
        data = json.loads(raw.decode("utf-8"))
    except (*READ_ERRORS, Unreadable, UnicodeDecodeError) as exc:
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
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO must not block before fstat can refuse it
    except OSError as exc:
        result.problems.append(f"{pack}: cannot be read ({exc.strerror or exc})")
        return result
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            result.problems.append(f"{pack}: a folder, not a pack: give the ZIP file that rsqm export wrote")
            return result
        if not stat.S_ISREG(info.st_mode):
            result.problems.append(f"{pack}: not a regular file (a pipe, device or socket): give the ZIP file that rsqm export wrote")
            return result
        with os.fdopen(os.dup(fd), "rb") as handle:
            try:
                layout = _members(handle, info.st_size, pack)
            except NotAZip as exc:
                result.problems.append(f"{pack}: not a readable ZIP file ({exc})")
                return result
            except LayoutRefused as exc:
                result.problems.append(f"{pack}: refused: {exc}")
                return result
            except OSError as exc:
                result.problems.append(f"{pack}: cannot be read ({exc.strerror or exc})")
                return result
            _check(handle, layout, info.st_size, pack, trusted_key, result)
    finally:
        os.close(fd)
    return result


def _check(handle: BinaryIO, layout: Layout, size: int, pack: str, trusted_key: str | None, result: Verification) -> None:
    infos = layout.members
    result.older_form = older_form(infos)
    problems, readable = _structure(layout, size, pack, result.older_form)
    result.problems += problems
    if not readable:
        return
    entries = {info.filename: info for info in infos}
    loaded = read_manifest(handle, entries, result)
    if loaded is None:
        return
    raw, manifest = loaded
    result.manifest = manifest
    stamp = dos_stamp(zip_time(manifest.as_of))
    for info in infos:
        if (info.dos_time, info.dos_date) != stamp:
            result.problems.append(
                f"{info.filename}: refused: dated {_shown(info.date_time)}, but rsqm export dates every entry "
                f"{_shown(zip_time(manifest.as_of))} (midnight on the pack's as-of date)"
            )
    _check_signature(handle, entries.get(SIGNATURE), raw, trusted_key, result)
    refused = {info.filename for info in infos if _unreadable(info)}
    listed = Counter(f.path for f in manifest.files)
    paths = [f.path for f in manifest.files]
    if paths != sorted(set(paths)) and all(count == 1 for count in listed.values()):
        result.problems.append(f"{MANIFEST}: refused: its files are not listed sorted by path, as rsqm export lists them")
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
        if name in (MANIFEST, SIGNATURE):
            result.problems.append(f"{name}: refused: the manifest lists itself or its signature among the files")
            continue
        if name not in entries:
            result.problems.append(f"{name}: missing: listed in the manifest but not in the pack")
            continue
        if name in refused:
            continue
        try:
            size_digest = _digest(handle, entries[name])
        except Unreadable as exc:
            result.problems.append(f"{name}: modified: {exc}")
            continue
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


def _shown(date_time: tuple[int, ...]) -> str:
    year, month, day, hour, minute, second = date_time
    return f"{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}"


def _check_signature(
    handle: BinaryIO, info: Member | None, manifest: bytes, trusted_key: str | None, result: Verification,
) -> None:
    from rsqm.pack.signing import SignatureProblem, check_signature

    if info is None:
        if trusted_key is not None:
            result.problems.append(f"{SIGNATURE}: missing: the pack is not signed, so it cannot be checked against the key")
        return
    if _unreadable(info):
        return  # already reported
    if info.file_size > MAX_SIGNATURE_BYTES:
        result.problems.append(f"{SIGNATURE}: unreadable: {info.file_size} bytes, far more than a signature file holds")
        return
    try:
        result.signed_by = check_signature(_read_small(handle, info), manifest, trusted_key)
    except SignatureProblem as problem:
        result.problems.append(f"{SIGNATURE}: {problem}")
    except (*READ_ERRORS, Unreadable) as exc:
        result.problems.append(f"{SIGNATURE}: unreadable: {exc}")
