"""The submission document as a reader sees it: converted by LibreOffice, text checked, pages rendered."""

from __future__ import annotations

import subprocess
import zipfile

import pytest
from pypdf import PdfReader

from pack_fixtures import filled

pytestmark = pytest.mark.office


def test_submission_renders_with_contents_page_numbers_and_every_id(cli, ws, tmp_path, soffice, artifacts):
    filled(ws)
    pack = tmp_path / "pack.zip"
    assert cli("export", "-w", str(ws.root), "--out", str(pack)).code == 0
    with zipfile.ZipFile(pack) as archive:
        archive.extract("submission.docx", tmp_path)
        evidence_ids = sorted(n.split("/")[1].split("-")[0] for n in archive.namelist() if n.startswith("evidence/"))
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(tmp_path / "submission.docx")],
        check=True, capture_output=True, timeout=180,
    )
    reader = PdfReader(str(tmp_path / "submission.pdf"))
    pages = [page.extract_text() for page in reader.pages]
    text = "\n".join(pages)
    for needed in ["Test Service", "A1", "A2", "B1", *evidence_ids]:
        assert needed in text, needed
    assert evidence_ids == ["E001", "E002", "E003", "E004"]
    contents = next(page for page in pages if "Contents" in page)
    assert "Summary" in contents and "Readiness by standard" in contents and "Evidence index" in contents
    assert "?" not in contents  # every PAGEREF was filled with a page number
    assert f"Page 2 of {len(pages)}" in pages[1]
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(tmp_path / "submission.pdf"), str(artifacts / "submission")],
                   check=True, timeout=120)
    assert len(list(artifacts.glob("submission-*.png"))) >= len(pages)
