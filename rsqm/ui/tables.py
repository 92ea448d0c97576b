"""Data frames for the pages' tables (display only: labels in plain words)."""

from __future__ import annotations

import pandas as pd

from rsqm.assess.expiry import Lapse
from rsqm.base.formatting import percent
from rsqm.base.labels import EVIDENCE_STATUS, ITEM_VERDICT, PERSONAL_DATA, words
from rsqm.base.palette import MUTED_TEXT, TINT


def links(indicator, titles: dict[str, str]) -> pd.DataFrame:
    """The evidence linked to an indicator, with where in each document to look."""
    qualifying = set(indicator.evidence)
    return pd.DataFrame(
        [
            {"Evidence": e, "Title": titles.get(e, ""), "Where": locator or "–", "Shows": claim or "–",
             "Counts": "yes" if e in qualifying else "no"}
            for e, locator, claim in indicator.links
        ],
        columns=["Evidence", "Title", "Where", "Shows", "Counts"],
    )


def interval(low: float | None, high: float | None) -> str:
    return "–" if low is None or high is None else f"{low:.0%}–{high:.0%}"


def audit_items(results, questions: dict[str, str]) -> pd.DataFrame:
    """Checklist item results, named by their question, with rate, 95% Wilson interval and target."""
    return pd.DataFrame(
        [
            {
                "Item": words(r.item, questions),
                "Section": r.section,
                "Applicable": r.applicable,
                "Met": r.met,
                "Partly": r.partly_met,
                "Not met": r.not_met,
                "N/A": r.n_a,
                "Rate": percent(r.rate),
                "95% interval": interval(r.ci_low, r.ci_high),
                "Target": percent(r.target),
                "Judged": ITEM_VERDICT[r.verdict],
            }
            for r in results
        ]
    )


def measures(results) -> pd.DataFrame:
    """Measure results (counts only) with rate, 95% Wilson interval and target."""
    return pd.DataFrame(
        [
            {
                "Measure": r.label,
                "Counted": r.n,
                "Meeting it": r.k,
                "Rate": percent(r.rate),
                "95% interval": interval(r.ci_low, r.ci_high),
                "Target": percent(r.target),
                "Judged": "meets target" if r.met else ("no data" if not r.n else "below target"),
            }
            for r in results
        ]
    )


def evidence_register(items, lapsed: dict[str, Lapse], types: dict[str, str]) -> pd.DataFrame:
    """The register in words: types as the pack names them, statuses as labels, expiry judged on the as-of date."""
    rows = []
    for item in items:
        lapse = lapsed.get(item.id)
        rows.append(
            {
                "Id": item.id,
                "Title": item.title,
                "Type": words(item.type, types),
                "Status": words(item.status.value, EVIDENCE_STATUS),
                "Dated": item.dated.isoformat(),
                "Review by": item.review_by.isoformat() if item.review_by else "",
                "Expiry": "" if lapse is None else (EXPIRED if lapse.already else EXPIRES),
                "Owner": item.owner,
                "File": item.file,
                "Indicators": ", ".join(link.indicator for link in item.links),
                "Personal data": words(item.personal_data.value, PERSONAL_DATA),
            }
        )
    return pd.DataFrame(rows, columns=["Id", "Title", "Type", "Status", "Dated", "Review by", "Expiry", "Owner", "File",
                                       "Indicators", "Personal data"])


EXPIRED, EXPIRES = "ran out", "runs out before the assessment"
STATUS_STYLE = {
    EVIDENCE_STATUS["approved"]: f"background-color: {TINT['good']}",
    EVIDENCE_STATUS["draft"]: f"background-color: {TINT['neutral']}",
    EVIDENCE_STATUS["in_review"]: f"background-color: {TINT['waiting']}",
    EVIDENCE_STATUS["rejected"]: f"background-color: {TINT['bad']}",
    EVIDENCE_STATUS["superseded"]: f"color: {MUTED_TEXT}",
}
EXPIRY_STYLE = {EXPIRED: f"background-color: {TINT['expired']}", EXPIRES: f"background-color: {TINT['expiring']}"}


def styled_register(frame: pd.DataFrame):
    """Status and expiry coloured so the eye finds what needs doing."""
    return frame.style.map(lambda v: STATUS_STYLE.get(v, ""), subset=["Status"]).map(
        lambda v: EXPIRY_STYLE.get(v, ""), subset=["Expiry"]
    )
