"""Case audits (supervisors and the coordinator): samples, the checklist, second marking, results."""

import pandas as pd
import streamlit as st

from rsqm.audit.audits import AWAITING, audit_state
from rsqm.audit.rounds import item_trends, progress
from rsqm.base.formatting import percent
from rsqm.base.labels import CHANGE_VERDICT
from rsqm.ui import audit_forms, charts, concerns, tables
from rsqm.ui.main import current
from rsqm.ui.widgets import show_figure

viewer, view = current()
samples, audits, summary = view.samples(), view.audits(), view.audit_summary()
progress_by_sample = progress(samples.values(), audits.values())

st.title("Case audits")
# A keyed control rather than st.tabs: a save's rerun keeps the person where they were (tabs reset to the first)
SECTIONS = ["Samples", "Audit a case", "Second marking", "Results"]
audit_forms.follow_goto()
# The first section through session state, not default=: a control with both logs a warning and its stack each time
# a save moves the page on (follow_goto). required: Enter or a click on the chosen section keeps it chosen.
st.session_state.setdefault("audit_section", "Samples")
section = st.segmented_control("Section", SECTIONS, required=True, key="audit_section", label_visibility="collapsed")
FILTERS = {"not started": ("not started",), "in progress": ("in progress",), "awaiting second marking": AWAITING["second-marking"],
           "awaiting agreement": AWAITING["agreement"], "done": ("second marked",)}

if section == "Samples":
    if samples:
        st.dataframe(pd.DataFrame([
            {"Sample": s.name, "Drawn on": s.drawn_on, "By": s.drawn_by, "Cases": len(s.cases), "Population": s.population.size,
             "Seed": s.method.seed, "Strata": ", ".join(x.replace("_", " ") for x in s.method.strata) or "–", "Audited": progress_by_sample[s.name].audited,
             "Progress": progress_by_sample[s.name].describe() + ("" if progress_by_sample[s.name].complete else " · incomplete")}
            for s in sorted(samples.values(), key=lambda s: s.drawn_on, reverse=True)
        ]), hide_index=True, placeholder="", width="stretch")
    with st.expander("Draw a new sample", expanded=not samples):
        audit_forms.draw_form(viewer, view)

if section == "Audit a case":
    if not samples:
        st.info("Draw a sample first.")
    else:
        names = sorted(samples, key=lambda n: samples[n].drawn_on, reverse=True)
        name = st.selectbox("Sample", names, key="audit_sample")
        cases = samples[name].cases
        states = {c: audit_state(audits.get(c)) for c in cases}  # read fresh on every run: the picker never goes stale
        state = progress_by_sample[name]
        st.progress(state.audited / max(state.cases, 1), text=f"Sample {name}: {state.describe()}")
        wanted = st.pills("Show", list(FILTERS), selection_mode="multi", key="audit_filter")
        shown = [c for c in cases if not wanted or any(states[c] in FILTERS[w] for w in wanted)]
        st.dataframe(pd.DataFrame({"Case": shown, "State": [states[c] for c in shown]}),
                     hide_index=True, placeholder="", width="stretch", height=min(300, 38 + 35 * len(shown)))
        if not shown:
            st.info("No case in this sample matches the filter.")
        else:
            audit_forms.follow_next_case(shown)
            case_ref = st.selectbox("Case to audit", shown, key="audit_case", format_func=lambda c: f"{c} — {states[c]}")
            audit_forms.checklist_form(viewer, view, case_ref, name, shown)

if section == "Second marking":
    done = sorted(c for c, a in audits.items() if a.audited_on is not None)
    agreement = summary.agreement
    left, right = st.columns(2)
    left.metric("Answers second-marked", agreement.pairs)
    right.metric("Markers agreed", "–" if agreement.percent is None else f"{agreement.percent:.0f}%",
                 help=None if agreement.kappa is None else f"Cohen's kappa {agreement.kappa:.2f}")
    if done:
        case_ref = st.selectbox("Completed audit to second-mark", done, key="moderate_case",
                                format_func=lambda c: f"{c} — {audit_state(audits[c])}")
        audit_forms.moderation_form(viewer, view, audits[case_ref])
    else:
        st.info("No completed audits to second-mark yet.")

if section == "Results":
    st.caption("Rate = met ÷ applicable answers (N/A left out), with the 95% Wilson interval; the black tick is the target.")
    if any(r.rate is not None for r in summary.items):
        show_figure(charts.item_rates(summary.items, view.questions()))
    st.table(tables.audit_items(summary.items, view.questions()), hide_index=True, border="horizontal")
    st.header("Round by round")
    trends = item_trends(samples.values(), audits.values(), view.ws.checklist) if samples else []
    if trends and len(trends[0].rounds) >= 2:
        st.caption("Change = latest round minus the one before, with its 95% interval (Newcombe's hybrid score method). "
                   "A real improvement or decline is one whose interval does not cross zero.")
        st.dataframe(pd.DataFrame([
            {"Item": t.question, t.change.before: percent(t.rounds[-2].rate), t.change.after: percent(t.rounds[-1].rate),
             "Change (points)": "–" if t.change.diff is None else f"{t.change.diff * 100:+.1f}",
             "95% interval": "–" if t.change.ci_low is None else f"{t.change.ci_low * 100:+.1f} to {t.change.ci_high * 100:+.1f}",
             "Verdict": CHANGE_VERDICT[t.change.verdict]}
            for t in trends if t.change is not None
        ]), hide_index=True, placeholder="", width="stretch")
    if trends:
        chosen = st.selectbox("Checklist item", trends, key="trend_item", format_func=lambda t: t.question)
        show_figure(charts.item_trend(chosen))
        st.caption("Points: share met in each round; bars: 95% interval; dashed line: the target. "
                   "Hollow, pale points are rounds not yet fully audited.")
    else:
        st.info("Draw and audit a sample to see each item round by round.")
    if summary.concern_cases:
        st.warning("Safeguarding concerns raised in: " + ", ".join(summary.concern_cases))
    concerns.resolve_form(viewer, view)
