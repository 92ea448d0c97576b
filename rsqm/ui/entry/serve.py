"""What `rsqm serve` runs: the dashboard (app.py beside this file) on Streamlit's ASGI server, with the route that
sets the session cookie from a server response (rsqm.server.cookie)."""

import threading
from pathlib import Path

import streamlit as st

from rsqm.server.cookie import routes


def _warm_name_lists() -> None:
    """Read the privacy recognisers' name lists (about half a second, rsqm.privacy.name_lists) while the server
    starts, not in the first person's page: every page shown to a role without case access is checked with them."""
    from rsqm.privacy.detectors import forenames
    from rsqm.privacy.name_lists import faker_surnames

    forenames(), faker_surnames()


threading.Thread(target=_warm_name_lists, name="rsqm-warm-name-lists", daemon=True).start()
app = st.App(str(Path(__file__).with_name("app.py")), routes=routes())
