"""Altair charts for the pages: data frames in, charts out."""

from __future__ import annotations

import altair as alt
import pandas as pd

from rsqm.ui.widgets import STATUS_COLOURS, STATUS_LABELS

ORDER = ["met", "partly_met", "not_met", "not_applicable"]


def status_by_standard(standards) -> alt.Chart:
    """Stacked bars: how many indicators of each standard are met, partly met, not met."""
    rows = [
        {"Standard": f"{s.id}. {s.title}", "Status": STATUS_LABELS[k], "Indicators": s.counts.get(k, 0), "order": ORDER.index(k)}
        for s in standards
        for k in ORDER
        if s.counts.get(k, 0)
    ]
    colours = alt.Scale(domain=[STATUS_LABELS[k] for k in ORDER], range=[STATUS_COLOURS[k] for k in ORDER])
    return (
        alt.Chart(pd.DataFrame(rows))
        .mark_bar()
        .encode(
            y=alt.Y("Standard:N", sort=None, title=None, axis=alt.Axis(labelLimit=320)),
            x=alt.X("sum(Indicators):Q", title="Indicators", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("Status:N", scale=colours, legend=alt.Legend(orient="bottom", title=None)),
            order=alt.Order("order:Q"),
            tooltip=["Standard", "Status", "Indicators"],
        )
        .properties(height=alt.Step(28))
    )


def compliance_over_time(samples) -> alt.Chart:
    """Overall audit compliance per sample, with its 95% interval, oldest sample first."""
    rows = [
        {"Sample": s.sample, "Drawn": s.drawn_on.isoformat(), "Compliance": s.rate, "low": s.ci_low, "high": s.ci_high,
         "Audited": s.audited}
        for s in samples
        if s.rate is not None
    ]
    frame = pd.DataFrame(rows)
    base = alt.Chart(frame).encode(x=alt.X("Sample:N", sort=None, title="Audit sample"))
    bars = base.mark_bar(color="#1565c0", opacity=0.8).encode(
        y=alt.Y("Compliance:Q", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1]), title="Items met"),
        tooltip=["Sample", "Drawn", "Audited", alt.Tooltip("Compliance:Q", format=".0%")],
    )
    whiskers = base.mark_rule(color="#0d2a4f").encode(y="low:Q", y2="high:Q")
    return (bars + whiskers).properties(height=260)


def item_rates(results) -> alt.Chart:
    """Rate per checklist item with its Wilson interval and the target as a tick."""
    rows = [
        {"Item": r.item, "Rate": r.rate, "low": r.ci_low, "high": r.ci_high, "Target": r.target,
         "Result": "meets target" if r.met_target else ("too few cases" if not r.enough else "below target")}
        for r in results
        if r.rate is not None
    ]
    frame = pd.DataFrame(rows)
    base = alt.Chart(frame).encode(y=alt.Y("Item:N", sort=None, title=None, axis=alt.Axis(labelLimit=320)))
    colours = alt.Scale(domain=["meets target", "below target", "too few cases"], range=["#2e7d32", "#c62828", "#9e9e9e"])
    points = base.mark_point(filled=True, size=70).encode(
        x=alt.X("Rate:Q", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1]), title="Met (95% interval)"),
        color=alt.Color("Result:N", scale=colours, legend=alt.Legend(orient="bottom", title=None)),
        tooltip=["Item", alt.Tooltip("Rate:Q", format=".0%"), alt.Tooltip("low:Q", format=".0%"),
                 alt.Tooltip("high:Q", format=".0%"), alt.Tooltip("Target:Q", format=".0%")],
    )
    rules = base.mark_rule(color="#555").encode(x="low:Q", x2="high:Q")
    targets = base.mark_tick(color="black", thickness=2).encode(x="Target:Q")
    return (rules + points + targets).properties(height=alt.Step(22))


def outcome_shares(outcomes) -> alt.Chart:
    """Each share of the period beside the previous period's, with its 95% interval."""
    now, was = outcomes.current, outcomes.previous
    pairs = [
        ("Offered RJ", now.offers, was.offers), ("Took up the offer", now.take_up, was.take_up),
        ("First contact in time", now.first_contact.within_limit, was.first_contact.within_limit),
        ("Agreement reached", now.agreements_reached, was.agreements_reached),
        ("Agreement completed", now.agreements_completed, was.agreements_completed),
        *((f.text if len(f.text) <= 40 else f.text[:39].rstrip() + "…", f.share,
           next((p.share for p in was.feedback if p.question == f.question), None))
          for f in now.feedback),
    ]
    label_now, label_was = f"{now.start} to {now.end}", f"{was.start} to {was.end}"
    rows = [
        {"Measure": measure, "Period": period, "Share": s.rate, "low": s.ci_low, "high": s.ci_high, "Counted": f"{s.k} of {s.n}"}
        for measure, current, previous in pairs
        for period, s in ((label_now, current), (label_was, previous))
        if s is not None and s.rate is not None
    ]
    frame = pd.DataFrame(rows, columns=["Measure", "Period", "Share", "low", "high", "Counted"])
    colours = alt.Scale(domain=[label_now, label_was], range=["#1565c0", "#90a4ae"])
    base = alt.Chart(frame).encode(
        y=alt.Y("Measure:N", sort=None, title=None, axis=alt.Axis(labelLimit=260)),
        yOffset=alt.YOffset("Period:N", sort=[label_now, label_was]),
    )
    bars = base.mark_bar().encode(
        x=alt.X("Share:Q", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1]), title="Share (95% interval)"),
        color=alt.Color("Period:N", scale=colours, legend=alt.Legend(orient="bottom", title=None)),
        tooltip=["Measure", "Period", alt.Tooltip("Share:Q", format=".0%"), "Counted"],
    )
    whiskers = base.mark_rule(color="#0d2a4f").encode(x="low:Q", x2="high:Q")
    return (bars + whiskers).properties(height=alt.Step(16))


def counts(items, title: str) -> alt.Chart:
    """Horizontal bars of labelled counts, largest first (referral sources, processes)."""
    frame = pd.DataFrame([{"Label": c.label, "Cases": c.count} for c in items], columns=["Label", "Cases"])
    return (
        alt.Chart(frame)
        .mark_bar(color="#1565c0")
        .encode(
            y=alt.Y("Label:N", sort="-x", title=None, axis=alt.Axis(labelLimit=240)),
            x=alt.X("Cases:Q", title=title, axis=alt.Axis(tickMinStep=1)),
            tooltip=["Label", "Cases"],
        )
        .properties(height=alt.Step(24))
    )
