"""Data frames for the pages' tables (display only: labels in plain words)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from rsqm.formatting import percent
from rsqm.labels import ITEM_VERDICT


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


def audit_items(results) -> pd.DataFrame:
    """Checklist item results with rate, 95% Wilson interval and target."""
    return pd.DataFrame(
        [
            {
                "Item": r.item,
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


def evidence_register(items, expiring: set[str], today: date) -> pd.DataFrame:
    rows = []
    for item in items:
        if item.review_by and item.review_by < today:
            expiry = "expired"
        elif item.id in expiring:
            expiry = "expires before assessment"
        else:
            expiry = ""
        rows.append(
            {
                "Id": item.id,
                "Title": item.title,
                "Type": item.type,
                "Status": str(item.status),
                "Dated": item.dated.isoformat(),
                "Review by": item.review_by.isoformat() if item.review_by else "",
                "Expiry": expiry,
                "Owner": item.owner,
                "File": item.file,
                "Indicators": ", ".join(link.indicator for link in item.links),
                "Personal data": str(item.personal_data),
            }
        )
    return pd.DataFrame(rows, columns=["Id", "Title", "Type", "Status", "Dated", "Review by", "Expiry", "Owner", "File",
                                       "Indicators", "Personal data"])


STATUS_STYLE = {
    "approved": "background-color: #e8f5e9",
    "draft": "background-color: #f5f5f5",
    "in_review": "background-color: #fff8e1",
    "rejected": "background-color: #ffebee",
    "superseded": "color: #9e9e9e",
}
EXPIRY_STYLE = {"expired": "background-color: #ffcdd2", "expires before assessment": "background-color: #ffe0b2"}


def styled_register(frame: pd.DataFrame):
    """Status and expiry coloured so the eye finds what needs doing."""
    return frame.style.map(lambda v: STATUS_STYLE.get(v, ""), subset=["Status"]).map(
        lambda v: EXPIRY_STYLE.get(v, ""), subset=["Expiry"]
    )
