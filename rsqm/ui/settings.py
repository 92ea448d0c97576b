"""Settings (coordinator): rsqm.yaml without an editor, through the same functions as `rsqm config set`."""

import streamlit as st

from rsqm.base.errors import RsqmError
from rsqm.base.labels import readable
from rsqm.base.paths import SETTINGS_FILE
from rsqm.server.accounts import list_accounts
from rsqm.ui.main import current
from rsqm.ui.widgets import writer
from rsqm.workspace.settings_edits import FIELDS, get_setting, set_setting, setting_kind, setting_label, setting_words

viewer, view = current()
view.require("edit_settings")
root = view.ws.root
# the settings a coordinator changes in the year; the rest (framework, checklist, case reference form) are set up once
SHOWN = ("service", "assessment_date", "local_mode", "public_contacts", "frameworks", "audit_window_months", "pool_rounds")
HINTS = {"assessment_date": "As YYYY-MM-DD; leave empty to work as of today.", "public_contacts": "Comma-separated.",
         "frameworks": "Comma-separated framework ids, as in standards/."}

st.title("Settings")
st.caption(f"The settings in {SETTINGS_FILE}, as `rsqm config set` changes them: each is checked before anything is "
           "written, comments written in the file are kept, and every change is in the History.")


def save_all(wanted: dict[str, str]) -> None:
    """Set each changed setting in turn; a refused one is said in words and the others still saved."""
    store = writer(viewer, "edit_settings")
    if store is None:
        return
    said, refused = [], []
    for key, text in wanted.items():
        try:
            change = set_setting(store, key, text)
        except RsqmError as problem:  # a refused value, or the file changed meanwhile
            refused.append(str(problem)[:1].upper() + str(problem)[1:])  # the message names the setting
            continue
        if change.changed:
            said.append(f"{change.label.capitalize()} set to {setting_words(change.after)}")
    if refused:
        st.error("Not saved:\n\n" + "\n".join(f"- {line}" for line in refused))
    if said:
        st.session_state["flash"] = ("Saved: " + "; ".join(said) + ".", None)
        if not refused:
            st.rerun()
    elif not refused:
        st.info("No change to save: the settings already say this.")


try:
    current_values = {name: get_setting(root, name) for name in (*SHOWN, "feedback_questions")}
except RsqmError as broken:
    st.error(f"{SETTINGS_FILE} cannot be read: {broken}")
    st.stop()

st.header("The service and the assessment")
with st.form("settings"):
    typed: dict[str, str] = {}
    for name in SHOWN:
        label = setting_label(name).capitalize()
        help_text = FIELDS[name].description or None
        if setting_kind(name) == "yes/no":
            typed[name] = "yes" if st.checkbox(label, bool(current_values[name]), help=help_text, key=f"setting-{name}") else "no"
        else:
            now = current_values[name]
            shown = "" if now is None or now == [] else setting_words(now)
            typed[name] = st.text_input(label, shown, help=help_text, placeholder=HINTS.get(name, ""), key=f"setting-{name}")
    if st.form_submit_button("Save settings", type="primary"):
        wanted = {name: text for name, text in typed.items()
                  if text.strip() != ("" if current_values[name] in (None, []) else setting_words(current_values[name]))}
        if wanted.get("local_mode") == "no" and not list_accounts(root):  # nobody could sign in afterwards, this page included
            st.error("Not saved: local mode stays on until an account exists; add a coordinator on the Users page first.")
        else:
            save_all(wanted)

st.header("Feedback questions")
st.caption("The yes/no questions of the feedback survey; each is a column of evidence/feedback.csv. Empty a question to remove it.")
questions: dict[str, str] = current_values["feedback_questions"]
with st.form("feedback-questions"):
    edited = {qid: st.text_input(f"Question: {readable(qid)}", text, key=f"question-{qid}") for qid, text in questions.items()}
    st.subheader("Add a question")
    new_id = st.text_input("Short name (its column in the feedback file)", placeholder="kept informed", key="question-new-id")
    new_text = st.text_input("Question", placeholder="Were you kept informed about your case?", key="question-new-text")
    if st.form_submit_button("Save questions", type="primary"):
        wanted = {f"feedback_questions.{qid}": text for qid, text in edited.items() if text.strip() != questions[qid]}
        if new_id.strip() or new_text.strip():
            column = "_".join(new_id.lower().split())
            if not column or not new_text.strip():
                st.error("Not saved: a new question needs both a short name and the question.")
            else:
                wanted[f"feedback_questions.{column}"] = new_text
        if wanted:
            save_all(wanted)
