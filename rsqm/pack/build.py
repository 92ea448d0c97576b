"""Writing the pack: document, evidence files and manifest into one deterministic ZIP, atomically."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from rsqm.errors import InputRefused
from rsqm.pack.archive import MANIFEST, SCHEMA, ChangedWhileWriting, Entry, write_zip, zip_time
from rsqm.pack.crossref import CROSSREF, build_crossref
from rsqm.pack.document import build_document
from rsqm.pack.plan import PackPlan

DOCUMENT = "submission.docx"


class PackError(InputRefused):
    """The pack could not be written; nothing was left at the target."""


def manifest(plan: PackPlan, files: list[tuple[str, int, str]]) -> bytes:
    """manifest.json: (path, bytes, sha256) of every other file, sorted by path."""
    a = plan.assessment
    data = {
        "schema": SCHEMA,
        "service": a.service,
        "framework": {"id": a.framework_id, "version": a.framework_version, "sha256": plan.framework_sha256},
        "as_of": plan.as_of.isoformat(),
        "files": [{"path": path, "bytes": size, "sha256": digest} for path, size, digest in sorted(files)],
    }
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def pack_entries(plan: PackPlan, document: bytes, crossref: bytes) -> tuple[list[Entry], dict[str, str]]:
    """Every entry of the ZIP, and the digest each file must still have when it is copied."""
    files = [(name, len(data), hashlib.sha256(data).hexdigest()) for name, data in ((DOCUMENT, document), (CROSSREF, crossref))]
    files += [(e.name, e.size, e.sha256) for e in plan.evidence]
    entries = [Entry(DOCUMENT, data=document), Entry(CROSSREF, data=crossref), Entry(MANIFEST, data=manifest(plan, files))]
    entries += [Entry(e.name, source=e.source) for e in plan.evidence]
    return entries, {e.name: e.sha256 for e in plan.evidence}


def write_pack(plan: PackPlan, target: Path, progress: Callable[[int], None] | None = None) -> int:
    """Write the ZIP to a temporary file beside ``target``, then move it into place. Returns its size."""
    if plan.blocked:
        raise PackError("the privacy pre-flight blocks this pack")
    entries, expected = pack_entries(plan, build_document(plan), build_crossref(plan))
    folder = target.parent
    try:
        handle, temp_name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise PackError(f"cannot write in {folder}: {exc.strerror or exc}") from None
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            write_zip(out, entries, zip_time(plan.as_of), expected, progress)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, target)
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
