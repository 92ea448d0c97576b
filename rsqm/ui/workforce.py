"""Workforce: registration, supervision, observed practice and CPD by staff code (coordinator; supervisors read only)."""

from datetime import date

import pandas as pd
import streamlit as st

from rsqm.assess.workforce import DUE_WINDOW_DAYS, WorkforceError, add_staff, record, update_staff, workforce_yaml
from rsqm.base.dates import counted_because
from rsqm.base.formatting import percent
from rsqm.base.paths import WORKFORCE_FILE
from rsqm.files.models import CpdEntry, Level, StaffMember
from rsqm.ui.main import current
from rsqm.ui.widgets import save, seen_token

viewer, view = current()
st.title("Workforce")
expected = seen_token(WORKFORCE_FILE)
NEW = "A new member of staff"
NONE = "none"
LEVELS = [NONE, *(level.value for level in Level)]


def _member_fields(member: StaffMember | None, paid: bool, started: date | None, training: str, trained_on: date | None,
                   registered: str, expires: date | None, probation_until: date | None, admin_only: bool,
                   prior_experience: bool) -> dict[str, object]:
    """The register fields the form gives, as `rsqm workforce add/update` takes them; for a change, only those that differ."""
    if started is None:
        raise WorkforceError("give the day they started")
    fields: dict[str, object] = {"paid": paid, "started": started, "admin_only": admin_only, "prior_experience": prior_experience,
                                 "probation_until": probation_until}
    for key, level, day_key, day, what in (("training", training, "completed", trained_on, "training"),
                                           ("registration", registered, "expires", expires, "registration")):
        if level != NONE and day is None:
            raise WorkforceError(f"give the date of the {what} ({'completed' if key == 'training' else 'when it runs out'})")
        if level != NONE:
            fields[key] = {"level": level, day_key: day}
    if member is None:
        return fields
    now = member.model_dump(mode="json")
    plain = {k: (v.isoformat() if isinstance(v, date) else {x: y.isoformat() if isinstance(y, date) else y for x, y in v.items()}
                 if isinstance(v, dict) else v) for k, v in fields.items()}
    return {k: fields[k] for k, v in plain.items()
            if (({**(now.get(k) or {}), **v} != now.get(k)) if isinstance(v, dict) else now.get(k) != v)}


def member_form(codes: list[str]) -> None:
    """Add a member of staff or change one, through the same functions as `rsqm workforce add` and `update`."""
    st.header("Add or change a member of staff")
    chosen = st.selectbox("Member of staff", [NEW, *codes], key="member_pick")
    workforce = view.ws.workforce
    member = next((m for m in workforce.staff if m.code == chosen), None) if workforce is not None else None
    with st.form(f"member-{chosen}"):
        code = st.text_input("Staff code (never a name)", placeholder="P08", key="member_code") if member is None else chosen
        paid = st.radio("Kind", ["Paid", "Volunteer"], index=0 if member is None or member.paid else 1, horizontal=True,
                        key=f"member-kind-{chosen}") == "Paid"
        started = st.date_input("Started", member.started if member else None, format="YYYY-MM-DD", key=f"member-started-{chosen}")
        left, right = st.columns(2)
        training = left.selectbox("RJ training level", LEVELS, LEVELS.index(member.training.level.value) if member and member.training else 0,
                                  key=f"member-training-{chosen}")
        trained_on = right.date_input("Training completed on", member.training.completed if member and member.training else None,
                                      format="YYYY-MM-DD", key=f"member-trained-{chosen}")
        registered = left.selectbox("RJC register level", LEVELS,
                                    LEVELS.index(member.registration.level.value) if member and member.registration else 0,
                                    key=f"member-registered-{chosen}")
        expires = right.date_input("Registration runs out on", member.registration.expires if member and member.registration else None,
                                   format="YYYY-MM-DD", key=f"member-expires-{chosen}")
        probation = st.date_input("Probation until (optional)", member.probation_until if member else None, format="YYYY-MM-DD",
                                  key=f"member-probation-{chosen}")
        admin_only = st.checkbox("Does not deliver restorative justice (left out of every measure)", member.admin_only if member else False,
                                 key=f"member-admin-{chosen}")
        prior = st.checkbox("Came with prior experience (left out of the registration share while in probation)",
                            member.prior_experience if member else False, key=f"member-prior-{chosen}")
        if not st.form_submit_button("Add" if member is None else "Save changes", type="primary"):
            return
    try:
        fields = _member_fields(member, paid, started, training, trained_on, registered, expires, probation, admin_only, prior)
        if member is None:
            changed, change = add_staff(workforce, code.strip(), view.today, fields)
        elif not fields:
            st.info("No change to save: the register already says this.")
            return
        else:
            changed, change = update_staff(workforce, chosen, view.today, fields)
    except WorkforceError as refused:
        st.error(f"Not saved: {refused}")
        return
    if save(viewer, "edit_workforce", WORKFORCE_FILE, workforce_yaml(changed), change=change,
            item=code.strip() if member is None else chosen, expected=expected):
        st.rerun()


if view.ws.workforce is None:
    st.info("No workforce register yet: add the first member of staff (staff codes only, never names) to measure "
            "registration, supervision, observed practice and CPD.")
    if view.can("edit_workforce"):
        member_form([])
    st.stop()

as_of = view.workforce_day()
shares = view.workforce_shares()
counted_on = view.counted_on()
measured = f"{counted_on.day} {counted_on:%B %Y}" + (f", {counted_because(counted_on, view.today)}" if shares and shares[0].counted_on else "")
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
    st.dataframe(pd.DataFrame([{"Case": f.case_ref, "Why": f.why} for f in flags]), hide_index=True, placeholder="", width="stretch")
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

member_form([r.code for r in rows])
