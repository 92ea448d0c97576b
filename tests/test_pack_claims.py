"""A claim only where a record makes it true.

Each sentence of the submission that states how things stand (disagreements settled, a concern handled, a round's
compliance) is paired here with the record that makes it true and the record that makes it false.
"""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
import yaml

from builders import case
from pack_fixtures import filled


@pytest.fixture
def full(ws):
    return filled(ws)


def audit_files(ws):
    return sorted((ws.root / "evidence/audits").glob("*.yaml"))


def change_audit(path, **changes) -> None:
    record = yaml.safe_load(path.read_text())
    record.update(changes)
    for key, value in list(record.items()):
        if value is None:
            del record[key]
    path.write_text(yaml.safe_dump(record, sort_keys=False))


def moderated(ws):
    return next(p for p in audit_files(ws) if "moderation" in yaml.safe_load(p.read_text()))


def document_text(cli, root, out) -> str:
    result = cli("export", "-w", str(root), "--out", str(out), "--as-of", "2026-06-30")
    assert result.code == 0, result.output
    with zipfile.ZipFile(out) as pack:
        document = docx.Document(io.BytesIO(pack.read("submission.docx")))
    lines = [p.text for p in document.paragraphs]
    lines += [" | ".join(cell.text for cell in row.cells) for table in document.tables for row in table.rows]
    return "\n".join(lines)


def test_disagreements_are_settled_only_when_each_has_an_agreed_answer(cli, full, tmp_path):
    text = document_text(cli, full.root, tmp_path / "settled.zip")
    assert "every disagreement was settled by an agreed answer" in text
    assert "await" not in text

    path = moderated(full)
    record = yaml.safe_load(path.read_text())
    record["moderation"]["agreed"] = {}
    path.write_text(yaml.safe_dump(record, sort_keys=False))
    text = document_text(cli, full.root, tmp_path / "unsettled.zip")
    assert "settled by an agreed answer" not in text
    assert "1 of the 1 disagreement awaits an agreed answer" in text


def test_markers_who_never_disagreed_are_not_said_to_have_settled_anything(cli, full, tmp_path):
    path = moderated(full)
    record = yaml.safe_load(path.read_text())
    record["answers"]["consent_recorded"] = {"result": "met"}
    path.write_text(yaml.safe_dump(record, sort_keys=False))
    text = document_text(cli, full.root, tmp_path / "pack.zip")
    assert "they did not disagree on any answer" in text
    assert "settled" not in text


def test_a_safeguarding_concern_is_handled_only_once_its_resolution_is_recorded(cli, full, tmp_path):
    path = audit_files(full)[1]
    change_audit(path, safeguarding_concern=True, safeguarding_note="escalated to the lead")
    text = document_text(cli, full.root, tmp_path / "open.zip")
    assert "1 safeguarding concern was raised during the audit and is still open" in text
    assert "handled" not in text

    change_audit(path, resolved_on="2026-02-01", resolved_by="sup1", resolution_note="referred and closed")
    text = document_text(cli, full.root, tmp_path / "resolved.zip")
    assert "1 safeguarding concern was raised during the audit; it was handled under" in text
    assert "still open" not in text


def test_a_concern_resolved_after_the_as_of_date_is_still_open_in_the_pack(cli, full, tmp_path):
    path = audit_files(full)[1]
    change_audit(path, safeguarding_concern=True, resolved_on="2026-08-01", resolved_by="sup1")
    text = document_text(cli, full.root, tmp_path / "pack.zip")
    assert "is still open" in text
    assert "handled" not in text


def test_no_concern_raised_is_said_as_such(cli, full, tmp_path):
    text = document_text(cli, full.root, tmp_path / "pack.zip")
    assert "No safeguarding concern was raised during the audit." in text


def test_an_incomplete_round_gives_its_progress_never_a_rate(cli, full, tmp_path):
    text = document_text(cli, full.root, tmp_path / "complete.zip")
    complete = next(line for line in text.splitlines() if line.startswith("2025-Q4 | ") and " of " in line)
    assert "4 of 4" in complete and "%" in complete

    change_audit(audit_files(full)[2], audited_on=None)
    text = document_text(cli, full.root, tmp_path / "incomplete.zip")
    row = next(line for line in text.splitlines() if line.startswith("2025-Q4 | ") and " of " in line)
    assert "3 of 4" in row
    assert "not yet complete" in row
    assert "%" not in row


def test_an_offer_of_information_is_counted_by_one_rule_the_recorded_day_of_the_offer(cli, full, tmp_path):
    rows = [case(f"RJ-2025-{n:03d}", process="letter" if n % 2 else "conference") for n in range(1, 13)]
    for row in rows[:3]:
        row["rj_info_offered_on"] = "2025-06-02"
    for row in rows[3:6]:
        row["offer_accepted"] = "yes"  # an answer recorded, but not the day of any offer
    full.cases(*rows)
    text = document_text(cli, full.root, tmp_path / "pack.zip")
    offered = next(line for line in text.splitlines() if line.startswith("Offered information about restorative justice |"))
    assert offered.endswith("25% (3 of 12)")
    assert "the same rule as the time-limit measure" in text
