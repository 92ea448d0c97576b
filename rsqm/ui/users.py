"""Users (coordinator): who may sign in and with which role; the same library functions as `rsqm users`."""

import pandas as pd
import streamlit as st

from rsqm.server.access import Role
from rsqm.server.accounts import MIN_PASSWORD_LENGTH, USERS_FILE, AccountError, add_user, list_accounts, remove_user, set_password, set_role
from rsqm.ui.main import current
from rsqm.ui.session import ROLE_LABELS

viewer, view = current()
view.require("manage_users")
root = view.ws.root

st.title("Users")
try:
    accounts = list_accounts(root)
except AccountError as broken:
    st.error(f"The accounts file cannot be read: {broken}")
    st.stop()
if accounts:
    st.dataframe(pd.DataFrame([{"Username": a.name, "Role": ROLE_LABELS[a.role]} for a in accounts]), hide_index=True, placeholder="", width="stretch")
else:
    st.info("No accounts yet: the dashboard runs without sign-in on this computer. "
            "Adding the first account (a coordinator) turns sign-in on.")
st.caption(f"Accounts are kept in {USERS_FILE} with a salted hash of each password; every change is in the History.")


def done(message: str) -> None:
    st.session_state["flash"] = (message, None)
    st.rerun()


def attempt(action, message: str) -> None:
    """Run one account change; its refusal is shown in words and nothing is written."""
    try:
        action()
    except AccountError as refused:
        st.error(f"Not saved: {refused}.")
    else:
        done(message)


names = [a.name for a in accounts]
tabs = st.tabs(["Add", "Change role", "Reset password", "Remove"] if names else ["Add"])
with tabs[0], st.form("user_add", clear_on_submit=True):
    name = st.text_input("Username", help="A username such as p07 or coordinator2, not a person's name.")
    picked = st.selectbox("Role", list(Role), format_func=ROLE_LABELS.__getitem__, key="user_add_role")
    password = st.text_input(f"Password (at least {MIN_PASSWORD_LENGTH} characters)", type="password")
    if st.form_submit_button("Add account", type="primary"):
        attempt(lambda: add_user(root, name.strip(), picked, password, actor=viewer.user),
                f"Account {name.strip()} added as {ROLE_LABELS[Role(picked)].lower()}.")
if not names:
    st.stop()
with tabs[1], st.form("user_role"):
    who = st.selectbox("Account", names, key="user_role_name")
    picked = st.selectbox("New role", list(Role), format_func=ROLE_LABELS.__getitem__, key="user_role_role")
    if st.form_submit_button("Change role", type="primary"):
        attempt(lambda: set_role(root, who, picked, actor=viewer.user), f"{who} is now {ROLE_LABELS[Role(picked)].lower()}.")
with tabs[2], st.form("user_reset", clear_on_submit=True):
    who = st.selectbox("Account", names, key="user_reset_name")
    password = st.text_input(f"New password (at least {MIN_PASSWORD_LENGTH} characters)", type="password")
    if st.form_submit_button("Reset password", type="primary"):
        attempt(lambda: set_password(root, who, password, actor=viewer.user), f"Password of {who} reset.")
with tabs[3]:
    who = st.selectbox("Account", names, key="user_remove_name")
    sure = st.checkbox(f"Yes, remove {who}: they can no longer sign in", key="user_remove_sure")
    if st.button("Remove account", type="primary", disabled=not sure, key="user_remove"):
        attempt(lambda: remove_user(root, who, actor=viewer.user), f"Account {who} removed.")
