"""Export (coordinator): the privacy pre-flight, then the pack with a progress bar; check a pack received."""

import streamlit as st

from rsqm.ui import export_steps
from rsqm.ui.main import current

viewer, view = current()
st.title("Export the submission pack")
as_of = st.date_input("Position as of", view.as_of, format="YYYY-MM-DD", help="Default: the assessment date in rsqm.yaml.")
export_steps.build_section(viewer, view, as_of)
st.divider()
st.header("Check a pack")
export_steps.verify_section()
