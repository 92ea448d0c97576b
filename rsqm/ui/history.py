"""History (coordinator): who changed what, most recent first."""

import pandas as pd
import streamlit as st

from rsqm.base.labels import readable
from rsqm.ui.main import current

viewer, view = current()
st.title("History")
limit = st.select_slider("Show the last", [25, 50, 100, 250, 1000], 50, format_func=lambda n: f"{n} changes")
entries = view.change_log(limit)
if entries:
    st.dataframe(
        pd.DataFrame([{"When (UTC)": e.when.replace("T", " ").removesuffix("+00:00"), "Who": e.who,
                       "Change": readable(e.change), "Item": e.item or "", "File": e.file} for e in entries]),
        hide_index=True, placeholder="", width="stretch",
    )
else:
    st.info("No changes recorded yet: every save from the dashboard or the command line is listed here.")
