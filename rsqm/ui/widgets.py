"""Small pieces every page shares: saving through the Store, messages, status labels."""

from __future__ import annotations

import streamlit as st
from pydantic import BaseModel, ValidationError

from rsqm.access import PermissionDenied, require
from rsqm.privacy import personal_data_warnings
from rsqm.problems import Problem
from rsqm.store import Store, WriteConflict, WriteRefused, content_token
from rsqm.ui.data import Snapshot
from rsqm.ui.session import Viewer
from rsqm.yamlio import describe_error

STATUS_LABELS = {
    "met": "Met",
    "partly_met": "Partly met",
    "not_met": "Not met",
    "not_applicable": "Not applicable",
}
STATUS_MARKS = {"met": ":green[●]", "partly_met": ":orange[●]", "not_met": ":red[●]", "not_applicable": ":gray[●]"}
STATUS_COLOURS = {"met": "#2e7d32", "partly_met": "#f9a825", "not_met": "#c62828", "not_applicable": "#9e9e9e"}


def status_text(status: str) -> str:
    """The status in words, for tables (coloured there by ``status_style``)."""
    return STATUS_LABELS.get(status, status)


def status_md(status: str) -> str:
    """The status with a coloured dot, for Markdown (headings, expander labels)."""
    return f"{STATUS_MARKS.get(status, '')} {STATUS_LABELS.get(status, status)}".strip()


def status_style(frame, column: str = "Status"):
    """A data frame styled so each status reads in its colour."""
    colours = {STATUS_LABELS[k]: v for k, v in STATUS_COLOURS.items()}
    return frame.style.map(lambda v: f"color: {colours[v]}; font-weight: 600" if v in colours else "", subset=[column])


REASON_WORDS = {
    "no_evidence": "no evidence yet",
    "missing_evidence_type": "a kind of evidence is missing",
    "evidence_expired": "evidence out of date",
    "evidence_expires_before_assessment": "evidence expires before the assessment",
    "evidence_not_approved": "evidence not approved yet",
    "evidence_file_missing": "an evidence file is missing",
    "evidence_hash_mismatch": "a file changed since it was approved",
    "audit_below_target": "case-file audit below target",
    "audit_sample_too_small": "too few audited cases",
    "measure_below_target": "a measured requirement is below target",
    "measure_no_data": "a measured requirement has no records to count",
    "no_narrative": "no narrative written",
    "link_without_locator": "evidence link without page or section",
}


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


def save(viewer: Viewer, action: str, rel: str, text: str | bytes, *, change: str, item: str | None, expected,
         typed: str = "") -> bool:
    """Check the role, write through the Store, then validate the workspace and queue the outcome for the next run.

    ``typed`` is the free text the user entered: personal data in it is saved (a note may need it) but warned about."""
    root = st.session_state["view"].ws.root
    try:
        require(viewer.role, action)
        Store(root, viewer.user).write(rel, text, change=change, item=item, expected=expected)
    except (WriteConflict, WriteRefused, PermissionDenied) as refused:
        st.error(f"Not saved: {refused}")
        return False
    problems = Snapshot(root).ws.errors  # loads once; the rerun reuses it
    st.session_state["flash"] = (f"Saved {rel} ({change}).", [str(p) for p in problems])
    st.session_state["privacy_warnings"] = personal_data_warnings(typed, st.session_state["view"].ws) if typed else []
    return True


def show_flash() -> None:
    """The result of the last save: success, or the validation errors it left."""
    flash = st.session_state.pop("flash", None)
    if not flash:
        return
    warnings = st.session_state.pop("privacy_warnings", [])
    if warnings:
        st.warning("What you saved looks like it holds personal data. Use pseudonyms, staff codes and roles instead:\n\n"
                   + "\n".join(f"- {w}" for w in warnings))
    message, problems = flash
    if problems:
        st.error(message + " The workspace now has these problems:\n\n" + "\n".join(f"- `{p}`" for p in problems))
    else:
        st.success(message + " The workspace is valid.")


def refuse(problems: list[str], heading: str = "Not saved:") -> None:
    st.error(heading + "\n\n" + "\n".join(f"- {p}" for p in problems))


def field_errors(exc: ValidationError, model: type[BaseModel]) -> list[str]:
    """pydantic's errors as 'field: message' lines a person can act on (the translator the loader uses)."""
    return [describe_error(e, model) for e in exc.errors()]
