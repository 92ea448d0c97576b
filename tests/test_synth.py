"""Synthetic workspaces: valid, of the promised size, and the same from the same seed."""

from __future__ import annotations

import hashlib
import zipfile
from datetime import date
from pathlib import Path

from pypdf import PdfReader

from rsqm.assess.measures import workspace_measures
from rsqm.files.hashing import sha256_file
from rsqm.privacy.detectors import scan_text
from rsqm.synth import ANCHOR, SynthSize, generate
from rsqm.workspace.load import load_workspace

TINY = SynthSize(evidence=30, audits=40, cases=300, file_bytes=2_048)
BINARY = SynthSize(evidence=6, audits=16, cases=120, file_bytes=200_000)


def tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def test_size_m_is_a_valid_workspace_of_the_promised_size(tmp_path):
    ws = load_workspace(generate(tmp_path / "m", "M", seed=1))
    assert ws.valid, [str(p) for p in ws.errors]
    assert not ws.problems
    assert (len(ws.register.items), len(ws.audits), len(ws.cases)) == (300, 300, 2_000)
    assert len(ws.samples) == 8
    assert len(ws.narratives) == len(ws.framework.indicators())


def test_size_s_is_the_demo_workspace_and_validates(tmp_path):
    ws = load_workspace(generate(tmp_path / "s", "S"))
    assert ws.valid, [str(p) for p in ws.errors]
    assert ws.settings.service == "Example Restorative Service"


def test_same_seed_gives_identical_files_and_another_seed_does_not(tmp_path):
    first = tree_digest(generate(tmp_path / "a", TINY, seed=7))
    assert tree_digest(generate(tmp_path / "b", TINY, seed=7)) == first
    assert tree_digest(generate(tmp_path / "c", TINY, seed=8)) != first


def test_no_record_is_dated_after_the_anchor_so_it_validates_on_that_day(tmp_path):
    ws = load_workspace(generate(tmp_path / "w", TINY, seed=3), today=ANCHOR)
    assert ws.valid, [str(p) for p in ws.errors]
    assert max(item.dated for item in ws.register.items) <= ANCHOR
    assert max(a.audited_on or date.min for a in ws.audits.values()) <= ANCHOR


def test_large_files_differ_per_item_and_match_the_recorded_hashes(tmp_path):
    ws = load_workspace(generate(tmp_path / "w", BINARY, seed=2))
    assert ws.valid
    digests = {item.id: sha256_file(ws.files[item.id].path) for item in ws.register.items}
    assert len(set(digests.values())) == len(digests)
    for item in ws.register.items:
        assert ws.files[item.id].size > 40_000
        if item.sha256:
            assert item.sha256 == digests[item.id]


def test_large_files_are_scanned_pdfs_that_export_stored_and_verify(cli, tmp_path):
    root = generate(tmp_path / "w", BINARY, seed=2)
    ws = load_workspace(root)
    pdf = ws.files[ws.register.items[0].id].path
    assert pdf.suffix == ".pdf"
    reader = PdfReader(pdf, strict=True)
    assert len(reader.pages) == 1 and reader.pages[0].extract_text() == ""
    result = cli("export", "-w", str(root), "--out", str(tmp_path / "pack.zip"))
    assert result.code == 0, result.text
    with zipfile.ZipFile(tmp_path / "pack.zip") as pack:
        evidence = [info for info in pack.infolist() if info.filename.startswith("evidence/")]
    assert evidence and all(info.compress_type == zipfile.ZIP_STORED for info in evidence)
    assert cli("verify", str(tmp_path / "pack.zip")).code == 0


def test_scans_leave_only_because_a_person_reviewed_each_one(cli, tmp_path):
    root = generate(tmp_path / "w", BINARY, seed=2)
    (root / "evidence/privacy-review.yaml").unlink()
    result = cli("export", "-w", str(root), "--out", str(tmp_path / "pack.zip"))
    assert result.code == 1 and not (tmp_path / "pack.zip").exists()
    assert "picture nobody has reviewed, SHA-256" in result.err and "page 1 (no text layer: a scan?)" in result.err


def test_generated_text_has_nothing_the_privacy_scan_would_flag(tmp_path):
    root = generate(tmp_path / "w", TINY, seed=5)
    texts = [p for p in (root / "evidence").rglob("*") if p.suffix in {".txt", ".md", ".yaml", ".csv"}]
    assert texts
    findings = {str(p.relative_to(root)): scan_text(p.read_text("utf-8")) for p in texts}
    assert {rel: found for rel, found in findings.items() if found} == {}


def test_cli_writes_a_workspace_and_refuses_to_overwrite_one(cli, tmp_path):
    target = tmp_path / "w"
    result = cli("synth", str(target), "--size", "M", "--seed", "4")
    assert result.code == 0, result.text
    assert "size M" in result.out
    before = (target / "rsqm.yaml").read_bytes()
    again = cli("synth", str(target), "--size", "M")
    assert again.code == 1
    assert "already exists" in again.err
    assert (target / "rsqm.yaml").read_bytes() == before
    assert cli("validate", "-w", str(target)).code == 0


def test_cli_rejects_an_unknown_size(cli, tmp_path):
    result = cli("synth", str(tmp_path / "w"), "--size", "XXL")
    assert result.code == 2
    assert "invalid choice" in result.err
    assert not (tmp_path / "w").exists()


def test_a_workforce_and_feedback_give_every_measure_data(tmp_path):
    size = SynthSize(evidence=30, audits=40, cases=300, file_bytes=2_048, staff=60, feedback=200)
    ws = load_workspace(generate(tmp_path / "w", size, seed=4), today=ANCHOR)
    assert ws.valid and not ws.problems, [str(p) for p in ws.problems]
    assert len(ws.workforce.staff) == 60 and len(ws.feedback) == 200
    measured = workspace_measures(ws, ANCHOR)
    assert {m.result.measure for m in measured} >= {"registered_practitioners", "working_days", "feedback_share", "cpd_hours"}
    assert all(m.result.n > 0 for m in measured), [(m.result.measure, m.result.note) for m in measured]
