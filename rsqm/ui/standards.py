"""Standards and gaps: each indicator with its status, why, what to do, its evidence and audit results.

Leadership gets the aggregate version (statuses and reasons in plain words) from the overview.
``?indicator=2.1`` (the Overview's links) opens that indicator's standard with it expanded.
"""

import streamlit as st

from rsqm.assess.gaps import Reason
from rsqm.base.formatting import percent
from rsqm.base.labels import REASON, words
from rsqm.pack.content import TOOL_ONLY, causes, workspace_phrasing
from rsqm.ui import tables
from rsqm.ui.main import current
from rsqm.ui.narrative import narrative_editor
from rsqm.ui.next_steps import next_step
from rsqm.ui.widgets import print_css, status_md

ALL = "All standards"

viewer, view = current()
full = view.can("read_evidence")
print_css()

st.title("Standards and gaps")
frameworks = view.framework_ids()
picked = st.selectbox("Framework", frameworks) if len(frameworks) > 1 else None
result = view.assessment(picked) if full else view.overview(picked)
framework, primary = result.framework_id, picked in (None, *frameworks[:1])
if picked is not None:
    st.caption(f"{result.framework_title}: {percent(result.readiness)} ready — " + ("ready to apply" if result.ready else "not ready yet"))
standards = {s.id: s for s in result.standards}
wanted = st.query_params.get("indicator")
home = next((i.standard for i in result.indicators if i.id == wanted), None)
options = [*standards, ALL]
chosen = st.selectbox(
    "Standard", options, index=options.index(home) if home else 0, key=f"standard-{framework}-{home}",
    format_func=lambda s: s if s == ALL else f"{s}. {standards[s].title} — {percent(standards[s].readiness)} ready",
    help="Choose all standards to print the whole framework (the browser's Print prints every indicator, expanded).",
)
titles = {item.id: item.title for item in view.register().items} if full else {}
questions, guidance = view.questions(), view.guidance(framework)
types = view.ws.frameworks[framework].evidence_types
pooled = view.ws.settings.pool_rounds


def step(reason: Reason) -> str:
    return f"  \n  *What to do:* {next_step(reason, types, questions, pooled)}." if reason.action else ""


say = workspace_phrasing(view.ws, framework, result.as_of) if full else None

for indicator in (i for i in result.indicators if chosen == ALL or i.standard == chosen):
    label = f"{indicator.id} {indicator.title} — {status_md(indicator.status)}" + ("  · safeguarding" if indicator.critical else "")
    with st.expander(label, expanded=chosen == ALL or indicator.status != "met" or indicator.id == wanted):
        relations = view.related(framework, indicator.id)
        if relations:
            st.markdown("**Also relates to:** " + "; ".join(f"{relation} {fid} {ind}" for fid, ind, relation in relations))
        if not full:
            said = [words(code, REASON) for code in indicator.reasons]
            st.markdown("\n".join(f"- {w}" for w in said) if said else "Nothing missing.")
            continue
        found = causes(indicator, say, say.needed.get(indicator.id, 1))
        tool_only = [r for r in indicator.reasons if r.code in TOOL_ONLY]
        if found or tool_only:
            st.markdown("**What is missing and what to do**")
            st.markdown("\n".join(f"- {sentence}{step(reason)}" for reason, sentence in found)
                        + "".join(f"\n- {words(r.code, REASON).capitalize()}.{step(r)}" for r in tool_only))
        else:
            st.success("Nothing missing.")
        st.markdown("**Evidence**")
        if guidance.get(indicator.id):
            st.caption(f"What the indicator asks for: {guidance[indicator.id]}")
        st.dataframe(tables.links(indicator, titles), hide_index=True, placeholder="", width="stretch")
        if indicator.audit:
            st.markdown("**Case-file audit items**")
            st.table(tables.audit_items(indicator.audit, questions), hide_index=True, border="horizontal")
        if indicator.measures:
            st.markdown("**Measures**")
            st.table(tables.measures(indicator.measures), hide_index=True, border="horizontal")
        narrative_editor(viewer, indicator.narrative or "", indicator.id if primary else f"{framework}:{indicator.id}",
                         view.narrative_file(framework, indicator.id))

if not full:
    audit_items = view.overview().audit_items
    if audit_items:
        st.header("Case-file audit results")
        st.table(tables.audit_items(audit_items, questions), hide_index=True, border="horizontal")
