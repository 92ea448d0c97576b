"""Portfolio: services' returns side by side with totals, for a commissioner or a provider's leadership (counts only)."""

import pandas as pd
import streamlit as st

from rsqm.base.errors import InputRefused
from rsqm.base.labels import EQUALITY, words
from rsqm.base.paths import PORTFOLIO_DIR
from rsqm.commission.portfolio import KEYRING, build_portfolio, figure_words
from rsqm.commission.render import build_portfolio_workbook, value_text
from rsqm.ui.main import current

viewer, view = current()

st.title("Portfolio")
st.caption(f"Services' returns side by side, read from the {PORTFOLIO_DIR}/ folder of this workspace: counts only, no case "
           f"data. With {PORTFOLIO_DIR}/{KEYRING} (key fingerprints, one a line), only returns signed by those keys are read; "
           "a return changed after signing is never read.")
read, refused = view.portfolio_returns()
for name, why in refused:
    st.warning(f"{name} not read: {why}")
if not read:
    st.info(f"No return to read yet. Put the services' returns (rsqm return --period 2026Q3 --out NAME.json --sign) in "
            f"the {PORTFOLIO_DIR}/ folder and their key fingerprints in {PORTFOLIO_DIR}/{KEYRING}.")
    st.stop()

periods = sorted({doc.current.period.label for _, doc, _ in read}, reverse=True)
period = st.selectbox("Period", periods, key="portfolio_period")
try:
    portfolio = build_portfolio([r for r in read if r[1].current.period.label == period], period)
except InputRefused as refusal:
    st.error(f"Not shown: {refusal}.")
    st.stop()

names = [s.name for s in portfolio.services]
st.caption(f"{len(names)} service{'s' * (len(names) != 1)}; "
           f"{sum(s.fingerprint is not None for s in portfolio.services)} signed."
           + "".join(f" {s.name}: a part period, its records end on {s.covered_to}." for s in portfolio.services if s.covered_to))
st.header("Figures")
st.dataframe(pd.DataFrame([{"Figure": figure_words(key), **dict(zip(names, map(value_text, values), strict=True)),
                            "Total": value_text(total)} for key, values, total in portfolio.figures]),
             hide_index=True, placeholder="", width="stretch")
st.header("Equality monitoring")
st.dataframe(pd.DataFrame([{"Column": words(row.column, EQUALITY), "Value": words(row.value, EQUALITY),
                            **{name: cell.shown if cell else "not kept" for name, cell in zip(names, row.cells, strict=True)},
                            "Total": row.total.shown} for row in portfolio.equality]),
             hide_index=True, placeholder="", width="stretch")
st.caption("Counts under 5 read 'fewer than 5', and enough others are not shown that none can be worked out; "
           "a total is not shown where any service hides its part (docs/commissioning.md).")
st.download_button("Download the portfolio (.xlsx)", data=lambda: build_portfolio_workbook(portfolio),
                   file_name=f"portfolio-{period}.xlsx", key="portfolio_download",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
