"""The dashboard shares the CLI's rules: re-approval after an edit, and the local-mode banner only on the demo."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest
from test_ui_apptest import APP, button, open_page

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def workspace(demo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RSQM_WORKSPACE", str(demo_copy))
    return demo_copy


def item(workspace: Path, evidence_id: str) -> dict:
    return next(i for i in yaml.safe_load((workspace / "evidence/register.yaml").read_text())["items"] if i["id"] == evidence_id)


def test_editing_only_an_expired_items_review_date_sends_it_back_for_approval(workspace: Path) -> None:
    before = item(workspace, "E012")
    assert before["status"] == "approved" and before["review_by"] < "2024-01-01"
    at = open_page("coordinator", "evidence")
    next(s for s in at.selectbox if s.label == "Item").set_value("E012").run()
    next(d for d in at.date_input if d.label.startswith("Review by")).set_value(date(2027, 5, 1))
    button(at, "Save evidence item").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    after = item(workspace, "E012")
    assert (after["status"], after["review_by"]) == ("in_review", "2027-05-01")
    assert not {"sha256", "approved_by", "approved_on"} & set(after)
    assert any("back to in review" in str(s.value) for s in at.success)


def test_local_demo_mode_is_announced_only_on_the_bundled_demo(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page("coordinator")
    sidebar = " ".join(str(e.value) for e in [*at.sidebar.info, *at.sidebar.warning])
    assert "Local demo mode" not in sidebar
    assert "Local mode (this computer only): choose a role" in sidebar

    monkeypatch.setenv("RSQM_WORKSPACE", str(REPO))
    demo = AppTest.from_file(APP, default_timeout=30)
    demo.run()
    assert "Local demo mode" in " ".join(str(e.value) for e in demo.sidebar.info)
