"""rsqm export: what goes into the pack, what never does, and that the same input gives the same bytes."""

from __future__ import annotations

import fcntl
import hashlib
import io
import json
import re
import zipfile
from datetime import date

import docx
import pytest
import yaml

from pack_fixtures import filled
from rsqm.cli.export import Progress
from rsqm.pack.archive import Entry, write_zip, zip_time
from rsqm.pack.build import sweep_stale_temps


@pytest.fixture
def full(ws):
    return filled(ws)


def export(cli, root, out, *extra):
    return cli("export", "-w", str(root), "--out", str(out), *extra)


def test_export_writes_document_qualifying_evidence_and_manifest(cli, full, tmp_path):
    result = export(cli, full.root, tmp_path / "pack.zip")
    assert result.code == 0, result.text
    assert "4 evidence files" in result.out
    with zipfile.ZipFile(tmp_path / "pack.zip") as pack:
        names = pack.namelist()
        manifest = json.loads(pack.read("manifest.json"))
    assert names == sorted(names)
    assert names == [
        "crossref.xlsx",
        "evidence/E001-restorative-justice-policy-procedure.md",
        "evidence/E002-training-log.md",
        "evidence/E003-refresher-training.md",
        "evidence/E004-supervision-records.docx",
        "manifest.json",
        "submission.docx",
    ]
    assert manifest["schema"] == "rsqm/pack@1"
    assert manifest["service"] == "Test Service"
    assert manifest["as_of"] == "2026-06-30"
    assert manifest["framework"]["id"] == "test-fw" and len(manifest["framework"]["sha256"]) == 64
    assert [f["path"] for f in manifest["files"]] == [n for n in names if n != "manifest.json"]


def test_word_files_are_stored_as_they_are_and_text_is_compressed(cli, full, tmp_path):
    assert export(cli, full.root, tmp_path / "pack.zip").code == 0
    with zipfile.ZipFile(tmp_path / "pack.zip") as pack:
        methods = {info.filename: info.compress_type for info in pack.infolist()}
    stored = {"submission.docx", "crossref.xlsx", "evidence/E004-supervision-records.docx"}
    assert {name for name, method in methods.items() if method == zipfile.ZIP_STORED} == stored
    assert {name for name, method in methods.items() if method == zipfile.ZIP_DEFLATED} == set(methods) - stored
    assert cli("verify", str(tmp_path / "pack.zip")).code == 0


def test_unapproved_expired_and_unlinked_evidence_stay_out(cli, full, tmp_path):
    assert export(cli, full.root, tmp_path / "pack.zip").code == 0
    with zipfile.ZipFile(tmp_path / "pack.zip") as pack:
        names = " ".join(pack.namelist())
        document = docx.Document(io.BytesIO(pack.read("submission.docx")))
    for absent in ("E005", "E006", "E007"):
        assert absent not in names
    indexed = [row.cells[0].text for table in document.tables
               if table.rows[0].cells[1].text == "Title" for row in table.rows[1:]]
    assert set(indexed) == {"E001", "E002", "E003", "E004"}  # evidence index and approvals
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert not [b for b in bullets if b.startswith(("E005,", "E006,", "E007,"))]


def _document_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_document_cross_references_match_pack_file_names_and_holds_no_case_refs(cli, full, tmp_path):
    assert export(cli, full.root, tmp_path / "pack.zip").code == 0
    with zipfile.ZipFile(tmp_path / "pack.zip") as pack:
        text = _document_text(pack.read("submission.docx"))
    assert "E001 Restorative justice policy & procedure (2026 edition), section 4.2, p. 7 — offer made to every harmed person" in text
    assert "E001-restorative-justice-policy-procedure.md" in text
    assert "Self-assessment and evidence pack" in text
    assert "Cohen's kappa" in text
    assert "RJ-2025-" not in text  # no case references, only aggregates
    assert "risk form on file" not in text  # no audit notes


def test_two_exports_of_the_same_workspace_are_byte_identical(cli, full, tmp_path):
    assert export(cli, full.root, tmp_path / "one.zip").code == 0
    assert export(cli, full.root, tmp_path / "two.zip").code == 0
    assert (tmp_path / "one.zip").read_bytes() == (tmp_path / "two.zip").read_bytes()


def test_a_different_as_of_date_changes_the_pack(cli, full, tmp_path):
    assert export(cli, full.root, tmp_path / "one.zip").code == 0
    assert export(cli, full.root, tmp_path / "two.zip", "--as-of", "2026-06-01").code == 0
    with zipfile.ZipFile(tmp_path / "two.zip") as pack:
        assert json.loads(pack.read("manifest.json"))["as_of"] == "2026-06-01"
        assert pack.getinfo("submission.docx").date_time[:3] == (2026, 6, 1)


def test_check_lists_the_pack_without_writing(cli, full, tmp_path):
    result = export(cli, full.root, tmp_path / "pack.zip", "--check")
    assert result.code == 0
    assert "privacy pre-flight passed" in result.out
    assert "evidence/E004-supervision-records.docx" in result.out
    assert "evidence/E005" not in result.out
    assert not (tmp_path / "pack.zip").exists()


def test_blocked_export_names_where_and_writes_nothing(cli, full, tmp_path):
    full.write("evidence/narratives/A1.md", "Contact the coordinator at someone@example.org for details.\n")
    out = tmp_path / "pack.zip"
    result = export(cli, full.root, out)
    assert result.code == 1
    assert "evidence/narratives/A1.md:1: error: e-mail address 'someone@example.org'" in result.err
    assert "nothing was written" in result.err
    assert not out.exists()
    assert list(tmp_path.glob(".pack.zip.*")) == []


def test_blocked_export_leaves_an_existing_pack_untouched(cli, full, tmp_path):
    out = tmp_path / "pack.zip"
    out.write_bytes(b"previous pack")
    full.write("evidence/narratives/B1.md", "Call 020 7946 0123 to book.\n")
    assert export(cli, full.root, out, "--force").code == 1
    assert out.read_bytes() == b"previous pack"


def test_export_without_out_is_a_usage_error(cli, full):
    result = cli("export", "-w", str(full.root))
    assert result.code == 2
    assert "--out" in result.err


def test_export_into_a_missing_folder_is_a_usage_error(cli, full, tmp_path):
    result = export(cli, full.root, tmp_path / "nowhere" / "pack.zip")
    assert result.code == 2
    assert "does not exist" in result.err


def test_an_invalid_workspace_is_refused(cli, full, tmp_path):
    full.write("evidence/register.yaml", "schema: rsqm/register@1\nitems: [\n")
    result = export(cli, full.root, tmp_path / "pack.zip")
    assert result.code == 1
    assert "evidence/register.yaml" in result.err
    assert not (tmp_path / "pack.zip").exists()


def test_the_demo_workspace_exports_and_verifies(cli, demo_copy, tmp_path):
    out = tmp_path / "demo.zip"
    result = export(cli, demo_copy, out)
    assert result.code == 0, result.text
    verified = cli("verify", str(out))
    assert verified.code == 0
    with zipfile.ZipFile(out) as pack:
        evidence = [n for n in pack.namelist() if n.startswith("evidence/")]
    assert evidence and verified.out.splitlines()[0] == f"pack intact: {len(evidence) + 2} files verified"  # + document, crossref


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_a_bar_on_a_terminal_and_occasional_lines_otherwise():
    terminal, log = _Terminal(), io.StringIO()
    for stream in (terminal, log):
        progress = Progress("writing", 100, stream)
        for _ in range(10):
            progress.step(10)
    assert "\rwriting  [###############...............]  50%" in terminal.getvalue()
    assert terminal.getvalue().endswith("100%\n")
    assert log.getvalue().splitlines() == ["writing: 10%", "writing: 30%", "writing: 50%", "writing: 80%", "writing: 100%"]


def test_the_document_carries_the_outcomes_table_and_chart_without_a_case_ref(cli, demo_copy, tmp_path):
    result = export(cli, demo_copy, tmp_path / "pack.zip")
    assert result.code == 0, result.text
    with zipfile.ZipFile(tmp_path / "pack.zip") as pack:
        data = pack.read("submission.docx")
    document = docx.Document(io.BytesIO(data))
    assert "Outcomes and participants' feedback" in [p.text for p in document.paragraphs]
    # the year to the assessment (31 March 2027) is a part year: the demo's records end on 25 November 2026
    table = next(t for t in document.tables if [c.text for c in t.rows[0].cells][:2] == ["Measure", "To 25 Nov 2026"])
    assert "54 referrals in the 8 months to 25 November 2026, when the records end (a part period: not comparable with a whole one); " \
           "134 in the 12 months before." in [p.text for p in document.paragraphs]
    measures = [row.cells[0].text for row in table.rows[1:]]
    assert "Took up the offer" in measures and "Feedback: Did you feel safe taking part?" in measures
    assert len(document.inline_shapes) == 2  # readiness and outcomes charts
    assert "Figure 2. Outcome and feedback shares" in _document_text(data)
    assert not re.search(r"RJ-\d{4}-\d{4}", _document_text(data))


def test_export_prints_the_packs_own_sha256_to_send_separately(cli, full, tmp_path):
    out = tmp_path / "pack.zip"
    result = export(cli, full.root, out)
    assert f"pack SHA-256: {hashlib.sha256(out.read_bytes()).hexdigest()}" in result.out


def change_register(root, **status_by_id):
    path = root / "evidence/register.yaml"
    register = yaml.safe_load(path.read_text())
    for item in register["items"]:
        if item["id"] in status_by_id:
            item["status"] = status_by_id[item["id"]]
            item.setdefault("links", [{"indicator": "A1", "locator": "p. 1", "claim": "draft now approved"}])
            if not item["links"]:
                item["links"] = [{"indicator": "A1", "locator": "p. 1", "claim": "draft now approved"}]
    path.write_text(yaml.safe_dump(register, sort_keys=False))


def test_supersedes_records_the_old_packs_sha256_and_what_changed(cli, full, tmp_path):
    old = tmp_path / "v1.zip"
    assert export(cli, full.root, old).code == 0
    change_register(full.root, E004="rejected", E005="approved")
    new = tmp_path / "v2.zip"
    result = export(cli, full.root, new, "--supersedes", str(old))
    assert result.code == 0, result.text
    old_sha = hashlib.sha256(old.read_bytes()).hexdigest()
    assert f"supersedes v1.zip (SHA-256 {old_sha})" in result.out
    with zipfile.ZipFile(new) as pack:
        manifest = json.loads(pack.read("manifest.json"))
        document = docx.Document(io.BytesIO(pack.read("submission.docx")))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    record = manifest["supersedes"]
    assert record["sha256"] == old_sha and record["as_of"] == "2026-06-30"
    assert record["files"]["added"] == ["evidence/E005-draft-policy.md"]
    assert record["files"]["removed"] == ["evidence/E004-supervision-records.docx"]
    assert record["files"]["changed"] == ["crossref.xlsx", "submission.docx"]  # B1's status changed in both
    assert record["indicators"] == [{"id": "B1", "from": "met", "to": "partly_met"}]
    assert "Changes since the previous pack" in text and old_sha in text
    assert "E005-draft-policy.md" in text and "E004-supervision-records.docx" in text
    assert ["B1", "Met", "Partly met"] in cells
    assert cli("verify", str(new)).code == 0


def test_supersedes_refuses_a_pack_that_is_not_intact(cli, full, tmp_path):
    old = tmp_path / "v1.zip"
    assert export(cli, full.root, old).code == 0
    data = bytearray(old.read_bytes())
    data[40] ^= 1
    old.write_bytes(bytes(data))
    new = tmp_path / "v2.zip"
    result = export(cli, full.root, new, "--supersedes", str(old))
    assert result.code == 1
    assert "v1.zip is not an intact pack" in result.err
    assert not new.exists()


def test_a_partial_zip_left_by_a_killed_export_is_swept_by_the_next(cli, full, tmp_path):
    out = tmp_path / "pack.zip"
    leftover = tmp_path / ".pack.zip.k1ll3d.tmp"
    leftover.write_bytes(b"PK\x03\x04 half a pack")
    assert export(cli, full.root, out).code == 0
    assert not leftover.exists()
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []


def test_a_running_exports_temporary_file_is_not_swept(full, tmp_path):
    target = tmp_path / "pack.zip"
    running = tmp_path / ".pack.zip.running.tmp"
    with open(running, "wb") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        assert sweep_stale_temps(target) == []
        assert running.exists()


def test_supersedes_a_pack_from_before_statuses_were_recorded_compares_files_only(cli, full, tmp_path):
    old = tmp_path / "v1.zip"
    assert export(cli, full.root, old).code == 0
    with zipfile.ZipFile(old) as pack:
        entries = {info.filename: pack.read(info) for info in pack.infolist()}
    manifest = json.loads(entries["manifest.json"])
    del manifest["indicators"]
    entries["manifest.json"] = json.dumps(manifest).encode()
    older = tmp_path / "v0.zip"  # written in the one layout rsqm verify accepts, as export writes it
    write_zip(older, [Entry(name, data) for name, data in entries.items()], zip_time(date.fromisoformat(manifest["as_of"])))
    new = tmp_path / "v2.zip"
    assert export(cli, full.root, new, "--supersedes", str(older)).code == 0
    with zipfile.ZipFile(new) as pack:
        record = json.loads(pack.read("manifest.json"))["supersedes"]
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(pack.read("submission.docx"))).paragraphs)
    assert record["indicators"] is None and record["files"]["changed"] == ["submission.docx"]
    assert "did not record the status of each indicator" in text
