"""Overview: readiness at a glance, for everyone (aggregates only, read through the access layer)."""

import pandas as pd
import streamlit as st

from rsqm.base.dates import counted_because
from rsqm.base.formatting import percent
from rsqm.base.labels import CHANGE_VERDICT
from rsqm.ui import charts
from rsqm.ui.main import STANDARDS_PAGE, current
from rsqm.ui.widgets import show_figure, show_plan_summary, status_style, status_text

viewer, view = current()
o = view.overview()
questions = view.questions()

st.title(o.service)
st.download_button("Board report (one page, .docx)", data=view.board_report, file_name=f"board-report-{o.as_of}.docx",
                   mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document", key="board_report",
                   on_click="ignore",  # made on the click, downloaded; the page itself is not run again
                   help="The summary page of the submission pack on its own: readiness, what must be met first, audit rounds, actions.")
st.caption(f"Assessed as of {o.as_of.day} {o.as_of:%B %Y} (today is {o.today.day} {o.today:%B %Y}) against {o.framework_title}. "
           "Every page judges evidence on the as-of date.")

ready, readiness, concerns, expiring = st.columns(4)
ready.metric("Ready to apply", "Yes" if o.ready else "Not yet", help="Every safeguarding indicator met and no indicator not met.")
readiness.metric("Overall readiness", percent(o.readiness), help="Weighted: met = 1, partly met = ½, not met = 0.")
concerns.metric("Open safeguarding concerns", o.safeguarding_concerns, help="Raised in case-file audits and not yet resolved; a resolved concern no longer counts.")
expiring.metric("Evidence expired or expiring", o.expiring_evidence,
               help=f"Expired or expiring before the assessment: evidence whose review date (or maximum age) falls before "
                    f"{o.as_of:%d %B %Y}, items that have already run out included.")
if o.blockers:
    titles = {i.id: i.title for i in o.indicators}
    st.warning(f"Holding back the application: {len(o.blockers)} indicator{'s' * (len(o.blockers) != 1)} (open one to see why).")
    for column, blocker in zip(st.columns(3) * len(o.blockers), o.blockers, strict=False):
        column.page_link(STANDARDS_PAGE, label=f"→ {blocker} {titles.get(blocker, '')}", query_params={"indicator": blocker})
for late in o.re_audits_overdue:
    st.warning(f"Re-audit overdue: “{questions.get(late.item, late.item)}” was to be re-audited by {late.re_audit_by:%d %B %Y} "
               f"(action {late.action}).")
for lapse in o.lapsed:
    st.warning(f"{lapse}. Renew it and record the new date in the accreditation record.")
for countdown in o.countdowns:
    (st.error if countdown.urgent else st.warning)(countdown.sentence())
if o.open_requests:
    overdue = f", {o.overdue_requests} overdue" if o.overdue_requests else ""
    st.info(f"{o.open_requests} clarification request{'s' * (o.open_requests != 1)} from the assessor open{overdue}.")

left, right = st.columns([3, 2])
with left:
    st.header("Status by standard")
    show_figure(charts.status_by_standard(o.standards))
with right:
    st.header("Safeguarding indicators")
    critical = [i for i in o.indicators if i.critical]
    frame = pd.DataFrame({"Indicator": [f"{i.id} {i.title}" for i in critical], "Status": [status_text(i.status) for i in critical]})
    st.table(status_style(frame), hide_index=True, border="horizontal")

left, right = st.columns([3, 2])
with left:
    st.header("Audit compliance by sample")
    if any(s.rate is not None for s in o.compliance_over_time):
        show_figure(charts.compliance_over_time(o.compliance_over_time))
        st.caption(f"{o.audits_completed} case files audited in {o.samples} sample(s); bars show items met, lines the 95% interval; "
                   "pale, outlined bars are samples not yet fully audited.")
        for trend in o.real_changes:
            before, after, change = trend.rounds[-2], trend.rounds[-1], trend.change
            st.markdown(f"**{CHANGE_VERDICT[change.verdict].capitalize()}** in “{trend.question}”: {percent(before.rate)} in {change.before}, "
                        f"{percent(after.rate)} in {change.after} ({change.diff * 100:+.1f} points, 95% interval "
                        f"{change.ci_low * 100:+.1f} to {change.ci_high * 100:+.1f})"
                        + ("." if after.complete else f"; {change.after} is not fully audited yet."))
        if o.samples >= 2 and not o.real_changes:
            st.caption("No checklist item changed beyond chance between the last two samples.")
    else:
        st.info("No completed case-file audits yet.")
with right:
    st.header("Expired or expiring before the assessment")
    if o.expiring:
        st.dataframe(pd.DataFrame([{"Evidence": e.id, "Title": e.title, "Counts until": e.sentence()} for e in o.expiring]),
                     hide_index=True, placeholder="", width="stretch")
    else:
        st.success(f"No evidence has run out, and none runs out before {o.as_of:%d %B %Y}.")

shares = view.workforce_shares()
if shares:
    st.header("Workforce")
    counted_on = view.counted_on()
    when = f"On {counted_on:%d %B %Y}" + (f", {counted_because(counted_on, view.today)}" if counted_on != o.as_of else "")
    due = sum(share.due_count for share in shares)
    ahead = f"; {due} more fall due before {o.as_of:%d %B %Y} (a plan, not a shortfall)" if due else ""
    st.caption(f"{when}: practitioners registered, supervised, observed and keeping up CPD{ahead}.")
    for column, share in zip(st.columns(len(shares)), shares, strict=True):
        column.metric(share.short, percent(share.rate) if share.n else "–",
                      help=f"{share.label}: {share.k} of {share.n} counted; 95% interval {percent(share.ci_low)}–{percent(share.ci_high)}")
        column.caption(f"{share.k} of {share.n} · target {percent(share.target)} · {'met' if share.met else 'not met'}")

st.header("Action plan")
show_plan_summary(view.action_summary())
