"""The dashboard's charts: what a reader sees in the legend and the bars (rsqm/ui/charts.py)."""

from __future__ import annotations

from rsqm.assess.gaps import assess_workspace
from rsqm.ui.charts import status_by_standard
from rsqm.workspace.load import load_workspace


def test_the_status_legend_names_only_the_statuses_the_bars_show(demo_copy):
    standards = assess_workspace(load_workspace(demo_copy)).standards
    spec = status_by_standard(standards).to_dict()
    shown = {row["Status"] for row in spec["datasets"][spec["data"]["name"]]}
    assert set(spec["encoding"]["color"]["scale"]["domain"]) == shown
    assert "Not applicable" not in shown  # the demo marks nothing not applicable: no empty legend entry to crowd the plot
