"""What goes into a pack: the assessment, the audit summary and the evidence files, decided before writing."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rsqm.assess.asof import as_seen_on
from rsqm.assess.gaps import Assessment, assess
from rsqm.audit.audits import AuditSummary, summarise
from rsqm.base.dates import workspace_today
from rsqm.base.problems import Problem
from rsqm.files.folder import Workspace
from rsqm.files.hashing import evidence_digests, sha256_file
from rsqm.files.models import EvidenceItem
from rsqm.pack.versions import PreviousPack
from rsqm.privacy.scan import Hit, pack_evidence

SLUG_MAX = 40


@dataclass(frozen=True)
class PackedEvidence:
    item: EvidenceItem
    name: str  # path inside the pack: evidence/E012-<slug>.<ext>
    source: Path
    sha256: str
    size: int


@dataclass(frozen=True)
class PackPlan:
    ws: Workspace
    as_of: date
    assessment: Assessment  # the primary framework
    others: list[Assessment]  # the further frameworks named in rsqm.yaml, in that order
    audits: AuditSummary
    evidence: list[PackedEvidence]
    framework_file: str  # workspace-relative
    framework_sha256: str
    digests: dict[str, str]  # evidence id -> SHA-256 of the file, hashed once for the assessment and the pre-flight
    findings: list[Problem] = dataclasses.field(default_factory=list)  # privacy pre-flight: empty = the pack may be written
    reviewable: list[Hit] = dataclasses.field(default_factory=list)  # findings a person may accept as false positives
    document: bytes = b""  # the rendered submission document the pre-flight scanned
    crossref: bytes = b""  # the rendered cross-reference workbook the pre-flight scanned
    previous: PreviousPack | None = None  # the pack this one supersedes (rsqm export --supersedes)

    @property
    def blocked(self) -> bool:
        return bool(self.findings)

    @property
    def today(self) -> date:
        return workspace_today(self.ws.settings)


def slug(title: str) -> str:
    """Lowercase ASCII words joined by hyphens, cut at a word boundary near ``SLUG_MAX`` characters."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    text = ""
    for word in words:
        candidate = f"{text}-{word}" if text else word
        if len(candidate) > SLUG_MAX:
            break
        text = candidate
    return text or (words[0][:SLUG_MAX] if words else "document")


def pack_name(item: EvidenceItem) -> str:
    suffix = Path(item.file).suffix.lower()
    suffix = suffix if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix) else ""
    return f"evidence/{item.id}-{slug(item.title)}{suffix}"


def plan_pack(ws: Workspace, as_of: date, progress: Callable[[int, int], None] | None = None,
              previous: PreviousPack | None = None) -> PackPlan:
    """Assess on ``as_of`` (the clock plays no part, so the pack is reproducible) and choose the evidence that goes.

    Only what existed on ``as_of`` counts: later approvals, samples and audits are left out. Nothing is rendered
    or scanned here: ``rsqm.pack.prepare.prepare_pack`` does that from what the plan carries.
    """
    ws = as_seen_on(ws, as_of)
    digests = evidence_digests(ws, [item.id for item in ws.register.items if item.sha256 or item.links], progress)
    assessment = assess(ws, as_of, digests, today=as_of)
    others = [assess(ws, as_of, digests, fid, today=as_of)
              for fid in ws.settings.frameworks if fid in ws.frameworks and fid != assessment.framework_id]
    items = {item.id: item for item in ws.register.items}
    evidence = []
    for evidence_id in sorted({e for a in (assessment, *others) for e in pack_evidence(a)}, key=lambda e: (len(e), e)):
        facts = ws.files[evidence_id]
        assert facts.path is not None  # qualifying evidence exists on disk
        evidence.append(PackedEvidence(items[evidence_id], pack_name(items[evidence_id]), facts.path,
                                       digests[evidence_id], facts.size))
    framework_file = ws.framework_files[assessment.framework_id]
    return PackPlan(
        ws=ws,
        as_of=as_of,
        assessment=assessment,
        others=others,
        audits=summarise(ws),
        evidence=evidence,
        framework_file=framework_file,
        framework_sha256=sha256_file(ws.root / framework_file),
        digests=digests,
        previous=previous,
    )
