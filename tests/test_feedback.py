"""evidence/feedback.csv and rsqm feedback import: yes / no answers only, no free text, no case reference, no names."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from builders import dump
from rsqm.base.paths import FEEDBACK_FILE
from rsqm.imports.feedback import parse_feedback
from rsqm.workspace.load import load_workspace

QUESTIONS = {"felt_safe": "Did you feel safe taking part?", "would_recommend": "Would you recommend it to others?"}
PATTERN = r"^[A-Z]{2,5}-\d{4}-\d{3,5}$"
HEADER = "response_id,received_on,party,process,felt_safe,would_recommend"


def parse(*rows: str, header: str = HEADER):
    return parse_feedback("\n".join([header, *rows]) + "\n", FEEDBACK_FILE, QUESTIONS, PATTERN, date(2026, 6, 30))


def messages(*rows: str, header: str = HEADER) -> list[str]:
    return [str(p) for p in parse(*rows, header=header)[1]]


def test_a_good_feedback_file_gives_responses_with_their_answers():
    responses, problems = parse("F0001,2026-01-10,harmed,face_to_face,yes,", "F0002,2026-02-01,responsible,letter,no,yes")
    assert problems == []
    assert [(r.response_id, r.answers) for r in responses] == [
        ("F0001", {"felt_safe": True, "would_recommend": None}),
        ("F0002", {"felt_safe": False, "would_recommend": True}),
    ]


@pytest.mark.parametrize(
    ("header", "row", "expected"),
    [
        (HEADER + ",comments", "F0001,2026-01-10,harmed,letter,yes,yes,fine", "evidence/feedback.csv:1: error: unknown question column 'comments'"),
        (HEADER.replace("felt_safe", "email"), "F0001,2026-01-10,harmed,letter,yes,yes", "unknown question column 'email' (it looks like personal data)"),
        (HEADER, "F0001,2026-01-10,harmed,letter,it was good,yes", "evidence/feedback.csv:2: error: F0001: the answer to “Did you feel safe taking part?” must be yes, no or blank (no free text)"),
        (HEADER, "F0001,2026-01-10,victim,letter,yes,yes", "evidence/feedback.csv:2: error: F0001: party:"),
        (HEADER, "RJ-2025-0101,2026-01-10,harmed,letter,yes,yes", "evidence/feedback.csv:2: error: RJ-2025-0101: column 'response_id' holds a case reference"),
        (HEADER, "F0001,2026-01-10,harmed,person@example.org,yes,yes", "looks like it holds personal data (e-mail address"),
        (HEADER, "F0001,2026-07-10,harmed,letter,yes,yes", "F0001: the date received 2026-07-10 lies in the future"),
        (HEADER, "F0001,10/01/2026,harmed,letter,yes,yes", "F0001: date received:"),
        (HEADER.replace("party,", ""), "F0001,2026-01-10,letter,yes,yes", "evidence/feedback.csv:1: error: missing column 'party'"),
    ],
    ids=["free-text column", "personal column", "free text answer", "unknown party", "case reference", "e-mail", "future", "not ISO",
         "missing column"],
)
def test_bad_feedback_is_reported_at_its_line(header, row, expected):
    found = messages(row, header=header)
    assert any(expected in m for m in found), found


def test_a_repeated_response_id_is_an_error():
    found = messages("F0001,2026-01-10,harmed,letter,yes,yes", "F0001,2026-01-11,harmed,letter,no,no")
    assert found == ["evidence/feedback.csv:3: error: the response 'F0001' appears twice (first at line 2)"]


def test_the_workspace_loads_feedback_with_questions_from_rsqm_yaml(ws):
    ws.settings(feedback_questions=QUESTIONS)
    ws.write(FEEDBACK_FILE, HEADER + "\nF0001,2026-01-10,harmed,letter,yes,no\n")
    loaded = load_workspace(ws.root, today=date(2026, 6, 30))
    assert loaded.valid and [r.response_id for r in loaded.feedback] == ["F0001"]


def test_a_question_not_declared_in_rsqm_yaml_makes_the_workspace_invalid(ws):
    ws.write(FEEDBACK_FILE, HEADER + "\nF0001,2026-01-10,harmed,letter,yes,no\n")
    loaded = load_workspace(ws.root, today=date(2026, 6, 30))
    assert "evidence/feedback.csv:1: error: unknown question column 'felt_safe'" in [str(p).split(";")[0] for p in loaded.errors]


# --- rsqm feedback import ---------------------------------------------------------

SURVEY = ["Submission ID,Completed,You are,Process,Did you feel safe taking part?,Would you recommend it to others?,Your postcode",
          "S-1,14/01/2026,Person harmed,Letter,Yes,Yes,ZZ1 1ZZ", "S-2,03/02/2026,Person responsible,Meeting,No,Yes,ZZ2 2ZZ"]
SURVEY_MAP = {
    "schema": "rsqm/case-import@1",
    "columns": {"response_id": "Submission ID", "received_on": "Completed", "party": "You are", "process": "Process",
                "felt_safe": "Did you feel safe taking part?", "would_recommend": "Would you recommend it to others?"},
    "dates": "dayfirst",
    "values": {"party": {"Person harmed": "harmed", "Person responsible": "responsible"},
               "process": {"Letter": "letter", "Meeting": "face_to_face"},
               "felt_safe": {"Yes": "yes", "No": "no"}, "would_recommend": {"Yes": "yes", "No": "no"}},
    "ignore": ["Your postcode"],
}


@pytest.fixture
def survey(tmp_path: Path, ws) -> tuple[Path, Path]:
    ws.settings(feedback_questions=QUESTIONS)
    export = tmp_path / "survey.csv"
    export.write_bytes(("\r\n".join(SURVEY) + "\r\n").encode("utf-8-sig"))
    mapping = tmp_path / "survey-map.yaml"
    mapping.write_text(dump(SURVEY_MAP), encoding="utf-8")
    return export, mapping


def test_a_survey_export_imports_into_feedback_csv_without_its_ignored_column(ws, cli, survey):
    export, mapping = survey
    result = cli("feedback", "import", str(export), "--map", str(mapping), "-w", str(ws.root))
    assert result.code == 0, result.text
    assert "2 responses: 2 added, 0 updated, 0 unchanged" in result.out
    text = (ws.root / FEEDBACK_FILE).read_text(encoding="utf-8")
    assert text.splitlines() == [
        "response_id,received_on,party,process,felt_safe,would_recommend",
        "S-1,2026-01-14,harmed,letter,yes,yes",
        "S-2,2026-02-03,responsible,face_to_face,no,yes",
    ]
    assert all(b"ZZ1" not in p.read_bytes() for p in ws.root.rglob("*") if p.is_file())
    assert load_workspace(ws.root).valid
    again = cli("feedback", "import", str(export), "--map", str(mapping), "-w", str(ws.root))
    assert "0 added, 0 updated, 2 unchanged" in again.out


def test_a_survey_answer_outside_the_value_map_passes_through_and_is_refused_as_no_answer(ws, cli, survey, tmp_path):
    export, mapping = survey
    export.write_text("\n".join([*SURVEY, "S-3,04/02/2026,Person harmed,Letter,Not sure,Yes,ZZ3 3ZZ"]) + "\n", encoding="utf-8")
    result = cli("feedback", "import", str(export), "--map", str(mapping), "-w", str(ws.root))
    assert result.code == 1
    assert "survey.csv:4: error: S-3: Did you feel safe taking part?: expected yes, no or blank, got 'Not sure'" in result.err
    assert not (ws.root / FEEDBACK_FILE).exists()


def test_feedback_map_template_recognises_the_questions_by_their_wording(ws, cli, survey):
    export, _ = survey
    result = cli("feedback", "map-template", str(export), "-w", str(ws.root))
    assert result.code == 0, result.text
    assert 'felt_safe: "Did you feel safe taking part?"' in result.out
    assert 'response_id: "Submission ID"' in result.out and 'received_on: "Completed"' in result.out
    assert '- "Your postcode"' in result.out and "ZZ1" not in result.out
    assert '"Yes": yes' in result.out
