"""The privacy pre-flight: what blocks an export, where it says it is, and how a reviewed false positive passes."""

from __future__ import annotations

import pytest
import yaml

from builders import item
from pack_fixtures import docx_bytes, filled


@pytest.fixture
def full(ws):
    return filled(ws)


def check(cli, root, tmp_path):
    out = tmp_path / "pack.zip"
    result = cli("export", "-w", str(root), "--out", str(out))
    assert not out.exists()
    return result


def audit_file(b):
    return sorted((b.root / "evidence/audits").glob("*.yaml"))[0]


def test_an_email_address_in_an_audit_note_blocks_with_file_and_line(cli, full, tmp_path):
    path = audit_file(full)
    data = yaml.safe_load(path.read_text())
    data["answers"]["closed_properly"] = {"result": "n_a", "note": "spoke to victim via jo.bloggs@example.net"}
    full.write_yaml(f"evidence/audits/{path.name}", data)
    result = check(cli, full.root, tmp_path)
    assert result.code == 1
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "jo.bloggs" in text)
    assert f"evidence/audits/{path.name}:{line}: error: e-mail address 'jo.bloggs@example.net'" in result.err


def test_a_safeguarding_note_is_scanned(cli, full, tmp_path):
    path = audit_file(full)
    data = yaml.safe_load(path.read_text()) | {"safeguarding_concern": True, "safeguarding_note": "DOB: 03/04/1990 noted"}
    full.write_yaml(f"evidence/audits/{path.name}", data)
    result = check(cli, full.root, tmp_path)
    assert result.code == 1
    assert "date of birth 'DOB: 03/04/1990'" in result.err


def test_a_name_from_the_pseudonymisation_key_in_a_narrative_blocks(cli, full, tmp_path):
    full.write("../private/key.csv", "case_ref,real_name,pseudonym\nRJ-2025-001,Ottilie Quenby,Person A\n")
    full.settings(pseudonymisation_key="../private/key.csv")
    full.write("evidence/narratives/B1.md", "Supervisors check risk.\nQuenby agreed to meet.\n")
    result = check(cli, full.root, tmp_path)
    assert result.code == 1
    assert "evidence/narratives/B1.md:2: error: name from the pseudonymisation key 'Quenby'" in result.err
    assert "Person A" not in result.err  # pseudonyms are not names to look for


def test_an_unreadable_pseudonymisation_key_blocks_rather_than_skipping_names(cli, full, tmp_path):
    full.settings(pseudonymisation_key="../private/missing.csv")
    result = check(cli, full.root, tmp_path)
    assert result.code == 1
    assert "rsqm.yaml:" in result.err and "pseudonymisation key ../private/missing.csv cannot be read" in result.err


def test_a_linked_item_that_contains_personal_data_blocks_naming_the_register_line(cli, ws, tmp_path):
    ws.file("files/E001.pdf")
    ws.evidence(item("E001", personal_data="contains"))
    result = check(cli, ws.root, tmp_path)
    assert result.code == 1
    line = next(n for n, text in enumerate((ws.root / "evidence/register.yaml").read_text().splitlines(), 1) if "contains" in text)
    assert f"evidence/register.yaml:{line}: error: E001: marked 'personal_data: contains'" in result.err


def test_an_unlinked_item_with_personal_data_does_not_block(cli, full, tmp_path):
    registered = yaml.safe_load((full.root / "evidence/register.yaml").read_text())["items"]
    full.file("files/case-notes.md", b"jo.bloggs@example.net\n")
    full.evidence(*registered, item("E008", title="Case notes", file="files/case-notes.md", personal_data="contains", links=[]))
    result = cli("export", "-w", str(full.root), "--check")
    assert result.code == 0, result.err


def test_text_inside_an_evidence_document_is_scanned_with_its_paragraph(cli, full, tmp_path):
    full.file("files/supervision.docx", docx_bytes("Supervision is monthly.", "Write to Mr Thistlewood at SW1A 1AA."))
    result = check(cli, full.root, tmp_path)
    assert result.code == 1
    assert "evidence/files/supervision.docx: error: E004: personal name 'Mr Thistlewood' in body (word/document.xml), line 2" in result.err
    assert "evidence/files/supervision.docx: error: E004: UK postcode 'SW1A 1AA' in body (word/document.xml), line 2" in result.err


def test_evidence_that_stays_out_of_the_pack_is_not_scanned(cli, full, tmp_path):
    full.file("files/draft.md", b"Contact jo.bloggs@example.net\n")  # E005 is a draft
    assert cli("export", "-w", str(full.root), "--check").code == 0


def test_an_action_note_is_scanned(cli, full, tmp_path):
    full.write_yaml("evidence/actions.yaml", {"schema": "rsqm/actions@1", "actions": [
        {"id": "A1", "title": "Call back", "owner": "Coordinator", "note": "ring 07911 123456"}]})
    result = check(cli, full.root, tmp_path)
    assert result.code == 1
    assert "evidence/actions.yaml:" in result.err and "UK phone number '07911 123456'" in result.err


def test_a_reviewed_false_positive_is_accepted_only_where_it_was_reviewed(cli, full, tmp_path):
    full.write("evidence/narratives/A1.md", "Our office is at SW1A 1AA.\n")
    full.write("evidence/narratives/B1.md", "Supervision happens at SW1A 1AA too.\n")
    full.write_yaml("evidence/privacy-review.yaml", {"schema": "rsqm/privacy-review@1", "accepted": [
        {"what": "SW1A 1AA", "where": "evidence/narratives/A1.md", "reviewed_by": "coord",
         "reviewed_on": "2026-02-01", "why": "the service's own office address"}]})
    result = check(cli, full.root, tmp_path)
    assert result.code == 1
    assert "evidence/narratives/A1.md" not in result.err
    assert "evidence/narratives/B1.md:1: error: UK postcode 'SW1A 1AA'" in result.err


def test_a_reviewed_false_positive_in_an_evidence_file_is_accepted_by_evidence_id(cli, full, tmp_path):
    full.file("files/supervision.docx", docx_bytes("Held at our office, SW1A 1AA."))
    full.write_yaml("evidence/privacy-review.yaml", {"schema": "rsqm/privacy-review@1", "accepted": [
        {"what": "SW1A 1AA", "where": "E004", "reviewed_by": "coord", "reviewed_on": "2026-02-01", "why": "office"}]})
    assert cli("export", "-w", str(full.root), "--check").code == 0


def test_a_corrupt_evidence_document_blocks_because_it_cannot_be_checked(cli, full, tmp_path):
    full.file("files/supervision.docx", b"not a real docx")
    result = check(cli, full.root, tmp_path)
    assert result.code == 1
    assert "E004: cannot read the text to check it for personal data" in result.err
