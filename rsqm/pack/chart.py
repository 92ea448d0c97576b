"""The readiness bar chart, rendered offline to PNG with vl-convert."""

from __future__ import annotations

from rsqm.base.palette import INK, PRIMARY

WIDTH = 480
ROW_HEIGHT = 30


def readiness_chart_png(rows: list[tuple[str, float]], axis_title: str = "Readiness") -> bytes:
    """A horizontal bar per row: (label, share 0..1), e.g. readiness per standard. Same rows, same bytes."""
    # Imported here: altair and pandas take half a second to import, and every rsqm command would pay it.
    import altair as alt
    import pandas as pd
    import vl_convert

    data = pd.DataFrame({"standard": [label for label, _ in rows], "readiness": [value for _, value in rows]})
    bars = alt.Chart(data).mark_bar(color=PRIMARY).encode(
        x=alt.X("readiness:Q", title=axis_title, scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
        y=alt.Y("standard:N", title=None, sort=None, axis=alt.Axis(labelLimit=340)),
    )
    labels = bars.mark_text(align="left", dx=4, color=INK).encode(text=alt.Text("readiness:Q", format=".0%"))
    chart = (bars + labels).properties(width=WIDTH, height=ROW_HEIGHT * max(len(rows), 2), background="white")
    return vl_convert.vegalite_to_png(chart.to_dict(), scale=2)
