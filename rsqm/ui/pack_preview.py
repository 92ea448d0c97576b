"""The export page's preview: the same content the submission document carries, as the assessor will read it."""

from __future__ import annotations

import streamlit as st

from rsqm.base.formatting import percent
from rsqm.pack.content import (
    SUMMARY_MEASURE_HEADINGS,
    IndicatorSection,
    action_rows,
    draft_reasons,
    short_date,
    standard_sections,
    summary_measures,
    to_do,
)
from rsqm.pack.plan import PackPlan


def _indicator(section: IndicatorSection) -> None:
    critical = " · critical" if section.critical else ""
    st.markdown(f"### {section.id} {section.title}\n**{section.status}**{critical}")
    if section.asks:
        st.markdown(f"**What this asks:** {section.asks}")
    if section.justification:
        st.markdown(f"**Why it does not apply:** {section.justification}")
        return
    if section.narrative:
        st.markdown("**The service's account**")
        st.markdown(section.narrative)
    else:
        st.markdown("**The service's account:** still to be written.")
    lines = [f"- {r.id} {r.title}" + (f", {r.locator}" if r.locator else "") + (f" — {r.claim}" if r.claim else "")
             for r in section.evidence]
    st.markdown("**Evidence**\n" + ("\n".join(lines) if lines else "\nNo current evidence for this indicator is in the pack."))
    for title, items in (("Results", section.results), ("Open gaps", section.gaps), ("Notes", section.notes)):
        if items:
            st.markdown(f"**{title}**\n" + "\n".join(f"- {line}" for line in items))


def show_preview(plan: PackPlan) -> None:
    """Readiness per framework, why the pack is a draft, each indicator as written in the document, the action plan."""
    draft = draft_reasons(plan)
    if draft:
        st.warning("This pack will be marked **Draft** on every page: " + "; ".join(draft) + ".")
    else:
        st.success("This pack is final: every indicator has the service's account and the service is ready to apply.")
    st.dataframe([{"Framework": a.framework_title, "Readiness": percent(a.readiness), "Ready": "Yes" if a.ready else "Not yet",
                   "To be met first": ", ".join(a.blockers) or "–"} for a in (plan.assessment, *plan.others)],
                 hide_index=True, placeholder="", width="stretch")
    measured = summary_measures(plan)
    if measured:
        st.markdown("**Workforce and time limits**")
        st.dataframe([dict(zip(SUMMARY_MEASURE_HEADINGS, row, strict=True)) for row in measured], hide_index=True, placeholder="", width="stretch")
    framework = plan.ws.frameworks[plan.assessment.framework_id]
    for standard in standard_sections(plan, framework, plan.assessment.indicators):
        with st.expander(f"Standard {standard.id}: {standard.title}"):
            for section in standard.indicators:
                _indicator(section)
    doing = to_do(plan)
    if draft and doing:
        with st.expander(f"Still to be done: {len(doing)} open gap{'s' * (len(doing) != 1)} no agreed action covers"):
            st.markdown("\n".join(f"- {ind}: {gap}" for ind, gap in doing))
    with st.expander("Action plan"):
        st.dataframe([{"ID": r.id, "Action": r.what, "Indicator": r.indicators or "–", "Owner": r.owner,
                       "Due": (short_date(r.due) + (" (overdue)" if r.overdue else "")) if r.due else "–", "Status": r.status}
                      for r in action_rows(plan)], hide_index=True, placeholder="", width="stretch")
