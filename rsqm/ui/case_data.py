"""Case data: upload an export, check the map, preview what changes, import (the coordinator only).

The uploaded export stays in memory: it is never saved, and columns the map
ignores are dropped as it is read, so they reach no file, log or screen; only
the names in its name columns are kept, privately, for the privacy check
(rsqm.privacy.names), when the import is made.
"""

import hashlib

import pandas as pd
import streamlit as st

from rsqm.base.dates import workspace_today
from rsqm.base.paths import KNOWN_NAMES_FILE
from rsqm.imports.importing import CASES, FEEDBACK, prepare
from rsqm.imports.reader import ExportRefused, read_table
from rsqm.privacy.names import with_names
from rsqm.ui.main import current
from rsqm.ui.widgets import save, seen_token, writer

SHOWN = 20
viewer, view = current()
view.require("import_cases")
ws = view.ws

st.title("Case data")
st.caption("Bring in the export of your case-management system or survey tool as it is. A map says which of its columns "
           "become ours and which are dropped unread; nothing is written until every row passes.")
kinds = {"Case list (evidence/cases.csv)": CASES, "Participant feedback (evidence/feedback.csv)": FEEDBACK}
kind = kinds[st.radio("Import into", list(kinds), horizontal=True, key="import_kind")]
if kind is FEEDBACK and not ws.settings.feedback_questions:
    st.warning("rsqm.yaml lists no feedback_questions yet: add the questions your survey asks before importing answers.")
expected = seen_token(kind.rel)

upload = st.file_uploader("Export (.csv or .xlsx)", type=["csv", "xlsx"], key=f"export_{kind.what}")
if upload is None:
    st.stop()
data = upload.getvalue()
digest = hashlib.sha256(data).hexdigest()[:16]
map_upload = st.file_uploader("Import map (.yaml), if you have one", type=["yaml", "yml"], key=f"map_{kind.what}")
if map_upload is not None:
    starting = map_upload.getvalue().decode("utf-8", errors="replace")
else:
    try:
        starting = kind.template(ws, read_table(upload.name, data))
    except ExportRefused as refused:
        st.error("This export cannot be read:\n\n" + "\n".join(f"- `{p}`" for p in refused.problems))
        st.stop()
    st.info("No map uploaded: below is a starting map guessed from the export's headers. Check every column and value, "
            "and keep every column you do not need under ignore.")
map_text = st.text_area("Import map", value=starting, height=360, key=f"map_text_{kind.what}_{digest}_{map_upload is not None}")
st.download_button("Download this map", map_text, file_name=f"{kind.what}-import-map.yaml", mime="text/yaml")

prepared = prepare(ws, kind, upload.name, data, map_text, "import map", workspace_today(ws.settings))
if prepared.merge is None:
    st.error(f"Nothing can be imported yet: {len(prepared.problems)} problem(s).\n\n"
             + "\n".join(f"- `{p}`" for p in prepared.problems[:200]))
    st.stop()

merge = prepared.merge
added, updated, unchanged = st.columns(3)
added.metric("Added", len(merge.added))
updated.metric("Updated", len(merge.updated))
unchanged.metric("Unchanged", merge.unchanged)
if prepared.new_values:
    st.warning("Words no row used before: check whether the map should translate them under values.\n\n"
               + "\n".join(f"- {column}: {', '.join(values)}" for column, values in prepared.new_values.items()))
key = merge.key
changed = set(merge.added[:SHOWN]) | {k for k, _ in merge.updated[:SHOWN]}
if changed:
    st.header("Preview of the changes")
    columns = {k: ", ".join(cols) for k, cols in merge.updated}
    preview = [row.model_dump(mode="json") | {"change": columns.get(getattr(row, key), "added")}
               for row in merge.rows if getattr(row, key) in changed]
    st.dataframe(pd.DataFrame(preview), hide_index=True, placeholder="", width="stretch")
    if len(merge.added) + len(merge.updated) > SHOWN * 2:
        st.caption("The first rows only.")

def keep_names() -> None:
    """The names in the columns the map ignores, into the private list the privacy check blocks."""
    store = writer(viewer, "import_cases") if prepared.names else None
    if store is not None:
        store.update(KNOWN_NAMES_FILE, with_names(prepared.names))


if prepared.text is None:
    keep_names()
    st.success(f"{kind.rel} already holds every row of this export: nothing to import.")
elif st.button(f"Import into {kind.rel}", type="primary", key="run_import") and save(
    viewer, "import_cases", kind.rel, prepared.text, change=f"import {kind.what}", item=prepared.summary, expected=expected
):
    keep_names()
    st.rerun()
