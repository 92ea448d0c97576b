"""Every text output of an everyday journey speaks in words: no codes, field names or regular expressions.

Issue 32, item 7, and docs/design.md ("words for people"): without ``--json``
a command prints titles and sentences, never reason codes, measure ids,
checklist item ids or field names, and never a regular expression. The journey
runs on a fresh ``rsqm init`` workspace using commands only (the export and its
import map live outside the workspace); the submission pack's document and
spreadsheet are searched too. ``--json`` keeps the codes.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
import yaml
from docx import Document
from openpyxl import load_workbook

SNAKE_CASE = re.compile(r"\b[a-z]+_[a-z_]+\b")
REGEX = re.compile(r"\^|\$|\\d|\\w|\[A-Z\]|\{\d,\d?\}|\(\?")
# What may look like a code, and why:
ALLOWED = [
    # a command to type names the checklist item (or evidence type) by its id: that is what the command takes
    (re.compile(r"'rsqm [^']*'"), "a command to copy"),
    # a path or file name keeps its own spelling
    (re.compile(r"\S*/\S*|\S+\.(md|yaml|csv|docx|xlsx|zip|json)\b"), "a path or file name"),
]

HEADER = "Case Reference,Referral Date,Date Closed,Process Type,Offence,Initiated By,Facilitator Code,Victim Name,Outcome"
IMPORT_MAP = {
    "schema": "rsqm/case-import@1",
    "columns": {"case_ref": "Case Reference", "referred_on": "Referral Date", "closed_on": "Date Closed",
                "process": "Process Type", "offence_category": "Offence", "initiator": "Initiated By",
                "practitioner": "Facilitator Code", "outcome": "Outcome"},
    "dates": "dayfirst",
    "values": {"process": {"Shuttle": "shuttle", "Direct - Face to Face": "face_to_face"},
               "offence_category": {"Theft": "theft", "Criminal damage": "criminal_damage"},
               "initiator": {"Victim": "harmed_person"}, "outcome": {"Agreement reached": "agreement"}},
    "ignore": ["Victim Name"],
    "rewrite": {"case_ref": {"match": r"^(\d{4})/(\d{3})$", "to": r"NRS-\1-\2"}},
}


def cms_export(path: Path, cases: int) -> Path:
    """A CMS export: slash references, one case not allocated yet (blank facilitator), an invented name column."""
    rows = [f"2026/{n:03d},01/02/2026,{n % 28 + 1:02d}/07/2026,{('Shuttle', 'Direct - Face to Face')[n % 2]},"
            f"{('Theft', 'Criminal damage')[n % 3 == 0]},Victim,{'' if n == cases else f'P0{n % 3 + 1}'},Invented Person,Agreement reached"
            for n in range(1, cases + 1)]
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def pack_texts(pack: Path) -> list[str]:
    """Every paragraph and table cell of submission.docx and every cell of crossref.xlsx."""
    with zipfile.ZipFile(pack) as z:
        document = Document(io.BytesIO(z.read("submission.docx")))
        book = load_workbook(io.BytesIO(z.read("crossref.xlsx")), read_only=True)
    texts = [p.text for p in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    texts += [str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    return texts


def codes_in(text: str) -> list[str]:
    for pattern, _why in ALLOWED:
        text = pattern.sub(" ", text)
    return SNAKE_CASE.findall(text)


@pytest.fixture
def journey(cli, tmp_path, monkeypatch):
    """Run the journey; returns (every text output as (command, text), the pack, the workspace)."""
    monkeypatch.setenv("RSQM_USER", "P07")
    ws, outside = tmp_path / "ws", tmp_path / "outside"
    outside.mkdir()
    said: list[tuple[str, str]] = []

    def run(*args: str, code: int = 0) -> str:
        done = cli(*args)
        assert done.code == code, (args, done.text)
        said.append((" ".join(args), done.text.replace(str(tmp_path), "TMP")))
        return done.out

    run("init", str(ws), "--service", "Northshire Restorative Service")
    monkeypatch.setenv("RSQM_WORKSPACE", str(ws))
    (outside / "map.yaml").write_text(yaml.safe_dump(IMPORT_MAP), encoding="utf-8")
    bad = cms_export(outside / "bad.csv", 2)
    bad.write_text(bad.read_text().replace("01/02/2026", "31/02/2026"), encoding="utf-8")
    run("cases", "import", str(bad), "--map", str(outside / "map.yaml"), code=1)  # an error, in the export's words
    run("cases", "import", str(cms_export(outside / "export.csv", 30)), "--map", str(outside / "map.yaml"))
    for code in ("P01", "P02", "P03"):
        run("workforce", "add", code, "--paid", "--started", "2022-03-01", "--training", "intermediate", "--trained-on", "2022-04-20",
            "--registered", "intermediate", "--expires", "2027-03-31")
    run("workforce", "add", "V01", "--volunteer", "--started", "2026-01-05", "--probation-until", "2026-07-05")
    run("workforce", "log", "P01", "--supervision", "2026-11-02")
    run("workforce", "update", "P02", "--expires", "2027-06-30")
    run("workforce", "leave", "P03", "--on", "2026-11-30")
    run("workforce", "add", "Jo Bloggs", "--paid", "--started", "2026-01-05", code=1)  # a name is refused, in words
    run("workforce", "list")
    run("workforce")
    (outside / "plan.md").write_text("# Delivery plan\n\n## Targets\n", encoding="utf-8")
    evidence = run("evidence", "add", str(outside / "plan.md"), "--type", "business_plan", "--title", "Delivery plan 2026-27",
                   "--dated", "2026-04-01", "--review-by", "2028-04-01").strip()
    run("evidence", "link", evidence, "1.2", "--locator", "Targets", "--claim", "This year's targets")
    run("evidence", "approve", evidence, "--by", "Service manager")
    run("evidence", "list")
    run("sample", "--advise", "--expected", "0.9", "--margin", "0.1")
    run("sample", "--name", "2026-Q3", "--size", "10", "--seed", "2026", "--strata", "process", "--by", "P07")
    case_ref = yaml.safe_load((ws / "evidence/samples/2026-Q3.yaml").read_text())["cases"][0]
    run("audit", "new", case_ref, "--auditor", "P07")
    items = list(yaml.safe_load((ws / f"evidence/audits/{case_ref}.yaml").read_text())["answers"])
    for item in items[:-1]:
        run("audit", "answer", case_ref, item, "met", "--note", "On the file")
    run("audit", "complete", case_ref, code=1)  # refused: one question unanswered, named by its question
    run("audit", "answer", case_ref, items[-1], "n/a")
    run("audit", "complete", case_ref, "--on", "2026-11-20")
    for item in items:
        run("audit", "second-answer", case_ref, item, "partly met" if item == items[0] else "met", "--by", "P03")
    run("audit", "list", "--awaiting", "agreement")
    run("audit", "agree", case_ref, items[0], "sort of", code=1)  # not an answer: said in words
    run("audit", "agree", case_ref, items[0], "partly met")
    run("audit", "list")
    run("audit-summary")
    run("audit-summary", "--by-sample")
    run("config", "set", "assessment_date", "2027-03-31")
    run("config", "set", "public_contacts", "01632 960000, hello@northshire.example")
    run("config", "set", "feedback_questions.felt_safe", "Did you feel safe taking part?")
    run("config", "get", "assessment_date")
    run("config", "set", "assessment_date", "31/03/2027", code=1)  # refused, naming the setting
    run("privacy", "accept", "Westmoor House", "--reason", "our office building, not a person", "--everywhere")
    register = ws / "evidence/register.yaml"
    register.write_text(register.read_text().replace("2028-04-01", "2028-05-01"), encoding="utf-8")  # the one hand edit
    run("validate")
    run("measures")
    run("outcomes")
    run("gaps")
    run("log")
    run("export", "--check")
    pack = outside / "pack.zip"
    run("export", "--out", str(pack))
    run("verify", str(pack))
    return said, pack, ws


def test_no_text_output_of_the_journey_shows_a_code(journey):
    said, pack, _ = journey
    found = {command: codes for command, text in said if (codes := codes_in(text))}
    assert found == {}
    in_pack = {text: codes for text in pack_texts(pack) if (codes := codes_in(text))}
    assert in_pack == {}


def test_no_text_output_of_the_journey_shows_a_regular_expression(journey):
    said, pack, _ = journey
    assert [(command, text) for command, text in said if REGEX.search(text)] == []
    assert [text for text in pack_texts(pack) if REGEX.search(text)] == []


def test_the_journey_reaches_a_verified_pack_and_its_hand_edit_is_logged(journey):
    said, _, _ = journey
    outputs = dict(said)
    assert outputs[next(c for c in outputs if c.startswith("verify"))].startswith("pack intact")
    assert "changed outside rsqm" in outputs["log"]


def test_json_keeps_the_codes(journey, cli):
    gaps = json.loads(cli("gaps", "--json").out)
    codes = {reason["code"] for indicator in gaps["indicators"] for reason in indicator["reasons"]}
    assert "no_evidence" in codes
    measures = json.loads(cli("measures", "--json").out)
    assert "registered_practitioners" in {m["measure"] for m in measures["measures"]}


@pytest.fixture
def faulty(cli, tmp_path, monkeypatch):
    """A workspace set up by commands, then edited by hand into faults people make; returns its path."""
    monkeypatch.setenv("RSQM_USER", "P07")
    ws, outside = tmp_path / "ws", tmp_path / "outside"
    outside.mkdir()
    (outside / "map.yaml").write_text(yaml.safe_dump(IMPORT_MAP), encoding="utf-8")
    (outside / "plan.md").write_text("# Delivery plan\n", encoding="utf-8")
    assert cli("init", str(ws), "--service", "Northshire Restorative Service").code == 0
    monkeypatch.setenv("RSQM_WORKSPACE", str(ws))
    for args in (["cases", "import", str(cms_export(outside / "export.csv", 12)), "--map", str(outside / "map.yaml")],
                 *(["workforce", "add", code, "--paid", "--started", "2022-03-01"] for code in ("P01", "P02", "P03")),
                 ["workforce", "leave", "P03", "--on", "2026-11-30"],
                 ["evidence", "add", str(outside / "plan.md"), "--type", "business_plan", "--title", "Delivery plan",
                  "--dated", "2026-04-01", "--review-by", "2028-04-01"],
                 ["sample", "--name", "2026-Q3", "--size", "4", "--seed", "2026", "--by", "P07"],
                 ["config", "set", "feedback_questions.felt_safe", "Did you feel safe taking part?"]):
        assert cli(*args).code == 0, args

    def edit(rel: str, old: str, new: str) -> None:
        path = ws / rel
        assert old in path.read_text(encoding="utf-8"), (rel, old)
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")

    edit("evidence/register.yaml", "2028-04-01", "2026-01-01")  # the review date before the document's date
    edit("evidence/samples/2026-Q3.yaml", "drawn_on: ", "drawn_on: 2999-01-01\n# was: ")  # a sample drawn in the future
    edit("evidence/workforce.yaml", "2026-11-30", "2021-11-30")  # left before starting
    edit("evidence/cases.csv", "2026-02-01", "2026-12-01")  # the first case closed before it was referred
    (ws / "evidence/feedback.csv").write_text(
        "response_id,received_on,party,process,felt_safe\nF0001,2026-01-10,harmed,letter,it was good\n"
        "F0002,2999-01-10,harmed,letter,yes\n", encoding="utf-8")  # free text in a yes / no answer; a date to come
    return ws


def test_validate_names_each_fault_in_words_not_field_names(faulty, cli):
    result = cli("validate", "-w", str(faulty))
    assert result.code == 1 and "Traceback" not in result.text
    out = result.out
    for said in ("the review date 2026-01-01 is before the date 2026-04-01",
                 "the date the sample was drawn 2999-01-01 lies in the future",
                 "P03: the leaving date 2021-11-30 is before the start date 2022-03-01",
                 "closing date is before referral date",
                 "F0001: the answer to “Did you feel safe taking part?” must be yes, no or blank",
                 "F0002: the date received 2999-01-10 lies in the future"):
        assert said in out, out
    # each still points at its file and line (DESIGN.md section 5)
    assert all(re.match(r"\S+:\d+: (error|warning): ", line) for line in out.splitlines()[:-1]), out
    assert [(line, codes) for line in out.splitlines() if (codes := codes_in(line))] == [], out
