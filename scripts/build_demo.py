"""Build the bundled demo workspace's evidence/ folder for "Example Restorative Service".

Everything is invented: no real service, place or person is named, and no file holds personal
data. Fixed seeds and document timestamps make two runs give byte-identical files.

    .venv/bin/python scripts/build_demo.py [TARGET]

The texts are data in scripts/demo_texts/: each document (documents/NN-FILE.md), the
register's entries, the narratives, the action plan, the workforce, the accreditation record,
the assessor's requests, the renewal notes and the auditors' notes. This script renders the
documents, draws the cases, samples and audits from fixed seeds, and writes it all.

TARGET is a workspace folder holding rsqm.yaml and standards/ (default: the repository
root). Only TARGET/evidence/ is removed and rewritten; nothing outside it is touched.
The generator writes files directly rather than through rsqm.workspace.store: it creates the demo
from nothing, so there is no edit to log.
"""

from __future__ import annotations

import hashlib
import io
import random
import shutil
import sys
import textwrap
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import docx
import yaml
from docx.enum.text import WD_BREAK

from rsqm.assess.workforce import workforce_yaml
from rsqm.audit.sampling import new_sample
from rsqm.base.workdays import add_working_days, elapsed_working_days
from rsqm.files.models import Accreditation, ActionPlan, Audit, Case, Checklist, Register, Requests, Sample, Workforce
from rsqm.files.yamlio import dump_yaml, load_yaml_text
from rsqm.imports.caselist import cases_csv

REPO = Path(__file__).resolve().parent.parent
SERVICE = "Example Restorative Service"
CHECKLIST_FILE = "standards/rj-case-file-audit.yaml"
FIXED_TIME = datetime(2026, 6, 1, 9, 0, 0)
TEXTS = Path(__file__).resolve().parent / "demo_texts"  # the documents, register, narratives and records, as written


def read_yaml(name: str) -> Any:
    return yaml.safe_load((TEXTS / name).read_text(encoding="utf-8"))


AUDIT_NOTES = read_yaml("audit-notes.yaml")  # "short": an item's note when it falls short, "met": now and then when met

# --- documents: a title, a line of document control, and pages of numbered sections ----------


@dataclass
class Section:
    heading: str
    paragraphs: list[str]  # a paragraph starting "- " is a bullet


@dataclass
class Doc:
    file: str  # name under evidence/files/
    title: str
    control: str  # version / approval line under the title
    pages: list[list[Section]] = field(default_factory=list)


def read_document(path: Path) -> Doc:
    """One document of demo_texts/documents/NN-FILE.md: '# ' title, the document control line, '## ' sections of
    one-line paragraphs, '---' between pages. NN keeps the documents in order; FILE is the name under evidence/files/."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line]
    doc = Doc(path.name.split("-", 1)[1].removesuffix(".md"), lines[0].removeprefix("# "), lines[1], [[]])
    for line in lines[2:]:
        if line == "---":
            doc.pages.append([])
        elif line.startswith("## "):
            doc.pages[-1].append(Section(line.removeprefix("## "), []))
        else:
            doc.pages[-1][-1].paragraphs.append(line)
    return doc


def documents() -> list[Doc]:
    """The service's evidence documents. Locators in the register point at these sections and pages."""
    return [read_document(path) for path in sorted((TEXTS / "documents").glob("*.md"))]


# --- writers -------------------------------------------------------------------------------


def docx_bytes(doc: Doc) -> bytes:
    """A .docx whose headings carry the section numbers and whose pages are split where the spec says."""
    document = docx.Document()
    props = document.core_properties
    props.author = SERVICE
    props.last_modified_by = SERVICE
    props.title = doc.title
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.last_printed = FIXED_TIME
    props.revision = 1
    document.add_heading(doc.title, level=0)
    document.add_paragraph().add_run(doc.control).italic = True
    for number, page in enumerate(doc.pages, start=1):
        if number > 1:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        for section in page:
            document.add_heading(section.heading, level=1)
            for text in section.paragraphs:
                if text.startswith("- "):
                    document.add_paragraph(text[2:], style="List Bullet")
                else:
                    document.add_paragraph(text)
        document.add_paragraph(f"{doc.title} - page {number} of {len(doc.pages)}").runs[0].font.size = docx.shared.Pt(8)
    raw = io.BytesIO()
    document.save(raw)
    return _fixed_zip(raw.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed entry timestamps so the same content gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def markdown_text(doc: Doc) -> str:
    lines = [f"# {doc.title}", "", f"*{doc.control}*", ""]
    for page in doc.pages:
        for section in page:
            lines += [f"## {section.heading}", ""]
            for text in section.paragraphs:
                lines += [text, ""] if not text.startswith("- ") else [text]
            if lines[-1] != "":
                lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


PAGE_W, PAGE_H, MARGIN = 595, 842, 60
WRAP = 88  # characters per 10 pt Helvetica line across the text width


def _pdf_escape(text: str) -> str:
    ascii_text = text.encode("ascii", "replace").decode("ascii")
    return ascii_text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _page_stream(doc: Doc, number: int, page: list[Section]) -> bytes:
    """The content stream of one PDF page: absolute-positioned Helvetica lines."""
    ops: list[str] = []
    y = PAGE_H - MARGIN

    def put(text: str, font: str, size: float, lead: float, indent: int = 0) -> None:
        nonlocal y
        ops.append(f"BT /{font} {size} Tf 1 0 0 1 {MARGIN + indent} {y} Tm ({_pdf_escape(text)}) Tj ET")
        y -= lead

    if number == 1:
        put(doc.title, "F2", 16, 24)
        for line in textwrap.wrap(doc.control, 100):
            put(line, "F1", 9, 12)
        y -= 10
    for section in page:
        y -= 6
        put(section.heading, "F2", 12, 18)
        for text in section.paragraphs:
            bullet = text.startswith("- ")
            wrapped = textwrap.wrap(text[2:] if bullet else text, WRAP - 4 if bullet else WRAP)
            for index, line in enumerate(wrapped):
                put(("- " if bullet and index == 0 else "") + line, "F1", 10, 14, 0 if (not bullet or index == 0) else 9)
            y -= 4
    if y < MARGIN + 20:
        raise ValueError(f"{doc.file}: page {number} overflows; split it in the spec")
    y = MARGIN - 20
    put(f"{SERVICE} - {doc.title} - page {number} of {len(doc.pages)}", "F1", 8, 0)
    return "\n".join(ops).encode("ascii")


def pdf_bytes(doc: Doc) -> bytes:
    """A small valid PDF (Helvetica, one content stream per page) written without a PDF library."""
    streams = [_page_stream(doc, number, page) for number, page in enumerate(doc.pages, start=1)]
    objects: list[bytes] = []
    count = len(doc.pages)
    page_ids = [5 + 2 * i for i in range(count)]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{' '.join(f'{p} 0 R' for p in page_ids)}] /Count {count} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
    for page_id, stream in zip(page_ids, streams, strict=True):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] "
            f"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {page_id + 1} 0 R >>".encode()
        )
        objects.append(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream")
    info_id = len(objects) + 1
    objects.append(f"<< /Title ({_pdf_escape(doc.title)}) /Author ({SERVICE}) /Producer (rsqm build_demo) >>".encode())

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {info_id} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def render(doc: Doc) -> bytes:
    if doc.file.endswith(".docx"):
        return docx_bytes(doc)
    if doc.file.endswith(".pdf"):
        return pdf_bytes(doc)
    return markdown_text(doc).encode("utf-8")


# --- the evidence register -------------------------------------------------------------------


APPROVERS = {"Service manager": "Management board", "Practice lead": "Service manager", "Training coordinator": "Service manager"}


def register_data(digests: dict[str, str]) -> dict:
    items = []
    for row in read_yaml("register.yaml"):
        entry: dict = {"id": row["id"], "title": row["title"], "type": row["type"], "file": f"files/{row['file']}",
                       "owner": row["owner"], "dated": row["dated"]}
        if row["review_by"]:
            entry["review_by"] = row["review_by"]
        entry |= {"status": row["status"], "personal_data": "none"}
        if row["status"] == "approved":
            approved_on = date.fromisoformat(row["dated"]) + timedelta(days=7)
            entry |= {"sha256": digests[row["file"]], "approved_by": APPROVERS[row["owner"]], "approved_on": approved_on.isoformat()}
        entry["links"] = row["links"]
        items.append(entry)
    data = {"schema": "rsqm/register@1", "items": items}
    Register.model_validate(data)
    return data


# --- cases -----------------------------------------------------------------------------------

PROCESSES = {"face_to_face": 40, "letter": 27, "shuttle": 23, "conference": 10}
OFFENCES = {
    "violence_against_person": 30, "burglary": 16, "criminal_damage": 12, "theft": 12, "robbery": 7,
    "public_order": 8, "hate_crime": 5, "domestic_abuse": 3, "sexual_offence": 2, "fraud": 4, "vehicle_crime": 3,
}
PRACTITIONERS = {f"P0{n}": w for n, w in zip(range(1, 10), (16, 15, 14, 13, 12, 10, 8, 7, 5), strict=True)}
NOT_COMPLETED = {"withdrawn_by_harmed": 17, "withdrawn_by_responsible": 14, "unsuitable": 13}


def pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def make_cases(rng: random.Random) -> list[Case]:
    """About 250 cases closed 2025-01-01..2026-11-20 plus a few still open, numbered by referral year."""
    first, last = date(2025, 1, 1), date(2026, 11, 20)
    rows = []
    for _ in range(250):
        closed = first + timedelta(days=rng.randrange((last - first).days + 1))
        rows.append((closed - timedelta(days=rng.randint(28, 170)), closed))
    for _ in range(8):
        rows.append((date(2026, 9, 1) + timedelta(days=rng.randrange(85)), None))
    rows.sort(key=lambda r: (r[0], r[1] or date.max))
    counters: dict[int, int] = {}
    cases = []
    for referred, closed in rows:
        counters[referred.year] = counters.get(referred.year, 0) + rng.randint(1, 3)  # gaps: referrals that never opened
        process = pick(rng, PROCESSES)
        offence = "domestic_abuse" if process == "conference" and rng.random() < 0.02 else pick(rng, OFFENCES)
        if closed is None:
            outcome = ""
        elif rng.random() < 0.56:
            outcome = "direct_meeting" if process in ("face_to_face", "conference") else "indirect_completed"
        else:
            outcome = pick(rng, NOT_COMPLETED)
        cases.append(
            Case(
                case_ref=f"RJ-{referred.year}-{counters[referred.year]:04d}",
                referred_on=referred,
                closed_on=closed,
                process=process,
                offence_category=offence,
                initiator="harmed_person" if rng.random() < 0.42 else "person_responsible",
                practitioner=pick(rng, PRACTITIONERS),
                outcome=outcome,
            )
        )
    return cases


SOURCES = {"police": 52, "victim_services": 16, "probation": 12, "youth_justice": 8, "self": 7, "prison": 5}
WENT_AHEAD = ("direct_meeting", "indirect_completed")


def with_case_outcomes(rng: random.Random, cases: list[Case]) -> list[Case]:
    """The optional columns a case-management system records: source, contact and offer dates, take-up, agreements.

    Most victims are contacted within a few working days (those with enhanced rights within one); a few waits run
    long. Withdrawn cases mostly accepted first; unsuitable ones have no answer recorded. Open cases referred in the
    last days of the demo are still waiting for first contact.
    """
    last = max(c.closed_on or c.referred_on for c in cases)  # the demo's "today": nothing is recorded after it
    done = []
    for case in cases:
        enhanced = rng.random() < 0.22
        wait = rng.choice((0, 1, 1, 2)) if enhanced and rng.random() < 0.85 else rng.choice((1, 1, 2, 2, 3, 3, 4, 5, 7, 9, 12))
        contact = add_working_days(case.referred_on, wait)
        if case.closed_on is None and contact > last:
            contact = None
        offered = contact and min(add_working_days(contact, rng.choice((0, 0, 0, 1, 2))), case.closed_on or last)
        if case.outcome in WENT_AHEAD:
            accepted, reached = True, rng.random() < 0.9
        elif case.outcome == "unsuitable":  # told about RJ, then assessed as not suitable
            accepted, reached = None, None
        elif case.outcome:
            accepted, reached = rng.random() < 0.6, False
        else:
            accepted, reached = (rng.random() < 0.8 if offered else None), None
        completed = (rng.random() < 0.82) if reached else None
        done.append(case.model_copy(update={
            "referral_source": pick(rng, SOURCES), "enhanced_rights": enhanced, "first_contact_on": contact,
            "rj_info_offered_on": offered, "offer_accepted": accepted, "agreement_reached": reached if accepted else None,
            "agreement_completed": completed if accepted else None,
        }))
    return done


def with_reported_dates(cases: list[Case]) -> list[Case]:
    """The day each crime was reported to the police: mostly 0 to 2 working days before the referral, now and then
    longer. Each case draws from its own seed (its reference), so adding the column moves no other draw."""
    done = []
    for case in cases:
        wait = random.Random(f"reported:{case.case_ref}").choice((0, 1, 1, 1, 2, 2, 2, 3, 4, 8))
        reported = case.referred_on
        while elapsed_working_days(reported, case.referred_on) < wait:
            reported -= timedelta(days=1)
        done.append(case.model_copy(update={"reported_on": reported}))
    return done


def with_information_dates(cases: list[Case]) -> list[Case]:
    """The day each victim was first given information about restorative justice (Victims' Code Right 3: the police's
    duty, due within 5 working days of the crime being reported, 1 with enhanced rights), as the referral records
    give it: mostly by the police within a few working days of the report, now and then late; where the police gave
    none, the service's own offer. Its own seed per case, as the reported dates, so no other draw moves."""
    done = []
    for case in cases:
        rng = random.Random(f"informed:{case.case_ref}")
        if case.rj_info_offered_on is None or case.reported_on is None or rng.random() >= 0.88:
            done.append(case)
            continue
        wait = rng.choice((0, 0, 0, 1, 1, 2) if case.enhanced_rights else (0, 0, 1, 1, 2, 2, 3, 4, 7))
        told = min(add_working_days(case.reported_on, wait), case.rj_info_offered_on)
        done.append(case.model_copy(update={"rj_info_offered_on": told}))
    return done


EQUALITY_WEIGHTS = {
    "age_band": {"under_18": 8, "18_24": 14, "25_44": 34, "45_64": 28, "65_plus": 10, "not_known": 6},
    "sex": {"female": 52, "male": 44, "other": 1, "not_known": 3},
    "ethnic_group": {"white": 78, "asian": 8, "black": 4, "mixed": 3, "other": 2, "not_known": 5},
    "disability": {"yes": 18, "no": 72, "not_known": 10},
}


def with_equality(cases: list[Case]) -> list[Case]:
    """Equality monitoring of the person harmed: invented categories, some groups small enough to be suppressed.
    Each case draws from its own seed (its reference), so adding the columns moves no other draw."""
    done = []
    for case in cases:
        rng = random.Random(f"equality:{case.case_ref}")
        done.append(case.model_copy(update={column: pick(rng, weights) for column, weights in EQUALITY_WEIGHTS.items()}))
    return done


FEEDBACK_QUESTIONS = ("kept_informed", "felt_prepared", "felt_safe", "satisfied", "would_recommend")
FEEDBACK_YES = {"kept_informed": 0.83, "felt_prepared": 0.88, "felt_safe": 0.95, "satisfied": 0.84, "would_recommend": 0.86}


def make_feedback(rng: random.Random, cases: list[Case]) -> str:
    """Anonymous yes/no feedback forms from participants of cases that went ahead, a few weeks after closing."""
    lines = [",".join(("response_id", "received_on", "party", "process", *FEEDBACK_QUESTIONS))]
    last = max(c.closed_on or c.referred_on for c in cases)  # no form arrives after the demo's last date
    forms = []
    for case in cases:
        if case.outcome not in WENT_AHEAD:
            continue
        for party in ("harmed", "responsible"):
            if rng.random() < 0.45:
                received = case.closed_on + timedelta(days=rng.randint(7, 40))
                if received <= last:
                    answers = ["" if rng.random() < 0.05 else ("yes" if rng.random() < FEEDBACK_YES[q] else "no") for q in FEEDBACK_QUESTIONS]
                    forms.append((received, party, case.process, answers))
    forms.sort(key=lambda f: f[0])
    for number, (received, party, process, answers) in enumerate(forms, start=1):
        lines.append(",".join((f"F{number:04d}", received.isoformat(), party, process, *answers)))
    return "\n".join(lines) + "\n"


# --- audits ----------------------------------------------------------------------------------

SAMPLES = [
    {"name": "2026-H1", "size": 20, "seed": 2025, "closed_from": date(2026, 1, 1), "closed_to": date(2026, 6, 30),
     "drawn_on": date(2026, 7, 12), "drawn_by": "supervisor1",
     "reason": "Half-yearly case-file audit of cases closed January to June 2026."},
    {"name": "2026-Q3", "size": 15, "seed": 2026, "closed_from": date(2026, 7, 1), "closed_to": date(2026, 9, 30),
     "drawn_on": date(2026, 10, 8), "drawn_by": "supervisor2",
     "reason": "Quarterly case-file audit of cases closed July to September 2026."},
]
AUDITORS = ("supervisor1", "supervisor3")
MODERATOR = "supervisor2"

# Share of applicable answers that fall short, per checklist item; the rest are met.
SHORTFALL = {
    "first_contact_within_target": 0.14, "information_given_before_agreement": 0.06,
    "suitability_assessed_and_recorded": 0.03, "responsibility_acknowledged": 0.06,
    "risk_assessed_before_contact": 0.03, "risk_reviewed_before_meeting": 0.0,
    "safeguarding_concerns_acted_on": 0.0,  # the one shortfall is the audit that raised a concern
    "written_consent_obtained": 0.03, "consent_to_information_sharing": 0.07, "both_parties_prepared": 0.07,
    "support_and_access_needs_arranged": 0.1, "process_choice_recorded": 0.1, "facilitated_by_trained_practitioner": 0.0,
    "session_record_completed": 0.1, "outcome_agreement_recorded": 0.08, "outcome_agreement_monitored": 0.07,
    "harmed_person_told_of_completion": 0.08, "follow_up_and_feedback_sought": 0.4, "case_closed_with_reason": 0.06,
    "case_discussed_in_supervision": 0.1, "manager_signoff_at_key_decisions": 0.06, "records_accurate_and_secure": 0.1,
}

# Round by round, where practice changed: supervision discussion before closure improved after the
# 2026-H1 audit (a real improvement); recording closure reasons slipped in 2026-Q3 (a real decline).
ROUND_SHORTFALL = {
    "2026-H1": {"case_discussed_in_supervision": 0.45},
    "2026-Q3": {"case_discussed_in_supervision": 0.0, "case_closed_with_reason": 0.47},
}

def applicable(item: str, case: Case, flags: dict[str, bool]) -> bool:
    """Whether a checklist item applies to a case file, from its outcome and process."""
    completed = case.outcome in ("direct_meeting", "indirect_completed")
    proceeded = case.outcome != "unsuitable"
    rules = {
        "risk_reviewed_before_meeting": proceeded and case.process != "letter",
        "safeguarding_concerns_acted_on": flags["vulnerability"],
        "written_consent_obtained": proceeded,
        "consent_to_information_sharing": proceeded,
        "both_parties_prepared": proceeded,
        "support_and_access_needs_arranged": flags["support_needs"],
        "process_choice_recorded": proceeded,
        "facilitated_by_trained_practitioner": completed,
        "session_record_completed": completed,
        "outcome_agreement_recorded": completed and flags["agreement"],
        "outcome_agreement_monitored": completed and flags["agreement"],
        "harmed_person_told_of_completion": completed and flags["agreement"],
        "follow_up_and_feedback_sought": proceeded,
    }
    return rules.get(item, True)


def plan_answers(rng: random.Random, cases: list[Case], items: list[str], concern: str,
                 shortfall: dict[str, float]) -> dict[str, dict[str, str]]:
    """The final (agreed) result of every item for every case of one round, with the shortfalls spread at random."""
    flags = {c.case_ref: {"vulnerability": rng.random() < 0.35 or c.case_ref == concern,
                          "support_needs": rng.random() < 0.45, "agreement": rng.random() < 0.85} for c in cases}
    plan: dict[str, dict[str, str]] = {c.case_ref: {} for c in cases}
    for item in items:
        refs = [c.case_ref for c in cases if applicable(item, c, flags[c.case_ref])]
        misses = set(rng.sample(refs, round(shortfall[item] * len(refs))))
        for case in cases:
            ref = case.case_ref
            if ref not in refs:
                plan[ref][item] = "n_a"
            elif item == "safeguarding_concerns_acted_on" and ref == concern:
                plan[ref][item] = "not_met"
            elif ref in misses:
                plan[ref][item] = "not_met" if rng.random() < 0.3 else "partly_met"
            else:
                plan[ref][item] = "met"
    return plan


def answer(item: str, result: str, rng: random.Random) -> dict[str, str]:
    if result in ("partly_met", "not_met"):
        return {"result": result, "note": AUDIT_NOTES["short"][item]}
    if result == "met" and item in AUDIT_NOTES["met"] and rng.random() < 0.25:
        return {"result": result, "note": AUDIT_NOTES["met"][item]}
    return {"result": result}


NEIGHBOUR = {"met": "partly_met", "partly_met": "met", "not_met": "partly_met"}


def make_audits(rng: random.Random, cases: list[Case], samples: list[Sample], items: list[str]) -> list[dict]:
    by_ref = {c.case_ref: c for c in cases}
    audited = [(sample, by_ref[ref]) for sample in samples for ref in sample.cases]
    late = [c for smp, c in audited if smp.name == "2026-Q3" and c.outcome in ("direct_meeting", "indirect_completed")]
    concern = rng.choice(late).case_ref
    plan: dict[str, dict[str, str]] = {}
    for sample in samples:  # each round planned on its own, so a round's shortfall is exact
        plan |= plan_answers(rng, [by_ref[ref] for ref in sample.cases], items, concern,
                             SHORTFALL | ROUND_SHORTFALL.get(sample.name, {}))
    moderated = set(rng.sample(range(len(audited)), 7))
    records = []
    for index, (sample, case) in enumerate(audited):
        position = sample.cases.index(case.case_ref)
        audited_on = sample.drawn_on + timedelta(days=3 + position * 2)
        final = {item: answer(item, plan[case.case_ref][item], rng) for item in items}
        record: dict = {
            "schema": "rsqm/audit@1", "case_ref": case.case_ref, "sample": sample.name,
            "auditor": AUDITORS[position % 2], "audited_on": audited_on.isoformat(),
            "answers": {item: dict(given) for item, given in final.items()},  # copies: no YAML anchors
            "safeguarding_concern": case.case_ref == concern,
        }
        if case.case_ref == concern:
            record["safeguarding_note"] = (
                "A disclosure about a vulnerable adult in the household is recorded at the second preparation session, "
                "but the file does not show it was passed to the designated safeguarding lead. Raised with the "
                "practice lead on the day of the audit for immediate follow-up."
            )
        if index in moderated:
            moderator = {item: dict(given) for item, given in final.items()}
            agreed = {}
            candidates = [i for i in items if plan[case.case_ref][i] != "n_a"]
            for item in rng.sample(candidates, rng.choice((0, 1, 1, 2))):
                other = {"result": NEIGHBOUR[final[item]["result"]]}
                if rng.random() < 0.5:
                    record["answers"][item] = other  # the first marker differed; moderation corrected it
                else:
                    moderator[item] = other  # the moderator differed; the first marking stood
                agreed[item] = {**final[item], "note": final[item].get("note", "Agreed at moderation after discussing the file.")}
            record["moderation"] = {
                "moderator": MODERATOR,
                "moderated_on": (audited_on + timedelta(days=rng.randint(4, 12))).isoformat(),
                "answers": moderator,
                "agreed": agreed,
            }
        Audit.model_validate(record)
        records.append(record)
    return records


# --- build -----------------------------------------------------------------------------------


def write(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8", newline="\n")


def load_checklist(root: Path) -> Checklist:
    return Checklist.model_validate(load_yaml_text((root / CHECKLIST_FILE).read_text(encoding="utf-8"), CHECKLIST_FILE).data)


def build(root: Path) -> None:
    evidence = root / "evidence"
    if evidence.exists():
        shutil.rmtree(evidence)
    digests = {}
    for doc in documents():
        data = render(doc)
        write(evidence / "files" / doc.file, data)
        digests[doc.file] = hashlib.sha256(data).hexdigest()
    write(evidence / "register.yaml", dump_yaml(register_data(digests)))

    cases = make_cases(random.Random(20240701))
    recorded = with_reported_dates(with_case_outcomes(random.Random(20260601), cases))
    write(evidence / "cases.csv", cases_csv(with_equality(with_information_dates(recorded))))
    write(evidence / "feedback.csv", make_feedback(random.Random(20260602), cases))
    samples = []
    for spec in SAMPLES:
        sample, _ = new_sample(cases, strata=["process"], **spec)
        samples.append(sample)
        write(evidence / "samples" / f"{sample.name}.yaml", dump_yaml(sample.model_dump(mode="json", by_alias=True)))

    items = [item.id for item in load_checklist(root).items]
    for record in make_audits(random.Random(2026), cases, samples, items):
        write(evidence / "audits" / f"{record['case_ref']}.yaml", dump_yaml(record))
    for narrative in sorted((TEXTS / "narratives").glob("*.md")):
        write(evidence / "narratives" / narrative.name, narrative.read_text(encoding="utf-8"))
    actions = {"schema": "rsqm/actions@1", "actions": read_yaml("actions.yaml")}
    ActionPlan.model_validate(actions)
    write(evidence / "actions.yaml", dump_yaml(actions))
    write(evidence / "workforce.yaml", workforce_yaml_text())
    lifecycle_files(evidence)


def workforce_yaml_text() -> str:
    """evidence/workforce.yaml: the case list's staff codes, a volunteer in the first year, a leaver and an administrator.

    As the register stands in late November 2026: P04's registration lapsed on 31 August (one later case was
    facilitated without it), P05's last supervision was on 12 August, P08 is an unregistered volunteer whose
    observed practice is overdue, P03 is two CPD hours short, P06's supervision falls due before Christmas,
    P10 started in March 2026, P11 left in June, A01 does not deliver restorative justice.
    """
    return workforce_yaml(Workforce.model_validate({"schema": "rsqm/workforce@1", "staff": read_yaml("workforce-staff.yaml")}))


# --- the accreditation lifecycle: the last award, renewals, the assessor's requests ----------------

def lifecycle_files(evidence: Path) -> None:
    """The last award with its condition, renewals coming up, the assessor's requests, this year's renewal notes."""
    accreditation, requests = read_yaml("accreditation.yaml"), read_yaml("requests.yaml")
    Accreditation.model_validate(accreditation)
    Requests.model_validate(requests)
    write(evidence / "accreditation.yaml", dump_yaml(accreditation))
    write(evidence / "requests.yaml", dump_yaml(requests))
    write(evidence / "renewal" / "2026.md", (TEXTS / "renewal-2026.md").read_text(encoding="utf-8"))


def main(argv: Iterable[str]) -> int:
    args = list(argv)
    root = Path(args[0]) if args else REPO
    if not (root / "rsqm.yaml").is_file() or not (root / CHECKLIST_FILE).is_file():
        print(f"{root} is not a workspace with rsqm.yaml and {CHECKLIST_FILE}", file=sys.stderr)
        return 2
    build(root)
    print(f"demo evidence written to {root / 'evidence'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
