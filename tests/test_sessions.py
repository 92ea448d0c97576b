"""Dashboard sessions: kept on the server by a token's digest, checked against the accounts file at every use."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from conftest import ACCOUNT_PASSWORD
from rsqm.server.access import Role
from rsqm.server.accounts import Account, LoginFailed, add_user, authenticate, remove_user, set_password, set_role
from rsqm.server.sessions import SESSIONS_FILE, end_session, resume_session, start_session
from rsqm.workspace.store import read_change_log

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def root(with_coordinator):
    add_user(with_coordinator, "sam", "supervisor", ACCOUNT_PASSWORD, actor="alice")
    return with_coordinator


def test_a_session_resumes_from_its_token_in_any_tab_until_it_ends(root):
    token = start_session(root, "sam", NOW)
    later = NOW + timedelta(minutes=5)
    assert resume_session(root, token, later, NOW) == Account("sam", Role.supervisor)
    assert resume_session(root, token, later, None) == Account("sam", Role.supervisor)  # a second tab, a reload
    end_session(root, token)
    assert resume_session(root, token, later, NOW) is None


def test_only_the_digest_of_the_token_is_stored_and_sign_in_and_out_are_logged(root):
    token = start_session(root, "sam", NOW)
    assert token not in (root / SESSIONS_FILE).read_text()
    end_session(root, token)
    changes = [e.change for e in read_change_log(root) if e.file == SESSIONS_FILE]
    assert changes == ["signed out", "signed in"]


def test_an_unknown_or_forged_token_opens_nothing(root):
    start_session(root, "sam", NOW)
    assert resume_session(root, "not-a-token", NOW) is None


def test_a_removed_account_loses_its_session_at_the_next_interaction(root):
    token = start_session(root, "sam", NOW)
    remove_user(root, "sam", actor="alice")
    assert resume_session(root, token, NOW) is None


def test_a_demoted_or_promoted_account_must_sign_in_again(root):
    token = start_session(root, "sam", NOW)
    set_role(root, "sam", "leadership", actor="alice")
    assert resume_session(root, token, NOW) is None


def test_a_changed_or_reset_password_ends_the_open_sessions(root):
    changed, reset = start_session(root, "sam", NOW), start_session(root, "alice", NOW)
    set_password(root, "sam", "a different secret", actor="sam")
    set_password(root, "alice", "temporary secret 42", actor="bob", must_change=True)
    assert resume_session(root, changed, NOW) is None
    assert resume_session(root, reset, NOW) is None


def test_a_locked_account_loses_its_session(root):
    token = start_session(root, "sam", NOW)
    for _ in range(5):
        with pytest.raises(LoginFailed):
            authenticate(root, "sam", "someone guessing", NOW)
    assert resume_session(root, token, NOW + timedelta(minutes=1)) is None


@pytest.mark.parametrize(("idle", "alive"), [(29, True), (31, False)])
def test_a_session_ends_after_thirty_minutes_without_activity(root, idle, alive):
    token = start_session(root, "sam", NOW)
    last = NOW + timedelta(hours=2)
    assert (resume_session(root, token, last + timedelta(minutes=idle), last) is not None) is alive


def test_a_session_ends_twelve_hours_after_sign_in_however_active(root):
    token = start_session(root, "sam", NOW)
    late = NOW + timedelta(hours=12, minutes=1)
    assert resume_session(root, token, late, late - timedelta(minutes=1)) is None
