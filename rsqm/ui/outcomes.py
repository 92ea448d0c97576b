"""Outcomes: referrals, take-up, agreements, contact times and feedback, for leadership and the coordinator (aggregates only)."""

from datetime import date

import pandas as pd
import streamlit as st

from rsqm.assess.outcomes import Share, outcome_rows, year_to
from rsqm.base.formatting import percent
from rsqm.base.labels import readable
from rsqm.ui import charts
from rsqm.ui.main import current
from rsqm.ui.widgets import show_figure

viewer, view = current()
as_of = view.as_of or view.today

st.title("Outcomes")
st.caption("What the case list and participants' feedback show: counts and shares with their 95% intervals, "
           "beside the period before. No case is shown.")
periods = {f"Year to {as_of:%d %B %Y}": year_to(as_of)}
periods |= {str(year): (date(year, 1, 1), date(year, 12, 31)) for year in range(as_of.year, as_of.year - 4, -1)}
chosen = st.selectbox("Period", list(periods), key="outcomes_period")
o = view.outcomes(*periods[chosen])
now, was = o.current, o.previous


st.caption(f"{o.comparison(lambda d: f'{d:%d %B %Y}')}.")


def delta(a: Share, b: Share) -> str | None:
    """The change in points, or none: never between a part period and a whole one."""
    if o.part or a.rate is None or b.rate is None:
        return None
    return f"{round((a.rate - b.rate) * 100):+d} points"


referrals, take_up, completed, contact = st.columns(4)
referrals.metric("Referrals", now.referrals, delta=None if o.part else now.referrals - was.referrals,
                 help="Cases referred in the period" + (f", up to {o.covered_to:%d %B %Y} when the records end." if o.part else "."))
take_up.metric("Took up RJ", percent(now.take_up.rate), delta=delta(now.take_up, was.take_up),
               help=f"{now.take_up.k} of {now.take_up.n} offers decided in the period.")
completed.metric("Agreements completed", percent(now.agreements_completed.rate),
                 delta=delta(now.agreements_completed, was.agreements_completed),
                 help=f"{now.agreements_completed.k} of {now.agreements_completed.n} agreements reached in cases closed in the period.")
within = now.first_contact.within_limit
contact.metric("First contact in time", percent(within.rate), delta=delta(within, was.first_contact.within_limit),
               help=f"{within.k} of {within.n}; limit {now.first_contact.limit} working days "
                    f"({now.first_contact.enhanced_limit} for victims with enhanced rights).")

st.header("Shares, this period and the one before")
if any(s is not None and s.rate is not None for s in (now.offers, now.take_up, within, now.agreements_reached)):
    show_figure(charts.outcome_shares(o))
    st.caption(f"Bars: {now.start} to {o.covered_to or now.end} (dark blue) and {was.start} to {was.end} (grey); lines: 95% Wilson intervals.")
else:
    st.info("The case list does not record offers, take-up, first contact or agreements for this period yet.")

for column, heading, counted, axis, none in zip(
    st.columns(2),
    ("Referrals by source", "Process in cases that went ahead"),
    (now.by_source, now.processes),
    ("Referrals", "Cases closed"),
    ("No referrals in this period.", "No cases closed in this period."),
    strict=True,
):
    with column:
        st.header(heading)
        if counted:
            show_figure(charts.counts(counted, axis))
        else:
            st.info(none)

st.header("All outcomes")
table = pd.DataFrame([
    {"Measure": readable(r.measure), (f"To {o.covered_to.day} {o.covered_to:%b %Y}" if o.covered_to else "This period"): r.now, "Counted over": r.count, "95% interval": r.ci, "Period before": r.before}
    for r in outcome_rows(o)
])
st.dataframe(table, hide_index=True, placeholder="", width="stretch")
st.caption("Referrals, offers, take-up and first contact count cases referred in the period; process and agreements count "
           "cases closed in it; feedback counts responses received in it. A referral not yet contacted counts once it is past "
           "its limit; before that it is pending.")

st.header("Commissioner's return")
today = view.today  # this quarter (a part period until it ends) and the three before it
quarter = (today.month - 1) // 3 + 1
quarters = [f"{today.year - (quarter - 1 - back < 0)}Q{(quarter - 1 - back) % 4 + 1}" for back in range(4)]
chosen_quarter = st.selectbox("Quarter", quarters, key="return_period",
                              help="Calendar quarters; rsqm return also writes a financial year or a run of months.")
if st.button("Prepare the return (.xlsx)", key="return_prepare"):
    st.session_state["return_file"] = (chosen_quarter, *view.commission_return(chosen_quarter, f"return-{chosen_quarter}.xlsx"))
prepared = st.session_state.get("return_file")
if prepared and prepared[0] == chosen_quarter:
    _, content, findings = prepared
    if findings:  # the findings may quote a case reference: only their number is shown here
        st.error(f"The privacy pre-flight found {len(findings)} thing(s) in the return that may not leave the service; "
                 "the coordinator sees them with rsqm return.")
    else:
        st.download_button(f"Download the return for {chosen_quarter}", data=content, file_name=f"return-{chosen_quarter}.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="return_download")
st.caption("The quarter's figures beside the quarter before, counts only, with small equality counts not shown "
           "(docs/commissioning.md). rsqm return writes the same as a covering report (.docx) or a signed .json.")
