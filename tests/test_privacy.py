"""The privacy pre-flight: what blocks an export, where it says it is, and how a reviewed false positive passes."""

from __future__ import annotations

import os

import pytest
import yaml

from builders import item
from pack_fixtures import docx_bytes, filled
from privacy_corpus import docx_author, docx_footer, docx_header, docx_nested_table, docx_with_screenshot, screenshot


@pytest.fixture
def full(ws):
    return filled(ws)


def check(cli, root, tmp_path):
    out = tmp_path / "pack.zip"
    result = cli("export", "-w", str(root), "--out", str(out))
    assert not out.exists()
    return result


def line_of(path, needle: str) -> int:
    return next(n for n, text in enumerate(path.read_text().splitlines(), 1) if needle in text)


def supervision_file(b, name: str, content: bytes) -> None:
    """E004 (linked, qualifying) held in ``files/<name>`` instead of its .docx."""
    registered = yaml.safe_load((b.root / "evidence/register.yaml").read_text())["items"]
    registered[3]["file"] = f"files/{name}"
    b.file(f"files/{name}", content)
    b.evidence(*registered)


def audit_file(b):
    return sorted((b.root / "evidence/audits").glob("*.yaml"))[0]


def test_personal_data_in_audit_notes_stays_in_the_service_and_does_not_block(cli, full, tmp_path):
    path = audit_file(full)
    data = yaml.safe_load(path.read_text()) | {"safeguarding_concern": True, "safeguarding_note": "DOB: 03/04/1990 noted"}
    data["answers"]["closed_properly"] = {"result": "n_a", "note": "rang the victim on 07700 900123"}
    full.write_yaml(f"evidence/audits/{path.name}", data)
    out = tmp_path / "pack.zip"
    result = cli("export", "-w", str(full.root), "--out", str(out))
    assert result.code == 0, result.err
    assert out.exists()


def test_a_name_from_the_pseudonymisation_key_in_a_narrative_blocks(cli, full, tmp_path):
    full.write("../private/key.csv", "case_ref,real_name,pseudonym\nRJ-2025-001,Ottilie Quenby,Person A\n")
    full.settings(pseudonymisation_key="../private/key.csv")
    full.write("evidence/narratives/B1.md", "Supervisors check risk.\nQuenby agreed to meet.\n")
    result = check(cli, full.root, tmp_path)
    assert result.code == 1
    assert "evidence/narratives/B1.md:2: error: participant's name 'Quenby'" in result.err
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
    line = line_of(ws.root / "evidence/register.yaml", "contains")
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
    assert "evidence/files/supervision.docx:1: error: E004: personal name 'Mr Thistlewood' in body (word/document.xml), line 2" in result.err
    assert "evidence/files/supervision.docx:1: error: E004: UK postcode 'SW1A 1AA' in body (word/document.xml), line 2" in result.err


def test_evidence_that_stays_out_of_the_pack_is_not_scanned(cli, full, tmp_path):
    full.file("files/draft.md", b"Contact jo.bloggs@example.net\n")  # E005 is a draft
    assert cli("export", "-w", str(full.root), "--check").code == 0


def test_a_narrative_is_scanned_as_it_is_rendered_lines_joined_and_emphasis_removed(cli, full, tmp_path):
    full.write("evidence/narratives/B1.md", "Supervisors check risk.\nWe met Mr\n**Thistlewood** on\n07700\n900123 at SW1A\n1AA.\n")
    result = check(cli, full.root, tmp_path)
    assert result.code == 1
    assert "evidence/narratives/B1.md:2: error: personal name 'Mr Thistlewood'" in result.err
    assert "evidence/narratives/B1.md:4: error: UK phone number '07700 900123'" in result.err
    assert "evidence/narratives/B1.md:5: error: UK postcode 'SW1A 1AA'" in result.err


@pytest.mark.parametrize(("build", "expected"), [
    (docx_header, "E004: personal name 'Mr Thistlewood' in header (word/header1.xml)"),
    (docx_footer, "E004: UK phone number '07700 900123' in footer (word/footer1.xml)"),
    (docx_author, "E004: document author 'Ottilie Quenby' in core properties (docProps/core.xml)"),
    (docx_nested_table, "E004: e-mail address 'jo.bloggs@example.net' in body (word/document.xml)"),
], ids=["header", "footer", "core properties author", "nested table"])
def test_personal_data_hidden_in_an_evidence_document_blocks(cli, full, tmp_path, build, expected):
    full.file("files/supervision.docx", build())
    result = check(cli, full.root, tmp_path)
    assert result.code == 1
    assert f"evidence/files/supervision.docx:1: error: {expected}" in result.err


def test_a_csv_evidence_file_is_scanned_with_its_line(cli, full, tmp_path):
    supervision_file(full, "supervision.csv", b"month,held\n2026-01,yes\n2026-02,yes (ring 07700 900123)\n")
    result = check(cli, full.root, tmp_path)
    assert result.code == 1
    assert "evidence/files/supervision.csv:3: error: E004: UK phone number '07700 900123'" in result.err


def test_an_action_owner_printed_in_the_document_blocks(cli, full, tmp_path):
    full.write_yaml("evidence/actions.yaml", {"schema": "rsqm/actions@1", "actions": [
        {"id": "A1", "title": "Review supervision", "owner": "Jane Doe", "due": "2026-05-01"}]})
    result = check(cli, full.root, tmp_path)
    assert result.code == 1
    line = line_of(full.root / "evidence/actions.yaml", "Jane Doe")
    assert f"evidence/actions.yaml:{line}: error: personal name 'Jane Doe'" in result.err


def test_who_owns_an_item_and_why_an_indicator_does_not_apply_are_scanned(cli, full, tmp_path):
    registered = yaml.safe_load((full.root / "evidence/register.yaml").read_text())["items"]
    registered[0]["owner"] = "Mrs McAllister"
    full.evidence(*registered)
    full.settings(not_applicable={"A2": "agreed with jo.bloggs@example.net"})
    result = check(cli, full.root, tmp_path)
    assert result.code == 1
    assert "evidence/register.yaml:" in result.err and "E001: personal name 'Mrs McAllister'" in result.err
    assert "rsqm.yaml:" in result.err and "e-mail address 'jo.bloggs@example.net'" in result.err


def test_text_only_the_rendered_document_holds_is_found_there(cli, full, tmp_path):
    framework = yaml.safe_load((full.root / "standards/test-fw.yaml").read_text())
    framework["standards"][0]["indicators"][0]["title"] = "Policy agreed with Mr Thistlewood"
    full.write_yaml("standards/test-fw.yaml", framework)
    result = check(cli, full.root, tmp_path)
    assert result.code == 1
    assert "submission.docx:1: error: personal name 'Mr Thistlewood' in body (word/document.xml), line" in result.err


def test_a_case_reference_in_a_narrative_blocks_in_any_case_or_separator(cli, full, tmp_path):
    full.write("evidence/narratives/B1.md", "As in rj/2025/004, risk is checked.\n")
    result = check(cli, full.root, tmp_path)
    assert result.code == 1
    assert "evidence/narratives/B1.md:1: error: case reference 'rj/2025/004'" in result.err


def test_the_services_public_contacts_and_national_helplines_do_not_block(cli, full, tmp_path):
    full.settings(public_contacts=["020 7946 0000", "hello@example-rj.org", "1 High Street, Exampletown EX1 1AA"])
    full.write("evidence/narratives/B1.md", "Call us on 020 7946 0000 or hello@example-rj.org; we are at EX1 1AA.\n"
               "Victim Support: 0808 168 9111. We meet on Ms Teams.\n")
    assert cli("export", "-w", str(full.root), "--check").code == 0


def test_a_file_type_without_an_extractor_is_refused_until_reviewed(cli, full, tmp_path):
    supervision_file(full, "supervision.doc", b"\xd0\xcf\x11\xe0 legacy Word")
    result = check(cli, full.root, tmp_path)
    assert result.code == 1
    what = "a .doc file, whose content rsqm cannot read"
    assert f"evidence/files/supervision.doc:1: error: E004: content that cannot be checked '{what}'" in result.err
    full.write_yaml("evidence/privacy-review.yaml", {"schema": "rsqm/privacy-review@1", "accepted": [
        {"what": what, "where": "E004", "reviewed_by": "coord", "reviewed_on": "2026-02-01", "why": "opened and read it"}]})
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


@pytest.mark.timeout(60)
def test_a_fifo_as_the_pseudonymisation_key_blocks_the_export_instead_of_hanging_it(cli, full, tmp_path):
    (full.root.parent / "private").mkdir(exist_ok=True)
    os.mkfifo(full.root.parent / "private" / "key.csv")
    full.settings(pseudonymisation_key="../private/key.csv")
    result = check(cli, full.root, tmp_path)
    assert result.code == 1
    assert "pseudonymisation key ../private/key.csv cannot be read (not a regular file" in result.err


def test_a_checksum_in_the_evidence_index_that_happens_to_be_all_digits_is_not_a_phone_number(cli, full, tmp_path):
    """About one file in a hundred has a SHA-256 whose first ten hex digits are all numbers, like 7413225501."""
    import hashlib
    import zipfile

    from rsqm.privacy.detectors import Detectors, scan_text

    def reads_as_a_phone(body: bytes) -> bool:
        start = hashlib.sha256(body).hexdigest()[:10]
        return start.isdigit() and any(f.kind == "UK phone number" for f in scan_text(start, Detectors()))

    body = next(b for n in range(1_000_000) if reads_as_a_phone(b := f"Supervision is held monthly ({n}).\n".encode()))
    supervision_file(full, "supervision.md", body)
    out = tmp_path / "pack.zip"
    result = cli("export", "-w", str(full.root), "--out", str(out))
    assert result.code == 0, result.text
    with zipfile.ZipFile(out) as pack:
        assert hashlib.sha256(body).hexdigest()[:10].encode() in zipfile.ZipFile(pack.open("submission.docx")).read("word/document.xml")


@pytest.mark.timeout(20)
def test_an_evidence_file_replaced_by_a_pipe_after_loading_is_refused_not_waited_on(ws):
    from rsqm.privacy.scan import scan
    from rsqm.workspace.load import load_workspace

    full = filled(ws)
    loaded = load_workspace(full.root)
    policy = full.root / "evidence/files/policy.md"
    policy.unlink()
    os.mkfifo(policy)  # nobody writes to it: a plain read would wait for ever
    problems = [str(p) for p in scan(loaded, ["E001"]).problems]
    assert any("E001: cannot read the file to check it: it is no longer the regular file" in p for p in problems), problems


def test_a_picture_to_review_is_read_again_from_its_file_and_only_while_the_file_still_holds_it(ws):
    from rsqm.privacy.scan import PICTURE, picture_of, scan
    from rsqm.workspace.load import load_workspace

    full = filled(ws)
    full.file("files/supervision.docx", docx_with_screenshot())
    loaded = load_workspace(full.root)
    [hit] = [hit for hit in scan(loaded, ["E004"]).reviewable if hit.kind == PICTURE]
    assert (hit.evidence_id, hit.place) == ("E004", "word/media/image1.png")
    assert picture_of(loaded, hit) == screenshot()  # the very bytes the person is asked to look at
    full.file("files/supervision.docx", docx_with_screenshot("red"))  # another picture in its place
    assert picture_of(loaded, hit) is None
