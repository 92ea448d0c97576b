"""Local accounts: Argon2id hashes, password policy, sign-in, lockout after five failures (also in parallel), session expiry."""

from __future__ import annotations

import json
import os
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from argon2 import PasswordHasher

from conftest import ACCOUNT_PASSWORD
from rsqm.server.access import Role
from rsqm.server.accounts import (
    LOGIN_STATE_FILE,
    USERS_FILE,
    Account,
    AccountError,
    LockedOut,
    LoginFailed,
    accounts_configured,
    accounts_exist,
    add_user,
    authenticate,
    common_passwords,
    list_accounts,
    remove_user,
    session_expired,
    set_password,
    set_role,
    sso_account,
)
from rsqm.workspace.load import load_workspace
from rsqm.workspace.store import read_change_log

pytestmark = pytest.mark.usefixtures("no_failure_delay")
PASSWORD = ACCOUNT_PASSWORD
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def root(with_coordinator):
    return with_coordinator


def stored_hash(root, name="alice") -> str:
    users = yaml.safe_load((root / USERS_FILE).read_text())["users"]
    return next(u["password_hash"] for u in users if u["name"] == name)


def fail(root, name="alice", times=1, at=NOW):
    for _ in range(times):
        with pytest.raises(LoginFailed):
            authenticate(root, name, "wrong password!", at)


def test_a_fresh_workspace_has_no_accounts_until_the_first_is_added(ws):
    assert (accounts_exist(ws.root), accounts_configured(ws.root)) == (False, False)
    add_user(ws.root, "alice", Role.coordinator, PASSWORD, actor="setup")
    assert (accounts_exist(ws.root), accounts_configured(ws.root)) == (True, True)


def test_a_workspace_that_had_accounts_stays_configured_even_when_the_list_is_emptied_by_hand(root):
    (root / USERS_FILE).write_text("schema: rsqm/users@1\nusers: []\n")
    assert (accounts_exist(root), accounts_configured(root)) == (False, True)


def test_the_password_is_stored_only_as_an_argon2id_hash(root):
    text = (root / USERS_FILE).read_text()
    assert PASSWORD not in text
    assert stored_hash(root).startswith("$argon2id$")
    assert PasswordHasher().verify(stored_hash(root), PASSWORD)


def test_the_right_password_signs_in_and_the_account_carries_no_hash(root):
    account = authenticate(root, "alice", PASSWORD, NOW)
    assert account == Account("alice", Role.coordinator)
    assert "argon2" not in repr(account)
    assert not hasattr(account, "password_hash")


def test_a_wrong_password_and_an_unknown_name_fail_with_the_same_message(root):
    with pytest.raises(LoginFailed) as wrong:
        authenticate(root, "alice", "not the password", NOW)
    with pytest.raises(LoginFailed) as unknown:
        authenticate(root, "nobody", PASSWORD, NOW)
    assert str(wrong.value) == str(unknown.value) == "wrong username or password"
    assert not isinstance(wrong.value, LockedOut)


def test_five_failures_lock_the_name_for_fifteen_minutes_and_say_when_the_lock_ends(root):
    fail(root, times=4)
    with pytest.raises(LockedOut) as locked:
        authenticate(root, "alice", "wrong password!", NOW)
    assert locked.value.until == NOW + timedelta(minutes=15)
    assert "locked until 2026-03-02 09:15 UTC" in str(locked.value)
    with pytest.raises(LockedOut):  # even the right password is refused while locked
        authenticate(root, "alice", PASSWORD, NOW + timedelta(minutes=14, seconds=59))
    assert authenticate(root, "alice", PASSWORD, NOW + timedelta(minutes=15)).name == "alice"


def test_the_lock_is_kept_on_disk_so_a_restart_does_not_lift_it(root):
    fail(root, times=5)
    state = json.loads((root / LOGIN_STATE_FILE).read_text())
    assert state["names"]["alice"]["locked_until"] == "2026-03-02T09:15:00+00:00"
    assert PASSWORD not in (root / LOGIN_STATE_FILE).read_text()


def test_unknown_names_are_locked_too_so_the_lock_does_not_reveal_real_names(root):
    fail(root, name="mallory", times=4)
    with pytest.raises(LockedOut):
        authenticate(root, "mallory", "wrong password!", NOW)


def test_failures_older_than_the_lockout_window_no_longer_count(root):
    fail(root, times=4)
    later = NOW + timedelta(minutes=16)
    fail(root, times=1, at=later)  # would be the fifth: not locked
    assert authenticate(root, "alice", PASSWORD, later).name == "alice"


def test_a_successful_sign_in_clears_earlier_failures(root):
    fail(root, times=4)
    authenticate(root, "alice", PASSWORD, NOW)
    fail(root, times=4)
    assert authenticate(root, "alice", PASSWORD, NOW).name == "alice"


def test_the_change_log_says_failed_sign_in_only_when_the_password_was_wrong(root):
    authenticate(root, "alice", PASSWORD, NOW)
    assert [e.change for e in read_change_log(root) if e.file == LOGIN_STATE_FILE] == ["sign-in succeeded; failed attempts cleared"]
    fail(root, times=1)
    assert [e.change for e in read_change_log(root, 1)] == ["failed sign-in"]


def test_failed_sign_ins_and_the_lock_are_in_the_change_log_without_the_password(root):
    fail(root, times=5)
    entries = [e for e in read_change_log(root) if e.file == LOGIN_STATE_FILE]
    assert len(entries) == 5
    assert entries[0].change == "locked out for 15 minutes after 5 failed sign-ins"
    assert {e.item for e in entries} == {"alice"}
    assert "wrong password!" not in (root / ".rsqm/changes.jsonl").read_text()


def test_an_outdated_hash_is_replaced_at_the_next_sign_in(root):
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    path = root / USERS_FILE
    path.write_text(path.read_text().replace(stored_hash(root), weak))
    authenticate(root, "alice", PASSWORD, NOW)
    renewed = stored_hash(root)
    assert renewed != weak
    assert not PasswordHasher().check_needs_rehash(renewed)
    assert read_change_log(root, 1)[0].change == "rehash password"


@pytest.mark.parametrize(("idle", "expired"), [(29, False), (30, False), (31, True)])
def test_a_session_expires_after_thirty_minutes_without_activity(idle, expired):
    assert session_expired(NOW, NOW + timedelta(minutes=idle)) is expired


def test_the_session_timeout_can_be_shortened():
    assert session_expired(NOW, NOW + timedelta(minutes=6), minutes=5) is True


@pytest.mark.parametrize("name", ["Alice", "a", "1alice", "alice smith", "al@ice", "a" * 33])
def test_usernames_that_could_be_personal_details_or_odd_are_refused(ws, name):
    with pytest.raises(AccountError, match="not a valid username"):
        add_user(ws.root, name, "coordinator", PASSWORD, actor="setup")
    assert not (ws.root / USERS_FILE).exists()


def test_a_password_shorter_than_twelve_characters_is_refused(ws):
    with pytest.raises(AccountError, match="at least 12 characters"):
        add_user(ws.root, "alice", "coordinator", "correct hor", actor="setup")


@pytest.mark.parametrize(
    "password",
    ["aaaaaaaaaaaa", "abababababab", "qwerty123456", "leavemealone", "password1234", "Password123!", "Liverpool2024!!", "1234567890123"],
)
def test_common_passwords_and_common_words_with_digits_tacked_on_are_refused(ws, password):
    with pytest.raises(AccountError, match="too common"):
        add_user(ws.root, "alice", "coordinator", password, actor="setup")
    assert not (ws.root / USERS_FILE).exists()


def test_the_common_password_list_is_bundled_with_its_source():
    text = (Path(__file__).resolve().parent.parent / "rsqm" / "data" / "common-passwords.txt").read_text(encoding="utf-8")
    assert "Source:" in text.split("\n123456\n")[0]
    assert len(common_passwords()) == 30_000


def test_an_uncommon_long_password_is_accepted(ws):
    add_user(ws.root, "alice", "coordinator", "otter kettle window brass", actor="setup")
    assert authenticate(ws.root, "alice", "otter kettle window brass", NOW).name == "alice"


def test_the_first_account_must_be_a_coordinator(ws):
    with pytest.raises(AccountError, match="first account must be a coordinator"):
        add_user(ws.root, "lead", "leadership", PASSWORD, actor="setup")
    assert not (ws.root / USERS_FILE).exists()


def test_a_duplicate_name_and_an_unknown_role_are_refused(root):
    with pytest.raises(AccountError, match="already exists"):
        add_user(root, "alice", "supervisor", PASSWORD, actor="setup")
    with pytest.raises(AccountError, match="unknown role 'boss'"):
        add_user(root, "bob", "boss", PASSWORD, actor="setup")
    assert list_accounts(root) == [Account("alice", Role.coordinator)]


def test_roles_change_and_accounts_go_but_the_last_coordinator_stays(root):
    add_user(root, "bob", "supervisor", PASSWORD, actor="alice")
    with pytest.raises(AccountError, match="last coordinator"):
        set_role(root, "alice", "leadership", actor="alice")
    with pytest.raises(AccountError, match="last coordinator"):
        remove_user(root, "alice", actor="alice")
    set_role(root, "bob", "coordinator", actor="alice")
    remove_user(root, "alice", actor="bob")
    assert list_accounts(root) == [Account("bob", Role.coordinator)]


def test_the_last_coordinator_cannot_be_removed_or_demoted_even_when_alone(root):
    with pytest.raises(AccountError, match="last coordinator"):
        remove_user(root, "alice", actor="alice")
    with pytest.raises(AccountError, match="last coordinator"):
        set_role(root, "alice", "supervisor", actor="alice")
    assert list_accounts(root) == [Account("alice", Role.coordinator)]


def test_a_reset_password_signs_in_once_with_the_demand_to_change_it(root):
    set_password(root, "alice", "temporary secret 42", actor="bob", must_change=True)
    assert authenticate(root, "alice", "temporary secret 42", NOW).must_change is True
    set_password(root, "alice", "my own new phrase", actor="alice")
    assert authenticate(root, "alice", "my own new phrase", NOW).must_change is False


def test_sixty_four_parallel_wrong_passwords_get_only_five_checks_then_the_lock(root):
    def attempt(_):
        try:
            authenticate(root, "alice", "wrong password!", NOW)
        except LockedOut:
            return "locked"
        except LoginFailed:
            return "failed"
        return "signed in"

    with ThreadPoolExecutor(max_workers=64) as pool:
        results = list(pool.map(attempt, range(64)))
    counted = [e for e in read_change_log(root) if e.file == LOGIN_STATE_FILE]
    assert len(counted) == 5  # four failures and the one that locked: no other attempt reached the password check
    assert results.count("failed") == 4 and results.count("locked") == 60
    with pytest.raises(LockedOut):
        authenticate(root, "alice", PASSWORD, NOW)


def test_a_failed_sign_in_answers_only_after_a_delay(root):
    started = time.monotonic()
    with pytest.raises(LoginFailed):
        authenticate(root, "alice", "wrong password!", NOW, delay=0.3)
    assert time.monotonic() - started >= 0.3


def test_a_new_password_replaces_the_old_one(root):
    set_password(root, "alice", "another long secret", actor="alice")
    with pytest.raises(LoginFailed):
        authenticate(root, "alice", PASSWORD, NOW)
    assert authenticate(root, "alice", "another long secret", NOW).role == Role.coordinator


def test_a_hand_broken_users_file_is_reported_with_its_line(root):
    (root / USERS_FILE).write_text("schema: rsqm/users@1\nusers:\n  - name: alice\n    role: boss\n    password_hash: x\n")
    with pytest.raises(AccountError, match=r"\.rsqm/users\.yaml:4: error"):
        list_accounts(root)


def test_single_sign_on_users_get_the_role_mapped_to_their_subject_or_email(ws):
    ws.settings(sso_roles={"sub-123": "supervisor", "lead@example.org": "leadership"})
    settings = load_workspace(ws.root).settings
    assert sso_account(settings, {"sub": "sub-123", "email": "x@example.org"}) == Account("sub-123", Role.supervisor)
    assert sso_account(settings, {"sub": "other", "email": "lead@example.org"}).role == Role.leadership
    with pytest.raises(LoginFailed, match="no role in this workspace"):
        sso_account(settings, {"sub": "stranger", "email": "who@example.org"})


def test_an_unknown_sso_role_is_a_validation_error_at_its_line(ws, cli):
    ws.settings(sso_roles={"sub-123": "boss"})
    result = cli("validate", "-w", str(ws.root))
    assert result.code == 1
    assert "rsqm.yaml:8: error: single sign-on roles sub-123: 'boss' is not allowed" in result.out


@pytest.mark.timeout(30)
def test_a_fifo_in_place_of_the_users_file_is_reported_not_waited_on(ws):
    (ws.root / ".rsqm").mkdir()
    os.mkfifo(ws.root / USERS_FILE)
    with pytest.raises(AccountError, match=r"\.rsqm/users\.yaml:1: error: not a regular file"):
        list_accounts(ws.root)
