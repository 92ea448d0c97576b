"""rsqm privacy accept: a reviewed false positive recorded by command, with its scope, and honoured by the pre-flight.

The service's own name and its public contacts are never findings as a document's author.
"""

from __future__ import annotations

import hashlib

import pytest
import yaml

from builders import item
from pack_fixtures import filled
from privacy_corpus import SCAN_PIXELS, docx_author, docx_with_screenshot, pdf, screenshot, with_parts, xlsx_cell
from rsqm.workspace.store import read_change_log

REVIEW = "evidence/privacy-review.yaml"


@pytest.fixture
def flagged(ws):
    """A filled workspace whose supervision document (E004) names a person as its author."""
    full = filled(ws)
    full.file("files/supervision.docx", docx_author("Ottilie Quenby"))
    return full


def export_check(cli, root):
    return cli("export", "-w", str(root), "--check")


def test_the_finding_blocks_until_accepted_everywhere(cli, flagged):
    assert export_check(cli, flagged.root).code == 1
    result = cli("privacy", "accept", "Ottilie Quenby", "--reason", "the name of the policy's published author", "--everywhere",
                 "-w", str(flagged.root), "--by", "coord")
    assert result.code == 0, result.text
    assert "accepted 'Ottilie Quenby' everywhere" in result.out
    (entry,) = yaml.safe_load((flagged.root / REVIEW).read_text())["accepted"]
    assert (entry["what"], entry["everywhere"], entry["reviewed_by"]) == ("Ottilie Quenby", True, "coord")
    assert "where" not in entry
    assert read_change_log(flagged.root)[0].change == "privacy finding accepted"
    assert export_check(cli, flagged.root).code == 0


@pytest.mark.parametrize("where", ["evidence/files/supervision.docx", "E004", "evidence/files", "evidence/files/"])
def test_a_file_an_evidence_id_or_a_folder_is_a_scope(cli, flagged, where):
    result = cli("privacy", "accept", "Ottilie Quenby", "--reason", "published author", "--where", where, "-w", str(flagged.root))
    assert result.code == 0, result.text
    assert export_check(cli, flagged.root).code == 0


def test_a_scope_elsewhere_does_not_hide_the_finding(cli, flagged):
    assert cli("privacy", "accept", "Ottilie Quenby", "--reason", "published author", "--where", "evidence/narratives",
               "-w", str(flagged.root)).code == 0
    assert export_check(cli, flagged.root).code == 1


@pytest.mark.parametrize(("args", "code", "message"), [
    (["--reason", "x", "--where", "evidence/nowhere.docx"], 1, "no such file, folder or evidence id"),
    (["--reason", "x", "--where", "../outside"], 1, "name a file or folder inside the workspace"),
    (["--reason", "  ", "--everywhere"], 1, "--reason is empty"),
    (["--reason", "x"], 1, "say where the text is accepted: --where PATH or --everywhere"),
    (["--reason", "x", "--where", "E004", "--everywhere"], 2, "not allowed with argument"),
])
def test_refusals_write_nothing(cli, flagged, args, code, message):
    result = cli("privacy", "accept", "Ottilie Quenby", *args, "-w", str(flagged.root))
    assert result.code == code
    assert message in result.err
    assert not (flagged.root / REVIEW).exists()


def test_accepting_the_same_text_in_the_same_scope_twice_is_refused(cli, flagged):
    args = ("privacy", "accept", "Ottilie Quenby", "--reason", "published author", "--everywhere", "-w", str(flagged.root))
    assert cli(*args).code == 0
    again = cli(*args)
    assert again.code == 1 and "already accepted everywhere" in again.err


@pytest.mark.parametrize("author", ["Test Service", "Test Service Team", "TEST SERVICE"])
def test_the_services_own_name_is_never_a_finding_as_an_author(cli, flagged, author):
    flagged.file("files/supervision.docx", docx_author(author))
    result = export_check(cli, flagged.root)
    assert result.code == 0, result.err


def test_a_public_contact_is_never_a_finding_as_an_author(cli, flagged):
    flagged.settings(public_contacts=["Westshire Restorative Justice Hub"])
    flagged.file("files/supervision.docx", docx_author("Westshire Restorative Justice Hub"))
    assert export_check(cli, flagged.root).code == 0


def test_a_person_named_beside_the_service_is_still_a_finding(cli, flagged):
    flagged.file("files/supervision.docx", docx_author("Ottilie Quenby, Test Service"))
    assert export_check(cli, flagged.root).code == 1


# --- pictures: looked at once, accepted everywhere by their hash ------------------------------------------------------


SCREENSHOT = hashlib.sha256(screenshot()).hexdigest()


def add_document(ws, evidence_id: str, rel: str, data: bytes) -> None:
    """Another exported evidence file, linked to A1."""
    ws.file(rel, data)
    register = yaml.safe_load((ws.root / "evidence/register.yaml").read_text())
    ws.write_yaml("evidence/register.yaml", register | {"items": [*register["items"], item(evidence_id, file=rel)]})


@pytest.fixture
def pictured(ws):
    """A filled workspace whose supervision document (E004) holds a pasted screenshot."""
    full = filled(ws)
    full.file("files/supervision.docx", docx_with_screenshot())
    return full


def test_a_pasted_picture_is_refused_naming_the_file_the_part_and_its_hash(cli, pictured):
    result = export_check(cli, pictured.root)
    assert result.code == 1
    assert (f"evidence/files/supervision.docx:1: error: E004: picture nobody has reviewed, SHA-256 {SCREENSHOT} in word/media/image1.png"
            in result.err)
    assert f"rsqm privacy accept {SCREENSHOT} --reason R" in result.err


def test_a_picture_accepted_once_by_its_hash_passes_in_every_file_until_it_changes(cli, pictured):
    result = cli("privacy", "accept", SCREENSHOT, "--reason", "our logo, looked at", "-w", str(pictured.root), "--by", "coord")
    assert result.code == 0, result.text
    assert f"accepted the picture with SHA-256 {SCREENSHOT} everywhere" in result.out
    (entry,) = yaml.safe_load((pictured.root / REVIEW).read_text())["accepted"]
    assert (entry["what"], entry["everywhere"], entry["reviewed_by"]) == (SCREENSHOT, True, "coord")
    assert export_check(cli, pictured.root).code == 0
    add_document(pictured, "E008", "files/leaflet.docx", docx_with_screenshot())  # the same picture in a second document
    assert export_check(cli, pictured.root).code == 0
    pictured.file("files/leaflet.docx", docx_with_screenshot("red"))  # a changed picture is asked about again
    again = export_check(cli, pictured.root)
    changed = hashlib.sha256(screenshot("red")).hexdigest()
    assert again.code == 1 and f"evidence/files/leaflet.docx:1: error: E008: picture nobody has reviewed, SHA-256 {changed}" in again.err


@pytest.mark.parametrize(("rel", "data", "where"), [
    ("files/totals.xlsx", with_parts(xlsx_cell("Totals"), {"xl/media/image1.png": screenshot()}), "in xl/media/image1.png"),
    ("files/scan.pdf", pdf(picture=SCAN_PIXELS), "in page 1 (no text layer: a scan?)"),
], ids=["xlsx media", "pdf scanned page"])
def test_pictures_in_a_workbook_and_a_scanned_page_are_refused_by_their_hash(cli, ws, rel, data, where):
    add_document(filled(ws), "E008", rel, data)
    result = export_check(cli, ws.root)
    digest = hashlib.sha256(screenshot() if rel.endswith(".xlsx") else SCAN_PIXELS).hexdigest()
    assert result.code == 1 and f"evidence/{rel}:1: error: E008: picture nobody has reviewed, SHA-256 {digest} {where}" in result.err
    assert cli("privacy", "accept", digest, "--reason", "looked at: no one in it", "-w", str(ws.root)).code == 0
    assert export_check(cli, ws.root).code == 0


def test_a_picture_is_accepted_everywhere_not_in_one_file(cli, pictured):
    result = cli("privacy", "accept", SCREENSHOT, "--reason", "logo", "--where", "E004", "-w", str(pictured.root))
    assert result.code == 1 and "drop --where" in result.err
    assert not (pictured.root / REVIEW).exists()
