"""Writing the pack: document, evidence files and manifest into one deterministic ZIP, atomically."""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
from collections.abc import Callable
from glob import escape as glob_escape
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from rsqm.base.errors import InputRefused
from rsqm.pack.archive import MANIFEST, SIGNATURE, ChangedWhileWriting, Entry, write_zip, zip_time
from rsqm.pack.crossref import CROSSREF, build_crossref
from rsqm.pack.document import build_document
from rsqm.pack.manifest import ManifestFile, ManifestFramework, PackManifest
from rsqm.pack.plan import PackPlan
from rsqm.pack.signing import sign_manifest
from rsqm.pack.versions import compare, statuses, supersedes_record

DOCUMENT = "submission.docx"


class PackError(InputRefused):
    """The pack could not be written; nothing was left at the target."""


def manifest(plan: PackPlan, files: list[tuple[str, int, str]]) -> bytes:
    """manifest.json: (path, bytes, sha256) of every other file, sorted by path; the indicators' statuses;
    and, when the pack supersedes another, that pack's SHA-256 and what changed since."""
    a = plan.assessment
    now = statuses(a)
    supersedes = None
    if plan.previous is not None:
        supersedes = supersedes_record(plan.previous, compare(plan.previous, {path: digest for path, _, digest in files}, now))
    return PackManifest(
        service=a.service,
        framework=ManifestFramework(id=a.framework_id, version=a.framework_version, sha256=plan.framework_sha256),
        as_of=plan.as_of,
        files=[ManifestFile(path=path, bytes=size, sha256=digest) for path, size, digest in sorted(files)],
        indicators=now,
        supersedes=supersedes,
    ).to_bytes()


def pack_entries(plan: PackPlan, document: bytes, crossref: bytes,
                 signer: Ed25519PrivateKey | None = None) -> tuple[list[Entry], dict[str, str]]:
    """Every entry of the ZIP, and the digest each file must still have when it is copied."""
    files = [(name, len(data), hashlib.sha256(data).hexdigest()) for name, data in ((DOCUMENT, document), (CROSSREF, crossref))]
    files += [(e.name, e.size, e.sha256) for e in plan.evidence]
    listing = manifest(plan, files)
    entries = [Entry(DOCUMENT, data=document), Entry(CROSSREF, data=crossref), Entry(MANIFEST, data=listing)]
    if signer is not None:
        entries.append(Entry(SIGNATURE, data=sign_manifest(signer, listing)))
    entries += [Entry(e.name, source=e.source) for e in plan.evidence]
    return entries, {e.name: e.sha256 for e in plan.evidence}


def sweep_stale_temps(target: Path) -> list[Path]:
    """Remove what killed exports to ``target`` left behind; a running export holds a lock on its file and is spared."""
    swept = []
    for stale in target.parent.glob(f".{glob_escape(target.name)}.*.tmp"):
        try:
            with open(stale, "rb") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                stale.unlink(missing_ok=True)
        except OSError:  # locked by a live export, or already gone
            continue
        swept.append(stale)
    return swept


def write_pack(
    plan: PackPlan, target: Path, progress: Callable[[int], None] | None = None, signer: Ed25519PrivateKey | None = None,
) -> int:
    """Write the ZIP to a temporary file beside ``target``, then move it into place. Returns its size.

    The temporary file is locked while it is written, so the next export can
    tell it from one a killed export left behind, and sweeps only the latter.
    """
    if plan.blocked:
        raise PackError("the privacy pre-flight blocks this pack")
    entries, expected = pack_entries(plan, plan.document or build_document(plan), plan.crossref or build_crossref(plan), signer)
    folder = target.parent
    sweep_stale_temps(target)
    try:
        handle, temp_name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise PackError(f"cannot write in {folder}: {exc.strerror or exc}") from None
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            fcntl.flock(out, fcntl.LOCK_EX)
            write_zip(out, entries, zip_time(plan.as_of), expected, progress)
            out.flush()
            os.fsync(out.fileno())
            os.chmod(temp, 0o644)
            os.replace(temp, target)  # still holding the lock, so no sweep can take it first
    except ChangedWhileWriting as changed:
        temp.unlink(missing_ok=True)
        raise PackError(f"{changed} changed while the pack was being written; export again") from None
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise PackError(f"cannot write {target}: {exc.strerror or exc}") from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return target.stat().st_size
