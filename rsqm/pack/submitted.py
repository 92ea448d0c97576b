"""Packs that were sent stay sent: an immutable copy of each pack the service sent, with what it was.

``rsqm submit PACK.zip`` keeps the copy under ``.rsqm/submitted/`` (the workspace's private folder: never exported,
never rebuilt). A copy is written once, read-only, beside a record of its SHA-256, the day it was sent, whether
it is a draft or final, and who sent it. Building a pack again writes elsewhere and never touches a copy.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import zipfile
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from rsqm.base.errors import InputRefused
from rsqm.base.paths import STATE_DIR, state_dir
from rsqm.files.hashing import sha256_file
from rsqm.pack.build import DOCUMENT
from rsqm.pack.verify import verify_pack

SUBMITTED_DIR = f"{STATE_DIR}/submitted"
SCHEMA = "rsqm/submitted@1"


class SubmitError(InputRefused):
    """The pack cannot be recorded as sent."""


@dataclass(frozen=True)
class SentPack:
    number: int  # 1 for the first pack sent, then in the order they were recorded
    copy: str  # workspace-relative path of the kept copy
    name: str  # the file name the pack was sent as
    sha256: str
    bytes: int
    sent_on: date
    kind: str  # "draft" or "final"
    by: str  # who sent it ("" when not given)
    service: str
    as_of: date

    def to_json(self) -> dict[str, object]:
        return {"schema": SCHEMA, **asdict(self), "sent_on": self.sent_on.isoformat(), "as_of": self.as_of.isoformat()}

    @property
    def label(self) -> str:
        return "DRAFT" if self.kind == "draft" else "final"


def is_draft(pack: Path) -> bool:
    """A draft says DRAFT in the header of every page of its document."""
    with zipfile.ZipFile(pack) as archive, zipfile.ZipFile(io.BytesIO(archive.read(DOCUMENT))) as document:
        headers = [n for n in document.namelist() if re.fullmatch(r"word/header\d*\.xml", n)]
        return any(">DRAFT" in document.read(n).decode("utf-8", "replace") for n in headers)


def sent_packs(root: Path) -> list[SentPack]:
    """Every pack recorded as sent, oldest first."""
    folder = Path(root) / SUBMITTED_DIR
    found = []
    for record in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        data = json.loads(record.read_text(encoding="utf-8"))
        data.pop("schema", None)
        found.append(SentPack(**{**data, "sent_on": date.fromisoformat(data["sent_on"]),
                                 "as_of": date.fromisoformat(data["as_of"])}))
    return sorted(found, key=lambda p: p.number)


def submit(root: Path, pack: Path, sent_on: date, by: str = "") -> tuple[SentPack, bool]:
    """Keep a read-only copy of ``pack`` as sent on ``sent_on``; (the record, False) when that pack is already kept."""
    if not pack.is_file():
        raise SubmitError(f"{pack}: no such file")
    checked = verify_pack(pack)
    if not checked.intact or checked.manifest is None:
        raise SubmitError(f"{pack} does not match its own manifest, so it is not recorded as sent: "
                          + "; ".join(checked.problems))
    digest = sha256_file(pack)
    earlier = sent_packs(root)
    for sent in earlier:
        if sent.sha256 == digest:
            return sent, False
    kind = "draft" if is_draft(pack) else "final"
    number = max((p.number for p in earlier), default=0) + 1
    stem = f"{number:03d}-{sent_on.isoformat()}-{kind}-{digest[:12]}"
    state_dir(root)
    folder = Path(root) / SUBMITTED_DIR
    folder.mkdir(mode=0o700, exist_ok=True)
    copy = folder / f"{stem}.zip"
    with open(pack, "rb") as source, open(copy, "xb") as target:  # "x": an existing copy is never replaced
        shutil.copyfileobj(source, target)
        target.flush()
        os.fsync(target.fileno())
    os.chmod(copy, 0o444)
    if sha256_file(copy) != digest:
        raise SubmitError(f"{pack} changed while it was being copied; nothing is recorded")
    sent = SentPack(number=number, copy=f"{SUBMITTED_DIR}/{copy.name}", name=pack.name, sha256=digest, bytes=copy.stat().st_size,
                    sent_on=sent_on, kind=kind, by=by.strip(), service=checked.manifest.service, as_of=checked.manifest.as_of)
    record = folder / f"{stem}.json"
    with open(record, "x", encoding="utf-8") as out:
        json.dump(sent.to_json(), out, indent=2)
        out.write("\n")
    os.chmod(record, 0o444)
    return sent, True


def still_as_sent(root: Path, sent: SentPack) -> bool:
    path = Path(root) / sent.copy
    return path.is_file() and sha256_file(path) == sent.sha256
