"""The dashboard's charts: what a reader sees in the legend and the bars, and what a screen reader hears (rsqm/ui/charts.py)."""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import pytest

from rsqm.assess.gaps import assess_workspace
from rsqm.assess.outcomes import workspace_outcomes, year_to
from rsqm.audit.audits import summarise
from rsqm.audit.rounds import item_trends
from rsqm.base.palette import STATUS_FILL, WHITE, contrast
from rsqm.ui import charts
from rsqm.workspace.load import load_workspace


def test_the_status_legend_names_only_the_statuses_the_bars_show(demo_copy):
    standards = assess_workspace(load_workspace(demo_copy)).standards
    spec = charts.status_by_standard(standards).chart.to_dict()
    shown = {row["Status"] for row in spec["datasets"][spec["data"]["name"]]}
    assert set(spec["encoding"]["color"]["scale"]["domain"]) == shown
    assert "Not applicable" not in shown  # the demo marks nothing not applicable: no empty legend entry to crowd the plot


def test_stacked_status_segments_stand_apart_from_white_and_from_each_other(demo_copy):
    spec = charts.status_by_standard(assess_workspace(load_workspace(demo_copy)).standards).chart.to_dict()
    fills = spec["encoding"]["color"]["scale"]["range"]
    assert all(contrast(fill, WHITE) >= 3 for fill in fills)
    assert all(contrast(a, b) >= 3 for a, b in pairwise(fills))  # neighbours in the stack
    assert spec["mark"]["stroke"] == WHITE  # and a white edge between any two segments
    assert fills == [STATUS_FILL[k] for k in ("met", "partly_met", "not_met")]


RAW_NUMBER = re.compile(r"\d\.\d{3,}")  # 0.89548 or 89.548023%: never read out


@pytest.fixture
def figures(demo_copy: Path) -> list[charts.Figure]:
    """Every kind of chart the pages draw, over the demo."""
    ws = load_workspace(demo_copy)
    summary = summarise(ws)
    questions = {i.id: i.question for i in ws.checklist.items}
    trends = item_trends(ws.samples.values(), ws.audits.values(), ws.checklist)
    outcomes = workspace_outcomes(ws, *year_to(ws.settings.demo_date or ws.settings.assessment_date))
    return [
        charts.status_by_standard(assess_workspace(ws).standards),
        charts.compliance_over_time(summary.samples),
        charts.item_rates(summary.items, questions),
        charts.item_trend(trends[0]),
        charts.outcome_shares(outcomes),
        charts.counts(outcomes.current.by_source, "Referrals"),
    ]


def test_every_chart_has_a_title_and_a_description_for_screen_readers(figures):
    for figure in figures:
        spec = figure.chart.to_dict()
        assert spec["title"]["text"] == figure.title and figure.title
        assert "The table below" in spec["description"], figure.title
        assert not RAW_NUMBER.search(spec["description"])


def test_every_chart_has_its_data_as_a_table_in_words_and_rounded_numbers(figures):
    for figure in figures:
        assert len(figure.table) > 0, figure.title
        cells = " ".join(str(v) for v in figure.table.astype(str).to_numpy().ravel())
        assert not RAW_NUMBER.search(cells), f"{figure.title}: {cells[:200]}"
        assert not any("_" in str(c) for c in figure.table.columns)


def _layers(spec: dict) -> list[dict]:
    return spec.get("layer", [spec])


def test_every_mark_a_reader_can_reach_is_named_in_words_and_decorations_are_hidden(figures):
    for figure in figures:
        spec = figure.chart.to_dict()
        data = spec["datasets"]
        for layer in _layers(spec):
            mark = layer["mark"] if isinstance(layer["mark"], dict) else {"type": layer["mark"]}
            if mark.get("aria") is False:  # interval lines and labels: the table and the description carry them
                continue
            encoding = layer["encoding"]
            assert encoding["description"]["field"] == "Said", figure.title
            said = [row["Said"] for rows in data.values() for row in rows if "Said" in row]
            assert said and not any(RAW_NUMBER.search(s) for s in said), said[:3]
            for tip in encoding.get("tooltip", []):
                if tip.get("type") == "quantitative" and tip["field"] not in ("Indicators", "Cases", "Audited"):
                    assert tip.get("format") == ".0%", (figure.title, tip)
