"""Actions: what the open gaps need, and the action plan with owners and due dates (the coordinator edits).

Leadership sees the plan in counts only (``View.action_summary``).
"""

from datetime import date

import pandas as pd
import streamlit as st

from rsqm.action_plan import is_overdue, plan_changes, plan_from_rows
from rsqm.labels import ACTION_STATUS, readable
from rsqm.pack.content import causes, workspace_phrasing
from rsqm.ui.main import current
from rsqm.ui.widgets import refuse, save, seen_token, show_plan_summary, status_style, status_text
from rsqm.workspace import ACTIONS_FILE
from rsqm.yamlio import dump_model

viewer, view = current()
st.title("Actions")
show_plan_summary(view.action_summary())
if not view.can("read_evidence"):
    st.stop()  # leadership: the counts above, never an action's text

assessment, plan = view.assessment(), view.actions()
expected = seen_token(ACTIONS_FILE)
today = date.today()
planned = {}
for action in plan.actions:
    if action.indicator and action.status != "done":
        planned.setdefault(action.indicator, []).append(action.id)

st.subheader("What the open gaps need")
say = workspace_phrasing(view.ws, assessment.framework_id, assessment.as_of)
types = view.ws.framework.evidence_types
gaps = [
    {"Indicator": f"{i.id} {i.title}", "Status": status_text(i.status), "Safeguarding": "yes" if i.critical else "",
     "Why": sentence, "Suggested action": readable(r.action, types), "Planned": ", ".join(planned.get(i.id, [])) or "–"}
    for i in assessment.indicators if i.status not in ("met", "not_applicable")
    for r, sentence in causes(i, say, say.needed.get(i.id, 1)) if r.blocking
]
if gaps:
    st.dataframe(status_style(pd.DataFrame(gaps)), hide_index=True, width="stretch")
else:
    st.success("No open gaps.")

st.subheader("Action plan")
left, right = st.columns(2)
owners = left.multiselect("Owner", sorted({a.owner for a in plan.actions}), key="actions_owner")
statuses = right.multiselect("Status", [*ACTION_STATUS.values(), "Overdue"], key="actions_status")


def shown(action) -> bool:
    wanted = not statuses or ACTION_STATUS[action.status.value] in statuses or ("Overdue" in statuses and is_overdue(action, today))
    return wanted and (not owners or action.owner in owners)


columns = ["id", "title", "indicator", "owner", "due", "status", "note"]
rows = [a.model_dump(mode="python") | {"status": ACTION_STATUS[a.status.value]} for a in plan.actions if shown(a)]
frame = pd.DataFrame(rows, columns=columns)
frame.insert(5, "overdue", ["overdue" if is_overdue(a, today) else "" for a in plan.actions if shown(a)])
if not view.can("edit_actions"):
    st.dataframe(frame.rename(columns=str.capitalize), hide_index=True, width="stretch")
    st.stop()
filtered = bool(owners or statuses)
st.caption("Edit cells, add rows at the bottom (leave the id empty for a new one), then save. Owner: a role, not a name."
           + (" Clear the filters to add or remove rows." if filtered else ""))
edited = st.data_editor(
    frame, key=f"action_plan-{'-'.join(owners)}-{'-'.join(statuses)}", num_rows="fixed" if filtered else "dynamic",
    hide_index=True, width="stretch",
    column_config={
        "id": st.column_config.TextColumn("Id", width="small"),
        "title": st.column_config.TextColumn("Action", width="large"),
        "indicator": st.column_config.TextColumn("Indicator", width="small"),
        "owner": st.column_config.TextColumn("Owner"),
        "due": st.column_config.DateColumn("Due", format="YYYY-MM-DD"),
        "overdue": st.column_config.TextColumn("Overdue", disabled=True, width="small"),
        "status": st.column_config.SelectboxColumn("Status", options=list(ACTION_STATUS.values())),
        "note": st.column_config.TextColumn("Note"),
    },
)
if st.button("Save action plan", type="primary", key="save_actions"):
    codes = {label: code for code, label in ACTION_STATUS.items()}
    edited_rows = [{k: v for k, v in row.items() if k != "overdue"} | {"status": codes.get(row["status"], row["status"])}
                   for row in edited.to_dict("records")]
    if filtered:  # rows the filter left out stay as they are, in their place
        kept = iter(edited_rows)
        edited_rows = [next(kept) if shown(a) else a.model_dump(mode="python") for a in plan.actions]
    new_plan, problems = plan_from_rows(edited_rows)
    if new_plan is None:
        refuse(problems, "Not saved: correct these rows (your edits are kept in the table).")
    elif not (said := plan_changes(plan, new_plan)):
        st.info("No change to save.")
    elif save(viewer, "edit_actions", ACTIONS_FILE, dump_model(new_plan), change="; ".join(said), item=None, expected=expected,
              typed="\n".join(f"{a.title}\n{a.owner}\n{a.note}" for a in new_plan.actions)):
        st.rerun()
