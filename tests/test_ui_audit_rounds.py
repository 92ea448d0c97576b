"""The dashboard's audit rounds: progress of a sample, each item round by round, overdue re-audits, advice."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture
def workspace(demo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RSQM_WORKSPACE", str(demo_copy))
    return demo_copy


def open_page(role: str, page: str = "overview") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["demo_role"] = role
    at.run()
    if page != "overview":
        at.switch_page(f"rsqm/ui/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_results_show_each_item_round_by_round_with_the_verdict_of_the_change(workspace: Path) -> None:
    at = open_page("supervisor", "audits")
    assert "Round by round" in [h.value for h in at.subheader]
    table = next(d.value for d in at.dataframe if "Verdict" in d.value.columns)
    verdicts = dict(zip(table["Item"], table["Verdict"], strict=True))
    assert verdicts["case_discussed_in_supervision"] == "real improvement"
    assert verdicts["case_closed_with_reason"] == "real decline"
    assert list(table.columns[1:3]) == ["2025-H2", "2026-Q1"]  # the order drawn
    trend = at.selectbox(key="trend_item")
    trend.set_value(next(t for t in trend.options if t.startswith("case_closed_with_reason"))).run()
    assert not at.exception, [e.value for e in at.exception]


def test_a_sample_shows_its_progress_and_incomplete_samples_say_so(workspace: Path) -> None:
    sample = yaml.safe_load((workspace / "evidence/samples/2026-Q1.yaml").read_text())
    for case_ref in sample["cases"][:3]:
        (workspace / f"evidence/audits/{case_ref}.yaml").unlink()
    at = open_page("supervisor", "audits")
    at.selectbox(key="audit_sample").set_value("2026-Q1").run()
    progress = at.get("progress")
    assert progress and "Sample 2026-Q1: 12 of 15 audited" in progress[0].proto.text
    samples = at.dataframe[0].value
    row = samples[samples["Sample"] == "2026-Q1"].iloc[0]
    assert row["Progress"].startswith("12 of 15 audited") and row["Progress"].endswith("incomplete")


def test_the_overview_names_an_overdue_re_audit(workspace: Path) -> None:
    at = open_page("leadership")
    warnings = [w.value for w in at.warning]
    assert ("Re-audit overdue: safeguarding_concerns_acted_on was to be re-audited by 15 June 2026 (action A6)."
            in warnings)


def test_the_sample_form_advises_at_the_chosen_confidence_and_says_it_rounds_up(workspace: Path) -> None:
    at = open_page("supervisor", "audits")
    at.selectbox(key="draw_confidence").set_value(0.99).run()
    advice = next(i.value for i in at.info if "closed cases in that period" in i.value)
    assert "(99% confidence)" in advice and "rounded up to the next whole case, the conservative choice" in advice
