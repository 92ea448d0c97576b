"""The annual renewal return: the RJC's headings filled from the records, the service's own words, a declaration."""

from __future__ import annotations

import io
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import pytest

from rsqm.assess.renewal import note_sections, renewal_return
from rsqm.workspace.load import load_workspace

WORKFORCE = """\
schema: rsqm/workforce@1
staff:
  - {code: P01, paid: true, started: 2020-01-06, training: {level: advanced, completed: 2020-02-01},
     cpd: [{date: 2026-03-01, hours: 4.5, rjc_approved: true}, {date: 2025-12-31, hours: 9}]}
  - {code: P02, paid: false, started: 2026-04-01, cpd: [{date: 2026-05-01, hours: 2, rjc_approved: false}]}
  - {code: P03, paid: true, started: 2019-01-01, left: 2026-06-30}
  - {code: A01, paid: true, admin_only: true, started: 2026-02-01}
"""
NOTES = """# Return
## Main challenges
- Fewer referrals in spring,
  while the pathway changed.

## Priorities for the next year
1. A second advanced practitioner.
"""


def text_of(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    return "\n".join([p.text for p in document.paragraphs] + [c.text for t in document.tables for r in t.rows for c in r.cells])


def test_the_service_s_words_are_taken_from_their_headings():
    sections = note_sections(NOTES)
    assert sections == {"challenges": "- Fewer referrals in spring,\n  while the pathway changed.",
                        "priorities": "1. A second advanced practitioner."}


def test_staffing_and_cpd_are_counted_for_the_calendar_year(ws):
    ws.write("evidence/workforce.yaml", WORKFORCE)
    renewal = renewal_return(load_workspace(ws.root), 2026, NOTES)
    s = renewal.staffing
    assert (s.delivering_at_start, s.joined_paid, s.joined_volunteers, s.left) == (2, 0, 1, 1)  # the admin is never counted
    assert (renewal.cpd.hours, renewal.cpd.approved_hours, renewal.cpd.practitioners) == (Decimal("6.5"), Decimal("4.5"), 2)
    assert renewal.end.isoformat() == "2026-06-30"  # a year still running ends at the last record
    assert renewal.missing == []


def test_the_return_is_written_with_every_heading_and_the_declaration_left_to_sign(cli, demo_copy, tmp_path):
    out = tmp_path / "renewal.docx"
    result = cli("renewal", "-w", str(demo_copy), "--year", "2026", "--out", str(out))
    assert result.code == 0, result.text
    text = text_of(out.read_bytes())
    for heading in ("Staffing changes", "Referrals and outcomes", "Main challenges", "How practice was evaluated",
                    "Priorities for the next year", "Continuing professional development", "Declaration"):
        assert heading in text
    assert "Referrals from the probation partnership fell in the spring" in text  # from evidence/renewal/2026.md
    assert "Signed: ____" in text and "DRAFT" not in text
    assert not any(code in text for code in ("P04", "RJ-20"))  # counts only: no staff code, no case reference


def test_a_year_without_the_service_s_words_is_a_draft_and_says_what_to_write(cli, demo_copy, tmp_path):
    out = tmp_path / "renewal.docx"
    result = cli("renewal", "-w", str(demo_copy), "--year", "2025", "--out", str(out))
    assert result.code == 0, result.text
    assert "a draft: write main challenges, priorities for the next year under their headings in evidence/renewal/2025.md" in result.out
    with zipfile.ZipFile(out) as document:
        assert b"DRAFT" in document.read("word/header1.xml")


def test_personal_data_in_the_notes_blocks_the_return_and_nothing_is_written(cli, demo_copy, tmp_path):
    (demo_copy / "evidence/renewal/2026.md").write_text("## Main challenges\nCall Mrs Higginbottom on 07700 900123.\n")
    out = tmp_path / "renewal.docx"
    result = cli("renewal", "-w", str(demo_copy), "--year", "2026", "--out", str(out))
    assert result.code == 1 and "privacy pre-flight blocked the return" in result.err
    assert not out.exists()


def test_an_existing_file_is_kept_unless_forced(cli, demo_copy, tmp_path):
    out = tmp_path / "renewal.docx"
    out.write_bytes(b"keep me")
    assert cli("renewal", "-w", str(demo_copy), "--year", "2026", "--out", str(out)).code == 1
    assert out.read_bytes() == b"keep me"
    assert cli("renewal", "-w", str(demo_copy), "--year", "2026", "--out", str(out), "--force").code == 0


@pytest.mark.office
def test_the_return_converts_in_libreoffice(cli, demo_copy, tmp_path: Path, soffice, artifacts):
    out = tmp_path / "renewal.docx"
    assert cli("renewal", "-w", str(demo_copy), "--year", "2026", "--out", str(out)).code == 0
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(out)], check=True, capture_output=True, timeout=180)
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(tmp_path / "renewal.pdf"), str(artifacts / "renewal")], check=True, timeout=120)
    assert list(artifacts.glob("renewal-*.png"))
