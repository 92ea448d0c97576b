"""The coordinator's evidence forms: add or edit an item (with its file), link it, approve it."""

from __future__ import annotations

from hashlib import sha256

import streamlit as st
from pydantic import ValidationError

from rsqm.base.labels import EVIDENCE_STATUS, PERSONAL_DATA, words
from rsqm.base.paths import REGISTER_FILE
from rsqm.files.models import EvidenceItem, EvidenceStatus, Link, PersonalData
from rsqm.files.yamlio import dump_model
from rsqm.ui.widgets import field_errors, refuse, save, writer
from rsqm.workspace.register_edits import (
    RegisterEditError,
    approval_digest,
    approved,
    item_change,
    next_id,
    save_item,
    upsert_item,
    with_link,
    without_item,
    without_link,
)
from rsqm.workspace.store import WriteConflict, WriteRefused
from rsqm.workspace.uploads import ALLOWED_TYPES, MAX_UPLOAD_BYTES, check_upload, safe_filename, store_upload

NEW = "New item"
EDITABLE_STATUSES = [s for s in EvidenceStatus if s != EvidenceStatus.approved]  # approval has its own step


def _indicator_choices(view) -> dict[str, str]:
    return {"": "(none)"} | {i.id: f"{i.id} {i.title}" for _, i in view.ws.framework.indicators()}


def _save_register(viewer, view, register, expected, change: str, item: str, store=None) -> bool:
    return save(viewer, "edit_register", REGISTER_FILE, dump_model(register), change=change, item=item, expected=expected,
                store=store)


def edit_form(viewer, view, expected: str | None) -> None:
    register = view.register()
    items = {item.id: item for item in register.items}
    chosen = st.selectbox("Item", [NEW, *items], key="evidence_item",
                          format_func=lambda i: i if i == NEW else f"{i} {items[i].title}")
    old = items.get(chosen)
    evidence_id = old.id if old else next_id(list(items), "E")
    types = view.ws.framework.evidence_types
    indicators = _indicator_choices(view)
    with st.form(f"evidence-{evidence_id}"):
        st.markdown(f"**{evidence_id}**" + ("" if old else " (new)"))
        title = st.text_input("Title", old.title if old else "")
        left, right = st.columns(2)
        kind = left.selectbox("Type", list(types), format_func=types.__getitem__,
                              index=list(types).index(old.type) if old and old.type in types else 0)
        owner = right.text_input("Owner (a role, not a name)", old.owner if old else "Coordinator")
        dated = left.date_input("Dated", old.dated if old else min(view.today, view.as_of), format="YYYY-MM-DD")
        review_by = right.date_input("Review by (optional)", old.review_by if old else None, format="YYYY-MM-DD")
        statuses = EDITABLE_STATUSES + ([EvidenceStatus.approved] if old and old.status == EvidenceStatus.approved else [])
        status = left.selectbox("Status", statuses, index=statuses.index(old.status) if old else 0,
                                format_func=lambda s: words(s.value, EVIDENCE_STATUS).capitalize())
        personal = right.selectbox("Personal data", list(PersonalData), index=list(PersonalData).index(old.personal_data) if old else 0,
                                  format_func=lambda p: words(p.value, PERSONAL_DATA))
        upload = st.file_uploader(f"File ({', '.join(ALLOWED_TYPES)}; up to {MAX_UPLOAD_BYTES // 2**20} MB)", type=list(ALLOWED_TYPES))
        path = st.text_input("…or a file already in evidence/", old.file if old else "", help="Relative to evidence/, e.g. files/policy.pdf")
        if not old:
            st.markdown("Link it to an indicator (optional; more links on the next tab)")
            indicator = st.selectbox("Indicator", list(indicators), format_func=indicators.__getitem__)
            locator = st.text_input("Where in the document (page or section)")
            claim = st.text_input("What it shows")
        approve_now = st.checkbox("Approve now (records the file's SHA-256, you and today's date)")
        if not st.form_submit_button("Save evidence item", type="primary"):
            return
    problems, data = [], None
    if upload is not None:
        data = upload.getvalue()
        problems += check_upload(upload.name, data)
    elif not path.strip():
        problems.append("file: upload a file or give the path of one already in evidence/")
    fields = {
        "id": evidence_id, "title": title.strip(), "type": kind, "file": path.strip(), "owner": owner.strip(), "dated": dated,
        "review_by": review_by, "status": status, "personal_data": personal,
        "links": [link.model_dump() for link in old.links] if old else [],
        "superseded_by": old.superseded_by if old and status == EvidenceStatus.superseded else None,
    }
    if old and old.status == EvidenceStatus.approved and status == EvidenceStatus.approved:
        fields |= {"sha256": old.sha256, "approved_by": old.approved_by, "approved_on": old.approved_on}
    if not old and indicator:
        fields["links"] = [{"indicator": indicator, "locator": locator.strip(), "claim": claim.strip()}]
    if data is not None:
        fields["file"] = f"files/{safe_filename(upload.name)}"  # checked now; the stored name may get a -2 suffix
    try:
        item = EvidenceItem.model_validate(fields)
    except ValidationError as exc:
        problems += field_errors(exc, EvidenceItem)
    if problems:
        refuse(problems)
        return
    store = writer(viewer, "edit_register")  # the one role check of this save: the upload and the register
    if store is None:
        return
    if data is not None:
        stored = _store_once(store, data, upload.name, evidence_id)
        if stored is None:
            return
        item = item.model_copy(update={"file": stored})
    register, item = save_item(register, item)  # the re-approval rule: a changed file or date needs approving again
    change = item_change(old, item)
    if old and old.status == EvidenceStatus.approved and item.status != EvidenceStatus.approved:
        change += " (back to in review: its file or dates changed, so it needs approving again)"
    if approve_now:
        item = _approve(viewer, view, item)
        if item is None:
            return
        register = upsert_item(register, item)
        change += " and approved"
    if _save_register(viewer, view, register, expected, change, evidence_id, store):
        st.rerun()


def _store_once(store, data: bytes, name: str, evidence_id: str) -> str | None:
    """Store an upload under evidence/files/ once: Streamlit hands the same upload back on every rerun."""
    stored = st.session_state.setdefault("stored_uploads", {})
    key = (evidence_id, sha256(data).hexdigest())
    if key not in stored:
        try:
            stored[key] = store_upload(store, data, name, item=evidence_id)
        except (WriteConflict, WriteRefused) as refused:
            refuse([str(refused)])
            return None
    return stored[key]


def _approve(viewer, view, item: EvidenceItem) -> EvidenceItem | None:
    """Approved by whoever is signed in, with the stored file's SHA-256 (as ``rsqm evidence approve`` does)."""
    try:
        return approved(item, approval_digest(view.ws.root, item), viewer.user, view.today)
    except RegisterEditError as refused:
        refuse([str(refused)], "Not approved:")
        return None


def link_form(viewer, view, expected: str | None) -> None:
    register = view.register()
    items = {item.id: item for item in register.items}
    indicators = _indicator_choices(view)
    indicators.pop("")
    with st.form("evidence-link"):
        evidence_id = st.selectbox("Evidence", list(items), format_func=lambda i: f"{i} {items[i].title}")
        indicator = st.selectbox("Indicator", list(indicators), format_func=indicators.__getitem__)
        locator = st.text_input("Where in the document (page or section)")
        claim = st.text_input("What it shows")
        if not st.form_submit_button("Save link", type="primary"):
            return
    if not locator.strip():
        refuse(["locator: say where in the document the assessor should look (e.g. section 3, p. 4)"])
        return
    register, _ = save_item(register, with_link(items[evidence_id], Link(indicator=indicator, locator=locator.strip(), claim=claim.strip())))
    if _save_register(viewer, view, register, expected, f"{evidence_id} linked to {indicator}", evidence_id):
        st.rerun()


def approve_form(viewer, view, expected: str | None) -> None:
    register = view.register()
    waiting = {item.id: item for item in register.items if item.status in (EvidenceStatus.draft, EvidenceStatus.in_review)}
    if not waiting:
        st.info("Nothing is waiting for approval.")
        return
    with st.form("evidence-approve"):
        evidence_id = st.selectbox("Evidence to approve", list(waiting), format_func=lambda i: f"{i} {waiting[i].title}")
        st.caption("Approval records the SHA-256 of the file as it is now, your name and today's date.")
        if not st.form_submit_button("Approve", type="primary"):
            return
    item = _approve(viewer, view, waiting[evidence_id])
    if item and _save_register(viewer, view, upsert_item(register, item), expected, f"{evidence_id} approved", evidence_id):
        st.rerun()


def remove_form(viewer, view, expected: str | None) -> None:
    """Delete one link, or a whole item, after a confirmation; logged in the History like every save."""
    register = view.register()
    items = {item.id: item for item in register.items}
    if not items:
        st.info("The register is empty.")
        return
    evidence_id = st.selectbox("Evidence", list(items), format_func=lambda i: f"{i} {items[i].title}", key="remove_item")
    item = items[evidence_id]
    links = [link.indicator for link in item.links]
    what = st.radio("Remove", (["one link"] if links else []) + ["the whole item"], horizontal=True, key="remove_what")
    indicator = st.selectbox("Link to remove", links, key="remove_link") if what == "one link" else None
    target = f"the link from {evidence_id} to {indicator}" if indicator else f"{evidence_id} and its {len(links)} link(s)"
    sure = st.checkbox(f"Yes, remove {target}" + ("" if indicator else " (its file stays in evidence/)"), key=f"remove_sure-{target}")
    if not st.button("Remove", type="primary", disabled=not sure, key="remove_submit"):
        return
    try:
        if indicator:
            updated, _ = save_item(register, without_link(item, indicator))
            change = f"link from {evidence_id} to {indicator} removed"
        else:
            updated, change = without_item(register, evidence_id), f"{evidence_id} removed from the register"
    except RegisterEditError as refused:
        refuse([str(refused)])
        return
    if _save_register(viewer, view, updated, expected, change, evidence_id):
        st.rerun()
