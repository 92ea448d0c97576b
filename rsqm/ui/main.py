"""The dashboard shell: the workspace, who is signed in, which pages they may open."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from rsqm.access import PermissionDenied, Role, View
from rsqm.ui.data import NoWorkspace, Snapshot, workspace_root
from rsqm.ui.session import ROLE_LABELS, Viewer, viewer
from rsqm.ui.widgets import show_flash, show_problems

HERE = Path(__file__).parent
EVERYONE = (Role.coordinator, Role.supervisor, Role.leadership, Role.assessor)
CASE_LEVEL = (Role.coordinator, Role.supervisor)

# (file, title, icon, roles that may open it)
PAGES = (
    ("overview.py", "Overview", ":material/dashboard:", EVERYONE),
    ("standards.py", "Standards and gaps", ":material/checklist:", EVERYONE),
    ("evidence.py", "Evidence register", ":material/folder_open:", (Role.coordinator,)),
    ("audits.py", "Case audits", ":material/fact_check:", CASE_LEVEL),
    ("outcomes.py", "Outcomes", ":material/insights:", (Role.coordinator, Role.leadership)),
    ("case_data.py", "Case data", ":material/upload_file:", (Role.coordinator,)),
    ("actions.py", "Actions", ":material/task_alt:", CASE_LEVEL),
    ("workforce.py", "Workforce", ":material/badge:", CASE_LEVEL),
    ("export.py", "Export", ":material/package_2:", (Role.coordinator,)),
    ("requests.py", "Clarification requests", ":material/forum:", (Role.coordinator, Role.leadership, Role.assessor)),
    ("packs.py", "Submitted packs", ":material/inventory_2:", (Role.coordinator, Role.assessor)),
    ("history.py", "History", ":material/history:", (Role.coordinator,)),
)


def pages_for(role: Role) -> list[st.Page]:
    """Only the pages this role may see are registered: the others cannot be reached at all."""
    return [
        st.Page(HERE / file, title=title, icon=icon, default=file == "overview.py")
        for file, title, icon, roles in PAGES
        if role in roles
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
        return
    navigation = st.navigation(pages_for(person.role))
    st.sidebar.caption(f"Signed in as **{person.user}** · {ROLE_LABELS[person.role]}")
    snap = Snapshot(root)
    if not snap.ws.valid:
        _invalid(snap, person)
        return
    st.session_state["viewer"] = person
    st.session_state["view"] = snap.view(person.role)
    show_flash()
    try:
        navigation.run()
    except PermissionDenied as denied:  # the access layer refused a read: say so, never show the data
        st.error(f"Not shown: {denied}.")


def _invalid(snap: Snapshot, person: Viewer) -> None:
    st.title(snap.ws.settings.service)
    view = snap.view(person.role)
    if view.can("read_cases"):
        show_problems(view.problems(), "The workspace has problems to fix before the dashboard can use it (`rsqm validate` lists them too):")
    else:
        st.error(f"The workspace has {len(snap.ws.errors)} problem(s) to fix; the coordinator can see them. Please try again later.")


def current() -> tuple[Viewer, View]:
    """The person and their role-checked view of the workspace, prepared by the shell for this run."""
    return st.session_state["viewer"], st.session_state["view"]
