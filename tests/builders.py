"""Small workspaces built inside tests, so each rule is tested on data whose answer is known."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from rsqm.files.models import CASE_COLUMNS, OPTIONAL_CASE_COLUMNS

FRAMEWORK = {
    "schema": "rsqm/framework@1",
    "id": "test-fw",
    "title": "Test framework",
    "version": "1",
    "source": "built in the test suite",
    "evidence_types": {"policy": "Policy", "training_record": "Training record", "supervision_record": "Supervision"},
    "standards": [
        {
            "id": "A",
            "title": "Alpha",
            "indicators": [
                {"id": "A1", "title": "Policy in place", "evidence": {"types": ["policy"], "min_items": 1, "max_age_months": 12}},
                {
                    "id": "A2",
                    "title": "Trained staff",
                    "weight": 2,
                    "evidence": {"types": ["training_record"], "min_items": 2, "max_age_months": 24},
                },
            ],
        },
        {
            "id": "B",
            "title": "Bravo",
            "indicators": [
                {
                    "id": "B1",
                    "title": "Safe practice",
                    "critical": True,
                    "evidence": {"types": ["supervision_record"], "min_items": 1, "max_age_months": 12},
                    "audit_items": ["risk_checked"],
                },
            ],
        },
    ],
}

CHECKLIST = {
    "schema": "rsqm/checklist@1",
    "id": "test-checklist",
    "title": "Test checklist",
    "min_sample": 3,
    "items": [
        {"id": "risk_checked", "section": "Risk", "question": "Was risk checked?", "target": 0.8, "critical": True},
        {"id": "consent_recorded", "section": "Consent", "question": "Was consent recorded?", "target": 0.9},
        {"id": "closed_properly", "section": "Closure", "question": "Was the case closed properly?", "target": 0.5},
    ],
}


def dump(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


@dataclass
class WorkspaceBuilder:
    root: Path

    def write(self, rel: str, text: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def write_yaml(self, rel: str, data: Any) -> Path:
        return self.write(rel, dump(data))

    def settings(self, **overrides: Any) -> None:
        data = {
            "schema": "rsqm/workspace@1",
            "service": "Test Service",
            "framework": "test-fw",
            "checklist": "test-checklist",
            "assessment_date": "2026-06-30",
            "case_ref_pattern": r"^[A-Z]{2,5}-\d{4}-\d{3,5}$",
        } | overrides
        self.write_yaml("rsqm.yaml", data)

    def evidence(self, *items: dict[str, Any]) -> None:
        self.write_yaml("evidence/register.yaml", {"schema": "rsqm/register@1", "items": list(items)})

    def file(self, rel: str, content: bytes = b"evidence body\n") -> str:
        """Write evidence/<rel> and return its SHA-256."""
        self.write(f"evidence/{rel}", content)
        return hashlib.sha256(content).hexdigest()

    def cases(self, *rows: dict[str, Any]) -> None:
        """The case list; optional columns are written when a row gives them."""
        columns = [*CASE_COLUMNS, *(c for c in OPTIONAL_CASE_COLUMNS if any(c in row for row in rows))]
        lines = [",".join(columns)]
        lines += [",".join(str(row.get(c, "")) for c in columns) for row in rows]
        self.write("evidence/cases.csv", "\n".join(lines) + "\n")


def item(id: str = "E001", *, type: str = "policy", links: list | None = None, **fields: Any) -> dict[str, Any]:
    """An approved evidence item dated 2026-01-01 linked to A1, unless told otherwise."""
    return {
        "id": id,
        "title": f"Document {id}",
        "type": type,
        "file": f"files/{id}.pdf",
        "owner": "Service manager",
        "dated": "2026-01-01",
        "status": "approved",
        "personal_data": "none",
        "links": links if links is not None else [{"indicator": "A1", "locator": "p. 1", "claim": "shows it"}],
    } | fields


def case(ref: str, closed_on: str | date | None = "2025-11-15", **fields: Any) -> dict[str, Any]:
    return {
        "case_ref": ref,
        "referred_on": "2025-06-01",
        "closed_on": closed_on or "",
        "process": "letter",
        "offence_category": "theft",
        "initiator": "harmed_person",
        "practitioner": "P01",
        "outcome": "completed",
    } | fields


def build(root: Path, *, framework: dict | None = None, checklist: dict | None = None) -> WorkspaceBuilder:
    builder = WorkspaceBuilder(root)
    builder.settings()
    builder.write_yaml("standards/test-fw.yaml", framework or FRAMEWORK)
    builder.write_yaml("standards/test-checklist.yaml", checklist or CHECKLIST)
    builder.evidence()
    builder.cases()
    return builder
