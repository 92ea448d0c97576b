"""The sources appendix: each assessed framework's source, version and every caveat its pack records."""

from __future__ import annotations

import io
import zipfile

import docx

from builders import CHECKLIST, FRAMEWORK
from pack_fixtures import filled

SOURCE = ("Test Council, Test Standards (2024), as published. Unverified: the evidence each standard expects is "
          "our reading. Titles are the rsqm project's own words, not Test Council text.")


def appendix(cli, root, out) -> list[str]:
    assert cli("export", "-w", str(root), "--out", str(out), "--as-of", "2026-06-30").code == 0
    with zipfile.ZipFile(out) as pack:
        lines = [p.text for p in docx.Document(io.BytesIO(pack.read("submission.docx"))).paragraphs]
    start = lines.index("Sources of the frameworks")
    return lines[start:lines.index("Data protection statement", start)]


def test_each_framework_gives_its_source_version_and_every_caveat_its_pack_records(cli, ws, tmp_path):
    ws.write_yaml("standards/test-fw.yaml", {**FRAMEWORK, "version": "2024.1", "source": SOURCE})
    ws.write_yaml("standards/second-fw.yaml", {**FRAMEWORK, "id": "second-fw", "title": "Second framework",
                                                "source": "Second Body, Second Code."})
    ws.settings(frameworks=["second-fw"])
    lines = appendix(cli, filled(ws).root, tmp_path / "p.zip")
    main = lines[lines.index("Test framework"):lines.index("Second framework")]
    assert "Version: 2024.1" in main
    assert "We followed: Test Council, Test Standards (2024), as published." in main
    assert "Unverified: the evidence each standard expects is the pack's reading." in main
    assert "Titles are the wording of the standards pack the service used, not Test Council text." in main
    second = lines[lines.index("Second framework"):]
    assert "We followed: Second Body, Second Code." in second
    assert "The pack records no limits." in second


def test_the_audit_checklists_source_is_given_too(cli, ws, tmp_path):
    ws.write_yaml("standards/test-checklist.yaml", {**CHECKLIST, "source": "The service's own questions. Not Council text."})
    lines = appendix(cli, filled(ws).root, tmp_path / "p.zip")
    checklist = lines[lines.index("Case-file audit checklist: Test checklist"):]
    assert "We followed: The service's own questions." in checklist
    assert "Not Council text." in checklist
