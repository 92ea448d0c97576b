"""The pre-flight's memo: what a file held when an earlier run read the same bytes is reused, and nothing else is."""

from __future__ import annotations

import json
import stat

from pack_fixtures import docx_bytes, filled
from rsqm.privacy.memo import MEMO_FILE
from rsqm.privacy.scan import scan
from rsqm.workspace.load import load_workspace

SUPERVISION = "files/supervision.docx"  # E004's file in the filled workspace: linked, qualifying, exported


def findings(root, ids=("E004",)) -> list[str]:
    return sorted(str(problem) for problem in scan(load_workspace(root), list(ids)).problems)


def memo_of(root) -> dict:
    return json.loads((root / MEMO_FILE).read_text(encoding="utf-8"))


def planted(root, text: str) -> None:
    """Swap what the memo holds for E004's file for one made-up finding: a later run that reports it read the memo."""
    memo = memo_of(root)
    [key] = [key for key in memo["files"] if key.endswith(" supervision.docx")]
    memo["files"][key] = [["personal name", text, 1, "body (word/document.xml), line 1"]]
    (root / MEMO_FILE).write_text(json.dumps(memo), encoding="utf-8")


def test_a_second_run_over_the_same_bytes_reports_what_the_first_found_and_reads_the_memo(ws):
    full = filled(ws)
    full.file(SUPERVISION, docx_bytes("Supervision is monthly.", "Write to Mr Thistlewood at SW1A 1AA."))
    first = findings(full.root)
    assert any("personal name 'Mr Thistlewood'" in p for p in first)
    assert findings(full.root) == first
    planted(full.root, "Mr Planted")
    assert any("personal name 'Mr Planted'" in p for p in findings(full.root))


def test_changed_bytes_are_read_again(ws):
    full = filled(ws)
    full.file(SUPERVISION, docx_bytes("Supervision is monthly."))
    assert findings(full.root) == []
    planted(full.root, "Mr Planted")
    full.file(SUPERVISION, docx_bytes("Supervision is monthly.", "Call 07700 900123."))
    found = findings(full.root)
    assert any("UK phone number '07700 900123'" in p for p in found)
    assert not any("Mr Planted" in p for p in found)


def test_other_key_names_make_a_new_memo(ws):
    full = filled(ws)
    full.file(SUPERVISION, docx_bytes("Quenby agreed to meet."))
    findings(full.root)
    planted(full.root, "Mr Planted")
    full.write("../private/key.csv", "case_ref,real_name,pseudonym\nRJ-2025-001,Ottilie Quenby,Person A\n")
    full.settings(pseudonymisation_key="../private/key.csv")
    found = findings(full.root)
    assert any("participant's name 'Quenby'" in p for p in found)
    assert not any("Mr Planted" in p for p in found)


def test_the_allow_list_applies_to_what_the_memo_holds(ws):
    full = filled(ws)
    full.file(SUPERVISION, docx_bytes("Call us on 020 7946 0000."))
    assert any("020 7946 0000" in p for p in findings(full.root))
    full.settings(public_contacts=["020 7946 0000"])  # the file is unchanged: its findings come from the memo
    assert findings(full.root) == []
    assert memo_of(full.root)["files"]  # and the memo still holds the number, found before the allow-list


def test_the_memo_is_private_and_holds_only_the_files_of_the_latest_run(ws):
    full = filled(ws)
    full.file(SUPERVISION, docx_bytes("Write to Mr Thistlewood."))
    findings(full.root, ("E001", "E004"))
    assert stat.S_IMODE((full.root / MEMO_FILE).stat().st_mode) == 0o600
    assert any(key.endswith(" supervision.docx") for key in memo_of(full.root)["files"])
    findings(full.root, ("E001",))  # E004 no longer leaves: what was found in it goes
    assert not any(key.endswith(" supervision.docx") for key in memo_of(full.root)["files"])


def test_a_damaged_memo_is_read_past(ws):
    full = filled(ws)
    full.file(SUPERVISION, docx_bytes("Write to Mr Thistlewood."))
    first = findings(full.root)
    (full.root / MEMO_FILE).write_text("{not json", encoding="utf-8")
    assert findings(full.root) == first
