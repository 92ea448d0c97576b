"""What `rsqm serve` runs: the dashboard (app.py beside this file) on Streamlit's ASGI server, with the route that
sets the session cookie from a server response (rsqm.server.cookie)."""

import threading
from pathlib import Path

import streamlit as st

from rsqm.server.cookie import routes


def _warm() -> None:
    """While the server starts, not in the first person's page: read the privacy recognisers' name lists (about half a
    second, rsqm.privacy.name_lists: every page shown to a role without case access is checked with them), and import
    what every page draws with (pandas, Altair, the dashboard's own modules: about a second)."""
    from rsqm.privacy.detectors import forenames
    from rsqm.privacy.name_lists import faker_surnames
    from rsqm.ui import charts, main, widgets  # noqa: F401  imported for the pages

    forenames(), faker_surnames()


threading.Thread(target=_warm, name="rsqm-warm", daemon=True).start()
app = st.App(str(Path(__file__).with_name("app.py")), routes=routes())
