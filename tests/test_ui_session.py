"""Signing in to the dashboard (AppTest): no silent local mode, and a session re-checked at every run."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from rsqm.server.accounts import add_user, remove_user
from rsqm.server.sessions import resume_session
from rsqm.ui.session import local_mode_allowed

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PASSWORD = "a long enough secret"


@pytest.fixture
def root(ws, monkeypatch, no_failure_delay):
    monkeypatch.setenv("RSQM_WORKSPACE", str(ws.root))
    return ws.root


def run_app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def sign_in(at: AppTest, name: str, password: str) -> None:
    at.text_input[0].input(name)
    at.text_input[1].input(password)
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]


def titles(at: AppTest) -> list[str]:
    return [t.value for t in at.title]


def test_without_accounts_or_local_mode_nobody_gets_in_and_no_role_is_offered(root):
    at = run_app()
    assert titles(at) == ["No accounts yet"]
    assert "rsqm users add NAME --role coordinator" in at.error[0].value
    assert not at.selectbox


def test_local_mode_needs_the_setting_and_a_loopback_address(ws, root):
    ws.settings(local_mode=True)
    at = run_app()
    assert [box.label for box in at.selectbox] == ["Role"]
    assert local_mode_allowed(root, "127.0.0.1") is True
    assert local_mode_allowed(root, "0.0.0.0") is False
    assert local_mode_allowed(root, None) is False  # Streamlit's default listens on every interface


def test_once_accounts_exist_local_mode_is_ignored_and_the_sign_in_form_shows(ws, root):
    ws.settings(local_mode=True)
    add_user(root, "alice", "coordinator", PASSWORD, actor="setup")
    at = run_app()
    assert titles(at) == ["Sign in"]
    assert not at.selectbox


def test_a_removed_account_sees_the_sign_in_form_at_its_next_interaction(root):
    add_user(root, "alice", "coordinator", PASSWORD, actor="setup")
    add_user(root, "sam", "supervisor", PASSWORD, actor="alice")
    at = run_app()
    sign_in(at, "sam", PASSWORD)
    assert "Sign in" not in titles(at)
    assert any("Signed in as **sam**" in c.value for c in at.sidebar.caption)
    remove_user(root, "sam", actor="alice")
    at.run()
    assert titles(at) == ["Sign in"]
    assert "Your session has ended" in at.warning[0].value


def test_a_wrong_password_is_refused_with_the_same_message_as_an_unknown_name(root):
    add_user(root, "alice", "coordinator", PASSWORD, actor="setup")
    at = run_app()
    sign_in(at, "alice", "not the password")
    assert at.error[0].value == "Wrong username or password."


def test_a_reset_account_must_choose_a_new_password_before_anything_else(root):
    from rsqm.server.accounts import set_password

    add_user(root, "alice", "coordinator", PASSWORD, actor="setup")
    set_password(root, "alice", "temporary secret 42", actor="setup", must_change=True)
    at = run_app()
    sign_in(at, "alice", "temporary secret 42")
    assert titles(at) == ["Choose a new password"]
    at.text_input[0].input("my own new phrase")
    at.text_input[1].input("my own new phrase")
    at.button[0].click().run()
    assert "Choose a new password" not in titles(at)
    assert any("Signed in as **alice**" in c.value for c in at.sidebar.caption)


def test_signing_out_ends_the_session_on_the_server_too(root):
    add_user(root, "alice", "coordinator", PASSWORD, actor="setup")
    at = run_app()
    sign_in(at, "alice", PASSWORD)
    token = at.session_state["session_token"]
    at.sidebar.button[0].click().run()
    assert titles(at) == ["Sign in"]
    assert resume_session(root, token, datetime.now(UTC)) is None
