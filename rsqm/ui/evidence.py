"""Evidence register (coordinator): the filterable register, and forms to add, link and approve."""

import streamlit as st

from rsqm.base.labels import EVIDENCE_STATUS, words
from rsqm.base.paths import REGISTER_FILE
from rsqm.ui import evidence_forms, tables
from rsqm.ui.main import current
from rsqm.ui.widgets import seen_token

viewer, view = current()
register, assessment = view.register(), view.assessment()
expected = seen_token(REGISTER_FILE)

st.title("Evidence register")
left, middle, right = st.columns([2, 2, 3])
kinds = view.ws.framework.evidence_types
statuses = left.multiselect("Status", sorted({str(i.status) for i in register.items}), format_func=lambda s: words(s, EVIDENCE_STATUS))
types = middle.multiselect("Type", sorted({i.type for i in register.items}), format_func=lambda t: words(t, kinds))
search = right.text_input("Search titles and indicators")
shown = [
    i for i in register.items
    if (not statuses or str(i.status) in statuses) and (not types or i.type in types)
    and (not search or search.lower() in (i.title + " " + " ".join(link.indicator for link in i.links)).lower())
]
frame = tables.evidence_register(shown, {lapse.id: lapse for lapse in view.overview().expiring}, kinds)
st.dataframe(tables.styled_register(frame), hide_index=True, placeholder="", width="stretch", height=min(420, 38 + 35 * len(frame)))
st.caption(f"{len(shown)} of {len(register.items)} items. Judged on {assessment.as_of:%d %B %Y} (the as-of date): "
           "red ran out before today, orange runs out before the as-of date.")

if not view.can("edit_register"):
    st.stop()  # supervisors read the register; the coordinator keeps it
edit, link, approve, remove = st.tabs(["Add or edit", "Link to an indicator", "Approve", "Remove"])
with edit:
    evidence_forms.edit_form(viewer, view, expected)
with link:
    evidence_forms.link_form(viewer, view, expected)
with approve:
    evidence_forms.approve_form(viewer, view, expected)
with remove:
    evidence_forms.remove_form(viewer, view, expected)
