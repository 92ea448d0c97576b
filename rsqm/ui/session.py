"""Who is using the dashboard: a signed-in account, or a role picked in local mode (no accounts yet)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import streamlit as st

from rsqm.access import Role
from rsqm.accounts import AccountError, LoginFailed, accounts_exist, authenticate, session_expired

BUNDLED_DEMO = Path(__file__).resolve().parents[2]  # the repository root holds the demo workspace
ROLE_LABELS = {Role.coordinator: "Coordinator", Role.supervisor: "Supervisor", Role.leadership: "Leadership", Role.assessor: "Assessor"}


@dataclass(frozen=True)
class Viewer:
    user: str
    role: Role

    @property
    def coordinator(self) -> bool:
        return self.role == Role.coordinator


def viewer(root: Path) -> Viewer | None:
    """The person using this session, or None while the sign-in form is shown."""
    try:
        local = not accounts_exist(root)
    except AccountError as broken:
        st.error(f"The accounts file cannot be read, so nobody can sign in: {broken}")
        return None
    return _local(root) if local else _signed_in(root)


def is_bundled_demo(root: Path) -> bool:
    """The invented demo service at the repository root, as opposed to a real service's workspace."""
    return root.resolve() == BUNDLED_DEMO and (root / "app.py").is_file()


def _local(root: Path) -> Viewer:
    """Local mode (no accounts yet): pick a role to see what that person sees; nothing is protected."""
    demo = is_bundled_demo(root)
    with st.sidebar:
        if demo:
            st.info("Local demo mode: an invented service. Choose a role to see what that person sees.")
        else:
            st.warning("No accounts yet, so anyone who opens this dashboard can choose a role. "
                       "Add accounts with `rsqm users add` before sharing it.")
        role = st.selectbox("Role", list(Role), format_func=ROLE_LABELS.__getitem__, key="demo_role")
    role = Role(role)
    return Viewer(user=f"{role.value} (demo)", role=role)


def _signed_in(root: Path) -> Viewer | None:
    now = datetime.now(UTC)
    account, last_seen = st.session_state.get("account"), st.session_state.get("last_seen")
    if account and last_seen and session_expired(last_seen, now):
        st.session_state.pop("account")
        account = None
        st.warning("You were signed out after 30 minutes without activity. Please sign in again.")
    if account:
        st.session_state["last_seen"] = now
        with st.sidebar:
            if st.button("Sign out", key="sign_out"):
                st.session_state.pop("account")
                st.rerun()
        return Viewer(user=account.name, role=account.role)
    st.title("Sign in")
    with st.form("sign_in"):
        name = st.text_input("Username")
        password = st.text_input("Password", type="password")
        if st.form_submit_button("Sign in", type="primary"):
            try:
                st.session_state["account"] = authenticate(root, name.strip(), password, now)
            except LoginFailed as failed:
                st.error(str(failed).capitalize() + ".")
            else:
                st.session_state["last_seen"] = now
                st.rerun()
    return None
