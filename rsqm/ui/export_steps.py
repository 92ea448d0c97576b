"""The export page's steps: pre-flight, build with progress, download; verify a pack."""

from __future__ import annotations

import io
import re
import tempfile
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from rsqm.base.dates import workspace_today
from rsqm.base.formatting import file_size
from rsqm.base.paths import PRIVACY_REVIEW_FILE, STATE_DIR
from rsqm.files.yamlio import dump_model
from rsqm.pack.build import DOCUMENT, PackError, write_pack
from rsqm.pack.submitted import SubmitError, submit
from rsqm.pack.verify import verify_pack
from rsqm.privacy.scan import PICTURE, Hit, accept, picture_of
from rsqm.ui.data import preflight
from rsqm.ui.pack_preview import show_preview
from rsqm.ui.widgets import refuse, save, seen_token

EXPORTS = f"{STATE_DIR}/exports"  # private state: never exported, git-ignored
PREVIEW_PIXELS = 320  # a reviewed picture's width on the page: enough to read a screenshot's text, not a page of it


def build_section(viewer, view, as_of: date) -> None:
    view.require("export_pack")
    state = st.session_state.get("export")
    if state and (state["ws"] is not view.ws or state["as_of"] != as_of):
        state = st.session_state["export"] = None  # the workspace or the date changed: check again
    if st.button("1. Run the privacy pre-flight", type="primary" if not state else "secondary", key="export_check"):
        bar = st.progress(0.0, "Hashing evidence files…")
        plan = preflight(view.ws.root, as_of, lambda done, total: bar.progress(done / max(total, 1), f"Hashing evidence {done}/{total}"))
        bar.empty()
        state = st.session_state["export"] = {"ws": view.ws, "as_of": as_of, "plan": plan, "path": None}
    if not state:
        st.caption("The pre-flight looks for personal data in everything that would leave the service.")
        return
    plan = state["plan"]
    if plan.blocked:
        refuse([str(p) for p in plan.findings], f"The pre-flight blocks the export ({len(plan.findings)} finding(s)). "
               "Remove the personal data, or accept a reviewed false positive below:")
        if plan.reviewable and view.can("review_privacy"):
            accept_section(viewer, view, plan.reviewable)
        return
    total = sum(e.size for e in plan.evidence)
    st.success(f"Pre-flight passed: {DOCUMENT}, {len(plan.evidence)} evidence files ({file_size(total)}) and manifest.json.")
    st.header("What the document will say")
    show_preview(plan)
    with st.expander("What goes in the pack"):
        st.dataframe(pd.DataFrame([{"File": e.name, "Size": file_size(e.size), "SHA-256": e.sha256} for e in plan.evidence]),
                     hide_index=True, placeholder="", width="stretch")
    if st.button("2. Build the pack", type="primary" if not state["path"] else "secondary", key="export_build"):
        state["path"] = _build(plan, as_of, total)
    if state["path"]:
        path: Path = state["path"]
        st.download_button(f"3. Download {path.name} ({file_size(path.stat().st_size)})", data=path.read_bytes if path.exists() else b"",
                           file_name=path.name, mime="application/zip", type="primary", key="export_download")
        if st.button("4. Mark as sent", key="export_mark_sent",
                     help="Keep an unchangeable copy of this pack as the one sent, with today's date and your name."):
            try:
                sent, new = submit(view.ws.root, path, workspace_today(view.ws.settings), viewer.user)
            except SubmitError as refused:
                st.error(str(refused))
            else:
                kind = "a draft" if sent.kind == "draft" else "final"
                st.success(f"Kept as sent on {sent.sent_on} ({kind}). Building again will not change it; it is listed "
                           "under Submitted packs." if new else f"This pack was already kept as sent on {sent.sent_on}.")


def accept_section(viewer, view, hits: list[Hit]) -> None:
    """Accept one finding as a reviewed false positive: written to evidence/privacy-review.yaml with who and why. A
    picture is shown beside the button, so the person accepts what they have looked at, everywhere it is."""
    expected = seen_token(PRIVACY_REVIEW_FILE)
    st.markdown("**Not personal data?** Accept a finding after checking it; the review records who and why.")
    labels = [f"{hit.where}: {hit.kind}" + (f", SHA-256 {hit.text[:12]}…" if hit.kind == PICTURE else f" '{hit.text}'")
              + (f" in {hit.place}" if hit.place else "") for hit in hits]
    chosen = st.selectbox("Finding", range(len(hits)), format_func=labels.__getitem__, key="privacy_accept_hit")
    hit = hits[chosen]
    if hit.kind == PICTURE:
        left, right = st.columns([1, 2])
        with left:
            _show_picture(hit, picture_of(view.ws, hit))
    else:
        right = st.container()
    with right, st.form("privacy_accept"):
        why = st.text_input("Why it is not personal data", key="privacy_accept_why",
                            placeholder="e.g. the service's logo" if hit.kind == PICTURE
                            else "e.g. the service's own office address, published on its leaflets")
        label = "Accept this picture in every file" if hit.kind == PICTURE else "Accept this finding"
        if not st.form_submit_button(label, key="privacy_accept_submit"):
            return
    if not why.strip():
        refuse(["say why this is not personal data"])
        return
    review = accept(view.ws.privacy_review, hit, viewer.user, why.strip(), view.today)
    if save(viewer, "review_privacy", PRIVACY_REVIEW_FILE, dump_model(review), change="privacy finding accepted",
            item="everywhere" if hit.kind == PICTURE else hit.where, expected=expected):
        st.session_state["export"] = None  # run the pre-flight again over the new review
        st.rerun()


def _show_picture(hit: Hit, picture: bytes | None) -> None:
    """The picture, at most PREVIEW_PIXELS across; or where to look when rsqm cannot draw it."""
    preview = thumbnail(picture) if picture is not None else None
    if preview is None:
        st.warning(f"rsqm cannot show this picture (a drawing, a format it cannot draw, or the file changed since the "
                   f"pre-flight): open {hit.path} at "
                   f"{hit.place or 'the file'} and look at it before accepting it.")
    else:
        st.image(preview, caption=f"{hit.path}, {hit.place}" if hit.place else hit.path, width=PREVIEW_PIXELS)
    st.caption(f"SHA-256 {hit.text}: accepting it accepts this exact picture wherever it is; a changed picture is asked again.")


def thumbnail(picture: bytes) -> bytes | None:
    """The picture as a PNG at most PREVIEW_PIXELS across, or None when it cannot be drawn (EMF, an ink drawing, damage)."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(picture)) as image:
            image.thumbnail((PREVIEW_PIXELS, PREVIEW_PIXELS * 2))
            out = io.BytesIO()
            image.convert("RGBA").save(out, "PNG")
    except Exception:  # Pillow raises many kinds on what it cannot draw (a decompression bomb among them)
        return None
    return out.getvalue()


def _build(plan, as_of: date, total: int) -> Path | None:
    folder = plan.ws.root / EXPORTS
    folder.mkdir(parents=True, exist_ok=True)
    service = re.sub(r"[^a-z0-9]+", "-", plan.assessment.service.lower()).strip("-") or "service"
    target = folder / f"{service}-{as_of.isoformat()}.zip"
    bar, written = st.progress(0.0, "Writing the pack…"), [0]

    def step(amount: int) -> None:
        written[0] += amount
        bar.progress(min(1.0, written[0] / max(total, 1)), f"Writing the pack… {file_size(written[0])}")

    try:
        write_pack(plan, target, step)
    except PackError as exc:
        refuse([str(exc)], "The pack was not written:")
        return None
    finally:
        bar.empty()
    return target


def verify_section() -> None:
    st.caption("An assessor can check that nothing in a pack was altered since it was built (the same as `rsqm verify`).")
    upload = st.file_uploader("Pack (ZIP)", type=["zip"], key="verify_upload")
    if upload is None:
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pack.zip"
        path.write_bytes(upload.getvalue())
        result = verify_pack(path)
    if result.intact:
        st.success(f"{upload.name} is intact: {result.verified} files match the manifest.")
    else:
        refuse(result.problems, f"{upload.name} does not match its manifest:")
