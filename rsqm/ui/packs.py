"""Submitted packs: what the service exported, checked against each pack's own manifest (assessor and coordinator)."""

import json
import zipfile

import pandas as pd
import streamlit as st

from rsqm.pack.verify import verify_pack
from rsqm.ui.export_steps import EXPORTS
from rsqm.ui.main import current

viewer, view = current()
view.require("read_packs")
st.title("Submitted packs")
folder = view.ws.root / EXPORTS
packs = sorted(folder.glob("*.zip"), key=lambda p: p.name, reverse=True) if folder.is_dir() else []
if not packs:
    st.info("No pack has been exported from this workspace yet.")
for pack in packs:
    result = verify_pack(pack)
    with st.expander(f"{pack.name} — {'intact' if result.intact else 'does not match its manifest'}", expanded=pack == packs[0]):
        if not result.intact:
            st.error("\n".join(f"- {p}" for p in result.problems))
            continue
        with zipfile.ZipFile(pack) as archive:
            manifest = json.loads(archive.read("manifest.json"))
        st.markdown(f"**{manifest['service']}**, position as of {manifest['as_of']}, framework {manifest['framework']['id']} "
                    f"version {manifest['framework']['version']}.")
        st.dataframe(pd.DataFrame([{"File": f["path"], "Bytes": f["bytes"], "SHA-256": f["sha256"]} for f in manifest["files"]]),
                     hide_index=True, width="stretch")
        st.download_button(f"Download {pack.name}", data=pack.read_bytes, file_name=pack.name, mime="application/zip",
                           key=f"pack_{pack.name}")
