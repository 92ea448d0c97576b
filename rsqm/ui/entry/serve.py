"""What `rsqm serve` runs: the dashboard (app.py beside this file) on Streamlit's ASGI server, with the route that
sets the session cookie from a server response (rsqm.server.cookie)."""

from pathlib import Path

import streamlit as st

from rsqm.server.cookie import routes

app = st.App(str(Path(__file__).with_name("app.py")), routes=routes())
