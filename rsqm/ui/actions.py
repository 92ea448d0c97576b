"""Actions: what the open gaps need, and the action plan with owners and due dates (the coordinator edits)."""

import re

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from rsqm.models import ActionPlan
from rsqm.register_edits import next_id
from rsqm.ui.main import current
from rsqm.ui.widgets import field_errors, refuse, save, seen_token, status_style, status_text
from rsqm.validation import re_audit_problems
from rsqm.workspace import ACTIONS_FILE
from rsqm.yamlio import dump_model

viewer, view = current()
assessment, plan = view.assessment(), view.actions()
expected = seen_token(ACTIONS_FILE)
planned = {}
for action in plan.actions:
    if action.indicator and action.status != "done":
        planned.setdefault(action.indicator, []).append(action.id)

st.title("Actions")
st.subheader("What the open gaps need")
gaps = [
    {"Indicator": f"{i.id} {i.title}", "Status": status_text(i.status), "Safeguarding": "yes" if i.critical else "",
     "Why": r.message, "Suggested action": r.action, "Planned": ", ".join(planned.get(i.id, [])) or "–"}
    for i in assessment.indicators if i.status not in ("met", "not_applicable") for r in i.reasons if r.blocking
]
if gaps:
    st.dataframe(status_style(pd.DataFrame(gaps)), hide_index=True, width="stretch")
else:
    st.success("No open gaps.")

st.subheader("Action plan")
columns = ["id", "title", "indicator", "owner", "due", "status", "audit_item", "re_audit_by", "note"]
items = [item.id for item in view.ws.checklist.items] if view.ws.checklist else []
frame = pd.DataFrame([a.model_dump(mode="python") for a in plan.actions], columns=columns)
if not viewer.coordinator:
    st.dataframe(frame, hide_index=True, width="stretch")
    st.stop()
st.caption("Edit cells, add rows at the bottom (leave the id empty for a new one), then save. Owner: a role, not a name.")
edited = st.data_editor(
    frame, key="action_plan", num_rows="dynamic", hide_index=True, width="stretch",
    column_config={
        "id": st.column_config.TextColumn("Id", disabled=False, width="small"),
        "title": st.column_config.TextColumn("Action", required=True, width="large"),
        "indicator": st.column_config.TextColumn("Indicator", width="small"),
        "owner": st.column_config.TextColumn("Owner", required=True),
        "due": st.column_config.DateColumn("Due", format="YYYY-MM-DD"),
        "status": st.column_config.SelectboxColumn("Status", options=["open", "in_progress", "done"], required=True),
        "audit_item": st.column_config.SelectboxColumn("Audit item", options=items, help="the checklist item this action should improve"),
        "re_audit_by": st.column_config.DateColumn("Re-audit by", format="YYYY-MM-DD",
                                                   help="a complete audit round covering the item, drawn on or after the due date"),
        "note": st.column_config.TextColumn("Note"),
    },
)
if st.button("Save action plan", type="primary", key="save_actions"):
    rows, ids = [], []
    for row in edited.to_dict("records"):
        clean = {k: v for k, v in row.items() if not (v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NaT or v == "")}
        if not clean:
            continue
        clean.setdefault("id", next_id(ids + [r.get("id", "") for r in edited.to_dict("records") if r.get("id")], "A"))
        clean.setdefault("status", "open")
        ids.append(clean["id"])
        rows.append(clean)
    try:
        new_plan = ActionPlan.model_validate({"schema": "rsqm/actions@1", "actions": rows})
    except ValidationError as exc:
        refuse([re.sub(r"^actions\[(\d+)\]\.", lambda m: f"row {int(m[1]) + 1}: ", line) for line in field_errors(exc, ActionPlan)])
    else:
        problems = [message for action in new_plan.actions
                    for _, message in re_audit_problems(action, set(items) if items else None, view.ws.settings.checklist)]
        typed = "\n".join(f"{a.title}\n{a.owner}\n{a.note}" for a in new_plan.actions)
        if problems:
            refuse(problems)
        elif save(viewer, "edit_actions", ACTIONS_FILE, dump_model(new_plan), change="action plan edited", item=None, expected=expected,
                  typed=typed):
            st.rerun()
