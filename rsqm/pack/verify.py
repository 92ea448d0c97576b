"""Checking a pack against its own manifest: needs nothing but the ZIP."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from rsqm.pack.archive import CHUNK, MANIFEST, SCHEMA

MAX_MANIFEST_BYTES = 16 * 1024 * 1024


@dataclass
class Verification:
    verified: int = 0
    problems: list[str] = field(default_factory=list)

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


def _digest(archive: zipfile.ZipFile, name: str) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with archive.open(name) as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def _manifest_files(archive: zipfile.ZipFile, result: Verification) -> list[dict] | None:
    try:
        info = archive.getinfo(MANIFEST)
    except KeyError:
        result.problems.append(f"{MANIFEST}: missing: the pack has no manifest")
        return None
    if info.file_size > MAX_MANIFEST_BYTES:
        result.problems.append(f"{MANIFEST}: unreadable: larger than {MAX_MANIFEST_BYTES // 2**20} MiB")
        return None
    try:
        manifest = json.loads(archive.read(MANIFEST).decode("utf-8"))
    except (ValueError, UnicodeDecodeError, zipfile.BadZipFile, OSError) as exc:
        result.problems.append(f"{MANIFEST}: unreadable: {exc}")
        return None
    if not isinstance(manifest, dict) or manifest.get("schema") != SCHEMA:
        result.problems.append(f"{MANIFEST}: unreadable: not an {SCHEMA} manifest")
        return None
    files = manifest.get("files")
    valid = isinstance(files, list) and all(
        isinstance(f, dict) and isinstance(f.get("path"), str) and isinstance(f.get("bytes"), int)
        and isinstance(f.get("sha256"), str) for f in files
    )
    if not valid:
        result.problems.append(f"{MANIFEST}: unreadable: 'files' must list {{path, bytes, sha256}} objects")
        return None
    return files


def verify_pack(path: Path) -> Verification:
    """Every problem with the pack, one message per file; ``intact`` when there are none."""
    result = Verification()
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        result.problems.append(f"{path.name}: not a readable ZIP file ({exc})")
        return result
    with archive:
        names = [info.filename for info in archive.infolist()]
        for name in sorted(set(names)):
            if names.count(name) > 1:
                result.problems.append(f"{name}: duplicated: the ZIP holds it {names.count(name)} times")
            if why := unsafe_name(name):
                result.problems.append(f"{name}: unsafe: would extract outside the folder ({why})")
        files = _manifest_files(archive, result)
        if files is None:
            return result
        listed = {f["path"] for f in files}
        for entry in files:
            name = entry["path"]
            if why := unsafe_name(name):
                result.problems.append(f"{name}: unsafe: the manifest names a path outside the folder ({why})")
                continue
            if name not in names:
                result.problems.append(f"{name}: missing: listed in the manifest but not in the pack")
                continue
            try:
                size, digest = _digest(archive, name)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
                result.problems.append(f"{name}: modified: cannot be read back ({exc})")
                continue
            if size != entry["bytes"] or digest != entry["sha256"].lower():
                result.problems.append(f"{name}: modified: SHA-256 or size differs from the manifest")
                continue
            result.verified += 1
        for name in sorted(set(names) - listed - {MANIFEST}):
            if not name.endswith("/"):
                result.problems.append(f"{name}: added: in the pack but not in the manifest")
    return result
