"""Pack versions: what a new pack changes against the one it supersedes.

``rsqm export --supersedes OLD.zip`` checks the old pack first (it must be
intact), then records its SHA-256 and the change list in the new manifest:
files added, removed and changed, and indicators whose status changed. Every
manifest records its indicators' statuses for the next comparison; a pack from
before that only gives its files.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rsqm.assess.gaps import Assessment
from rsqm.base.errors import InputRefused
from rsqm.files.hashing import sha256_file
from rsqm.pack.manifest import FileChanges, StatusMove, Supersedes
from rsqm.pack.verify import verify_pack


class PreviousPackError(InputRefused):
    """The pack named by --supersedes cannot be used: unreadable, or not intact."""


@dataclass(frozen=True)
class PreviousPack:
    name: str  # its file name, as the service knows it
    sha256: str  # of the whole ZIP
    as_of: date | None
    files: dict[str, str]  # path -> sha256
    statuses: dict[str, str] | None  # indicator -> status; None when the old manifest records none


@dataclass(frozen=True)
class StatusChange:
    indicator: str
    before: str | None  # None: not in the previous pack
    now: str | None  # None: no longer assessed


@dataclass(frozen=True)
class Changes:
    added: list[str]
    removed: list[str]
    changed: list[str]
    statuses: list[StatusChange]
    statuses_known: bool


def read_previous(path: Path) -> PreviousPack:
    """The old pack's digest, files and statuses; refused unless it verifies intact."""
    checked = verify_pack(path)
    if not checked.intact:
        first = "; ".join(checked.problems[:3])
        raise PreviousPackError(f"{path.name} is not an intact pack ({len(checked.problems)} problem(s): {first})")
    manifest = checked.manifest
    if manifest is None:
        raise PreviousPackError(f"{path.name}: its manifest cannot be read")
    return PreviousPack(
        name=path.name,
        sha256=sha256_file(path),
        as_of=manifest.as_of,
        files={f.path: f.sha256.lower() for f in manifest.files},
        statuses=manifest.indicators,
    )


def statuses(assessment: Assessment) -> dict[str, str]:
    """Indicator id -> status; indicators of further frameworks are keyed ``framework:id``."""
    return {
        (r.id if r.framework == assessment.framework_id else f"{r.framework}:{r.id}"): str(r.status)
        for r in assessment.indicators
    }


def compare(previous: PreviousPack, files: dict[str, str], now: dict[str, str]) -> Changes:
    """What changed from ``previous`` to a pack with ``files`` (path -> sha256) and statuses ``now``."""
    before = previous.statuses or {}
    moved = [
        StatusChange(key, before.get(key), now.get(key))
        for key in sorted(set(before) | set(now))
        if before.get(key) != now.get(key)
    ] if previous.statuses is not None else []
    return Changes(
        added=sorted(set(files) - set(previous.files)),
        removed=sorted(set(previous.files) - set(files)),
        changed=sorted(p for p in set(files) & set(previous.files) if files[p] != previous.files[p]),
        statuses=moved,
        statuses_known=previous.statuses is not None,
    )


def supersedes_record(previous: PreviousPack, changes: Changes) -> Supersedes:
    """The manifest's ``supersedes`` object."""
    return Supersedes(
        sha256=previous.sha256,
        as_of=previous.as_of,
        files=FileChanges(added=changes.added, removed=changes.removed, changed=changes.changed),
        indicators=[StatusMove(id=c.indicator, from_=c.before, to=c.now) for c in changes.statuses] if changes.statuses_known else None,
    )
