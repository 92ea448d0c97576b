"""Actions: what the open gaps need, and the action plan with owners and due dates (the coordinator edits).

Leadership sees the plan in counts only (``View.action_summary``).
"""


import pandas as pd
import streamlit as st

from rsqm.base.labels import ACTION_STATUS, readable
from rsqm.base.paths import ACTIONS_FILE
from rsqm.files.yamlio import dump_model
from rsqm.pack.content import causes, workspace_phrasing
from rsqm.ui.main import current
from rsqm.ui.widgets import guard_unsaved, refuse, save, seen_token, show_plan_summary, status_style, status_text
from rsqm.workspace.action_plan import FIELD_WORDS, is_overdue, plan_changes, plan_from_rows
from rsqm.workspace.validation import re_audit_problems

viewer, view = current()
st.title("Actions")
show_plan_summary(view.action_summary())
if not view.can("read_evidence"):
    st.stop()  # leadership: the counts above, never an action's text

assessment, plan = view.assessment(), view.actions()
expected = seen_token(ACTIONS_FILE)
judged_on = view.counted_on()  # overdue as the Overview and the pack count it
planned = {}
for action in plan.actions:
    if action.indicator and action.status != "done":
        planned.setdefault(action.indicator, []).append(action.id)

st.header("What the open gaps need")
say = workspace_phrasing(view.ws, assessment.framework_id, assessment.as_of)
types = view.ws.framework.evidence_types
gaps = [
    {"Indicator": f"{i.id} {i.title}", "Status": status_text(i.status), "Safeguarding": "yes" if i.critical else "",
     "Why": sentence, "Suggested action": readable(r.action, types), "Planned": ", ".join(planned.get(i.id, [])) or "–"}
    for i in assessment.indicators if i.status not in ("met", "not_applicable")
    for r, sentence in causes(i, say, say.needed.get(i.id, 1)) if r.blocking
]
if gaps:
    st.dataframe(status_style(pd.DataFrame(gaps)), hide_index=True, placeholder="", width="stretch")
else:
    st.success("No open gaps.")

st.header("Action plan")
left, right = st.columns(2)
owners = left.multiselect("Owner", sorted({a.owner for a in plan.actions}), key="actions_owner")
statuses = right.multiselect("Status", [*ACTION_STATUS.values(), "Overdue"], key="actions_status")


def shown(action) -> bool:
    wanted = not statuses or ACTION_STATUS[action.status.value] in statuses or ("Overdue" in statuses and is_overdue(action, judged_on))
    return wanted and (not owners or action.owner in owners)


# the table's columns as people read them (the editor hands rows back under these names)
HEADINGS = {"id": "Id", "title": "Action", "indicator": "Indicator", "owner": "Owner", "due": "Due", "status": "Status",
            "audit_item": "Audit item", "re_audit_by": "Re-audit by", "note": "Note"}
FIELDS = {heading: field for field, heading in HEADINGS.items()}
questions = view.questions()  # the audit item an action should improve, shown by its question
rows = [a.model_dump(mode="python") | {"status": ACTION_STATUS[a.status.value], "audit_item": questions.get(a.audit_item, a.audit_item)}
        for a in plan.actions if shown(a)]
frame = pd.DataFrame(rows, columns=list(HEADINGS)).rename(columns=HEADINGS)
frame.insert(5, "Overdue", ["overdue" if is_overdue(a, judged_on) else "" for a in plan.actions if shown(a)])
if not view.can("edit_actions"):
    st.dataframe(frame, hide_index=True, placeholder="", width="stretch")
    st.stop()
filtered = bool(owners or statuses)
st.caption("Edit cells, add rows at the bottom (leave the id empty for a new one), then save. Owner: a role, not a name."
           + (" Clear the filters to add or remove rows." if filtered else ""))
edited = st.data_editor(
    frame, key=f"action_plan-{'-'.join(owners)}-{'-'.join(statuses)}" if filtered else "action_plan",
    num_rows="fixed" if filtered else "dynamic", hide_index=True, placeholder="", width="stretch",
    column_config={
        "Id": st.column_config.TextColumn(width="small"),
        "Action": st.column_config.TextColumn(width="large"),
        "Indicator": st.column_config.TextColumn(width="small"),
        "Due": st.column_config.DateColumn(format="YYYY-MM-DD"),
        "Overdue": st.column_config.TextColumn(disabled=True, width="small"),
        "Status": st.column_config.SelectboxColumn(options=list(ACTION_STATUS.values())),
        "Audit item": st.column_config.SelectboxColumn(options=list(questions.values()),
                                                       help="the checklist item this action should improve"),
        "Re-audit by": st.column_config.DateColumn(format="YYYY-MM-DD",
                                                   help="a complete audit round covering the item, drawn on or after the due date"),
    },
)
unsaved = not edited.equals(frame)
guard_unsaved(unsaved)
if unsaved:
    st.warning("The table has changes that are not saved yet: save the action plan to keep them.")
if st.button("Save action plan", type="primary", key="save_actions"):
    codes = {label: code for code, label in ACTION_STATUS.items()}
    items = {question: item for item, question in questions.items()}
    edited_rows = [{FIELDS[k]: v for k, v in row.items() if k in FIELDS}
                   | {"status": codes.get(row["Status"], row["Status"]), "audit_item": items.get(row["Audit item"], row["Audit item"])}
                   for row in edited.to_dict("records")]
    if filtered:  # rows the filter left out stay as they are, in their place
        kept = iter(edited_rows)
        edited_rows = [next(kept) if shown(a) else a.model_dump(mode="python") for a in plan.actions]
    new_plan, problems = plan_from_rows(edited_rows)
    if new_plan is not None:  # a re-audit promise must name a checklist item and a date the rounds can meet
        problems = [readable(message, FIELD_WORDS) for action in new_plan.actions
                    for _, message in re_audit_problems(action, set(questions) or None, view.ws.settings.checklist)]
    if problems:
        refuse(problems, "Not saved: correct these rows (your edits are kept in the table).")
    elif not (said := plan_changes(plan, new_plan)):
        st.info("No change to save.")
    elif save(viewer, "edit_actions", ACTIONS_FILE, dump_model(new_plan), change="; ".join(said), item=None, expected=expected,
              typed="\n".join(f"{a.title}\n{a.owner}\n{a.note}" for a in new_plan.actions)):
        st.rerun()
