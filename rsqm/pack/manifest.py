"""manifest.json, as one model: the builder writes it, the verifier and ``--supersedes`` read it back through it.

A manifest that does not validate is not one of ours: the verifier reports it
unreadable instead of checking keys by hand.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

from rsqm.pack.archive import SCHEMA


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class ManifestFile(_Part):
    path: StrictStr
    bytes: StrictInt
    sha256: StrictStr


class ManifestFramework(_Part):
    id: str
    version: str
    sha256: str  # of the framework file the pack was assessed against


class FileChanges(_Part):
    added: list[str]
    removed: list[str]
    changed: list[str]


class StatusMove(_Part):
    id: str
    from_: str | None = Field(alias="from")  # None: not in the previous pack
    to: str | None  # None: no longer assessed


class Supersedes(_Part):
    """The pack this one replaces: its SHA-256, its date and what changed since."""

    sha256: str
    as_of: date | None
    files: FileChanges
    indicators: list[StatusMove] | None  # None: the previous manifest recorded no statuses


class PackManifest(_Part):
    schema_: Literal[SCHEMA] = Field(SCHEMA, alias="schema")
    service: str
    framework: ManifestFramework
    as_of: date
    files: list[ManifestFile]  # every other file of the pack, sorted by path
    indicators: dict[str, str] | None = None  # indicator -> status (older packs: none)
    supersedes: Supersedes | None = None

    def to_bytes(self) -> bytes:
        """The bytes written into the pack (indented, UTF-8, a final newline); ``supersedes`` only when there is one."""
        data = self.model_dump(mode="json", by_alias=True, exclude=None if self.supersedes else {"supersedes"})
        return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
