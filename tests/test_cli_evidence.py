"""rsqm evidence: keeping the register without hand-editing YAML (docs/design.md, "Evidence and approval")."""

from __future__ import annotations

import hashlib
import json

import pytest
import yaml

from builders import item
from rsqm.workspace.store import read_change_log

POLICY = b"# Restorative justice policy\n\nVersion 1.\n"


@pytest.fixture
def policy(tmp_path):
    path = tmp_path / "Our RJ Policy (final).md"
    path.write_bytes(POLICY)
    return path


def register(ws) -> list[dict]:
    return yaml.safe_load((ws.root / "evidence/register.yaml").read_text())["items"]


def status_of(cli, ws, indicator: str = "A1") -> str:
    result = cli("gaps", "--json", "-w", str(ws.root))
    return next(i["status"] for i in json.loads(result.out)["indicators"] if i["id"] == indicator)


def ev(cli, ws, *args: str):
    return cli("evidence", *args, "-w", str(ws.root))


def add(cli, ws, path, *extra: str):
    return ev(cli, ws, "add", str(path), "--type", "policy", "--title", "RJ policy", "--dated", "2026-01-10", *extra)


def test_add_link_approve_moves_an_indicator_from_not_met_to_met(ws, cli, policy, monkeypatch):
    monkeypatch.setenv("RSQM_USER", "P07")
    assert status_of(cli, ws) == "not_met"
    added = add(cli, ws, policy)
    assert added.code == 0, added.text
    assert added.out == "E001\n"  # the new id alone on stdout, for scripts
    assert "rsqm evidence approve E001 --by NAME" in added.err
    assert ev(cli, ws, "link", "E001", "A1", "--locator", "section 2", "--claim", "sets the policy").code == 0
    assert status_of(cli, ws) == "not_met"  # in review: it does not count yet
    approved = ev(cli, ws, "approve", "E001", "--by", "Management board")
    assert approved.code == 0, approved.text
    assert status_of(cli, ws) == "met"
    saved = register(ws)[0]
    assert saved["status"] == "approved"
    assert saved["sha256"] == hashlib.sha256(POLICY).hexdigest()
    assert saved["approved_by"] == "Management board"
    assert saved["links"] == [{"indicator": "A1", "locator": "section 2", "claim": "sets the policy"}]
    assert f"sha256 {saved['sha256']}" in approved.out


def test_approving_keeps_the_notes_a_person_wrote_in_the_register(ws, cli, policy):
    assert add(cli, ws, policy).code == 0
    path = ws.root / "evidence/register.yaml"
    path.write_text(path.read_text().replace("  title: RJ policy\n", "  title: RJ policy  # the board's March version\n"))
    assert ev(cli, ws, "approve", "E001", "--by", "Management board").code == 0
    assert "  title: RJ policy  # the board's March version\n" in path.read_text()
    assert register(ws)[0]["status"] == "approved"


def test_add_copies_the_file_into_evidence_files_under_a_safe_name(ws, cli, policy):
    add(cli, ws, policy)
    add(cli, ws, policy)
    items = register(ws)
    assert [i["file"] for i in items] == ["files/our-rj-policy-final.md", "files/our-rj-policy-final-2.md"]
    assert (ws.root / "evidence/files/our-rj-policy-final.md").read_bytes() == POLICY
    assert [i["id"] for i in items] == ["E001", "E002"]
    assert items[0]["status"] == "in_review" and "sha256" not in items[0]


def test_a_file_already_under_evidence_is_registered_in_place(ws, cli):
    ws.file("files/minutes.md", b"minutes\n")
    assert add(cli, ws, ws.root / "evidence/files/minutes.md").code == 0
    assert register(ws)[0]["file"] == "files/minutes.md"
    assert sorted(p.name for p in (ws.root / "evidence/files").iterdir()) == ["minutes.md"]


def test_changing_the_file_makes_it_not_met_until_approved_again(ws, cli, policy):
    add(cli, ws, policy)
    ev(cli, ws, "link", "E001", "A1", "--locator", "p. 1")
    ev(cli, ws, "approve", "E001", "--by", "Board")
    stored = ws.root / "evidence/files/our-rj-policy-final.md"
    stored.write_bytes(POLICY + b"An unapproved change.\n")
    assert status_of(cli, ws) == "not_met"
    gaps = cli("gaps", "-w", str(ws.root))
    assert "rsqm evidence approve E001 --by NAME" in gaps.out
    assert ev(cli, ws, "approve", "E001", "--by", "Board").code == 0
    assert status_of(cli, ws) == "met"
    assert register(ws)[0]["sha256"] == hashlib.sha256(stored.read_bytes()).hexdigest()


@pytest.mark.parametrize("change", [["--review-by", "2027-01-01"], ["--dated", "2026-02-01"], ["--file", "NEW"]])
def test_changing_an_approved_items_file_or_dates_returns_it_to_review(ws, cli, policy, tmp_path, change):
    add(cli, ws, policy)
    ev(cli, ws, "link", "E001", "A1", "--locator", "p. 1")
    ev(cli, ws, "approve", "E001", "--by", "Board")
    if change[-1] == "NEW":
        (tmp_path / "v2.md").write_bytes(b"version 2\n")
        change = ["--file", str(tmp_path / "v2.md")]
    result = ev(cli, ws, "update", "E001", *change)
    assert result.code == 0, result.text
    assert "needs approving again: rsqm evidence approve E001" in result.out
    saved = register(ws)[0]
    assert saved["status"] == "in_review"
    assert not {"sha256", "approved_by", "approved_on"} & set(saved)
    assert status_of(cli, ws) == "not_met"
    assert read_change_log(ws.root)[0].change == "evidence item updated (back to in review)"


def test_changing_only_the_title_keeps_the_approval(ws, cli, policy):
    add(cli, ws, policy)
    ev(cli, ws, "approve", "E001", "--by", "Board")
    assert ev(cli, ws, "update", "E001", "--title", "RJ policy v1").code == 0
    assert register(ws)[0]["status"] == "approved"


def test_an_unknown_id_exits_1_naming_it_and_writes_nothing(ws, cli, policy):
    add(cli, ws, policy)
    before = (ws.root / "evidence/register.yaml").read_bytes()
    for args in (["approve", "E999", "--by", "Board"], ["link", "E999", "A1", "--locator", "p. 1"], ["unlink", "E999", "A1"],
                 ["retire", "E001", "--superseded-by", "E999"]):
        result = ev(cli, ws, *args)
        assert result.code == 1, args
        assert "rsqm evidence: error: evidence/register.yaml: unknown evidence id 'E999' (the register has: E001)" in result.err
    assert (ws.root / "evidence/register.yaml").read_bytes() == before


def test_an_unknown_indicator_or_type_exits_1_naming_it(ws, cli, policy):
    add(cli, ws, policy)
    result = ev(cli, ws, "link", "E001", "Z9", "--locator", "p. 1")
    assert result.code == 1
    assert "standards/test-fw.yaml: unknown indicator 'Z9' in test-fw (known: A1, A2, B1)" in result.err
    bad_type = ev(cli, ws, "add", str(policy), "--type", "poster", "--title", "T", "--dated", "2026-01-10")
    assert bad_type.code == 1
    assert "unknown evidence type 'poster'" in bad_type.err
    assert len(register(ws)) == 1
    assert sorted(p.name for p in (ws.root / "evidence/files").iterdir()) == ["our-rj-policy-final.md"]  # nothing copied


def test_add_refuses_a_missing_file_a_future_date_and_a_disguised_file(ws, cli, tmp_path, policy):
    assert "no such file" in add(cli, ws, tmp_path / "nope.pdf").err
    assert "dated 2999-01-01 lies in the future" in ev(cli, ws, "add", str(policy), "--type", "policy", "--title", "T", "--dated", "2999-01-01").err
    fake = tmp_path / "policy.pdf"
    fake.write_bytes(b"MZ\x90\x00 a program")
    refused = add(cli, ws, fake)
    assert refused.code == 1 and "is not a PDF" in refused.err
    assert register(ws) == []


def test_approving_needs_the_file_on_disk(ws, cli):
    ws.evidence(item(status="in_review"))
    result = ev(cli, ws, "approve", "E001", "--by", "Board")
    assert result.code == 1
    assert "E001: its file evidence/files/E001.pdf is not there, so there is nothing to approve yet" in result.err


def test_link_again_replaces_the_link_and_unlink_removes_it(ws, cli, policy):
    add(cli, ws, policy)
    ev(cli, ws, "link", "E001", "A1", "--locator", "p. 1")
    ev(cli, ws, "link", "E001", "A1", "--locator", "p. 9", "--claim", "better")
    assert register(ws)[0]["links"] == [{"indicator": "A1", "locator": "p. 9", "claim": "better"}]
    assert ev(cli, ws, "unlink", "E001", "A1").out == "unlinked E001 from A1\n"
    assert register(ws)[0]["links"] == []
    again = ev(cli, ws, "unlink", "E001", "A1")
    assert again.code == 1 and "E001 is not linked to 'A1'" in again.err


def test_retire_marks_an_item_superseded_by_a_newer_one(ws, cli, policy):
    add(cli, ws, policy)
    add(cli, ws, policy)
    result = ev(cli, ws, "retire", "E001", "--superseded-by", "E002")
    assert result.code == 0 and result.out == "retired E001: superseded by E002\n"
    first = register(ws)[0]
    assert (first["status"], first["superseded_by"]) == ("superseded", "E002")
    assert ev(cli, ws, "retire", "E002", "--superseded-by", "E002").code == 1
    assert ev(cli, ws, "approve", "E001", "--by", "Board").code == 1  # approve the item that replaced it
    assert cli("validate", "-w", str(ws.root)).code == 0


def test_every_edit_is_one_change_log_line_naming_who_and_what(ws, cli, policy, monkeypatch):
    monkeypatch.setenv("RSQM_USER", "P07")
    add(cli, ws, policy)
    ev(cli, ws, "link", "E001", "A1", "--locator", "p. 1")
    ev(cli, ws, "approve", "E001", "--by", "Board")
    entries = [(e.who, e.file, e.change, e.item) for e in reversed(read_change_log(ws.root))]
    assert entries == [
        ("P07", "evidence/files/our-rj-policy-final.md", "evidence file added", "E001"),
        ("P07", "evidence/register.yaml", "evidence item added", "E001"),
        ("P07", "evidence/register.yaml", "linked to A1", "E001"),
        ("P07", "evidence/register.yaml", "evidence approved", "E001"),
    ]


def test_list_shows_every_item_and_json_gives_the_register(ws, cli, policy):
    assert "the register is empty" in ev(cli, ws, "list").out
    add(cli, ws, policy)
    ev(cli, ws, "link", "E001", "A1", "--locator", "p. 1")
    listed = ev(cli, ws, "list")
    assert listed.code == 0
    assert listed.out.split() == ["E001", "awaiting", "approval", "Policy", "2026-01-10", "RJ", "policy", "(A1)"]  # in words
    data = json.loads(ev(cli, ws, "list", "--json").out)
    assert [(i["id"], i["status"], i["file"], i["file_present"]) for i in data["items"]] == [("E001", "in_review", "files/our-rj-policy-final.md", True)]


def test_an_approved_item_without_a_sha256_is_a_warning_naming_the_fix(ws, cli):
    ws.file("files/E001.pdf", b"%PDF-1.4\n")
    ws.evidence(item())
    result = cli("validate", "-w", str(ws.root))
    assert result.code == 0
    assert ("evidence/register.yaml:9: warning: E001: approved without a recorded file fingerprint, so a later change to its file "
            "cannot be detected; run 'rsqm evidence approve E001 --by NAME' to record it") in result.out
    ev(cli, ws, "approve", "E001", "--by", "Board")
    assert "warning" not in cli("validate", "-w", str(ws.root)).out


def test_a_register_with_errors_is_not_edited(ws, cli, policy):
    ws.write("evidence/register.yaml", "schema: rsqm/register@1\nitems: {}\n")
    result = add(cli, ws, policy)
    assert result.code == 1
    assert "evidence/register.yaml:2: error: items:" in result.err
    assert (ws.root / "evidence/register.yaml").read_text() == "schema: rsqm/register@1\nitems: {}\n"


def test_types_lists_what_type_accepts(ws, cli):
    result = ev(cli, ws, "types")
    assert result.code == 0
    assert [line.split()[0] for line in result.out.splitlines()] == ["policy", "supervision_record", "training_record"]


def test_an_error_in_an_unrelated_file_does_not_block_a_register_edit(ws, cli, policy):
    ws.write("evidence/audits/RT-2025-001.yaml", "schema: rsqm/audit@1\ncase_ref: [oops\n")
    result = add(cli, ws, policy)
    assert result.code == 0, result.text
    assert "note: the workspace has 1 error(s) elsewhere; 'rsqm validate' lists them" in result.err
    assert register(ws)[0]["id"] == "E001"
