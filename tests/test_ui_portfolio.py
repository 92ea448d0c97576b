"""The Portfolio page: a commissioner reads a folder of services' returns, every signature checked, counts only."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from test_portfolio import fingerprint, service
from test_ui_apptest import CASE_REF, PAGES, open_page, page_text

from rsqm.server.access import allowed


@pytest.fixture
def workspace(demo_copy: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, cli) -> Path:
    """The demo, with a portfolio/ folder: North's and South's signed returns, their keys, and North altered."""
    folder = demo_copy / "portfolio"
    folder.mkdir()
    north = service(tmp_path, cli, "North", ["white"] * 20 + ["asian"] * 3 + ["black"] * 9)
    south = service(tmp_path, cli, "South", ["white"] * 25 + ["black"] * 7)
    for path in (north, south):
        shutil.copy(path, folder / path.name)
    altered = json.loads(north.read_text(encoding="utf-8"))
    altered["current"]["referrals"] = 99
    (folder / "north-altered.json").write_text(json.dumps(altered), encoding="utf-8")
    (folder / "keys.txt").write_text(f"# the services we fund\n{fingerprint(north)}\n{fingerprint(south)}\n", encoding="utf-8")
    monkeypatch.setenv("RSQM_WORKSPACE", str(demo_copy))
    return demo_copy


def test_the_commissioner_sees_the_signed_services_side_by_side_with_totals(workspace: Path) -> None:
    at = open_page("commissioner", "portfolio")
    assert at.title[0].value == "Portfolio"
    figures = at.dataframe[0].value
    assert list(figures.columns) == ["Figure", "North", "South", "Total"]
    referrals = figures.loc[figures["Figure"] == "referrals"].iloc[0]
    assert (referrals["North"], referrals["South"], referrals["Total"]) == ("32", "32", "64")
    equality = at.dataframe[1].value
    asian = equality.loc[(equality["Column"] == "Ethnic group") & (equality["Value"] == "asian")].iloc[0]
    assert asian["North"] == "fewer than 5" and asian["Total"] == "not shown"
    warnings = [w.value for w in at.warning]
    assert warnings == ["north-altered.json not read: changed after it was signed: the signature does not match its figures"]
    assert not CASE_REF.findall(page_text(at))


def test_without_returns_the_page_says_where_to_put_them(demo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RSQM_WORKSPACE", str(demo_copy))
    at = open_page("leadership", "portfolio")
    assert "No return to read yet" in at.info[0].value and "portfolio/ folder" in at.info[0].value


def test_the_commissioner_reaches_no_case_or_evidence_level_page() -> None:
    for action in ("read_cases", "read_evidence", "read_workforce", "read_shortfalls", "read_change_log", "export_pack"):
        assert not allowed("commissioner", action)
    assert "audits" not in PAGES["commissioner"] and "evidence" not in PAGES["commissioner"]
