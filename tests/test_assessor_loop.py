"""The assessor loop from the outside: requests and accreditation files, `rsqm request`, the gap verdict, the pack."""

from __future__ import annotations

import io
import json
import re
import zipfile

import yaml

from pack_fixtures import filled
from rsqm.workspace.store import read_change_log

REQUESTS = """\
schema: rsqm/requests@1
requests:
  - id: R1
    raised_on: 2026-03-01
    by: RJC assessor
    indicator: "A1"
    question: Which version of the policy did the board approve?
    due: 2026-03-15
    status: answered
    response: Version 3, approved in January; see E001 section 4.2.
    answered_on: 2026-03-10
    evidence: [E001]
"""
ACCREDITATION = """\
schema: rsqm/accreditation@1
membership: {expires: 2027-03-31, reference: M-1234}
insurance: {expires: 2026-05-31}
award: {granted: 2024-03-01, expires: 2027-02-28}
conditions:
  - {id: C1, text: Record supervision for every volunteer, due: 2026-09-30, status: open}
recommendations:
  - {id: R1, text: Consider a second advanced practitioner, status: open}
"""


def test_requests_and_accreditation_in_the_documented_form_validate(cli, ws):
    filled(ws)
    ws.write("evidence/requests.yaml", REQUESTS)
    ws.write("evidence/accreditation.yaml", ACCREDITATION)
    result = cli("validate", "-w", str(ws.root))
    assert result.code == 0, result.text


def test_a_request_naming_an_unknown_indicator_is_a_located_error(cli, ws):
    filled(ws)
    ws.write("evidence/requests.yaml", REQUESTS.replace('indicator: "A1"', 'indicator: "Z9"'))
    result = cli("validate", "-w", str(ws.root))
    assert result.code == 1
    assert "evidence/requests.yaml:6: error: request R1: unknown indicator 'Z9'" in result.out


def test_a_condition_tied_to_an_unknown_action_is_a_located_error(cli, ws):
    filled(ws)
    ws.write("evidence/accreditation.yaml", ACCREDITATION.replace("status: open}\nrecommendations", "status: open, action: A9}\nrecommendations"))
    result = cli("validate", "-w", str(ws.root))
    assert result.code == 1 and "evidence/accreditation.yaml:6: error: C1: unknown action 'A9'" in result.out, result.out


def test_lapsed_insurance_stops_the_verdict_and_is_a_reason_in_the_gaps_output(cli, ws):
    filled(ws)
    ready = json.loads(cli("gaps", "-w", str(ws.root), "--json", "--as-of", "2026-05-31").out)
    ws.write("evidence/accreditation.yaml", ACCREDITATION)
    on_expiry = json.loads(cli("gaps", "-w", str(ws.root), "--json", "--as-of", "2026-05-31").out)
    after = json.loads(cli("gaps", "-w", str(ws.root), "--json", "--as-of", "2026-06-01").out)
    assert on_expiry["lifecycle"] == [] and on_expiry["ready"] == ready["ready"]
    assert [(r["code"], r["blocking"]) for r in after["lifecycle"]] == [("insurance_lapsed", True)]
    assert after["ready"] is False
    text = cli("gaps", "-w", str(ws.root), "--as-of", "2026-06-01").out
    assert "Lapsed: Insurance cover runs out on 2026-05-31, before the as-of date 2026-06-01" in text and "blocked by" in text and "insurance" in text


def test_request_add_and_answer_write_through_the_store_with_one_log_line_each(cli, ws, monkeypatch):
    filled(ws)
    monkeypatch.setenv("RSQM_USER", "coord")
    added = cli("request", "add", "-w", str(ws.root), "--indicator", "B1", "--question", "How is risk reviewed?",
                "--by", "RJC assessor", "--due", "2026-12-15")
    assert added.code == 0 and added.out.startswith("R1 recorded against B1"), added.text
    answered = cli("request", "answer", "-w", str(ws.root), "R1", "--response", "See the supervision records.",
                   "--evidence", "E004")
    assert answered.code == 0, answered.text
    saved = yaml.safe_load((ws.root / "evidence/requests.yaml").read_text())["requests"][0]
    assert (saved["status"], saved["evidence"], saved["response"]) == ("answered", ["E004"], "See the supervision records.")
    log = read_change_log(ws.root)
    assert [entry.change for entry in log[:2]] == ["clarification request answered", "clarification request added"]
    listing = cli("request", "list", "-w", str(ws.root))
    assert re.search(r"R1\s+answered\s+B1", listing.out)


def test_request_commands_refuse_unknown_indicators_requests_and_evidence(cli, ws):
    filled(ws)
    assert cli("request", "add", "-w", str(ws.root), "--indicator", "Q7", "--question", "q", "--by", "a").code == 1
    assert cli("request", "answer", "-w", str(ws.root), "R4", "--response", "x").code == 1
    assert not (ws.root / "evidence/requests.yaml").exists()
    cli("request", "add", "-w", str(ws.root), "--indicator", "A1", "--question", "q", "--by", "a")
    bad = cli("request", "answer", "-w", str(ws.root), "R1", "--response", "x", "--evidence", "E999")
    assert bad.code == 1 and "unknown evidence id(s): E999" in bad.err


def test_the_pack_lists_the_requests_answered_by_its_as_of_date(cli, ws, tmp_path):
    filled(ws)
    ws.write("evidence/requests.yaml", REQUESTS)
    assert cli("export", "-w", str(ws.root), "--out", str(tmp_path / "pack.zip"), "--as-of", "2026-06-30").code == 0
    with zipfile.ZipFile(tmp_path / "pack.zip") as pack, zipfile.ZipFile(io.BytesIO(pack.read("submission.docx"))) as document:
        text = re.sub(r"<[^>]+>", "", document.read("word/document.xml").decode())
    assert "Clarification requests answered" in text and "Which version of the policy did the board approve?" in text
    assert cli("export", "-w", str(ws.root), "--out", str(tmp_path / "early.zip"), "--as-of", "2026-03-05").code == 0
    with zipfile.ZipFile(tmp_path / "early.zip") as pack, zipfile.ZipFile(io.BytesIO(pack.read("submission.docx"))) as document:
        assert "Clarification requests answered" not in document.read("word/document.xml").decode()


def test_a_renewal_lapsing_by_the_as_of_date_is_said_once_on_the_overview(ws, monkeypatch):
    from datetime import date, timedelta

    from rsqm.server.access import View
    from rsqm.workspace.load import load_workspace

    filled(ws)
    ws.write("evidence/accreditation.yaml", ACCREDITATION.replace("insurance: {expires: 2026-05-31}",
                                                                  f"insurance: {{expires: {(date.today() + timedelta(days=30)).isoformat()}}}"))
    overview = View(load_workspace(ws.root), "leadership", as_of=date(2999, 1, 1)).overview()
    assert any("Insurance cover runs out" in lapse for lapse in overview.lapsed)
    assert "insurance" not in {c.what for c in overview.countdowns}
