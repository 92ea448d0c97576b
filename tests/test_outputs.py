"""The JSON the commands print keeps its documented keys (docs/design.md, "Command-line contract"; docs/measures.md)."""

from __future__ import annotations

import json

from pydantic import TypeAdapter

from rsqm.outputs import (
    AuditItemOut,
    AuditSummaryOut,
    FrameworkSummaryOut,
    GapsOut,
    IndicatorOut,
    MeasureOut,
    MeasuresOut,
    ReasonOut,
    Rounded,
    StandardOut,
    SummaryItemOut,
)

DOCUMENTED_GAPS = {"as_of", "framework", "ready", "readiness", "standards", "indicators"}
DOCUMENTED_STANDARD = {"id", "title", "readiness", "counts"}
DOCUMENTED_INDICATOR = {"id", "standard", "status", "critical", "evidence", "audit", "reasons", "measures"}
DOCUMENTED_AUDIT_ITEM = {"item", "applicable", "met", "rate", "ci_low", "ci_high", "target"}
DOCUMENTED_REASON = {"code", "refs", "message"}
DOCUMENTED_MEASURE = {"measure", "k", "n", "rate", "ci_low", "ci_high", "target", "met"}


def keys(model) -> set[str]:
    return set(model.model_fields)


def test_the_gaps_object_holds_every_documented_key():
    assert keys(GapsOut) >= DOCUMENTED_GAPS
    assert keys(StandardOut) == DOCUMENTED_STANDARD
    assert keys(IndicatorOut) >= DOCUMENTED_INDICATOR
    assert keys(AuditItemOut) >= DOCUMENTED_AUDIT_ITEM
    assert keys(ReasonOut) >= DOCUMENTED_REASON
    assert keys(FrameworkSummaryOut) == {"id", "title", "version", "ready", "readiness", "blockers", "counts"}


def test_a_measure_has_exactly_the_documented_keys():
    assert keys(MeasureOut) == DOCUMENTED_MEASURE


def test_shares_are_rounded_to_three_decimals_on_output_only():
    assert TypeAdapter(Rounded).dump_python(2 / 3) == 0.667
    assert TypeAdapter(Rounded | None).dump_python(None) is None


def test_rsqm_gaps_json_prints_the_models_keys_with_rounded_shares(cli, demo_copy):
    result = cli("gaps", "--json", "-w", str(demo_copy))
    assert result.code == 0
    data = json.loads(result.out)
    assert set(data) == keys(GapsOut)
    assert set(data["indicators"][0]) == keys(IndicatorOut)
    assert set(data["standards"][0]) == keys(StandardOut)
    audited = [x for i in data["indicators"] for x in i["audit"] if x["rate"] is not None]
    assert audited and all(round(x["rate"], 3) == x["rate"] for x in audited)
    assert {f["id"] for f in data["frameworks"]} >= {data["framework"]["id"]}


def test_rsqm_measures_json_prints_each_measure_with_its_framework_and_indicator(cli, demo_copy):
    result = cli("measures", "--json", "-w", str(demo_copy))
    assert result.code == 0
    data = json.loads(result.out)
    assert set(data) == keys(MeasuresOut)
    assert data["measures"], "the demo frameworks list measures"
    assert all(set(row) == {"framework", "indicator"} | DOCUMENTED_MEASURE for row in data["measures"])


def test_rsqm_audit_summary_json_gives_leadership_no_case_references(cli, demo_copy):
    supervisor = json.loads(cli("audit-summary", "--json", "-w", str(demo_copy)).out)
    leadership = json.loads(cli("audit-summary", "--json", "--role", "leadership", "-w", str(demo_copy)).out)
    assert set(supervisor) == keys(AuditSummaryOut)
    assert set(leadership) == keys(AuditSummaryOut) - {"concern_cases"}
    assert "disagreements" in supervisor["agreement"] and "disagreements" not in leadership["agreement"]
    assert all(set(item) == set(SummaryItemOut.KEYS) for item in supervisor["items"])
