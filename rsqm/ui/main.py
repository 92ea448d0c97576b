"""The dashboard shell: the workspace, who is signed in, which pages they may open."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from rsqm.server.access import PermissionDenied, Role, View, allowed
from rsqm.ui.data import NoWorkspace, Snapshot, workspace_root
from rsqm.ui.session import ROLE_LABELS, Viewer, viewer
from rsqm.ui.widgets import accessible_css, guard_unsaved, show_flash, show_problems

HERE = Path(__file__).parent
STANDARDS_PAGE = HERE / "standards.py"  # the Overview links each blocker there (?indicator=ID)
# (file, title, icon, the access action that opens it: rsqm.server.access.PERMISSIONS is the one role table)
PAGES = (
    ("overview.py", "Overview", ":material/dashboard:", "read_overview"),
    ("standards.py", "Standards and gaps", ":material/checklist:", "read_overview"),
    ("evidence.py", "Evidence register", ":material/folder_open:", "read_evidence"),
    ("audits.py", "Case audits", ":material/fact_check:", "read_cases"),
    ("outcomes.py", "Outcomes", ":material/insights:", "read_outcomes"),
    ("case_data.py", "Case data", ":material/upload_file:", "import_cases"),
    ("actions.py", "Actions", ":material/task_alt:", "read_overview"),
    ("workforce.py", "Workforce", ":material/badge:", "read_workforce"),
    ("export.py", "Export", ":material/package_2:", "export_pack"),
    ("requests.py", "Clarification requests", ":material/forum:", "read_requests"),
    ("packs.py", "Submitted packs", ":material/inventory_2:", "read_packs"),
    ("portfolio.py", "Portfolio", ":material/account_tree:", "read_portfolio"),
    ("history.py", "History", ":material/history:", "read_change_log"),
    ("users.py", "Users", ":material/group:", "manage_users"),
    ("settings.py", "Settings", ":material/settings:", "edit_settings"),
)


def pages_for(role: Role) -> list[st.Page]:
    """Only the pages this role may open are registered: the others cannot be reached at all."""
    return [
        st.Page(HERE / file, title=title, icon=icon, default=file == "overview.py")
        for file, title, icon, action in PAGES
        if allowed(role, action)
    ]


def run() -> None:
    st.set_page_config(page_title="rsqm – quality evidence", page_icon=":material/verified:", layout="wide")
    try:
        root = workspace_root()
    except NoWorkspace as missing:
        st.error(f"{missing}. Set RSQM_WORKSPACE to a workspace folder, or start the dashboard inside one.")
        return
    person = viewer(root)
    if person is None:  # signed out: drop the page links a previous run left in the sidebar
        st.navigation([st.Page(HERE / "overview.py", default=True)], position="hidden")
        st.set_page_config(page_title="Sign in – rsqm")
        return
    navigation = st.navigation(pages_for(person.role), expanded=True)  # every page listed: the coordinator has 15
    st.set_page_config(page_title=f"{navigation.title} – rsqm")  # each page its own browser title (WCAG 2.4.2)
    st.sidebar.caption(f"Signed in as **{person.user}** · {ROLE_LABELS[person.role]}")
    snap = Snapshot(root)
    if snap.ws.settings.demo_date:
        st.sidebar.info(f"A demonstration, shown as on {snap.ws.settings.demo_date.day} {snap.ws.settings.demo_date:%B %Y} whatever today's date: "
                        "its invented records stay as they were.")
    if not snap.ws.valid:
        _invalid(snap, person)
        return
    st.session_state["viewer"] = person
    st.session_state["view"] = snap.view(person.role)
    accessible_css()
    guard_unsaved(focus=show_flash())
    try:
        navigation.run()
    except PermissionDenied as denied:  # the access layer refused a read: say so, never show the data
        st.error(f"Not shown: {denied}.")


def _invalid(snap: Snapshot, person: Viewer) -> None:
    view = snap.view(person.role)
    st.title(view.release(snap.ws.settings.service))  # the one guard: a case reference typed there reaches no one without case access
    if view.can("read_cases"):
        show_problems(view.problems(), "The workspace has problems to fix before the dashboard can use it (`rsqm validate` lists them too):")
    else:
        st.error(f"The workspace has {len(snap.ws.errors)} problem(s) to fix; the coordinator can see them. Please try again later.")


def current() -> tuple[Viewer, View]:
    """The person and their role-checked view of the workspace, prepared by the shell for this run."""
    return st.session_state["viewer"], st.session_state["view"]
