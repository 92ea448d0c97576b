"""The self-assessment narrative of one indicator: shown to all, edited by the coordinator."""

from __future__ import annotations

import streamlit as st

from rsqm.server.access import allowed
from rsqm.ui.widgets import save, seen_token


def narrative_editor(viewer, text: str, indicator_id: str, rel: str) -> None:
    """``rel``: the file the account was read from, or where a new one goes (``narrative_file``)."""
    if not allowed(viewer.role, "edit_narrative"):
        st.markdown("**Narrative**")
        st.markdown(text or "*No narrative written yet.*")
        return
    expected = seen_token(rel)
    with st.form(f"narrative-{indicator_id}"):
        new = st.text_area("Narrative (Markdown)", text, height=160, help="How the service meets this indicator, in your words.")
        if st.form_submit_button("Save narrative"):
            if new.strip() == text.strip():
                st.info("No change to save.")
            elif save(viewer, "edit_narrative", rel, new.rstrip() + "\n", change="narrative edited", item=indicator_id, expected=expected,
                          typed=new):
                st.rerun()
