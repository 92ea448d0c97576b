"""Synthetic workspaces for benchmarks and load tests, deterministic from a seed.

Sizes: ``S`` is a copy of the bundled demo workspace; ``M`` is a real service
(300 evidence items, 300 audits, 2,000 cases); ``L`` a large service with a
gigabyte of evidence files; ``XL`` a national roll-up with ten times L's records
(small files). Everything is invented; every record date lies on or before
``ANCHOR`` so the workspace validates on any later day.

Large evidence files are scanned PDFs: one page showing one greyscale picture
whose pixels are read from a seeded 1 MiB block at an id-dependent offset, so
every file has a different SHA-256 while the bytes stay incompressible, as a real
scan's are. Small files are plain text.

Files are written directly, as ``rsqm init`` does, not through the Store: the
target is a new folder nobody else is editing, and a change-log line per
generated record would only slow a 100,000-case generation down.
"""

from __future__ import annotations

import calendar
import hashlib
import random
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import yaml

from rsqm.audit.sampling import new_sample
from rsqm.base.errors import InputRefused
from rsqm.base.paths import (
    ACTIONS_FILE,
    AUDITS_DIR,
    CASES_FILE,
    FEEDBACK_FILE,
    NARRATIVES_DIR,
    PRIVACY_REVIEW_FILE,
    REGISTER_FILE,
    SAMPLES_DIR,
    SETTINGS_FILE,
    WORKFORCE_FILE,
)
from rsqm.files.models import CASES_HEADER, DEFAULT_CASE_REF_PATTERN, Checklist, Framework
from rsqm.files.yamlio import dump_model, dump_yaml
from rsqm.imports.caselist import parse_cases
from rsqm.workspace.scaffold import DEFAULT_CHECKLIST, PRIMARY_FRAMEWORK, bundled_demo, init_workspace

ANCHOR = date(2026, 1, 31)  # the synthetic "today": no record is dated after it
ASSESSMENT_DATE = date(2026, 6, 30)
QUARTERS = [(2024, 1), (2024, 2), (2024, 3), (2024, 4), (2025, 1), (2025, 2), (2025, 3), (2025, 4)]
BLOCK_BYTES = 1 << 20
VERSION = 5  # of the generated files: bump when they change, so cached benchmark workspaces are made again
SCAN_WIDTH = 1024  # pixels per row of a synthetic scan


@dataclass(frozen=True)
class SynthSize:
    evidence: int  # register items (each with one file)
    audits: int  # audit records, spread over one sample per quarter
    cases: int  # rows of evidence/cases.csv
    file_bytes: int  # mean size of an evidence file
    staff: int = 0  # evidence/workforce.yaml (none written when 0); cases name P01 to P60, so at least 60
    feedback: int = 0  # rows of evidence/feedback.csv (none written when 0)


SIZES: dict[str, SynthSize | None] = {
    "S": None,  # the demo workspace at the repository root
    "M": SynthSize(evidence=300, audits=300, cases=2_000, file_bytes=4_096, staff=60, feedback=600),
    "L": SynthSize(evidence=1_000, audits=2_000, cases=10_000, file_bytes=1_000_000, staff=60, feedback=2_000),
    "XL": SynthSize(evidence=10_000, audits=20_000, cases=100_000, file_bytes=4_096, staff=600, feedback=20_000),
}

OWNERS = ["Service manager", "Practice lead", "Coordinator", "Training lead", "Data protection lead"]
PROCESSES = ["face_to_face_conference", "shuttle_communication", "letter_exchange", "community_conference"]
OFFENCES = ["violence", "burglary", "criminal_damage", "theft", "public_order", "harassment", "other"]
INITIATORS = ["harmed_person", "responsible_person", "referrer"]
OUTCOMES = ["agreement_reached", "letter_delivered", "withdrawn", "not_suitable"]
AUDITORS = [f"sup{n:02d}" for n in range(1, 9)]
NOTES = [
    "Recorded clearly in the case notes.",
    "Evidence found in the case file, dated correctly.",
    "Partly recorded; the reasons are not written down.",
    "Not found in the file; discussed with the practitioner.",
    "Manager sign-off present at each key decision.",
]
CPD_TITLES = ["Facilitating conferences", "Trauma-informed practice", "Safeguarding refresher", "Shuttle communication skills"]
QUESTION = "kept_informed"
LOCATORS = ["section 2, p. 3", "section 4.1, p. 7", "appendix B", "pages 2-5", "table 3", "whole document"]


class SynthError(InputRefused, ValueError):
    """A generation request that cannot be honoured; the message says why."""


def generate(target: Path, size: str | SynthSize, seed: int = 1) -> Path:
    """Write a complete, valid workspace into ``target`` (which must not hold one yet)."""
    target = Path(target)
    if (target / SETTINGS_FILE).exists():
        raise SynthError(f"{target / SETTINGS_FILE} already exists; not overwriting a workspace")
    if isinstance(size, str):
        if size not in SIZES:
            raise SynthError(f"unknown size '{size}'; choose one of {', '.join(SIZES)}")
        chosen = SIZES[size]
        if chosen is None:
            return copy_demo(target)
        size = chosen
    rng = random.Random(seed)
    init_workspace(target, f"Synthetic Restorative Service {seed}")
    framework = Framework.model_validate(yaml.safe_load((target / "standards" / f"{PRIMARY_FRAMEWORK}.yaml").read_text("utf-8")))
    checklist = Checklist.model_validate(yaml.safe_load((target / "standards" / f"{DEFAULT_CHECKLIST}.yaml").read_text("utf-8")))
    _write(target, SETTINGS_FILE, dump_yaml({
        "schema": "rsqm/workspace@1",
        "service": f"Synthetic Restorative Service {seed}",
        "framework": PRIMARY_FRAMEWORK,
        "checklist": DEFAULT_CHECKLIST,
        "assessment_date": ASSESSMENT_DATE.isoformat(),
        "case_ref_pattern": DEFAULT_CASE_REF_PATTERN,
        "feedback_questions": {QUESTION: "Were you kept informed about what was happening with your case?"},
        "local_mode": True,  # invented data, opened on this computer by the benchmarks: no accounts to sign in with
    }))
    ids = _write_evidence(target, framework, size, rng)
    extra = random.Random(f"{seed}-measures")  # its own stream: the columns measures need leave the rest as it was
    _write(target, CASES_FILE, _cases_csv(size.cases, rng, extra))
    if size.staff:
        _write(target, WORKFORCE_FILE, _workforce_yaml(size.staff, extra))
    if size.feedback:
        _write(target, FEEDBACK_FILE, _feedback_csv(size.feedback, extra))
    _write_samples_and_audits(target, checklist, size.audits, rng)
    _write_narratives(target, framework, ids, rng)
    _write_actions(target, framework, rng)
    return target


def copy_demo(target: Path) -> Path:
    """Size S: the bundled demo workspace (settings, standards and evidence)."""
    target.mkdir(parents=True, exist_ok=True)
    demo = bundled_demo()
    shutil.copy(demo / SETTINGS_FILE, target / SETTINGS_FILE)
    for folder in ("standards", "evidence"):
        shutil.copytree(demo / folder, target / folder, dirs_exist_ok=True)
    return target


def _write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# --- evidence ----------------------------------------------------------------


def _write_evidence(root: Path, framework: Framework, size: SynthSize, rng: random.Random) -> list[str]:
    by_type: dict[str, list[str]] = {}
    for _standard, indicator in framework.indicators():
        for kind in indicator.evidence.types:
            by_type.setdefault(kind, []).append(indicator.id)
    types = sorted(framework.evidence_types)
    block = random.Random(rng.random()).randbytes(BLOCK_BYTES)
    text_file = size.file_bytes < 64 * 1024
    items, scans = [], []
    for n in range(1, size.evidence + 1):
        evidence_id = f"E{n:05d}"
        kind = types[(n - 1) % len(types)]
        rel = f"files/{kind}/{evidence_id}-{kind.replace('_', '-')}.{'txt' if text_file else 'pdf'}"
        dated = ANCHOR - timedelta(days=rng.randrange(0, 700))
        roll = rng.random()
        status = "approved" if roll < 0.85 else "in_review" if roll < 0.9 else "draft" if roll < 0.95 else "superseded"
        body_size = max(256, int(size.file_bytes * rng.uniform(0.25, 1.75)))
        digest, scan = _write_file(root / "evidence" / rel, evidence_id, kind, body_size, block, text_file)
        scans += [scan] if scan else []
        targets = by_type.get(kind, [])
        links = [
            {"indicator": indicator, "locator": rng.choice(LOCATORS), "claim": f"shows how the service meets indicator {indicator}"}
            for indicator in sorted(rng.sample(targets, min(len(targets), rng.choice((1, 1, 2)))))
        ]
        item: dict = {
            "id": evidence_id,
            "title": f"{framework.evidence_types[kind]} number {n}",
            "type": kind,
            "file": rel,
            "owner": rng.choice(OWNERS),
            "dated": dated.isoformat(),
        }
        if rng.random() < 0.5:
            item["review_by"] = (dated + timedelta(days=730)).isoformat()
        item["status"] = status
        item["personal_data"] = "redacted" if rng.random() < 0.1 else "none"
        if status == "approved":
            item["sha256"] = digest
            item["approved_by"] = "coordinator"
            item["approved_on"] = min(ANCHOR, dated + timedelta(days=rng.randrange(1, 20))).isoformat()
        item["links"] = links
        items.append(item)
    _write(root, REGISTER_FILE, dump_yaml({"schema": "rsqm/register@1", "items": items}))
    if scans:  # scans cannot be read as text: a person has looked at each picture, by its hash, as the pre-flight asks
        _write(root, PRIVACY_REVIEW_FILE, dump_yaml({"schema": "rsqm/privacy-review@1", "accepted": [
            {"what": scan, "everywhere": True, "reviewed_by": "coordinator", "reviewed_on": ANCHOR.isoformat(),
             "why": "a synthetic scan of random pixels: nothing on it"} for scan in dict.fromkeys(scans)]}))
    return [item["id"] for item in items]


def _write_file(path: Path, evidence_id: str, kind: str, body_size: int, block: bytes, text: bool) -> tuple[str, str | None]:
    """Write one evidence file; return its SHA-256 and, for a scan, its picture's (the pixels: what the pre-flight names)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    digest, scan = hashlib.sha256(), hashlib.sha256()
    if text:
        lines = [f"Synthetic evidence document {evidence_id} ({kind}).", "Generated by rsqm synth for benchmarks; no real people."]
        filler = "The service keeps this record up to date and reviews it with the team. "
        body = "\n".join(lines) + "\n" + (filler * (body_size // len(filler) + 1))[:body_size] + "\n"
        data = body.encode()
        digest.update(data)
        path.write_bytes(data)
        return digest.hexdigest(), None
    offset = int(evidence_id[1:]) * 7919 % BLOCK_BYTES
    rows = max(1, body_size // SCAN_WIDTH)
    head, tail = _scan_pdf(evidence_id, rows)
    view = memoryview(block)
    with open(path, "wb") as handle:
        handle.write(head)
        digest.update(head)
        remaining = rows * SCAN_WIDTH
        while remaining:
            chunk = view[offset : offset + remaining]
            handle.write(chunk)
            digest.update(chunk)
            scan.update(chunk)
            remaining -= len(chunk)
            offset = 0
        handle.write(tail)
        digest.update(tail)
    return digest.hexdigest(), scan.hexdigest()


def _scan_pdf(evidence_id: str, rows: int) -> tuple[bytes, bytes]:
    """A one-page PDF around an uncompressed greyscale picture of ``rows`` rows: the bytes before and after its pixels.

    The evidence id sits in a comment line, so no two files are the same even where their pixels are."""
    pixels = rows * SCAN_WIDTH
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Scan 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length 31 >>\nstream\nq 595 0 0 842 0 0 cm /Scan Do Q\nendstream",
        f"<< /Type /XObject /Subtype /Image /Width {SCAN_WIDTH} /Height {rows} /ColorSpace /DeviceGray "
        f"/BitsPerComponent 8 /Length {pixels} >>\nstream\n".encode(),
        b"<< /Producer (rsqm synth) >>",
    ]
    head = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + f"% rsqm synthetic evidence {evidence_id}\n".encode())
    offsets = []
    for number, body in enumerate(objects[:5], start=1):
        offsets.append(len(head))
        head += f"{number} 0 obj\n".encode() + body + (b"" if number == 5 else b"\nendobj\n")
    tail = bytearray(b"\nendstream\nendobj\n")
    offsets.append(len(head) + pixels + len(tail))
    tail += b"6 0 obj\n" + objects[5] + b"\nendobj\n"
    xref = len(head) + pixels + len(tail)
    tail += b"xref\n0 7\n0000000000 65535 f \n" + b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    tail += f"trailer\n<< /Size 7 /Root 1 0 R /Info 6 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(head), bytes(tail)


# --- cases, samples, audits --------------------------------------------------


def _quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    first = date(year, 3 * quarter - 2, 1)
    last_month = 3 * quarter
    return first, date(year, last_month, calendar.monthrange(year, last_month)[1])


def _cases_csv(count: int, rng: random.Random, extra: random.Random) -> str:
    rows = []
    sequence: dict[int, int] = {}
    for n in range(count):
        open_case = rng.random() < 0.1
        if open_case:
            referred = ANCHOR - timedelta(days=rng.randrange(0, 120))
            closed = None
        else:
            first, last = _quarter_bounds(*QUARTERS[n % len(QUARTERS)])
            closed = first + timedelta(days=rng.randrange(0, (last - first).days + 1))
            referred = closed - timedelta(days=rng.randrange(20, 240))
        sequence[referred.year] = sequence.get(referred.year, 0) + 1
        ref = f"SYN-{referred.year}-{sequence[referred.year]:05d}"
        outcome = "" if open_case else rng.choice(OUTCOMES)
        rows.append(",".join([
            ref, referred.isoformat(), closed.isoformat() if closed else "", rng.choice(PROCESSES),
            rng.choice(OFFENCES), rng.choice(INITIATORS), f"P{rng.randrange(1, 61):02d}", outcome,
            (referred - timedelta(days=n % 4)).isoformat(),  # reported 0 to 3 days before the referral, drawing nothing
            *_contact_dates(referred, closed or ANCHOR, extra), "yes" if extra.random() < 0.2 else "no",
        ]))
    header = ",".join([CASES_HEADER, "reported_on", "first_contact_on", "rj_info_offered_on", "enhanced_rights"])
    return "\n".join([header, *rows]) + "\n"


def _contact_dates(referred: date, last: date, rng: random.Random) -> tuple[str, str]:
    """First contact and the offer of restorative justice: mostly within days of the referral, some late, some not yet."""
    contact = referred + timedelta(days=rng.choice((0, 1, 2, 3, 4, 6, 9, 15)))
    offered = contact + timedelta(days=rng.choice((0, 2, 5, 8, 12, 20)))
    return (contact.isoformat() if contact <= last else "", offered.isoformat() if offered <= last else "")


def _workforce_yaml(count: int, rng: random.Random) -> str:
    """Staff P01 onwards: paid and volunteer, most trained and registered, supervised every 7 to 13 weeks."""
    staff = []
    for n in range(1, count + 1):
        started = ANCHOR - timedelta(days=rng.randrange(200, 3000))
        level = rng.choice(["foundation", "intermediate", "advanced"])
        member: dict = {"code": f"P{n:02d}", "paid": rng.random() < 0.7, "started": started.isoformat()}
        member["training"] = {"level": level, "completed": (started + timedelta(days=rng.randrange(10, 120))).isoformat()}
        if rng.random() < 0.75:
            member["registration"] = {"level": level, "expires": (ANCHOR + timedelta(days=rng.randrange(-60, 700))).isoformat()}
        day, supervision = max(started, ANCHOR - timedelta(days=400)), []
        while (day := day + timedelta(days=rng.randrange(49, 90))) <= ANCHOR:
            supervision.append(day.isoformat())
        member["supervision"] = supervision
        member["observed_practice"] = [(ANCHOR - timedelta(days=rng.randrange(0, 420))).isoformat()]
        member["cpd"] = [{"date": (ANCHOR - timedelta(days=rng.randrange(0, 360))).isoformat(), "hours": rng.randrange(2, 9),
                          "rjc_approved": rng.random() < 0.6, "title": rng.choice(CPD_TITLES)} for _ in range(rng.randrange(1, 5))]
        staff.append(member)
    return dump_yaml({"schema": "rsqm/workforce@1", "staff": staff})


def _feedback_csv(count: int, rng: random.Random) -> str:
    rows = [f"F{n:06d},{(ANCHOR - timedelta(days=rng.randrange(0, 730))).isoformat()},{rng.choice(('harmed', 'responsible', 'other'))},"
            f"{rng.choice(PROCESSES)},{rng.choices(('yes', 'no', ''), (8, 1, 1))[0]}" for n in range(1, count + 1)]
    return "\n".join([f"response_id,received_on,party,process,{QUESTION}", *rows]) + "\n"


def _write_samples_and_audits(root: Path, checklist: Checklist, audits: int, rng: random.Random) -> None:
    cases, _, problems = parse_cases((root / CASES_FILE).read_text("utf-8"), CASES_FILE, DEFAULT_CASE_REF_PATTERN)
    if problems:
        raise SynthError(f"generated case list has problems: {problems[0]}")
    per_sample = [audits // len(QUARTERS) + (1 if i < audits % len(QUARTERS) else 0) for i in range(len(QUARTERS))]
    pass_rates = {item.id: rng.uniform(0.78, 0.98) for item in checklist.items}
    for index, ((year, quarter), size) in enumerate(zip(QUARTERS, per_sample, strict=True)):
        if size == 0:
            continue
        first, last = _quarter_bounds(year, quarter)
        drawn_on = last + timedelta(days=5)
        sample, _ = new_sample(
            cases, name=f"{year}-Q{quarter}", size=size, seed=rng.randrange(1, 10_000), strata=["process"],
            closed_from=first, closed_to=last, drawn_on=drawn_on, drawn_by="sup01",
            reason="quarterly case-file audit",
        )
        _write(root, f"{SAMPLES_DIR}/{sample.name}.yaml", dump_model(sample))
        latest = index == len(QUARTERS) - 1
        for case_ref in sample.cases:
            record = _audit(case_ref, sample.name, drawn_on, checklist, pass_rates, rng, blank=latest and rng.random() < 0.05)
            _write(root, f"{AUDITS_DIR}/{case_ref}.yaml", dump_yaml(record))


def _result(rate: float, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.05:
        return "n_a"
    return "met" if roll < rate else "partly_met" if roll < rate + (1 - rate) / 2 else "not_met"


def _audit(case_ref: str, sample: str, drawn_on: date, checklist: Checklist, rates: dict[str, float], rng: random.Random, blank: bool) -> dict:
    auditor = rng.choice(AUDITORS)
    record: dict = {"schema": "rsqm/audit@1", "case_ref": case_ref, "sample": sample, "auditor": auditor}
    if blank:
        record["answers"] = {item.id: {} for item in checklist.items}
        return record
    audited_on = min(ANCHOR, drawn_on + timedelta(days=rng.randrange(3, 25)))
    record["audited_on"] = audited_on.isoformat()
    answers = {}
    for item in checklist.items:
        answer = {"result": _result(rates[item.id], rng)}
        if rng.random() < 0.15:
            answer["note"] = rng.choice(NOTES)
        answers[item.id] = answer
    record["answers"] = answers
    concern = rng.random() < 0.02
    record["safeguarding_concern"] = concern
    if concern:
        record["safeguarding_note"] = "Concern about contact arrangements; referred to the safeguarding lead the same day."
    if rng.random() < 0.1:
        moderator = rng.choice([a for a in AUDITORS if a != auditor])
        checked = rng.sample([item.id for item in checklist.items], 6)
        second = {i: {"result": answers[i]["result"] if rng.random() < 0.85 else _result(0.5, rng)} for i in checked}
        agreed = {i: {"result": second[i]["result"], "note": "agreed at moderation"} for i in checked if second[i]["result"] != answers[i]["result"]}
        record["moderation"] = {
            "moderator": moderator,
            "moderated_on": min(ANCHOR, audited_on + timedelta(days=rng.randrange(1, 10))).isoformat(),
            "answers": second,
            "agreed": agreed,
        }
    return record


# --- narratives and actions --------------------------------------------------


def _write_narratives(root: Path, framework: Framework, ids: list[str], rng: random.Random) -> None:
    for _standard, indicator in framework.indicators():
        cited = ", ".join(sorted(rng.sample(ids, min(3, len(ids))))) if ids else "the register"
        text = (
            f"# {indicator.id} {indicator.title}\n\n"
            f"The service meets this indicator through its written arrangements and how they are used in practice "
            f"(see {cited}).\n\nThe practice lead reviews the arrangements every year and records what changed.\n"
        )
        _write(root, f"{NARRATIVES_DIR}/{indicator.id}.md", text)


def _write_actions(root: Path, framework: Framework, rng: random.Random) -> None:
    indicators = [indicator.id for _standard, indicator in framework.indicators()]
    actions = [
        {
            "id": f"A{n}",
            "title": f"Refresh the evidence for indicator {indicator}",
            "indicator": indicator,
            "owner": rng.choice(OWNERS),
            "due": (ANCHOR + timedelta(days=30 * n)).isoformat(),
            "status": rng.choice(["open", "in_progress", "done"]),
        }
        for n, indicator in enumerate(rng.sample(indicators, min(5, len(indicators))), start=1)
    ]
    _write(root, ACTIONS_FILE, dump_yaml({"schema": "rsqm/actions@1", "actions": actions}))
