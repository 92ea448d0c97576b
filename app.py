"""Entry point of the dashboard: `streamlit run app.py` (pages in rsqm/ui)."""

from rsqm.ui.main import run

run()
