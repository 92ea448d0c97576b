"""Altair charts for the pages: data frames in, figures out.

Each figure is a chart with a title and a description (what a screen reader announces instead of "Vega visualization"),
each mark named in words with rounded numbers (its tooltip and its label for assistive technology), and the same data as
a table the page shows beside the chart (docs/accessibility.md).
"""

from __future__ import annotations

from typing import NamedTuple

import altair as alt
import pandas as pd

from rsqm.base.formatting import percent
from rsqm.base.labels import CASE_VALUE, ITEM_VERDICT, words
from rsqm.base.labels import STATUS as STATUS_LABELS
from rsqm.base.palette import (
    CURRENT_PERIOD,
    INK,
    MUTED_TEXT,
    PREVIOUS_PERIOD,
    PRIMARY,
    STATUS_FILL,
    STATUS_ORDER,
    TARGET,
    VERDICT_FILL,
    VERDICT_SHAPE,
    WHITE,
)


class Figure(NamedTuple):
    """A chart and its data as a table in words (shown beside it, for people who cannot see the chart)."""

    chart: alt.TopLevelMixin
    table: pd.DataFrame
    title: str


def _figure(chart, title: str, description: str, table: pd.DataFrame) -> Figure:
    """The chart with its visible title and the sentence assistive technology reads for the whole chart."""
    described = chart.properties(title=alt.TitleParams(title, anchor="start", fontSize=14, color=INK), description=description)
    readable = described.configure_axis(labelColor=MUTED_TEXT, titleColor=MUTED_TEXT).configure_legend(labelColor=MUTED_TEXT)
    return Figure(readable, table, title)  # axis and legend words at 7:1, not the theme's faded grey


def _span(low: float | None, high: float | None) -> str:
    return "–" if low is None or high is None else f"{percent(low)} to {percent(high)}"

def status_by_standard(standards) -> Figure:
    """Stacked bars: how many indicators of each standard are met, partly met, not met (white edges between segments)."""
    rows = [
        {"Standard": f"{s.id}. {s.title}", "Status": STATUS_LABELS[k], "Indicators": s.counts.get(k, 0),
         "order": STATUS_ORDER.index(k), "Said": f"{s.id}. {s.title}: {s.counts.get(k, 0)} {STATUS_LABELS[k].lower()}"}
        for s in standards
        for k in STATUS_ORDER
        if s.counts.get(k, 0)
    ]
    present = [k for k in STATUS_ORDER if any(s.counts.get(k, 0) for s in standards)]  # a legend of four is wider than a narrow plot
    colours = alt.Scale(domain=[STATUS_LABELS[k] for k in present], range=[STATUS_FILL[k] for k in present])
    chart = (
        alt.Chart(pd.DataFrame(rows))
        .mark_bar(stroke=WHITE, strokeWidth=2)
        .encode(
            y=alt.Y("Standard:N", sort=None, title=None, axis=alt.Axis(labelLimit=320)),
            x=alt.X("sum(Indicators):Q", title="Indicators", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("Status:N", scale=colours, legend=alt.Legend(orient="bottom", title=None)),
            order=alt.Order("order:Q"),
            tooltip=[alt.Tooltip("Standard:N"), alt.Tooltip("Status:N"), alt.Tooltip("Indicators:Q")],
            description=alt.Description("Said:N"),
        )
        .properties(height=alt.Step(28))
    )
    table = pd.DataFrame(
        [{"Standard": f"{s.id}. {s.title}", **{STATUS_LABELS[k]: s.counts.get(k, 0) for k in present}} for s in standards],
        columns=["Standard", *(STATUS_LABELS[k] for k in present)],
    )
    return _figure(chart, "Indicators by status, per standard",
                             f"Stacked bars, one per standard ({len(standards)}), counting its indicators "
                             f"{', '.join(STATUS_LABELS[k].lower() for k in present)}. The table below gives the counts.", table)


ROUND_STATES = alt.Scale(domain=["complete", "incomplete"], range=[0.85, 0.3])


def _round_state(audited: int, cases: int) -> tuple[str, str]:
    """("complete" | "incomplete", the label drawn on an incomplete round)."""
    return ("complete", "") if audited >= cases else ("incomplete", f"incomplete: {audited} of {cases}")


def compliance_over_time(samples) -> Figure:
    """Overall audit compliance per sample, with its 95% interval, oldest first; incomplete samples pale and labelled."""
    rows = [
        {"Sample": s.sample, "Drawn": f"{s.drawn_on.day} {s.drawn_on:%B %Y}", "Compliance": s.rate, "low": s.ci_low,
         "high": s.ci_high, "Audited": s.audited, "State": state, "Label": label,
         "Said": f"Sample {s.sample}: {percent(s.rate)} of items met (95% interval {_span(s.ci_low, s.ci_high)}), "
                 f"{s.audited} of {s.cases} cases audited"}
        for s in samples
        if s.rate is not None
        for state, label in [_round_state(s.audited, s.cases)]
    ]
    frame = pd.DataFrame(rows)
    base = alt.Chart(frame).encode(x=alt.X("Sample:N", sort=None, title="Audit sample"))
    bars = base.mark_bar(color=PRIMARY, stroke=PRIMARY, strokeDash=[4, 2]).encode(
        y=alt.Y("Compliance:Q", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1]), title="Items met"),
        opacity=alt.Opacity("State:N", scale=ROUND_STATES, legend=None),
        strokeWidth=alt.condition(alt.datum.State == "incomplete", alt.value(1.5), alt.value(0)),
        tooltip=[alt.Tooltip("Sample:N"), alt.Tooltip("Drawn:N"), alt.Tooltip("Audited:Q", title="Cases audited"),
                 alt.Tooltip("State:N"), alt.Tooltip("Compliance:Q", format=".0%", title="Items met")],
        description=alt.Description("Said:N"),
    )
    whiskers = base.mark_rule(color=INK, aria=False).encode(y="low:Q", y2="high:Q")
    labels = base.mark_text(color=INK, fontSize=12, fontWeight="bold", aria=False).encode(y=alt.value(130), text="Label:N")
    table = pd.DataFrame([{"Sample": s.sample, "Drawn": f"{s.drawn_on.day} {s.drawn_on:%B %Y}", "Cases audited": f"{s.audited} of {s.cases}",
                           "Items met": percent(s.rate), "95% interval": _span(s.ci_low, s.ci_high)}
                          for s in samples if s.rate is not None])
    return _figure((bars + whiskers + labels).properties(height=260), "Share of checklist items met, per audit sample",
                             f"Bars, one per audit sample ({len(rows)}), oldest first: the share of checklist items met, with "
                             "its 95% interval. The table below gives the numbers.", table)


def item_trend(trend) -> Figure:
    """One checklist item round by round: the rate with its 95% interval, the target as a dashed line.

    Incomplete rounds are drawn as hollow, pale points labelled as incomplete.
    """
    rows = [
        {"Sample": r.sample, "Drawn": f"{r.drawn_on.day} {r.drawn_on:%B %Y}", "Rate": r.rate, "low": r.ci_low, "high": r.ci_high,
         "Met": f"{r.met} of {r.applicable}", "State": "complete" if r.complete else "incomplete",
         "Label": "" if r.complete else "incomplete",
         "Said": f"Round {r.sample}: {percent(r.rate)} met ({r.met} of {r.applicable}; 95% interval {_span(r.ci_low, r.ci_high)})"
                 + ("" if r.complete else ", not fully audited")}
        for r in trend.rounds
        if r.rate is not None
    ]
    frame = pd.DataFrame(rows, columns=["Sample", "Drawn", "Rate", "low", "high", "Met", "State", "Label", "Said"])
    x = alt.X("Sample:N", sort=[r.sample for r in trend.rounds], title="Audit round (oldest first)", axis=alt.Axis(labelAngle=0))
    base = alt.Chart(frame).encode(x=x)
    y = alt.Y("Rate:Q", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1]), title="Met (95% interval)")
    bars = base.mark_rule(color=INK, strokeWidth=2, aria=False).encode(
        y=alt.Y("low:Q", scale=alt.Scale(domain=[0, 1])), y2="high:Q", opacity=alt.Opacity("State:N", scale=ROUND_STATES, legend=None))
    points = base.mark_point(size=90, filled=True, stroke=PRIMARY, strokeWidth=2).encode(
        y=y,
        fill=alt.condition(alt.datum.State == "complete", alt.value(PRIMARY), alt.value(WHITE)),
        opacity=alt.Opacity("State:N", scale=ROUND_STATES, legend=None),
        tooltip=[alt.Tooltip("Sample:N", title="Round"), alt.Tooltip("Drawn:N"), alt.Tooltip("Met:N"), alt.Tooltip("State:N"),
                 alt.Tooltip("Rate:Q", format=".0%", title="Share met"), alt.Tooltip("low:Q", format=".0%", title="Interval from"),
                 alt.Tooltip("high:Q", format=".0%", title="Interval to")],
        description=alt.Description("Said:N"),
    )
    labels = base.mark_text(dy=-14, color=INK, fontSize=11, aria=False).encode(y="Rate:Q", text="Label:N")
    target = alt.Chart(pd.DataFrame({"Target": [trend.target], "Said": [f"Target {percent(trend.target)}"]})).mark_rule(
        color=TARGET, strokeDash=[6, 3]).encode(y="Target:Q", tooltip=[alt.Tooltip("Target:Q", format=".0%")],
                                                description=alt.Description("Said:N"))
    table = pd.DataFrame([{"Round": r.sample, "Drawn": f"{r.drawn_on.day} {r.drawn_on:%B %Y}", "Met": f"{r.met} of {r.applicable}",
                           "Share met": percent(r.rate), "95% interval": _span(r.ci_low, r.ci_high),
                           "Fully audited": "yes" if r.complete else "no"} for r in trend.rounds if r.rate is not None])
    chart = (bars + points + labels + target).properties(height=320)  # the question is the picker above
    return _figure(chart, f"{trend.question}: share met per round (target {percent(trend.target)})",
                             f"Points, one per audit round ({len(rows)}), oldest first: the share of audited cases meeting "
                             f"this item, with its 95% interval; a dashed line marks the target of {percent(trend.target)}. "
                             "The table below gives the numbers.", table)


def item_rates(results, questions: dict[str, str]) -> Figure:
    """Rate per checklist item (named by its question) with its Wilson interval and the target as a tick."""
    rows = [
        {"Item": words(r.item, questions), "Rate": r.rate, "low": r.ci_low, "high": r.ci_high, "Target": r.target,
         "Result": ITEM_VERDICT[r.verdict],
         "Said": f"{words(r.item, questions)}: {percent(r.rate)} met (95% interval {_span(r.ci_low, r.ci_high)}), "
                 f"target {percent(r.target)}, {ITEM_VERDICT[r.verdict]}"}
        for r in results
        if r.rate is not None
    ]
    frame = pd.DataFrame(rows)
    base = alt.Chart(frame).encode(y=alt.Y("Item:N", sort=None, title=None, axis=alt.Axis(labelLimit=320)))
    verdicts = list(VERDICT_FILL)
    points = base.mark_point(filled=True, size=70, opacity=1).encode(
        x=alt.X("Rate:Q", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1]), title="Met (95% interval)"),
        color=alt.Color("Result:N", scale=alt.Scale(domain=verdicts, range=list(VERDICT_FILL.values())),
                        legend=alt.Legend(orient="bottom", title=None)),
        shape=alt.Shape("Result:N", scale=alt.Scale(domain=verdicts, range=list(VERDICT_SHAPE.values())), legend=None),
        tooltip=[alt.Tooltip("Item:N"), alt.Tooltip("Result:N"), alt.Tooltip("Rate:Q", format=".0%", title="Share met"),
                 alt.Tooltip("low:Q", format=".0%", title="Interval from"), alt.Tooltip("high:Q", format=".0%", title="Interval to"),
                 alt.Tooltip("Target:Q", format=".0%")],
        description=alt.Description("Said:N"),
    )
    rules = base.mark_rule(color=INK, aria=False).encode(x="low:Q", x2="high:Q")
    targets = base.mark_tick(color="black", thickness=2, aria=False).encode(x="Target:Q")
    table = pd.DataFrame([{"Item": row["Item"], "Share met": percent(row["Rate"]), "95% interval": _span(row["low"], row["high"]),
                           "Target": percent(row["Target"]), "Result": row["Result"]} for row in rows])
    chart = (rules + points + targets).properties(height=alt.Step(22))
    return _figure(chart, "Share met per checklist item, against its target",
                             f"Points, one per checklist item ({len(rows)}): the share of audited cases meeting it, with its "
                             "95% interval as a line and its target as a black tick; the point's shape and colour say whether "
                             "it meets the target. The table below gives the numbers.", table)


def outcome_shares(outcomes) -> Figure:
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
        {"Measure": measure, "Period": period, "Share": s.rate, "low": s.ci_low, "high": s.ci_high, "Counted": f"{s.k} of {s.n}",
         "Said": f"{measure}, {period}: {percent(s.rate)} ({s.k} of {s.n}; 95% interval {_span(s.ci_low, s.ci_high)})"}
        for measure, current, previous in pairs
        for period, s in ((label_now, current), (label_was, previous))
        if s is not None and s.rate is not None
    ]
    frame = pd.DataFrame(rows, columns=["Measure", "Period", "Share", "low", "high", "Counted", "Said"])
    colours = alt.Scale(domain=[label_now, label_was], range=[CURRENT_PERIOD, PREVIOUS_PERIOD])
    base = alt.Chart(frame).encode(
        y=alt.Y("Measure:N", sort=None, title=None, axis=alt.Axis(labelLimit=260)),
        yOffset=alt.YOffset("Period:N", sort=[label_now, label_was]),
    )
    bars = base.mark_bar(stroke=WHITE, strokeWidth=1).encode(
        x=alt.X("Share:Q", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1]), title="Share (95% interval)"),
        color=alt.Color("Period:N", scale=colours, legend=alt.Legend(orient="bottom", title=None)),
        tooltip=[alt.Tooltip("Measure:N"), alt.Tooltip("Period:N"), alt.Tooltip("Share:Q", format=".0%"), alt.Tooltip("Counted:N")],
        description=alt.Description("Said:N"),
    )
    whiskers = base.mark_rule(color=INK, aria=False).encode(x="low:Q", x2="high:Q")
    table = pd.DataFrame([{"Measure": measure, **{f"{label} ({which})": "–" if s is None or s.rate is None else
                                                  f"{percent(s.rate)} ({s.k} of {s.n}; {_span(s.ci_low, s.ci_high)})"
                                                  for which, label, s in (("this period", label_now, current),
                                                                          ("period before", label_was, previous))}}
                          for measure, current, previous in pairs])
    return _figure((bars + whiskers).properties(height=alt.Step(16)), "Shares this period and the period before",
                             f"Pairs of bars, one pair per measure ({len(pairs)}): the share in {label_now} (dark) beside "
                             f"the share in {label_was} (grey), each with its 95% interval. The table below gives the numbers.",
                   table)


def counts(items, title: str) -> Figure:
    """Horizontal bars of labelled counts, largest first (referral sources, processes)."""
    said = [words(c.label, CASE_VALUE) for c in items]  # 'HMP Westmoor' as the service wrote it, a code in words
    labels = [label[:1].upper() + label[1:] for label in said]
    frame = pd.DataFrame([{"Label": label, "Cases": c.count, "Said": f"{label}: {c.count}"} for label, c in zip(labels, items, strict=True)],
                         columns=["Label", "Cases", "Said"])
    chart = (
        alt.Chart(frame)
        .mark_bar(color=PRIMARY)
        .encode(
            y=alt.Y("Label:N", sort="-x", title=None, axis=alt.Axis(labelLimit=240)),
            x=alt.X("Cases:Q", title=title, axis=alt.Axis(tickMinStep=1)),
            tooltip=[alt.Tooltip("Label:N", title="Of"), alt.Tooltip("Cases:Q", title=title)],
            description=alt.Description("Said:N"),
        )
        .properties(height=alt.Step(24))
    )
    table = frame.sort_values("Cases", ascending=False, kind="stable")[["Label", "Cases"]].rename(columns={"Label": "Of", "Cases": title})
    return _figure(chart, f"{title}, largest first",
                             f"Bars, one per kind ({len(frame)}), counting {title.lower()}, largest first. "
                             "The table below gives the numbers.", table)
