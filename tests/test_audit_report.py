"""rsqm audit-report: a round's report as a supervisor and an assessor read it."""

from __future__ import annotations

import subprocess

import docx
import pytest
from pypdf import PdfReader

from round_fixtures import add_round, cases_for, newcombe_rounds, results


def tables(path) -> list[list[list[str]]]:
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in docx.Document(str(path)).tables]


def test_the_report_gives_method_results_comparison_and_the_actions_tied_to_items(ws, cli, tmp_path):
    newcombe_rounds(ws)
    ws.write_yaml("evidence/actions.yaml", {"schema": "rsqm/actions@1", "actions": [
        {"id": "A4", "title": "Brief staff on risk checks", "owner": "Practice lead", "due": "2026-02-01",
         "audit_item": "risk_checked", "re_audit_by": "2026-04-30", "status": "done"},
        {"id": "A5", "title": "Not about an audit item", "owner": "Service manager"},
    ]})
    out = tmp_path / "round.docx"
    result = cli("audit-report", "r2", "--out", str(out), "--date", "2026-05-01", "-w", str(ws.root))
    assert result.code == 0, result.text
    assert "wrote" in result.out and "70 of 70 audited, compared with r1" in result.out
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    for heading in ("Method", "Results by item against target", "Comparison with the previous round",
                    "Actions tied to checklist items"):
        assert heading in text
    assert "70 cases, a simple random draw, with seed 1" in text
    results, comparison, actions = tables(out)
    assert results[1][2:] == ["70", "56", "80%", "69%–88%", "80%", "Meets target"]
    assert comparison[0][1:3] == ["r1", "r2"]
    assert comparison[1][1:] == ["48/80 (60%)", "56/70 (80%)", "+20.0", "+5.2 to +33.4", "Real improvement"]
    assert comparison[3][-1] == "Real decline"
    assert [row[0] for row in actions[1:]] == ["A4"]
    assert actions[1][2] == "risk checked" and actions[1][5] == "30 Apr 2026"
    assert not any(ref in text for ref in ("RJ-2026-0001", "S01"))  # no case references, no auditors


def test_the_first_round_has_nothing_to_compare_and_an_incomplete_one_is_provisional(ws, cli, tmp_path):
    add_round(ws, "r1", "2026-01-05", results("risk_checked", 3, 1), unaudited=2)
    cases_for(ws)
    out = tmp_path / "r1.docx"
    assert cli("audit-report", "r1", "--out", str(out), "-w", str(ws.root)).code == 0
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "This is the first round" in text
    assert "not complete (4 of 6 audited)" in text


def test_the_same_report_twice_gives_the_same_bytes(ws, cli, tmp_path):
    newcombe_rounds(ws)
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    for out in (first, second):
        assert cli("audit-report", "r2", "--out", str(out), "--date", "2026-05-01", "-w", str(ws.root)).code == 0
    assert first.read_bytes() == second.read_bytes()


def test_an_unknown_sample_or_a_wrong_output_writes_nothing(ws, cli, tmp_path):
    newcombe_rounds(ws)
    result = cli("audit-report", "r9", "--out", str(tmp_path / "x.docx"), "-w", str(ws.root))
    assert result.code == 1 and "unknown sample 'r9' (samples: r1, r2)" in result.err
    assert cli("audit-report", "r2", "--out", str(tmp_path / "x.pdf"), "-w", str(ws.root)).code == 2
    assert cli("audit-report", "r2", "--out", str(tmp_path / "no" / "x.docx"), "-w", str(ws.root)).code == 2
    assert not list(tmp_path.glob("*.docx")) and not list(tmp_path.glob("*.pdf"))


@pytest.mark.office
def test_the_report_converts_to_pdf_and_renders(ws, cli, tmp_path, soffice, artifacts):
    newcombe_rounds(ws)
    out = tmp_path / "round.docx"
    assert cli("audit-report", "r2", "--out", str(out), "--date", "2026-05-01", "-w", str(ws.root)).code == 0
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(out)],
        check=True, capture_output=True, timeout=180,
    )
    pages = [page.extract_text() for page in PdfReader(str(tmp_path / "round.pdf")).pages]
    text = " ".join(" ".join(pages).split())
    assert "Case-file audit report: round r2" in text and "Real improvement" in text and "Real decline" in text
    assert "48/80 (60%) 56/70 (80%) +20.0 +5.2 to +33.4" in text
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(tmp_path / "round.pdf"), str(artifacts / "audit-report")],
                   check=True, timeout=120)
    assert len(list(artifacts.glob("audit-report-*.png"))) >= len(pages)


def test_an_incomplete_round_gives_its_progress_and_counts_never_a_rate(ws, cli, tmp_path):
    add_round(ws, "r1", "2026-01-05", results("risk_checked", 3, 1), unaudited=2)
    cases_for(ws)
    out = tmp_path / "r1.docx"
    assert cli("audit-report", "r1", "--out", str(out), "-w", str(ws.root)).code == 0
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "The round is not complete (4 of 6 audited), so no rate is given yet" in text
    row = next(row for row in tables(out)[0] if row[2:4] == ["4", "3"])
    assert row[4:6] == ["–", "–"] and row[-1] == "Not yet judged"


def test_a_complete_round_gives_its_rates(ws, cli, tmp_path):
    add_round(ws, "r1", "2026-01-05", results("risk_checked", 3, 1))
    cases_for(ws)
    out = tmp_path / "r1.docx"
    assert cli("audit-report", "r1", "--out", str(out), "-w", str(ws.root)).code == 0
    row = next(row for row in tables(out)[0] if row[2:4] == ["4", "3"])
    assert row[4] == "75%" and row[-1] != "Not yet judged"
