"""Clarification requests: the assessor asks about an indicator, the coordinator answers with evidence."""


import pandas as pd
import streamlit as st

from rsqm.assess.lifecycle import RequestError, overdue, with_answer, with_request
from rsqm.base.paths import REQUESTS_FILE
from rsqm.files.yamlio import dump_model
from rsqm.ui.main import current
from rsqm.ui.widgets import refuse, save, seen_token

viewer, view = current()
ws = view.ws
requests = view.requests()
expected = seen_token(REQUESTS_FILE)
today = view.today

st.title("Clarification requests")
st.caption("Questions the assessor raised about an indicator after reading the pack, and the service's answers.")
if requests:
    st.dataframe(pd.DataFrame([{
        "Request": r.id, "Indicator": r.indicator, "Question": r.question, "Raised": r.raised_on, "By": r.by,
        "Due": r.due, "Status": r.status.value.capitalize() + (" (overdue)" if overdue(r, today) else ""),
        "Answer": r.response, "Evidence added": ", ".join(r.evidence),
    } for r in requests]), hide_index=True, placeholder="", width="stretch")
else:
    st.info("No clarification requests yet.")

if view.can("add_request"):
    framework = ws.framework
    choices = [i.id for _, i in framework.indicators()] if framework else []
    titles = {i.id: i.title for _, i in framework.indicators()} if framework else {}
    with st.form("request_add", clear_on_submit=True):
        st.header("Record a request")
        indicator = st.selectbox("Indicator", choices, format_func=lambda i: f"{i} {titles.get(i, '')}")
        question = st.text_area("Question")
        by = st.text_input("Asked by", value="RJC assessor")
        due = st.date_input("Answer due", value=None, format="YYYY-MM-DD")
        if st.form_submit_button("Add request", type="primary"):
            if not question.strip() or not by.strip():
                refuse(["write the question and who asked it"])
            else:
                updated, request = with_request(ws.requests, by=by.strip(), indicator=indicator, question=question.strip(),
                                                raised_on=today, due=due)
                if save(viewer, "add_request", REQUESTS_FILE, dump_model(updated),
                        change=f"request {request.id} recorded against {indicator}", item=request.id, expected=expected):
                    st.rerun()

open_ids = [r.id for r in requests if r.status.value == "open"]
if view.can("answer_request") and requests:
    with st.form("request_answer"):
        st.header("Answer a request")
        questions = {r.id: f"{r.id} ({r.indicator}): {r.question}" for r in requests}
        request_id = st.selectbox("Request", open_ids or [r.id for r in requests], format_func=questions.__getitem__)
        response = st.text_area("Answer")
        evidence = st.multiselect("Evidence added in answer", [i.id for i in ws.register.items],
                                  format_func=lambda e: f"{e} {next(i.title for i in ws.register.items if i.id == e)}")
        close = st.checkbox("The assessor accepted the answer: close the request")
        if st.form_submit_button("Save answer", type="primary"):
            try:
                updated = with_answer(ws.requests, request_id, response=response, answered_on=today, evidence=evidence, close=close)
            except RequestError as exc:
                refuse([str(exc)])
            else:
                if save(viewer, "answer_request", REQUESTS_FILE, dump_model(updated),
                        change=f"request {request_id} {'closed' if close else 'answered'}", item=request_id, expected=expected):
                    st.rerun()
