"""Closing a safeguarding concern from the dashboard: the same library function as `rsqm concern resolve`."""

from __future__ import annotations

import streamlit as st

from rsqm.audit.audits import AuditError, resolve_concern
from rsqm.ui.audit_forms import save_audit
from rsqm.ui.widgets import refuse, seen_token


def resolve_form(viewer, view) -> None:
    """Open concerns (raised, not yet resolved), one form to record what was done."""
    audits = view.audits()
    open_refs = sorted(ref for ref, a in audits.items() if a.safeguarding_concern and a.resolved_on is None)
    if not open_refs:
        return
    st.markdown("**Close a safeguarding concern**")
    case_ref = st.selectbox("Case", open_refs, key="concern_case",
                            format_func=lambda ref: f"{ref} — {audits[ref].safeguarding_note[:80]}")
    expected = {rel: seen_token(rel) for rel in (view.ws.audit_path(case_ref), view.ws.second_marking_path(case_ref))}
    with st.form(f"concern-{case_ref}", clear_on_submit=True):
        note = st.text_area("What was done (no names)", key=f"concern_resolution-{case_ref}")
        if not st.form_submit_button("Record as resolved", type="primary"):
            return
    try:
        audit = resolve_concern(view.ws, case_ref, viewer.user, view.today, note)
    except AuditError as refused:
        refuse([str(refused).replace("--note is empty", "the note is empty")])
        return
    if save_audit(viewer, view, audit, expected, change=f"safeguarding concern in {case_ref} resolved", typed=note):
        st.rerun()
