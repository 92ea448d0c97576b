"""Forms of the case-audit page: draw a sample, audit one case, second-mark it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from rsqm.audit.audits import AuditError, audit_files, audit_state, audit_yaml, blank_audit
from rsqm.audit.sampling import SamplingError, new_sample, population
from rsqm.base.labels import ANSWER, words
from rsqm.base.stats import CONFIDENCE_LEVELS, ROUNDING, sample_size, z_for_confidence
from rsqm.files.models import Answer, AnswerResult, Audit, Moderation
from rsqm.files.yamlio import dump_model
from rsqm.ui.widgets import refuse, save, seen_token

RESULTS = list(AnswerResult)
RESULT_LABELS = ANSWER
STRATA = ["process", "offence_category", "initiator", "practitioner", "outcome"]


def draw_form(viewer, view) -> None:
    cases = view.cases()
    st.markdown("**Which closed cases?**")
    left, right = st.columns(2)
    closed_from = left.date_input("Closed from", None, format="YYYY-MM-DD", key="draw_from")
    closed_to = right.date_input("Closed to", None, format="YYYY-MM-DD", key="draw_to")
    rows = population(cases, closed_from, closed_to)
    expected = left.slider("Expected compliance", 0.5, 0.99, 0.85, 0.01, key="draw_expected")
    margin = right.slider("Margin of error (±)", 0.03, 0.25, 0.10, 0.01, key="draw_margin")
    confidence = left.selectbox("Confidence", CONFIDENCE_LEVELS, index=1, format_func="{:.0%}".format, key="draw_confidence")
    advice = sample_size(expected, margin, len(rows), z=z_for_confidence(confidence)) if rows else 0
    st.info(f"{len(rows)} closed cases in that period. To estimate a compliance of about {expected:.0%} within "
            f"±{margin:.0%} ({confidence:.0%} confidence), audit **{advice}** of them. Sizes are {ROUNDING}.")
    with st.form("draw-sample"):
        name = st.text_input("Sample name", f"{view.today:%Y}-{view.today:%m}", help="Letters, digits, '-' or '_'")
        left, right = st.columns(2)
        size = left.number_input("Cases to draw", 1, max(1, len(rows)), max(1, min(advice, len(rows))), key="draw_size")
        seed = right.number_input("Seed (any number; write it down)", 0, 10**9, view.today.toordinal() % 10_000, key="draw_seed")
        strata = st.multiselect("Spread the sample across", STRATA, ["process"], format_func=lambda s: s.replace("_", " "))
        reason = st.text_input("Reason (e.g. quarterly audit)", "Quarterly case-file audit")
        if not st.form_submit_button("Draw sample", type="primary", key="draw_submit"):
            return
    rel = view.ws.sample_path(name.strip())
    if not name.strip() or not name.replace("-", "").replace("_", "").isalnum():
        refuse(["name: use letters, digits, '-' or '_' only"])
        return
    if name in view.samples():
        refuse([f"a sample named '{name}' already exists; samples are never redrawn, choose a new name"])
        return
    try:
        sample, _ = new_sample(cases, name=name.strip(), size=int(size), seed=int(seed), strata=strata, closed_from=closed_from,
                                   closed_to=closed_to, drawn_on=view.today, drawn_by=viewer.user, reason=reason.strip())
    except SamplingError as exc:
        refuse([str(exc)], "Not drawn:")
        return
    if save(viewer, "draw_sample", rel, dump_model(sample), change="sample drawn", item=sample.name, expected=None):
        st.session_state[GOTO] = ("Audit a case", sample.name)  # straight on to auditing it
        st.rerun()


def _answers(prefix: str, items, current: dict[str, Answer], notes: bool, hints: dict[str, str] | None = None) -> dict[str, Answer]:
    """One radio per checklist item (and a note), grouped by section; ``hints`` shows a line under an item's question."""
    answers, section = {}, None
    for item in items:
        if item.section != section:
            section = item.section
            st.header(section, anchor=False)  # h2 under the page's h1; no link icon: one Tab stop fewer per section
        old = current.get(item.id, Answer())
        label = item.question + (" (safeguarding)" if item.critical else "")
        result = st.radio(label, RESULTS, index=RESULTS.index(old.result) if old.result else None, horizontal=True,
                          format_func=RESULT_LABELS.__getitem__, key=f"{prefix}-{item.id}")
        if hints and item.id in hints:
            st.caption(hints[item.id])
        note = st.text_input(f"Note on: {item.question}", old.note, key=f"{prefix}-{item.id}-note", label_visibility="collapsed",
                             placeholder="Note (no names)") if notes else old.note  # named by its question for screen readers
        answers[item.id] = Answer(result=result, note=note.strip())
    return answers


NEXT_CASE = "audit_case_next"  # set by "Save and next case", applied before the case picker is drawn
GOTO = "audit_goto"  # (section, sample) to open after drawing a sample, applied before the section control is drawn


def follow_goto() -> None:
    goto = st.session_state.pop(GOTO, None)
    if goto:
        st.session_state["audit_section"], st.session_state["audit_sample"] = goto


def follow_next_case(cases: list[str]) -> None:
    """Move the case picker to the case chosen by the last "Save and next case" (a widget's value is set before it is drawn)."""
    pending = st.session_state.pop(NEXT_CASE, None)
    if pending in cases:
        st.session_state["audit_case"] = pending


def unanswered(items, answers: dict[str, Answer]) -> list[str]:
    """One line per unanswered checklist item, by its question (the id means nothing on a long page)."""
    return [f"not answered: {item.question}" for item in items if answers.get(item.id, Answer()).result is None]


def _read_only(audit: Audit, items) -> None:
    """A completed audit as it was recorded: changes go through second marking, never by editing it."""
    st.info(f"Completed by {audit.auditor} on {audit.audited_on:%d %B %Y}. A completed audit is not edited: "
            "mark it again under Second marking.")
    st.dataframe(pd.DataFrame([
        {"Question": item.question, "Answer": words(audit.answers.get(item.id, Answer()).result or "", RESULT_LABELS) or "–",
         "Note": audit.answers.get(item.id, Answer()).note}
        for item in items
    ]), hide_index=True, placeholder="", width="stretch")


def _typed(answers: dict[str, Answer], *more: str) -> str:
    """The free text of a form, one note a line, for the personal-data warning."""
    return "\n".join([*(a.note for a in answers.values()), *more])


def checklist_form(viewer, view, case_ref: str, sample: str, queue: list[str]) -> None:
    ws, audit = view.ws, view.audits().get(case_ref)
    rel = ws.audit_path(case_ref)
    expected = seen_token(rel)
    if audit is not None and audit.audited_on is not None:
        _read_only(audit, ws.checklist.items)
        return
    if audit is None:
        try:
            audit = blank_audit(ws, case_ref, viewer.user, sample)
        except AuditError as exc:
            refuse([str(exc)], "Cannot audit this case:")
            return
    with st.form(f"audit-{case_ref}"):
        st.caption(f"Auditor: {audit.auditor} · sample {audit.sample} · {audit_state(view.audits().get(case_ref))}")
        answers = _answers(f"answer-{case_ref}", ws.checklist.items, audit.answers, notes=True)
        st.header("Safeguarding", anchor=False)
        concern = st.checkbox("A safeguarding concern was found in this file", audit.safeguarding_concern, key=f"concern-{case_ref}")
        concern_note = st.text_area("What and what was done (no names)", audit.safeguarding_note, key=f"concern-note-{case_ref}")
        left, middle, right = st.columns(3)
        draft = left.form_submit_button("Save draft", key=f"audit-draft-{case_ref}")
        complete = middle.form_submit_button("Complete audit", type="primary", key=f"audit-complete-{case_ref}")
        onward = right.form_submit_button("Save and next case", key=f"audit-next-{case_ref}",
                                          help="Completes the audit when every question is answered, else saves it as a draft; "
                                               "then opens the next case in the list.")
    if not (draft or complete or onward):
        return
    finish = complete or (onward and not unanswered(ws.checklist.items, answers))
    problems = unanswered(ws.checklist.items, answers) if finish else []
    if concern and not concern_note.strip():
        problems.append("safeguarding: say what the concern is and what was done")
    updated = audit.model_copy(update={"answers": answers, "safeguarding_concern": concern, "safeguarding_note": concern_note.strip(),
                                       "audited_on": view.today if finish and not problems else None})
    if problems:
        refuse(problems, "Not completed:" if finish else "Not saved:")
        if finish and updated.answers != audit.answers:  # keep what was answered: saved as a draft, nothing is lost
            save(viewer, "write_audit", rel, audit_yaml(updated, ws.checklist), item=case_ref, expected=expected,
                 change=f"audit draft of {case_ref} saved", typed=_typed(answers, concern_note))
        return
    if onward:
        later = queue[queue.index(case_ref) + 1:] if case_ref in queue else []
        if later:
            st.session_state[NEXT_CASE] = later[0]
    if save(viewer, "write_audit", rel, audit_yaml(updated, ws.checklist), item=case_ref, expected=expected,
            change=f"audit of {case_ref} {'completed' if finish else 'draft saved'}", typed=_typed(answers, concern_note)):
        st.rerun()


def save_audit(viewer, view, audit: Audit, expected: dict[str, str | None], *, change: str, typed: str = "") -> bool:
    """Save the audit's files that changed, the second marker's own file first (an older record is split without loss)."""
    root = view.ws.root
    changed = [(rel, text) for rel, text in reversed(audit_files(view.ws, audit).items())
               if not ((root / rel).is_file() and (root / rel).read_text(encoding="utf-8") == text)]
    if not changed:
        st.info("No change to save: the file already says this.")
        return False
    return all([save(viewer, "write_audit", rel, text, item=audit.case_ref, expected=expected.get(rel), change=change, typed=typed)
                for rel, text in changed])


def moderation_form(viewer, view, audit: Audit) -> None:
    ws = view.ws
    expected = {rel: seen_token(rel) for rel in (ws.audit_path(audit.case_ref), ws.second_marking_path(audit.case_ref))}
    moderation = audit.moderation
    if audit.auditor == viewer.user:
        st.warning("You audited this case; second marking should be done by a colleague.")
    with st.form(f"moderate-{audit.case_ref}"):
        st.markdown("Mark the file again without looking at the first answers.")
        second = _answers(f"second-{audit.case_ref}", ws.checklist.items, moderation.answers if moderation else {}, notes=False)
        if not st.form_submit_button("Save second marking", type="primary", key=f"moderate-submit-{audit.case_ref}"):
            second = None
    if second is not None:
        missing = unanswered(ws.checklist.items, second)
        if missing:
            refuse(missing)
        else:
            marked = Moderation(moderator=viewer.user, moderated_on=view.today, answers=second,
                                agreed=moderation.agreed if moderation else {})
            if save_audit(viewer, view, audit.model_copy(update={"moderation": marked}), expected, change="second marking saved"):
                st.rerun()
    if moderation:
        _agree_form(viewer, view, audit, expected)


def _agree_form(viewer, view, audit: Audit, expected: dict[str, str | None]) -> None:
    moderation = audit.moderation
    differ = [i for i in view.ws.checklist.items
              if moderation.answers.get(i.id) and audit.answers.get(i.id)
              and moderation.answers[i.id].result != audit.answers[i.id].result]
    if not differ:
        st.success("Both markers gave the same answers.")
        return
    st.markdown(f"**{len(differ)} answer(s) differ.** Agree the answer that counts:")
    with st.form(f"agree-{audit.case_ref}"):
        hints = {item.id: f"First marker: {RESULT_LABELS[audit.answers[item.id].result]} · "
                          f"second marker: {RESULT_LABELS[moderation.answers[item.id].result]}" for item in differ}
        agreed = _answers(f"agreed-{audit.case_ref}", differ, moderation.agreed, notes=True, hints=hints)
        if not st.form_submit_button("Save agreed answers", type="primary", key=f"agree-submit-{audit.case_ref}"):
            return
    missing = [f"choose the agreed answer: {item.question}" for item in differ if agreed[item.id].result is None]
    if missing:
        refuse(missing)
        return
    updated = audit.model_copy(update={"moderation": moderation.model_copy(update={"agreed": agreed})})
    if save_audit(viewer, view, updated, expected, change="agreed answers saved", typed=_typed(agreed)):
        st.rerun()
