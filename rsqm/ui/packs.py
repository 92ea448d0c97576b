"""Submitted packs: the packs the service recorded as sent, each an unchangeable copy (assessor and coordinator).

A pack is listed here once it is marked as sent (the Export page, or ``rsqm submit``); building again never
changes one. A draft is labelled a draft.
"""

import json
import zipfile

import pandas as pd
import streamlit as st

from rsqm.pack.submitted import sent_packs, still_as_sent
from rsqm.ui.main import current

viewer, view = current()
view.require("read_packs")
st.title("Submitted packs")
root = view.ws.root
packs = list(reversed(sent_packs(root)))  # the latest first
if not packs:
    st.info("No pack has been sent yet. A pack appears here once it is marked as sent on the Export page.")
for sent in packs:
    intact = still_as_sent(root, sent)
    kind = "DRAFT" if sent.kind == "draft" else "Final"
    state = "unchanged since it was sent" if intact else "the copy no longer matches what was sent"
    with st.expander(f"{kind} — sent {sent.sent_on:%d %b %Y}, position as of {sent.as_of:%d %b %Y} — {state}",
                     expanded=sent == packs[0]):
        if not intact:
            st.error("The kept copy has changed since it was sent: its SHA-256 no longer matches the record.")
            continue
        copy = root / sent.copy
        with zipfile.ZipFile(copy) as archive:
            manifest = json.loads(archive.read("manifest.json"))
        by = f" by {sent.by}" if sent.by else ""
        st.markdown(f"**{sent.service}**, {'a draft' if sent.kind == 'draft' else 'final'}, sent{by} as {sent.name}. "
                    f"SHA-256 `{sent.sha256}`.")
        st.dataframe(pd.DataFrame([{"File": f["path"], "Bytes": f["bytes"], "SHA-256": f["sha256"]} for f in manifest["files"]]),
                     hide_index=True, placeholder="", width="stretch")
        st.download_button(f"Download {sent.name}", data=copy.read_bytes, file_name=sent.name, mime="application/zip",
                           key=f"pack_{sent.sha256}")
