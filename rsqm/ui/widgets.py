"""Small pieces every page shares: saving through the Store, messages, status labels."""

from __future__ import annotations

import json

import streamlit as st
from pydantic import BaseModel, ValidationError

from rsqm.base.labels import STATUS
from rsqm.base.palette import FOCUS_RING, STATUS_SYMBOL, STATUS_TEXT
from rsqm.base.problems import Problem
from rsqm.files.yamlio import describe_error
from rsqm.privacy.scan import personal_data_warnings
from rsqm.server.access import PermissionDenied, require
from rsqm.ui.data import Snapshot
from rsqm.ui.session import Viewer
from rsqm.workspace.action_plan import PlanSummary
from rsqm.workspace.store import Store, WriteConflict, WriteRefused, content_token

# Markdown colours of the theme (.streamlit/config.toml sets them to rsqm.base.palette.STATUS_TEXT); a symbol and the word
# always go with the colour, so no status is told by colour alone.
STATUS_MARKS = {k: f":{colour}[{STATUS_SYMBOL[k]}]" for k, colour in
                {"met": "green", "partly_met": "orange", "not_met": "red", "not_applicable": "gray"}.items()}


def status_text(status: str) -> str:
    """The status in words, for tables (coloured there by ``status_style``)."""
    return STATUS.get(status, status)


def status_md(status: str) -> str:
    """The status with its coloured symbol, for Markdown (headings, expander labels)."""
    return f"{STATUS_MARKS.get(status, '')} {STATUS.get(status, status)}".strip()


def status_style(frame, column: str = "Status"):
    """A data frame styled so each status reads in its colour."""
    colours = {STATUS[k]: v for k, v in STATUS_TEXT.items()}
    return frame.style.map(lambda v: f"color: {colours[v]}; font-weight: 600" if v in colours else "", subset=[column])


def show_figure(figure) -> None:
    """A chart (``rsqm.ui.charts.Figure``), then its data as a table in a collapsed expander: the chart's text equivalent."""
    st.altair_chart(figure.chart, width="stretch")
    with st.expander(f"Table: {figure.title}"):
        st.dataframe(figure.table, hide_index=True, placeholder="", width="stretch")


def show_problems(problems: list[Problem], heading: str) -> None:
    """Errors in red, warnings in amber, one line each with file and line."""
    errors = [p for p in problems if p.is_error]
    warnings = [p for p in problems if not p.is_error]
    if errors:
        st.error(heading + "\n\n" + "\n".join(f"- `{p}`" for p in errors))
    if warnings:
        with st.expander(f"{len(warnings)} warning(s)"):
            st.markdown("\n".join(f"- `{p}`" for p in warnings))


def seen_token(rel: str) -> str | None:
    """The file's content token as the user last saw it (previous run), so a save detects changes made since."""
    key = f"token:{rel}"
    now = content_token(st.session_state["view"].ws.root / rel)
    seen = st.session_state.get(key, now)
    st.session_state[key] = now
    return seen


def writer(viewer: Viewer, action: str) -> Store | None:
    """The Store for one save, after the one role check of that save; None (with the reason shown) when refused."""
    try:
        require(viewer.role, action)
    except PermissionDenied as refused:
        st.error(f"Not saved: {refused}")
        return None
    return Store(st.session_state["view"].ws.root, viewer.user)


def save(viewer: Viewer, action: str, rel: str, text: str | bytes, *, change: str, item: str | None, expected,
         store: Store | None = None, typed: str = "") -> bool:
    """Check the role (unless ``store`` came from ``writer``), write through the Store, then queue the outcome in words.

    A save that would leave the file as it is writes nothing and logs nothing. ``typed`` is the free text the user
    entered: personal data in it is saved (a note may need it) but warned about.
    """
    store = store or writer(viewer, action)
    if store is None:
        return False
    payload = text.encode() if isinstance(text, str) else text
    try:
        path = store.path(rel)
        if path.is_file() and path.read_bytes() == payload:
            st.info("No change to save: the file already says this.")
            return False
        store.write(rel, text, change=change, item=item, expected=expected)
    except (WriteConflict, WriteRefused) as refused:
        st.error(f"Not saved: {refused}")
        return False
    problems = Snapshot(store.root).ws.errors  # loads once; the rerun reuses it
    st.session_state["flash"] = (f"{change[:1].upper()}{change[1:]} (saved in {rel}).", [str(p) for p in problems])
    st.session_state["privacy_warnings"] = personal_data_warnings(typed, st.session_state["view"].ws) if typed else []
    return True


def show_plan_summary(plan: PlanSummary) -> None:
    """The action plan in counts: what leadership sees, and the headline for everyone else."""
    unfinished, done, overdue, upcoming = st.columns(4)
    unfinished.metric("Open actions", plan.open + plan.in_progress, help=f"{plan.open} not started, {plan.in_progress} in progress.")
    done.metric("Done", plan.done)
    overdue.metric("Overdue", plan.overdue, help=f"Due before {plan.judged_on:%d %B %Y} and not done.")
    upcoming.metric("Next due", f"{plan.next_due:%d %b %Y}" if plan.next_due else "–")
    st.caption(f"Counted on {plan.judged_on:%d %B %Y}"
               + (f"; {plan.due_before_as_of} more due before the assessment (a plan, not a shortfall)." if plan.due_before_as_of else "."))
    if plan.overdue:
        st.warning(f"{plan.overdue} action{'s are' if plan.overdue != 1 else ' is'} overdue.")


def show_flash() -> str | None:
    """The result of the last save: success, or the validation errors it left. Returns the words shown first (for focus)."""
    flash = st.session_state.pop("flash", None)
    if not flash:
        return None
    warnings = st.session_state.pop("privacy_warnings", [])
    if warnings:
        st.warning("What you saved looks like it holds personal data. Use pseudonyms, staff codes and roles instead:\n\n"
                   + "\n".join(f"- {w}" for w in warnings))
    message, problems = flash
    if problems is None:  # not a workspace file (an account): nothing to validate
        st.success(message)
    elif problems:
        st.error(message + " The workspace now has these problems:\n\n" + "\n".join(f"- `{p}`" for p in problems))
    else:
        st.success(message + " The workspace is valid.")
    return message.split(" (saved in")[0]


def refuse(problems: list[str], heading: str = "Not saved:") -> None:
    st.error(heading + "\n\n" + "\n".join(f"- {p}" for p in problems))


def field_errors(exc: ValidationError, model: type[BaseModel]) -> list[str]:
    """pydantic's errors as lines a person can act on, the field in words ('review date: ...'): the loader's translator."""
    return [describe_error(e, model, in_words=True) for e in exc.errors()]


PRINT_CSS = """
<style>
@media print {
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
  [data-testid="stSelectbox"], [data-testid="stForm"], [data-testid="stBaseButton-secondary"] { display: none !important; }
  html, body, [data-testid="stApp"], [data-testid="stAppViewContainer"], [data-testid="stMain"], [data-testid="stMainBlockContainer"] {
    overflow: visible !important; height: auto !important; position: static !important; }
  [data-testid="stMainBlockContainer"] { padding: 0 !important; max-width: 100% !important; }
  [data-testid="stExpander"] { break-inside: avoid-page; }
  [data-testid="stExpander"] details { border: none !important; }
}
</style>
"""


def print_css() -> None:
    """Print-friendly layout: no sidebar or controls, the whole page (not just the visible part) on paper."""
    st.html(PRINT_CSS)  # a style-only block takes no space on the page


ACCESSIBLE_CSS = f"""
<style>
/* A focus ring that stands out (WCAG 2.4.7, 1.4.11): Streamlit's own is a faint tint on some widgets, e.g. the checkbox */
:focus-visible {{ outline: 3px solid {FOCUS_RING} !important; outline-offset: 2px; }}
[data-testid="stCheckbox"] label:has(input:focus-visible),
[data-testid="stRadio"] label:has(input:focus-visible) {{ outline: 3px solid {FOCUS_RING}; outline-offset: 2px; }}
/* the day and month of a date input are 18 px wide: at least 24 px to click or tap (2.5.8) */
[data-testid="stDateInput"] [role="spinbutton"] {{ display: inline-block; min-width: 24px; min-height: 24px;
  text-align: center; line-height: 24px; }}
</style>
"""


def accessible_css() -> None:
    """The visible focus ring and large enough targets on every page (a style-only block takes no space)."""
    st.html(ACCESSIBLE_CSS)


LEAVE_QUESTION = "You have changes that are not saved. Leave this page and lose them?"
UNSAVED_GUARD = """<script>
const win = window.parent, doc = win.document;
const frame = window.frameElement;  // a script, not content: no Tab stop and nothing for a screen reader
if (frame) { frame.tabIndex = -1; frame.title = "Unsaved-changes guard"; frame.setAttribute("aria-hidden", "true"); }
const saved = FOCUS;  // after a save, keyboard focus goes to its message, not back to the top of the page
if (saved) {
  let tries = 0;
  const focusSaved = () => {
    const box = [...doc.querySelectorAll('[data-testid="stMain"] [data-testid="stAlert"]')].find(b => b.innerText.includes(saved));
    if (box) { box.tabIndex = -1; box.focus(); } else if (tries++ < 50) { setTimeout(focusSaved, 100); }
  };
  focusSaved();
}
if (!win.rsqmUnsaved) {
  const state = win.rsqmUnsaved = {typed: false, pending: {}};
  const unsaved = () => state.typed || state.pending[win.location.pathname] === true;
  const inForm = el => el instanceof win.Element && el.closest('[data-testid="stForm"]');
  doc.addEventListener("input", e => { if (inForm(e.target)) state.typed = true; }, true);
  doc.addEventListener("change", e => { if (inForm(e.target)) state.typed = true; }, true);
  doc.addEventListener("click", e => {
    const target = e.target instanceof win.Element ? e.target : null;
    if (target && inForm(target) && target.closest("button")) { state.typed = false; return; }  // the form is being saved
    if (target && target.closest('[data-testid="stSidebarNav"] a') && unsaved()) {
      if (!win.confirm(QUESTION)) { e.preventDefault(); e.stopImmediatePropagation(); return; }
      state.typed = false; state.pending = {};
    }
  }, true);
  win.addEventListener("beforeunload", e => { if (unsaved()) { e.preventDefault(); e.returnValue = ""; } });
}
PENDING
</script>"""


def guard_unsaved(pending: bool | None = None, focus: str | None = None) -> None:
    """Ask before a reload, a closed tab or another page throws away typed, unsaved changes.

    Form fields count as changed once typed in, until a form button is pressed; an editable table reports its
    own state (``pending``: the edited table differs from what is saved), for the page it is on. ``focus``: the words
    of the message a save just showed, which then takes the keyboard focus."""
    mark = "" if pending is None else f"win.rsqmUnsaved.pending[win.location.pathname] = {json.dumps(pending)};"
    script = UNSAVED_GUARD.replace("QUESTION", json.dumps(LEAVE_QUESTION)).replace("PENDING", mark)
    # st.iframe: a same-origin frame whose script may reach the page (components.v1.html, its predecessor, is past
    # its removal date); out of the Tab order, and hidden from screen readers by the script itself. One pixel high:
    # st.iframe takes no 0, and "content" leaves 150 px of blank page above the title
    st.iframe(script.replace("FOCUS", json.dumps(focus or "")), height=1, tab_index=-1)
