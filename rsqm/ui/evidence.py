"""Evidence register (coordinator): the filterable register, and forms to add, link and approve."""

from datetime import date

import streamlit as st

from rsqm.ui import evidence_forms, tables
from rsqm.ui.main import current
from rsqm.ui.widgets import seen_token
from rsqm.workspace import REGISTER_FILE

viewer, view = current()
register, assessment = view.register(), view.assessment()
expected = seen_token(REGISTER_FILE)

st.title("Evidence register")
left, middle, right = st.columns([2, 2, 3])
statuses = left.multiselect("Status", sorted({str(i.status) for i in register.items}))
types = middle.multiselect("Type", sorted({i.type for i in register.items}))
search = right.text_input("Search titles and indicators")
shown = [
    i for i in register.items
    if (not statuses or str(i.status) in statuses) and (not types or i.type in types)
    and (not search or search.lower() in (i.title + " " + " ".join(link.indicator for link in i.links)).lower())
]
frame = tables.evidence_register(shown, set(assessment.expiring), date.today())
st.dataframe(tables.styled_register(frame), hide_index=True, width="stretch", height=min(420, 38 + 35 * len(frame)))
st.caption(f"{len(shown)} of {len(register.items)} items. Red: expired; orange: expires before the assessment.")

edit, link, approve = st.tabs(["Add or edit", "Link to an indicator", "Approve"])
with edit:
    evidence_forms.edit_form(viewer, view, expected)
with link:
    evidence_forms.link_form(viewer, view, expected)
with approve:
    evidence_forms.approve_form(viewer, view, expected)
