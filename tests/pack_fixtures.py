"""A small but complete workspace for the pack tests: evidence of every kind, narratives, a sample, audits."""

from __future__ import annotations

import io
from datetime import date

import docx

from builders import WorkspaceBuilder, case, dump, item
from rsqm.audit.sampling import new_sample
from rsqm.files.models import Case


def docx_bytes(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def filled(b: WorkspaceBuilder) -> WorkspaceBuilder:
    """Qualifying E001-E004; E005 draft, E006 expired, E007 unlinked (none of those three may be exported)."""
    b.file("files/policy.md", b"# Policy\nWe offer restorative justice to everyone harmed.\n")
    b.file("files/training-1.md", b"Training log: all practitioners trained.\n")
    b.file("files/training-2.md", b"Refresher training completed.\n")
    b.file("files/supervision.docx", docx_bytes("Supervision is held monthly.", "Risk is reviewed each session."))
    b.file("files/draft.md", b"draft text\n")
    b.file("files/old.md", b"old training\n")
    b.file("files/spare.md", b"spare\n")
    b.evidence(
        item("E001", title="Restorative justice policy & procedure (2026 edition)", file="files/policy.md",
             links=[{"indicator": "A1", "locator": "section 4.2, p. 7", "claim": "offer made to every harmed person"}],
             approved_by="Service manager", approved_on="2026-01-02"),
        item("E002", type="training_record", title="Training log", file="files/training-1.md",
             links=[{"indicator": "A2", "locator": "p. 1", "claim": "all practitioners trained"}]),
        item("E003", type="training_record", title="Refresher training", file="files/training-2.md",
             links=[{"indicator": "A2", "locator": "p. 2", "claim": "refresher completed"}]),
        item("E004", type="supervision_record", title="Supervision records", file="files/supervision.docx",
             links=[{"indicator": "B1", "locator": "p. 2", "claim": "monthly supervision"}]),
        item("E005", title="Draft policy", file="files/draft.md", status="draft"),
        item("E006", type="training_record", title="Old training", file="files/old.md", dated="2023-01-01",
             links=[{"indicator": "A2", "locator": "p. 1", "claim": "old"}]),
        item("E007", title="Spare policy", file="files/spare.md", links=[]),
    )
    b.write("evidence/narratives/A1.md", "# How we meet it\nOur policy sets out the offer.\n\n- reviewed yearly\n- **signed off** by the board\n")
    b.write("evidence/narratives/B1.md", "Supervisors check risk in every case.\n")
    rows = [case(f"RJ-2025-{n:03d}", process="letter" if n % 2 else "conference") for n in range(1, 13)]
    b.cases(*rows)
    cases = [Case.model_validate(r) for r in rows]
    sample, _ = new_sample(cases, name="2025-Q4", size=4, seed=7, strata=["process"], closed_from=date(2025, 10, 1),
                           closed_to=date(2025, 12, 31), drawn_on=date(2026, 1, 5), drawn_by="sup1")
    b.write("evidence/samples/2025-Q4.yaml", dump(sample.model_dump(mode="json", by_alias=True, exclude_none=True)))
    for number, ref in enumerate(sample.cases):
        audit = {
            "schema": "rsqm/audit@1", "case_ref": ref, "sample": "2025-Q4", "auditor": "sup1", "audited_on": "2026-01-20",
            "answers": {"risk_checked": {"result": "met", "note": "risk form on file"},
                        "consent_recorded": {"result": "met" if number else "not_met"},
                        "closed_properly": {"result": "n_a"}},
        }
        if number == 0:
            audit["moderation"] = {"moderator": "sup2", "moderated_on": "2026-01-27",
                                   "answers": {"risk_checked": {"result": "met"}, "consent_recorded": {"result": "met"}},
                                   "agreed": {"consent_recorded": {"result": "met", "note": "found later"}}}
        b.write_yaml(f"evidence/audits/{ref}.yaml", audit)
    b.write_yaml("evidence/actions.yaml", {"schema": "rsqm/actions@1", "actions": [
        {"id": "A1", "title": "Write the A2 narrative", "indicator": "A2", "owner": "Coordinator", "due": "2026-05-01"}]})
    return b
