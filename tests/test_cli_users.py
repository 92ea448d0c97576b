"""rsqm users and rsqm log: what a coordinator sees at the terminal, and what each command leaves on disk."""

from __future__ import annotations

import io
import json
import sys
import zipfile
from datetime import UTC, datetime

import pytest
import yaml

from rsqm.base.paths import CHANGE_LOG
from rsqm.server.accounts import USERS_FILE, authenticate

PASSWORD = "correct horse battery"


@pytest.fixture
def users(ws, cli, monkeypatch):
    """Run ``rsqm users ...`` in the test workspace as coordinator 'boss', with ``password`` on standard input."""
    monkeypatch.setenv("RSQM_USER", "boss")

    def run(*args: str, password: str | None = None):
        monkeypatch.setattr(sys, "stdin", io.StringIO(f"{password}\n" if password is not None else ""))
        return cli("users", *args, "-w", str(ws.root))

    return run


def log_lines(ws) -> list[dict]:
    path = ws.root / CHANGE_LOG
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def stored_hashes(ws) -> list[str]:
    return [u["password_hash"] for u in yaml.safe_load((ws.root / USERS_FILE).read_text())["users"]]


def test_add_reads_the_password_from_standard_input_and_list_shows_names_and_roles_only(ws, users):
    added = users("add", "alice", "--role", "coordinator", password=PASSWORD)
    assert (added.code, added.out) == (0, "added alice (coordinator)\n")
    users("add", "bob.s", "--role", "supervisor", password=PASSWORD)
    listing = users("list")
    assert listing.code == 0
    assert listing.out == "alice  coordinator\nbob.s  supervisor\n"
    assert "argon2" not in listing.text and PASSWORD not in listing.text


def test_list_without_accounts_says_nobody_can_sign_in_and_how_to_start(users):
    result = users("list")
    assert result.code == 0
    assert "no accounts" in result.out and "--role coordinator" in result.out and "local_mode: true" in result.out


def test_every_write_leaves_exactly_one_change_log_line_naming_the_user(ws, users):
    steps = [
        (("add", "alice", "--role", "coordinator"), PASSWORD, "add account"),
        (("add", "carol", "--role", "leadership"), PASSWORD, "add account"),
        (("set-role", "carol", "supervisor"), None, "set role to supervisor"),
        (("set-password", "carol"), "a different secret", "set password"),
        (("remove", "carol"), None, "remove account"),
    ]
    for args, password, change in steps:
        before = len(log_lines(ws))
        result = users(*args, password=password)
        assert result.code == 0, result.text
        new = log_lines(ws)[before:]
        assert len(new) == 1
        assert (new[0]["who"], new[0]["file"], new[0]["change"]) == ("boss", USERS_FILE, change)
    assert users("list").out == "alice  coordinator\n"


def test_no_password_or_hash_appears_in_any_output_or_any_file_but_the_users_file(ws, users, cli):
    outputs = [
        users("add", "alice", "--role", "coordinator", password=PASSWORD),
        users("add", "dave", "--role", "supervisor", password="dave's long secret"),
        users("set-password", "dave", password="dave's newer secret"),
        users("list"),
        cli("log", "-w", str(ws.root)),
    ]
    secrets = [PASSWORD, "dave's long secret", "dave's newer secret", *stored_hashes(ws)]
    text = "".join(result.text for result in outputs)
    files = [p for p in ws.root.rglob("*") if p.is_file() and p != ws.root / USERS_FILE]
    assert ws.root / CHANGE_LOG in files
    for secret in secrets:
        assert secret not in text
        for path in files:
            assert secret not in path.read_text(errors="replace"), path


def test_a_duplicate_name_is_refused_and_nothing_changes(ws, users):
    users("add", "alice", "--role", "coordinator", password=PASSWORD)
    before = ((ws.root / USERS_FILE).read_bytes(), len(log_lines(ws)))
    result = users("add", "alice", "--role", "leadership", password=PASSWORD)
    assert result.code == 1
    assert "rsqm users: error: an account named 'alice' already exists in .rsqm/users.yaml" in result.err
    assert ((ws.root / USERS_FILE).read_bytes(), len(log_lines(ws))) == before


def test_an_unknown_role_is_a_usage_error(ws, users):
    result = users("add", "alice", "--role", "boss", password=PASSWORD)
    assert result.code == 2
    assert "invalid choice: 'boss'" in result.err
    assert users("set-role", "alice", "admin").code == 2
    assert not (ws.root / USERS_FILE).exists()


def test_a_name_that_is_not_a_username_is_a_usage_error(ws, users):
    result = users("add", "Alice Smith", "--role", "coordinator", password=PASSWORD)
    assert result.code == 2
    assert "not a valid username" in result.err
    assert not (ws.root / USERS_FILE).exists()


@pytest.mark.parametrize(("password", "message"), [("short", "at least 12 characters"), ("", "no password given")])
def test_a_short_or_missing_password_is_refused_and_nothing_is_written(ws, users, password, message):
    result = users("add", "alice", "--role", "coordinator", password=password)
    assert result.code == 1
    assert message in result.err
    assert not (ws.root / USERS_FILE).exists()
    assert log_lines(ws) == []


def test_removing_or_changing_an_unknown_account_fails(users):
    for args in (("remove", "ghost"), ("set-role", "ghost", "supervisor")):
        result = users(*args)
        assert result.code == 1
        assert "no account named 'ghost'" in result.err


def test_the_last_coordinator_cannot_be_demoted_while_others_have_accounts(users):
    users("add", "alice", "--role", "coordinator", password=PASSWORD)
    users("add", "bob", "--role", "supervisor", password=PASSWORD)
    result = users("set-role", "alice", "leadership")
    assert result.code == 1
    assert "last coordinator" in result.err
    assert "alice  coordinator" in users("list").out


def test_users_outside_a_workspace_is_a_usage_error(tmp_path, cli):
    result = cli("users", "list", "-w", str(tmp_path))
    assert result.code == 2
    assert "no workspace" in result.err


def test_log_prints_the_most_recent_changes_first_with_who_and_what(ws, users, cli):
    for name in ("alice", "bob", "carol"):
        users("add", name, "--role", "coordinator", password=PASSWORD)
    result = cli("log", "-w", str(ws.root), "--limit", "2")
    assert result.code == 0
    lines = result.out.splitlines()
    assert len(lines) == 2
    assert lines[0].endswith("  boss  .rsqm/users.yaml  add account carol")
    assert lines[1].endswith("  boss  .rsqm/users.yaml  add account bob")


def test_log_of_an_untouched_workspace_says_so(ws, cli):
    result = cli("log", "-w", str(ws.root))
    assert (result.code, result.out) == (0, "no changes recorded yet\n")


@pytest.mark.parametrize("limit", ["0", "-3", "many"])
def test_log_limit_must_be_a_positive_whole_number(ws, cli, limit):
    result = cli("log", "-w", str(ws.root), "--limit", limit)
    assert result.code == 2
    assert "at least 1" in result.err


def test_the_submission_pack_of_a_workspace_with_accounts_holds_no_password_or_hash(demo_copy, cli, monkeypatch, tmp_path):
    monkeypatch.setenv("RSQM_USER", "boss")
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{PASSWORD}\n"))
    assert cli("users", "add", "alice", "--role", "coordinator", "-w", str(demo_copy)).code == 0
    [secret_hash] = [u["password_hash"] for u in yaml.safe_load((demo_copy / USERS_FILE).read_text())["users"]]
    pack = tmp_path / "pack.zip"
    exported = cli("export", "-w", str(demo_copy), "--out", str(pack))
    assert exported.code == 0, exported.text
    with zipfile.ZipFile(pack) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    with zipfile.ZipFile(io.BytesIO(members.pop("submission.docx"))) as docx:
        members |= {f"submission.docx/{name}": docx.read(name) for name in docx.namelist()}
    assert not any(name.startswith(".rsqm") or "users" in name for name in members)
    for name, data in members.items():
        for secret in (PASSWORD, secret_hash, "$argon2id$"):
            assert secret.encode() not in data, name


def test_the_first_account_must_be_a_coordinator(ws, users):
    result = users("add", "lead", "--role", "leadership", password=PASSWORD)
    assert result.code == 1
    assert "first account must be a coordinator" in result.err
    assert not (ws.root / USERS_FILE).exists()


def test_a_common_password_is_refused(ws, users):
    result = users("add", "alice", "--role", "coordinator", password="Password1234!")
    assert result.code == 1
    assert "too common" in result.err
    assert not (ws.root / USERS_FILE).exists()


def test_reset_sets_a_temporary_password_that_must_be_changed_and_says_so(ws, users, no_failure_delay):
    users("add", "alice", "--role", "coordinator", password=PASSWORD)
    users("add", "sam", "--role", "supervisor", password=PASSWORD)
    assert "must_change" not in (ws.root / USERS_FILE).read_text()
    result = users("reset", "sam", password="temporary phrase 42")
    assert "must_change: true" in (ws.root / USERS_FILE).read_text()
    assert result.code == 0
    assert "must choose their own at the next sign-in" in result.out
    assert "temporary phrase 42" not in result.text
    assert log_lines(ws)[-1]["change"] == "reset password (must be changed at the next sign-in)"
    assert authenticate(ws.root, "sam", "temporary phrase 42", datetime.now(UTC)).must_change is True
