"""Workforce: registration, supervision, observed practice and CPD by staff code (coordinator; supervisors read only)."""

from datetime import date

import pandas as pd
import streamlit as st

from rsqm.assess.workforce import DUE_WINDOW_DAYS, WorkforceError, record, workforce_yaml
from rsqm.base.formatting import percent
from rsqm.base.paths import WORKFORCE_FILE
from rsqm.files.models import CpdEntry
from rsqm.ui.main import current
from rsqm.ui.widgets import save, seen_token

viewer, view = current()
st.title("Workforce")
if view.ws.workforce is None:
    st.info("No workforce register yet. Add evidence/workforce.yaml (staff codes only, never names) to measure "
            "registration, supervision, observed practice and CPD.")
    st.stop()
expected = seen_token(WORKFORCE_FILE)
as_of = view.workforce_day()
shares = view.workforce_shares()
counted_on = view.counted_on()
measured = f"{counted_on.day} {counted_on:%B %Y}" + (", when the records end" if shares and shares[0].counted_on else "")
st.caption(f"The four shares are counted on {measured}, as the Overview and the pack count them; the table and what is "
           f"due are as on {as_of.day} {as_of:%B %Y} (today, or the assessment date once it has passed). Staff codes only.")
for column, share in zip(st.columns(len(shares)), shares, strict=True):
    column.metric(share.short, f"{share.k} of {share.n}" if share.n else "nobody to count",
                  help=f"{share.label}: {percent(share.rate)} against a target of {percent(share.target)}")
    column.caption(f"{percent(share.rate)} · target {percent(share.target)} · {'met' if share.met else 'not met'}")

rows = view.workforce_table()
st.header("By staff code")


def _day(value: date | None) -> str:
    return value.isoformat() if value else "–"


st.table(pd.DataFrame([
    {
        "Code": r.code,
        "Kind": r.kind,
        "Status": r.status,
        "Registration": f"{r.registration_level} to {r.registration_expires}" + ("" if r.registered else " (lapsed)")
        if r.registration_level else "not registered",
        "Last supervision": _day(r.last_supervision),
        "Supervision due": _day(r.supervision_due),
        "Observed practice due": _day(r.observed_due),
        "CPD past year": f"{r.cpd_hours:g} of {r.cpd_required:g} h ({r.cpd_approved:g} approved)" if r.cpd_required else f"{r.cpd_hours:g} h",
    }
    for r in rows
]), hide_index=True, border="horizontal")

st.header(f"Due in the next {DUE_WINDOW_DAYS // 7} weeks")
due = view.workforce_due()
if due:
    st.table(pd.DataFrame([{"Due": d.due.isoformat(), "Code": d.code, "What": d.what, "Overdue": "overdue" if d.overdue else ""}
                           for d in due]), hide_index=True, border="horizontal")
else:
    st.success("Nothing falls due in the next four weeks.")

if not view.can("read_shortfalls"):
    st.stop()

st.header("Cases to check against the register")
flags = view.workforce_case_flags()
if flags:
    st.dataframe(pd.DataFrame([{"Case": f.case_ref, "Why": f.why} for f in flags]), hide_index=True, width="stretch")
else:
    st.success("Every case was facilitated by a registered practitioner at the level it needed.")
short = [m for m in view.measure_shortfalls() if m.result.shortfalls]
if short:
    with st.expander("Who or which cases fall short of each measure"):
        for m in short:
            st.markdown(f"**{m.framework} {m.indicator}: {m.result.label}**\n\n" + "\n".join(f"- {line}" for line in m.result.shortfalls))

if not view.can("edit_workforce"):
    st.stop()

st.header("Record an entry")
with st.form("workforce_entry", clear_on_submit=True):
    code = st.selectbox("Staff code", [r.code for r in rows])
    kind = st.radio("What", ["Supervision", "Observed practice", "CPD"], horizontal=True)
    when = st.date_input("Date", value=min(as_of, view.today), max_value=view.today, format="YYYY-MM-DD")
    hours = st.number_input("CPD hours", min_value=0.0, max_value=1000.0, step=0.5, value=0.0)
    approved = st.checkbox("CPD is RJC-approved")
    title = st.text_input("CPD title", placeholder="what the course or activity was (no names)")
    submitted = st.form_submit_button("Record", type="primary")
if submitted:
    try:
        if kind == "CPD":
            if hours <= 0:
                raise WorkforceError("give the CPD hours (more than 0)")
            entry = {"cpd": CpdEntry(date=when, hours=hours, rjc_approved=approved, title=title.strip())}
        else:
            entry = {"supervision" if kind == "Supervision" else "observed": when}
        changed, change = record(view.ws.workforce, code, view.today, **entry)
    except WorkforceError as refused:
        st.error(f"Not recorded: {refused}")
    else:
        if save(viewer, "edit_workforce", WORKFORCE_FILE, workforce_yaml(changed), change=change, item=code, expected=expected):
            st.rerun()
