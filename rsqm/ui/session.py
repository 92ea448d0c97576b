"""Who is using the dashboard: a signed-in account, or a role picked in local mode.

A session lives on the server (``rsqm.server.sessions``); the browser holds only its
random token, in a cookie the server sets (HttpOnly, SameSite=Strict, Secure behind
HTTPS: ``rsqm.server.cookie``), so a reload or a second tab stays signed in. Every
run of the script checks the token against the accounts file again, so a
removed, locked, demoted or reset account loses access at its next click.
"""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import streamlit as st
from pydantic import ValidationError

from rsqm.base.paths import SETTINGS_FILE
from rsqm.files.folder import read_yaml
from rsqm.files.models import WorkspaceSettings
from rsqm.files.yamlio import YamlRefused
from rsqm.server.access import Role
from rsqm.server.accounts import AccountError, LoginFailed, accounts_configured, authenticate, set_password, sso_account
from rsqm.server.cookie import COOKIE, ROUTE, hand_off, mounted
from rsqm.server.sessions import LIFETIME, end_session, resume_session, session_key, start_session
from rsqm.workspace.store import WriteConflict

BUNDLED_DEMO = Path(__file__).resolve().parents[2]  # the repository root holds the demo workspace
ROLE_LABELS = {role: role.value.capitalize() for role in Role}  # the names are the permission table's roles
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
# When each session was last used; kept in the server's memory and shared by all its tabs.
_LAST_SEEN: dict[str, datetime] = {}


@dataclass(frozen=True)
class Viewer:
    user: str
    role: Role


def viewer(root: Path) -> Viewer | None:
    """The person using this session, or None while the sign-in form (or a refusal) is shown."""
    settings = _settings(root)
    sso = settings if settings is not None and settings.sso_roles and single_sign_on_configured() else None
    if sso is not None and st.user.is_logged_in:
        return _signed_in_with_provider(sso)
    try:
        if accounts_configured(root):
            return _signed_in(root, sso is not None)
    except AccountError as broken:
        st.error(f"The accounts file cannot be read, so nobody can sign in: {broken}")
        return None
    if sso is not None:
        st.title("Sign in")
        _provider_button()
        return None
    if local_mode_allowed(root, st.get_option("server.address")):
        return _local(root)
    st.title("No accounts yet")
    st.error(
        "This workspace has no accounts, so nobody can sign in. Create the first coordinator with "
        "`rsqm users add NAME --role coordinator`. To use the dashboard alone on this computer without accounts, "
        "set `local_mode: true` in rsqm.yaml and keep the server address at 127.0.0.1."
    )
    return None


def _settings(root: Path) -> WorkspaceSettings | None:
    try:
        return WorkspaceSettings.model_validate(read_yaml(root, SETTINGS_FILE).data)
    except (YamlRefused, ValidationError):
        return None  # the dashboard shows the workspace's problems once someone is signed in


def single_sign_on_configured() -> bool:
    """An OpenID Connect provider is set up in .streamlit/secrets.toml ([auth], docs/accounts.md)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all, or one that cannot be parsed: Streamlit raises several kinds
        return False


def _provider_button() -> None:
    st.caption("Use your work account (single sign-on).")
    if st.button("Sign in with your work account", type="primary", key="sso_sign_in"):
        st.login()


def _signed_in_with_provider(settings: WorkspaceSettings) -> Viewer | None:
    """A person the provider vouches for, with the role ``sso_roles`` gives them now (checked on every run)."""
    try:
        account = sso_account(settings, st.user.to_dict())
    except LoginFailed:
        st.title("No role in this workspace")
        subject = st.user.get("sub") or "unknown"
        st.error(f"You signed in with your work account (subject id `{subject}`), but this workspace gives it no role. "
                 "Ask the coordinator to add that id to `sso_roles` in rsqm.yaml.")
        if st.button("Sign out", key="sso_sign_out_refused"):
            st.logout()
        return None
    with st.sidebar:
        if st.button("Sign out", key="sso_sign_out"):
            st.logout()
    return Viewer(user=account.name, role=account.role)


def local_mode_allowed(root: Path, address: str | None) -> bool:
    """Local mode needs both ``local_mode: true`` in rsqm.yaml and a server that listens on this computer only."""
    try:
        settings = read_yaml(root, SETTINGS_FILE).data
    except YamlRefused:
        return False
    return isinstance(settings, dict) and settings.get("local_mode") is True and address in LOOPBACK


def is_bundled_demo(root: Path) -> bool:
    """The invented demo service at the repository root, as opposed to a real service's workspace."""
    return root.resolve() == BUNDLED_DEMO and (root / "app.py").is_file()


def _local(root: Path) -> Viewer:
    """Local mode: pick a role to see what that person sees; nothing is protected."""
    with st.sidebar:
        if is_bundled_demo(root):
            st.info("Local demo mode: an invented service. Choose a role to see what that person sees.")
        else:
            st.info("Local mode (this computer only): choose a role. Once you add accounts with `rsqm users add`, everyone signs in.")
        role = st.selectbox("Role", list(Role), format_func=ROLE_LABELS.__getitem__, key="demo_role")
    role = Role(role)
    return Viewer(user=f"{role.value} (demo)", role=role)


def _signed_in(root: Path, provider: bool = False) -> Viewer | None:
    now = datetime.now(UTC)
    state = st.session_state
    cookie = st.context.cookies.get(COOKIE)
    token = state.get("session_token") or (cookie if isinstance(cookie, str) else None)
    if token:
        key = session_key(token)
        account = resume_session(root, token, now, _LAST_SEEN.get(key))
        if account is not None:
            _LAST_SEEN[key] = now
            state["session_token"] = token
            with st.sidebar:
                if state.pop("store_cookie", False):
                    _go_to_cookie_route(code=hand_off(token, int(LIFETIME.total_seconds())))
                if st.button("Sign out", key="sign_out"):
                    end_session(root, token)
                    _LAST_SEEN.pop(key, None)
                    state.pop("session_token", None)
                    state["clear_cookie"] = True
                    st.rerun()
            return Viewer(user=account.name, role=account.role)
        _LAST_SEEN.pop(key, None)
        if state.pop("session_token", None):
            st.warning("Your session has ended (signed out elsewhere, 30 minutes without activity, or your account changed). "
                       "Please sign in again.")
    if state.pop("clear_cookie", False):  # the cookie may have been set after this tab's connection opened: not in st.context
        with st.sidebar:
            _go_to_cookie_route(clear="1")
    pending = state.get("must_change")
    if pending:
        _choose_password(root, pending, now)
    elif _sign_in_form(root, now, provider):
        return _signed_in(root, provider)
    return None


def _sign_in_form(root: Path, now: datetime, provider: bool) -> bool:
    """The sign-in form; True when this run signed the person in (the form is then taken off the page, and the same
    run goes on to draw the page asked for: a second run would cost the person its time)."""
    form = st.empty()
    with form.container():
        st.title("Sign in")
        if provider:
            _provider_button()
            st.caption("Or with a local account:")
        with st.form("sign_in"):
            name = st.text_input("Username")
            password = st.text_input("Password", type="password")
            submitted = st.form_submit_button("Sign in", type="primary")
        if not submitted:
            _load_page_parts()
            return False
        try:
            account = authenticate(root, name.strip(), password, now)
        except (LoginFailed, WriteConflict) as failed:
            st.error(str(failed).capitalize() + ".")
            return False
    if account.must_change:
        st.session_state["must_change"] = account.name
        st.rerun()
    _open(root, account.name, now)
    form.empty()
    return True


PRELOAD_KEY = "page-parts"


def _load_page_parts() -> None:
    """A chart and a table nobody sees, drawn while the person types: the browser fetches and compiles the code that
    draws them (the largest of the dashboard's) now, not after "Sign in", when the first page waits for it."""
    import altair as alt
    import pandas as pd

    st.html(f"<style>.st-key-{PRELOAD_KEY} {{ display: none; }}</style>")
    with st.container(key=PRELOAD_KEY):
        st.altair_chart(alt.Chart(pd.DataFrame({"x": [0]})).mark_point().encode(x="x"))
        st.dataframe(pd.DataFrame({"x": [0]}))


def _choose_password(root: Path, name: str, now: datetime) -> None:
    st.title("Choose a new password")
    st.info(f"The password of **{name}** was reset by a coordinator. Choose your own before you continue.")
    with st.form("new_password"):
        first = st.text_input("New password (at least 12 characters, not a common one)", type="password")
        second = st.text_input("Same password again", type="password")
        if not st.form_submit_button("Save and continue", type="primary"):
            return
    if first != second:
        st.error("The two passwords differ.")
        return
    try:
        set_password(root, name, first, actor=name)
    except (AccountError, WriteConflict) as refused:
        st.error(f"{str(refused).capitalize()}.")
        return
    st.session_state.pop("must_change", None)
    _open(root, name, now)
    st.rerun()


def _open(root: Path, name: str, now: datetime) -> None:
    token = start_session(root, name, now)
    _LAST_SEEN[session_key(token)] = now
    st.session_state["session_token"] = token
    st.session_state["store_cookie"] = True


def _go_to_cookie_route(**query: str) -> None:
    """Ask the route once, in the background, to set (``code``) or delete (``clear``) the session cookie in its answer.
    The page stays where it is: this session already holds the token, so the page a person waits for is drawn by this
    run, not by a reload and a new session's first run (bench/notes.md, issue 35). The page's script never holds the
    token: the code is good for one use within a minute. Where the route is not served (``streamlit run app.py``,
    AppTest) nothing is asked: the session stays in this tab."""
    if not mounted():
        return
    target = json.dumps(f"{ROUTE}?{urllib.parse.urlencode(query)}")
    st.html(f"<script>fetch({target}, {{credentials: 'same-origin', cache: 'no-store', redirect: 'manual'}});</script>",
            unsafe_allow_javascript=True, width="content")
