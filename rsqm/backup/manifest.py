"""What a workspace backup holds and how it is checked (pure: no files are read or written here).

A backup is one archive (``.tar.zst`` or ``.zip``, optionally encrypted, see
``rsqm.backup.crypto``) holding the workspace's own files and a manifest
(``backup-manifest.json``) with the size and SHA-256 of each. Restoring trusts
nothing in the archive that the manifest does not vouch for. Taking and
restoring a backup is in ``rsqm.backup.archive``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from pathlib import PurePosixPath
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from rsqm.base.errors import InputRefused
from rsqm.base.paths import LOCK_FILE, SETTINGS_FILE, STATE_DIR

MANIFEST_NAME = "backup-manifest.json"
BACKUP_LOG = f"{STATE_DIR}/backups.jsonl"  # one line per backup taken, read by `rsqm doctor`
STAGING = f"{STATE_DIR}/backup-staging"  # a backup's frozen view of the workspace while it is written
TOPS = (SETTINGS_FILE, "standards", "evidence", STATE_DIR)  # what a workspace is; code and .venv are not
# Private state that is not worth restoring: rebuilt on use, or only meaningful to a running server.
SKIPPED_STATE = (
    LOCK_FILE,
    f"{STATE_DIR}/login-state.json",  # failed sign-in counts and lockouts: short-lived
    f"{STATE_DIR}/hash-cache.json",  # rebuilt from the evidence files
    f"{STATE_DIR}/load-cache.json",  # rebuilt by the next load (rsqm.workspace.loadcache)
    f"{STATE_DIR}/preflight-memo.json",  # rebuilt by the next pre-flight (rsqm.privacy.memo)
    f"{STATE_DIR}/exports/",  # packs built in the dashboard: rebuilt from the workspace
    f"{STATE_DIR}/sessions.json",  # who is signed in now: never restored, everyone signs in again
    f"{STAGING}/",  # the workspace itself, seen through hard links by a backup in progress
)
PERSONAL_DATA_NOTE = (
    "this backup holds personal data (case records about victims of crime, audit notes, accounts, the change log): "
    "keep it encrypted (--encrypt) or on storage only the service can read, and delete old copies by your retention policy"
)

Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class ArchiveFormat(StrEnum):
    tar_zst = ".tar.zst"
    zip = ".zip"


class BackupFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str
    bytes: int = Field(ge=0)
    sha256: Sha256
    mtime_ns: int = Field(ge=0)


class BackupManifest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    schema_: Literal["rsqm/backup@1"] = Field(default="rsqm/backup@1", alias="schema")
    created: datetime
    service: str
    rsqm_version: str
    files: list[BackupFile]

    @property
    def total_bytes(self) -> int:
        return sum(entry.bytes for entry in self.files)


class BackupRecord(BaseModel):
    """One line of .rsqm/backups.jsonl: a backup taken, for `rsqm doctor` (written and read through this model)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    when: datetime
    file: str
    bytes: int = Field(ge=0)
    files: int = Field(ge=0)
    sha256: Sha256
    encrypted: bool


class BadArchive(InputRefused):
    """The archive cannot be trusted: damaged, altered, or unsafe to unpack. Nothing was restored."""


def archive_format(name: str) -> ArchiveFormat:
    """The format named by a backup file name (``.enc`` marks an encrypted one); ValueError otherwise."""
    plain = name.removesuffix(".enc")
    for fmt in ArchiveFormat:
        if plain.endswith(fmt.value):
            return fmt
    raise ValueError(f"{name}: a backup's name ends in .tar.zst or .zip (with .enc after it when encrypted)")


def is_backed_up(rel: str) -> bool:
    """Whether a workspace file (relative POSIX path) belongs in a backup."""
    top = rel.split("/", 1)[0]
    if top not in TOPS or (top == rel and top != SETTINGS_FILE):
        return False
    if _temporary(rel):
        return False
    return not any(rel == skip or (skip.endswith("/") and rel.startswith(skip)) for skip in SKIPPED_STATE)


def _temporary(rel: str) -> bool:
    """A half-written file of ``rsqm.workspace.store`` (``.NAME.RANDOM.tmp``): never part of the workspace."""
    return bool(re.fullmatch(r"\..+\.[^.]+\.tmp", PurePosixPath(rel).name))


def safe_member(name: str) -> str:
    """An archive member name that stays inside the restore folder; BadArchive otherwise."""
    parts = name.split("/")
    if (
        not name
        or name.startswith("/")
        or "\\" in name
        or "\x00" in name
        or re.match(r"^[A-Za-z]:", name)
        or any(part in ("", ".", "..") for part in parts)
    ):
        raise BadArchive(f"{name!r}: unsafe path in the archive (absolute, '..' or empty part); refusing to restore it")
    return name


def check_manifest(manifest: BackupManifest) -> None:
    """Every path safe, none twice, a workspace settings file present; BadArchive otherwise."""
    seen: set[str] = set()
    for entry in manifest.files:
        safe_member(entry.path)
        if entry.path == MANIFEST_NAME or not is_backed_up(entry.path):
            raise BadArchive(f"{entry.path}: the manifest lists a file that is not part of a workspace")
        if entry.path in seen:
            raise BadArchive(f"{entry.path}: listed twice in the manifest")
        seen.add(entry.path)
    if SETTINGS_FILE not in seen:
        raise BadArchive("the manifest lists no rsqm.yaml: this is not a workspace backup")


def check_member(manifest_entry: BackupFile | None, name: str, size: int, sha256: str) -> None:
    """One archive member against the manifest; BadArchive names what is wrong."""
    if manifest_entry is None:
        raise BadArchive(f"{name}: in the archive but not in its manifest (added after the backup was taken)")
    if size != manifest_entry.bytes or sha256 != manifest_entry.sha256:
        raise BadArchive(f"{name}: content differs from the manifest (SHA-256 {sha256[:12]}…, expected {manifest_entry.sha256[:12]}…)")


def check_complete(manifest: BackupManifest, seen: Iterable[str]) -> None:
    missing = sorted({entry.path for entry in manifest.files} - set(seen))
    if missing:
        more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
        raise BadArchive(f"missing from the archive: {', '.join(missing[:3])}{more}")

