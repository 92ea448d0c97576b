"""The pack shows each measure in words and numbers, with its method, and names nobody."""

from __future__ import annotations

import copy
import io
import zipfile

import docx

from builders import FRAMEWORK
from pack_fixtures import filled
from staff_fixtures import WORKFORCE


def test_the_document_shows_measures_as_counts_and_method_without_staff_codes(cli, ws, tmp_path):
    full = filled(ws)
    framework = copy.deepcopy(FRAMEWORK)
    framework["standards"][0]["indicators"][0]["measures"] = [
        {"measure": "registered_practitioners", "target": 0.6},
        {"measure": "supervision_every_12_weeks", "target": 0.9},
    ]
    full.write_yaml("standards/test-fw.yaml", framework)
    full.write_yaml("evidence/workforce.yaml", WORKFORCE)
    result = cli("export", "-w", str(full.root), "--out", str(tmp_path / "pack.zip"), "--as-of", "2026-06-30")
    assert result.code == 0, result.text
    with zipfile.ZipFile(tmp_path / "pack.zip") as pack:
        document = docx.Document(io.BytesIO(pack.read("submission.docx")))
    paragraphs = [p.text for p in document.paragraphs]
    registered = "Practitioners registered with the RJC: 1 of 2, 50% (95% confidence interval 9% to 91%); target 60%, below the target. "
    assert [p for p in paragraphs if p.startswith(registered + "Practitioners who deliver restorative justice")]
    assert "Practitioners supervised at least every 12 weeks: 2 of 3, 67% (95% confidence interval 21% to 94%); target 90%, below the target." \
        in "\n".join(paragraphs)
    assert "Practitioners supervised at least every 12 weeks: 2 of 3 (67%), below the target of 90%." in paragraphs  # the open gap
    workforce = paragraphs[paragraphs.index("Workforce") + 2:][:4]
    assert workforce[0].startswith(registered)
    assert workforce[3].startswith("Registered practitioners with the CPD hours their level needs: 1 of 1, 100% (95% confidence interval 21% to 100%); "
                                   "target 100%, meets the target.")
    text = "\n".join(paragraphs + [c.text for t in document.tables for r in t.rows for c in r.cells])
    assert not [code for code in ("P01", "P05", "V01", "A01") if code in text]


def test_the_summary_page_gives_the_four_workforce_shares_and_the_time_limits_in_numbers(demo_copy):
    from rsqm.server.access import Role, View
    from rsqm.workspace.load import load_workspace

    report = docx.Document(io.BytesIO(View(load_workspace(demo_copy), Role.leadership).board_report()))
    table = next(t for t in report.tables if t.rows[0].cells[0].text == "Measure")
    rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in table.rows[1:]}
    assert list(rows)[:4] == ["Practitioners registered with the RJC", "Practitioners supervised at least every 12 weeks",
                              "Practitioners observed in practice in the past year", "Registered practitioners with the CPD hours their level needs"]
    limits = [label for label in rows if label.startswith("Cases with")]
    assert limits and all("working days" in label for label in limits)
    result, interval, target, verdict = rows["Practitioners registered with the RJC"]
    # the demo is shown as on 7 December 2026 and its records end on 25 November: counted then, not on 31 March 2027
    assert result == "7 of 9, 78%" and interval == "45% to 94%" and target == "60%" and verdict == "meets the target"
    paragraphs = [p.text for p in report.paragraphs]
    assert "Counted on 25 November 2026, when the records end." in " ".join(paragraphs)
    assert "Insurance cover — runs out on 14 February 2027: to be renewed before then" in paragraphs  # due, not lapsed
    assert not [p for p in paragraphs if "renew it first" in p]
    assert not [p for p in paragraphs if "not met (not met)" in p]
