"""Entry point of the dashboard: `streamlit run app.py` (see rsqm/ui)."""

import streamlit as st

st.set_page_config(page_title="rsqm", layout="wide")
st.title("rsqm")
st.write("The dashboard is being built.")
