"""Altair charts for the pages: data frames in, charts out."""

from __future__ import annotations

import altair as alt
import pandas as pd

from rsqm.base.labels import ITEM_VERDICT, readable, words
from rsqm.base.labels import STATUS as STATUS_LABELS
from rsqm.ui.widgets import STATUS_COLOURS

ORDER = ["met", "partly_met", "not_met", "not_applicable"]


def status_by_standard(standards) -> alt.Chart:
    """Stacked bars: how many indicators of each standard are met, partly met, not met."""
    rows = [
        {"Standard": f"{s.id}. {s.title}", "Status": STATUS_LABELS[k], "Indicators": s.counts.get(k, 0), "order": ORDER.index(k)}
        for s in standards
        for k in ORDER
        if s.counts.get(k, 0)
    ]
    present = [k for k in ORDER if any(s.counts.get(k, 0) for s in standards)]  # a legend of four is wider than a narrow plot
    colours = alt.Scale(domain=[STATUS_LABELS[k] for k in present], range=[STATUS_COLOURS[k] for k in present])
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


ROUND_STATES = alt.Scale(domain=["complete", "incomplete"], range=[0.85, 0.3])


def _round_state(audited: int, cases: int) -> tuple[str, str]:
    """("complete" | "incomplete", the label drawn on an incomplete round)."""
    return ("complete", "") if audited >= cases else ("incomplete", f"incomplete: {audited} of {cases}")


def compliance_over_time(samples) -> alt.Chart:
    """Overall audit compliance per sample, with its 95% interval, oldest first; incomplete samples pale and labelled."""
    rows = [
        {"Sample": s.sample, "Drawn": s.drawn_on.isoformat(), "Compliance": s.rate, "low": s.ci_low, "high": s.ci_high,
         "Audited": s.audited, "State": state, "Label": label}
        for s in samples
        if s.rate is not None
        for state, label in [_round_state(s.audited, s.cases)]
    ]
    frame = pd.DataFrame(rows)
    base = alt.Chart(frame).encode(x=alt.X("Sample:N", sort=None, title="Audit sample"))
    bars = base.mark_bar(color="#1565c0", stroke="#1565c0", strokeDash=[4, 2]).encode(
        y=alt.Y("Compliance:Q", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1]), title="Items met"),
        opacity=alt.Opacity("State:N", scale=ROUND_STATES, legend=None),
        strokeWidth=alt.condition(alt.datum.State == "incomplete", alt.value(1.5), alt.value(0)),
        tooltip=["Sample", "Drawn", "Audited", "State", alt.Tooltip("Compliance:Q", format=".0%")],
    )
    whiskers = base.mark_rule(color="#0d2a4f").encode(y="low:Q", y2="high:Q")
    labels = base.mark_text(color="#0d2a4f", fontSize=12, fontWeight="bold").encode(y=alt.value(130), text="Label:N")
    return (bars + whiskers + labels).properties(height=260)


def item_trend(trend) -> alt.Chart:
    """One checklist item round by round: the rate with its 95% interval, the target as a dashed line.

    Incomplete rounds are drawn as hollow, pale points labelled as incomplete.
    """
    rows = [
        {"Sample": r.sample, "Drawn": r.drawn_on.isoformat(), "Rate": r.rate, "low": r.ci_low, "high": r.ci_high,
         "Met": f"{r.met} of {r.applicable}", "State": "complete" if r.complete else "incomplete",
         "Label": "" if r.complete else "incomplete"}
        for r in trend.rounds
        if r.rate is not None
    ]
    frame = pd.DataFrame(rows, columns=["Sample", "Drawn", "Rate", "low", "high", "Met", "State", "Label"])
    x = alt.X("Sample:N", sort=[r.sample for r in trend.rounds], title="Audit round (oldest first)", axis=alt.Axis(labelAngle=0))
    base = alt.Chart(frame).encode(x=x)
    y = alt.Y("Rate:Q", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1]), title="Met (95% interval)")
    bars = base.mark_rule(color="#0d2a4f", strokeWidth=2).encode(y=alt.Y("low:Q", scale=alt.Scale(domain=[0, 1])), y2="high:Q",
                                                                 opacity=alt.Opacity("State:N", scale=ROUND_STATES, legend=None))
    points = base.mark_point(size=90, filled=True, stroke="#1565c0", strokeWidth=2).encode(
        y=y,
        fill=alt.condition(alt.datum.State == "complete", alt.value("#1565c0"), alt.value("white")),
        opacity=alt.Opacity("State:N", scale=ROUND_STATES, legend=None),
        tooltip=["Sample", "Drawn", "Met", "State", alt.Tooltip("Rate:Q", format=".0%"),
                 alt.Tooltip("low:Q", format=".0%"), alt.Tooltip("high:Q", format=".0%")],
    )
    labels = base.mark_text(dy=-14, color="#666", fontSize=11).encode(y="Rate:Q", text="Label:N")
    target = alt.Chart(pd.DataFrame({"Target": [trend.target]})).mark_rule(color="#c62828", strokeDash=[6, 3]).encode(
        y="Target:Q", tooltip=[alt.Tooltip("Target:Q", format=".0%")])
    return (bars + points + labels + target).properties(height=320, title=f"Target {trend.target:.0%}")  # the question is the picker above


def item_rates(results, questions: dict[str, str]) -> alt.Chart:
    """Rate per checklist item (named by its question) with its Wilson interval and the target as a tick."""
    rows = [
        {"Item": words(r.item, questions), "Rate": r.rate, "low": r.ci_low, "high": r.ci_high, "Target": r.target,
         "Result": ITEM_VERDICT[r.verdict]}
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
    frame = pd.DataFrame([{"Label": readable(c.label).capitalize(), "Cases": c.count} for c in items], columns=["Label", "Cases"])
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
