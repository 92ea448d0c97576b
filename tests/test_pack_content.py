"""The submission reads as the service's self-assessment: the assessor's terms, never the tool's.

Each indicator shows what it asks, the service's account, linked evidence and
open gaps in plain words; the action plan is the service's own; what happened
after the as-of date is not counted; a draft says so on every page.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

import docx
import openpyxl
import pytest
import yaml

from builders import FRAMEWORK
from pack_fixtures import filled
from rsqm.pack.content import action_rows, draft_reasons
from rsqm.pack.plan import plan_pack
from rsqm.workspace.load import load_workspace

GUIDED = {
    **FRAMEWORK,
    "standards": [
        {**standard, "indicators": [{**indicator, "guidance": f"Guidance for {indicator['id']}: what good looks like."}
                                    for indicator in standard["indicators"]]}
        for standard in FRAMEWORK["standards"]
    ],
}
CODES = ("partly_met", "not_met", "not_applicable", "in_review", "in_progress", "approved_by", "approved_on",
         "review_by", "training_record", "supervision_record", "no_evidence", "evidence_expired", "audit_below_target")


@pytest.fixture
def full(ws):
    ws.write_yaml("standards/test-fw.yaml", GUIDED)
    return filled(ws)


def replace_item(ws, evidence_id: str, **changes) -> None:
    register = yaml.safe_load((ws.root / "evidence/register.yaml").read_text())
    ws.evidence(*[{**entry, **changes} if entry["id"] == evidence_id else entry for entry in register["items"]])


def export(cli, root, out, *extra):
    return cli("export", "-w", str(root), "--out", str(out), "--as-of", "2026-06-30", *extra)


def parts(pack_path) -> dict[str, str]:
    """The text of every XML part of submission.docx, tags removed (headers and footers included)."""
    with zipfile.ZipFile(pack_path) as pack, zipfile.ZipFile(io.BytesIO(pack.read("submission.docx"))) as document:
        return {name: re.sub(r"<[^>]+>", "", document.read(name).decode("utf-8"))
                for name in document.namelist() if name.startswith("word/") and name.endswith(".xml")}


def test_each_indicator_shows_what_it_asks_and_the_action_plan(cli, full, tmp_path):
    assert export(cli, full.root, tmp_path / "pack.zip").code == 0
    body = parts(tmp_path / "pack.zip")["word/document.xml"]
    for indicator in ("A1", "A2", "B1"):
        assert f"Guidance for {indicator}: what good looks like." in body
    assert "Write the A2 narrative" in body  # the service's own action, from its action plan
    assert "Our policy sets out the offer." in body  # the service's account


def test_the_document_holds_no_path_field_name_or_code(cli, full, tmp_path):
    assert export(cli, full.root, tmp_path / "pack.zip").code == 0
    text = "\n".join(parts(tmp_path / "pack.zip").values())
    for code in CODES:
        assert code not in text, code
    assert not re.search(r"evidence/narratives|\.md\b(?! )|register\.yaml|actions\.yaml", text.replace("E001-", ""))
    assert "Suggested action" not in text and "write " not in text.lower().replace("write the a2", "")


def test_gaps_are_phrased_for_the_reader(cli, full, tmp_path):
    replace_item(full, "E004", status="in_review")
    assert export(cli, full.root, tmp_path / "pack.zip").code == 0
    body = parts(tmp_path / "pack.zip")["word/document.xml"]
    assert "The supervision records (E004) is awaiting approval." in body


def test_a_not_ready_pack_says_draft_in_the_header_of_every_page(cli, full, tmp_path):
    assert export(cli, full.root, tmp_path / "pack.zip").code == 0
    headers = {name: text for name, text in parts(tmp_path / "pack.zip").items() if "header" in name}
    assert headers and all(text.strip().startswith("DRAFT") for text in headers.values())


def test_final_refuses_a_draft_listing_why_and_writes_nothing(cli, full, tmp_path):
    replace_item(full, "E004", status="in_review")  # B1, a critical indicator, falls short: not ready
    result = export(cli, full.root, tmp_path / "pack.zip", "--final")
    assert result.code == 1
    assert "not yet ready to apply" in result.err and "1 indicator has no self-assessment narrative yet (A2)" in result.err
    assert not (tmp_path / "pack.zip").exists() and list(tmp_path.iterdir()) == [full.root]


def test_crossref_lists_each_link_with_its_locator_and_is_byte_identical(cli, full, tmp_path):
    for name in ("one.zip", "two.zip"):
        assert export(cli, full.root, tmp_path / name).code == 0
    assert (tmp_path / "one.zip").read_bytes() == (tmp_path / "two.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "one.zip") as pack:
        book = openpyxl.load_workbook(io.BytesIO(pack.read("crossref.xlsx")))
    sheet = book["Test framework"]
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows(min_row=2)]
    assert ("A1", "Policy in place", "Met", "E001", "Restorative justice policy & procedure (2026 edition)",
            "evidence/E001-restorative-justice-policy-procedure.md", "section 4.2, p. 7",
            "offer made to every harmed person", None, "yes") in rows
    assert any(r[3] == "E006" and r[6] == "p. 1" and r[9].startswith("no: ") for r in rows)  # an expired link is listed, not packed


def test_evidence_references_link_to_their_entry_in_the_index(cli, full, tmp_path):
    assert export(cli, full.root, tmp_path / "pack.zip").code == 0
    with zipfile.ZipFile(tmp_path / "pack.zip") as pack, zipfile.ZipFile(io.BytesIO(pack.read("submission.docx"))) as document:
        xml = document.read("word/document.xml").decode()
    anchors = set(re.findall(r'<w:hyperlink w:anchor="([^"]+)"', xml))
    bookmarks = set(re.findall(r'<w:bookmarkStart w:id="\d+" w:name="([^"]+)"', xml))
    assert {"_rsqm_ev_E001", "_rsqm_ev_E004"} <= anchors <= bookmarks


def test_what_happened_after_the_as_of_date_is_not_counted(full):
    replace_item(full, "E001", approved_on="2026-07-15")
    plan = plan_pack(load_workspace(full.root), date(2026, 6, 30))
    a1 = next(r for r in plan.assessment.indicators if r.id == "A1")
    assert a1.status == "not_met" and "E001" not in [e.item.id for e in plan.evidence]
    early = plan_pack(load_workspace(full.root), date(2026, 1, 10))
    assert early.audits.agreement.pairs == 0  # audits completed on 20 January do not count on 10 January
    assert all(s.audited == 0 for s in early.audits.samples)


def test_the_action_plan_holds_the_agreed_actions_and_a_draft_lists_the_gaps_no_action_covers_once_at_the_front(
        cli, full, tmp_path):
    replace_item(full, "E004", status="in_review")
    plan = plan_pack(load_workspace(full.root), date(2026, 6, 30))
    assert [(r.id, r.what) for r in action_rows(plan)] == [("A1", "Write the A2 narrative")]
    assert draft_reasons(plan)
    assert export(cli, full.root, tmp_path / "pack.zip").code == 0
    with zipfile.ZipFile(tmp_path / "pack.zip") as pack:
        document = docx.Document(io.BytesIO(pack.read("submission.docx")))
    lines = [p.text for p in document.paragraphs]
    front = lines[:lines.index("Summary")]
    assert "Still to be written: the service's account of 1 indicator." in front
    assert "A2 Trained staff" in front
    assert "Still to be done: open gaps that no agreed action covers yet." in front
    assert "B1: The supervision records (E004) is awaiting approval." in front
    plan_table = next(t for t in document.tables if t.rows[0].cells[1].text == "Action")
    assert [row.cells[0].text for row in plan_table.rows[1:]] == ["A1"]
    text = "\n".join(lines) + "".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "To be agreed" not in text and "No action agreed yet" not in text
    assert lines.count("The service's account: still to be written.") == 1  # A2's page, in one line
    assert "is still being written" not in text


def test_a_final_pack_has_no_list_of_what_is_still_to_do(cli, full, tmp_path):
    full.write("evidence/narratives/A2.md", "Every practitioner is trained (E002, E003).\n")
    assert export(cli, full.root, tmp_path / "pack.zip").code == 0
    with zipfile.ZipFile(tmp_path / "pack.zip") as pack:
        lines = [p.text for p in docx.Document(io.BytesIO(pack.read("submission.docx"))).paragraphs]
    assert not any(line.startswith("Still to be") for line in lines)
    assert "The service's account: still to be written." not in lines


def test_a_table_cell_keeps_the_line_breaks_tabs_and_spaces_the_service_wrote(cli, full, tmp_path):
    full.write_yaml("evidence/actions.yaml", {"schema": "rsqm/actions@1", "actions": [
        {"id": "A1", "title": "Write the A2 narrative", "indicator": "A2", "owner": "Coordinator", "due": "2026-05-01",
         "note": "first draft done\nsecond\tpart"},
        {"id": "A2", "title": "Check the rota", "indicator": "A1", "owner": "  Coordinator  ", "due": "2026-05-02"}]})
    assert export(cli, full.root, tmp_path / "pack.zip").code == 0
    with zipfile.ZipFile(tmp_path / "pack.zip") as pack, zipfile.ZipFile(io.BytesIO(pack.read("submission.docx"))) as document:
        xml = document.read("word/document.xml").decode()
    assert "<w:t>Write the A2 narrative (first draft done</w:t><w:br/><w:t>second</w:t><w:tab/><w:t>part)</w:t>" in xml
    assert '<w:t xml:space="preserve">  Coordinator  </w:t>' in xml


def test_what_holds_a_framework_back_is_named_in_words_never_left_blank(cli, demo_copy, tmp_path):
    """A lapsed membership stops every framework's verdict: the pack names it, for the first framework and the rest."""
    accreditation = demo_copy / "evidence/accreditation.yaml"
    accreditation.write_text(accreditation.read_text().replace("expires: '2027-04-30'", "expires: '2026-10-31'"))
    out = tmp_path / "pack.zip"
    result = cli("export", "-w", str(demo_copy), "--out", str(out))
    assert result.code == 0, result.out
    text = parts(out)["word/document.xml"]
    assert "( to be met first)" not in text and "()" not in text
    assert re.search(r"Before the service applies: indicators [\d.]+(, [\d.]+)* and [\d.]+ met and "
                     r"RJC organisational membership renewed\.", text)
    assert "indicators D and E met and RJC organisational membership renewed first" in text
    further = re.findall(r"Readiness \d+%; not yet ready \(([^)]*)\)", text)
    assert len(further) >= 3, further  # the summary's and the three further frameworks of the demo
    assert all(reason.endswith("RJC organisational membership renewed first") for reason in further), further
