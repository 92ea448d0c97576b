"""Standards and gaps: each indicator with its status, why, what to do, its evidence and audit results.

Leadership gets the aggregate version (statuses and reasons in plain words) from the overview.
"""

import streamlit as st

from rsqm.formatting import percent
from rsqm.ui import tables
from rsqm.ui.main import current
from rsqm.ui.narrative import narrative_editor
from rsqm.ui.widgets import REASON_WORDS, status_md

viewer, view = current()
full = view.can("read_evidence")

st.title("Standards and gaps")
frameworks = view.framework_ids()
picked = st.selectbox("Framework", frameworks) if len(frameworks) > 1 else None
result = view.assessment(picked) if full else view.overview(picked)
framework, primary = result.framework_id, picked in (None, *frameworks[:1])
if picked is not None:
    st.caption(f"{result.framework_title}: {percent(result.readiness)} ready — " + ("ready to apply" if result.ready else "not ready yet"))
standards = {s.id: s for s in result.standards}
chosen = st.selectbox(
    "Standard", list(standards), format_func=lambda s: f"{s}. {standards[s].title} — {percent(standards[s].readiness)} ready"
)
titles = {item.id: item.title for item in view.register().items} if full else {}

for indicator in (i for i in result.indicators if i.standard == chosen):
    label = f"{indicator.id} {indicator.title} — {status_md(indicator.status)}" + ("  · safeguarding" if indicator.critical else "")
    with st.expander(label, expanded=indicator.status != "met"):
        relations = view.related(framework, indicator.id)
        if relations:
            st.markdown("**Also relates to:** " + "; ".join(f"{words} {fid} {ind}" for fid, ind, words in relations))
        if not full:
            words = [REASON_WORDS.get(code, code) for code in indicator.reasons]
            st.markdown("\n".join(f"- {w}" for w in words) if words else "Nothing missing.")
            continue
        if indicator.reasons:
            st.markdown("**What is missing and what to do**")
            st.markdown("\n".join(f"- {r.message}" + (f"  \n  *Action:* {r.action}" if r.action else "") for r in indicator.reasons))
        else:
            st.success("Nothing missing.")
        st.markdown("**Evidence**")
        st.dataframe(tables.links(indicator, titles), hide_index=True, width="stretch")
        if indicator.audit:
            st.markdown("**Case-file audit items**")
            st.table(tables.audit_items(indicator.audit), hide_index=True, border="horizontal")
        if indicator.measures:
            st.markdown("**Measures**")
            st.table(tables.measures(indicator.measures), hide_index=True, border="horizontal")
        narrative_editor(viewer, indicator.narrative or "", indicator.id if primary else f"{framework}:{indicator.id}")

if not full:
    audit_items = view.overview().audit_items
    if audit_items:
        st.subheader("Case-file audit results")
        st.table(tables.audit_items(audit_items), hide_index=True, border="horizontal")
