"""rsqm audit new and rsqm audit-summary: what supervisors, coordinators and leadership see."""

import json
from pathlib import Path

import pytest
import yaml

from builders import case
from rsqm.workspace.store import read_change_log


def files_under(root: Path) -> dict[str, bytes]:
    """Every file's bytes but the load cache's (.rsqm/load-cache.json: a cache any load may refresh; deleting it is safe)."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and p.name != "load-cache.json"}


def drawn(ws, cli, count: int = 12, size: int = 6):
    ws.cases(*[case(f"RT-2025-{n:03d}", "2025-11-15") for n in range(1, count + 1)])
    result = cli("sample", "-w", str(ws.root), "--name", "Q4", "--size", str(size), "--seed", "3", "--by", "sup1")
    assert result.code == 0, result.text
    sampled = yaml.safe_load((ws.root / "evidence/samples/Q4.yaml").read_text())["cases"]
    unsampled = sorted({f"RT-2025-{n:03d}" for n in range(1, count + 1)} - set(sampled))
    return sampled, unsampled


def test_audit_new_writes_a_blank_record_for_a_sampled_case(ws, cli):
    sampled, _ = drawn(ws, cli)
    result = cli("audit", "new", sampled[0], "--auditor", "sup2", "-w", str(ws.root))
    assert result.code == 0, result.text
    rel = f"evidence/audits/{sampled[0]}.yaml"
    assert f"written {rel}" in result.out
    data = yaml.safe_load((ws.root / rel).read_text())
    assert data["schema"] == "rsqm/audit@1"
    assert (data["case_ref"], data["sample"], data["auditor"], data["audited_on"]) == (sampled[0], "Q4", "sup2", None)
    assert data["answers"] == {i: {"result": None, "note": ""} for i in ("risk_checked", "consent_recorded", "closed_properly")}
    assert data["safeguarding_concern"] is False
    entry = read_change_log(ws.root)[0]
    assert (entry.who, entry.file, entry.change, entry.item) == ("sup2", rel, "new audit record", sampled[0])
    assert cli("validate", "-w", str(ws.root)).code == 0  # a blank record is a valid record in progress


def test_audit_new_refuses_an_unsampled_case_and_writes_nothing(ws, cli):
    _, unsampled = drawn(ws, cli)
    before = files_under(ws.root)
    result = cli("audit", "new", unsampled[0], "--auditor", "sup2", "-w", str(ws.root))
    assert result.code == 1
    assert f"case {unsampled[0]} is in no sample" in result.err
    assert files_under(ws.root) == before


def test_audit_new_never_replaces_an_existing_record(ws, cli):
    sampled, _ = drawn(ws, cli)
    assert cli("audit", "new", sampled[0], "--auditor", "sup2", "-w", str(ws.root)).code == 0
    before = files_under(ws.root)
    result = cli("audit", "new", sampled[0], "--auditor", "sup3", "-w", str(ws.root))
    assert result.code == 1
    assert f"evidence/audits/{sampled[0]}.yaml already exists" in result.err
    assert files_under(ws.root) == before


def test_audit_new_refuses_a_case_not_in_the_named_sample(ws, cli):
    sampled, _ = drawn(ws, cli)
    result = cli("audit", "new", sampled[0], "--auditor", "sup2", "--sample", "Q3", "-w", str(ws.root))
    assert result.code == 1
    assert "unknown sample 'Q3'" in result.err


def test_audit_new_needs_a_case_reference(ws, cli):
    assert cli("audit", "new", "-w", str(ws.root)).code == 2


def complete(ws, case_ref: str, results: dict[str, str], *, concern: bool = False, second: dict | None = None):
    data = {
        "schema": "rsqm/audit@1", "case_ref": case_ref, "sample": "Q4", "auditor": "sup1", "audited_on": "2026-01-20",
        "answers": {k: {"result": v} for k, v in results.items()}, "safeguarding_concern": concern,
    }
    if second:
        data["moderation"] = {"moderator": "sup2", "moderated_on": "2026-01-27",
                              "answers": {k: {"result": v} for k, v in second.items()}}
    ws.write_yaml(f"evidence/audits/{case_ref}.yaml", data)


def summarised(ws, cli):
    sampled, _ = drawn(ws, cli, count=12, size=4)
    all_met = {"risk_checked": "met", "consent_recorded": "met", "closed_properly": "met"}
    complete(ws, sampled[0], all_met, second={"risk_checked": "met", "consent_recorded": "met"})
    complete(ws, sampled[1], all_met | {"consent_recorded": "not_met"}, concern=True,
             second={"consent_recorded": "met"})
    complete(ws, sampled[2], all_met | {"risk_checked": "partly_met"})
    complete(ws, sampled[3], all_met | {"closed_properly": "n_a"})
    return sampled


def test_audit_summary_json_gives_items_samples_agreement_and_concerns(ws, cli):
    sampled = summarised(ws, cli)
    result = cli("audit-summary", "-w", str(ws.root), "--json")
    assert result.code == 0, result.text
    data = json.loads(result.out)
    items = {i["item"]: i for i in data["items"]}
    assert [i["item"] for i in data["items"]][:2] == ["risk_checked", "consent_recorded"]  # both below target
    risk = items["risk_checked"]
    assert (risk["applicable"], risk["met"], risk["partly_met"], risk["not_met"], risk["rate"], risk["target"]) == (4, 3, 1, 0, 0.75, 0.8)
    assert (risk["ci_low"], risk["ci_high"]) == (0.301, 0.954)
    assert items["closed_properly"]["applicable"] == 3
    [q4] = data["samples"]
    assert (q4["sample"], q4["met"], q4["applicable"], q4["rate"]) == ("Q4", 9, 11, 0.818)
    assert data["agreement"] == {"pairs": 3, "percent": 66.7, "kappa": 0.0,
                                 "disagreements": [{"case_ref": sampled[1], "item": "consent_recorded",
                                                    "first": "not_met", "second": "met"}]}
    assert data["safeguarding_concerns"] == 1 and data["concern_cases"] == [sampled[1]]


def test_leadership_gets_the_concern_count_but_no_case_references(ws, cli):
    sampled = summarised(ws, cli)
    for extra in ([], ["--json"]):
        result = cli("audit-summary", "-w", str(ws.root), "--role", "leadership", *extra)
        assert result.code == 0, result.text
        assert not any(ref in result.out for ref in sampled)
    data = json.loads(cli("audit-summary", "-w", str(ws.root), "--role", "leadership", "--json").out)
    assert data["safeguarding_concerns"] == 1 and "concern_cases" not in data


def test_audit_summary_text_lists_below_target_items_and_concerns_for_supervisors(ws, cli):
    sampled = summarised(ws, cli)
    result = cli("audit-summary", "-w", str(ws.root), "--role", "supervisor")
    assert result.code == 0, result.text
    lines = result.out.splitlines()
    risk = next(x for x in lines if x.startswith("Risk checked"))  # the item in words
    assert "75.0%" in risk and "30.1%–95.4%" in risk and "80%" in risk and "BELOW TARGET" in risk
    assert "Q4 drawn" in result.out and "9/11 = 81.8%" in result.out
    assert "3 answers marked twice, 66.7% agreement, Cohen's kappa 0.000" in result.out
    assert "Open safeguarding concerns: 1" in result.out and f"  {sampled[1]}" in lines


def test_audit_summary_refuses_an_unknown_sample(ws, cli):
    summarised(ws, cli)
    result = cli("audit-summary", "-w", str(ws.root), "--sample", "nope")
    assert result.code == 1
    assert "unknown sample 'nope'" in result.err


def test_audit_summary_refuses_an_unknown_role(ws, cli):
    assert cli("audit-summary", "-w", str(ws.root), "--role", "assessor").code == 2


# --- question text, second marking, the list of where audits stand ------------------------------


def test_audit_new_writes_each_question_as_a_comment_above_its_answer(ws, cli):
    sampled, _ = drawn(ws, cli)
    cli("audit", "new", sampled[0], "--auditor", "sup2", "-w", str(ws.root))
    lines = (ws.root / f"evidence/audits/{sampled[0]}.yaml").read_text().splitlines()
    at = lines.index("  consent_recorded:")
    assert lines[at - 1] == "  # Consent: Was consent recorded?"
    assert lines[lines.index("  risk_checked:") - 1] == "  # Risk (critical): Was risk checked?"


def test_second_mark_writes_a_blank_second_marking_file_with_the_questions(ws, cli):
    sampled, _ = drawn(ws, cli)
    complete(ws, sampled[0], {"risk_checked": "met", "consent_recorded": "met", "closed_properly": "met"})
    result = cli("audit", "second-mark", sampled[0], "--moderator", "sup2", "--on", "2026-01-25", "-w", str(ws.root))
    assert result.code == 0, result.text
    rel = f"evidence/audits/{sampled[0]}.second.yaml"
    assert f"written {rel}: a blank second marking of {sampled[0]} by sup2" in result.out
    text = (ws.root / rel).read_text()
    data = yaml.safe_load(text)
    assert data == {"schema": "rsqm/second-marking@1", "case_ref": sampled[0], "moderator": "sup2", "moderated_on": "2026-01-25",
                    "agreed": {}, "answers": {i: {"result": None, "note": ""} for i in ("risk_checked", "consent_recorded", "closed_properly")}}
    first = yaml.safe_load((ws.root / f"evidence/audits/{sampled[0]}.yaml").read_text())
    assert first["answers"]["risk_checked"] == {"result": "met", "note": ""} and "moderation" not in first  # the first marking apart
    assert "  # Consent: Was consent recorded?\n  consent_recorded:" in text
    assert ("sup2", rel, "second marking started", sampled[0]) in [(e.who, e.file, e.change, e.item) for e in read_change_log(ws.root)]
    assert cli("validate", "-w", str(ws.root)).code == 0


@pytest.mark.parametrize(
    ("setup", "moderator", "message"),
    [
        ("none", "sup2", "has no audit record"),
        ("blank", "sup2", "the first marking is not finished"),
        ("done", "sup1", "sup1 audited"),
        ("moderated", "sup3", "already second-marked by sup2"),
    ],
)
def test_second_mark_refuses_and_writes_nothing(ws, cli, setup, moderator, message):
    sampled, _ = drawn(ws, cli)
    if setup == "blank":
        cli("audit", "new", sampled[0], "--auditor", "sup1", "-w", str(ws.root))
    elif setup == "done":
        complete(ws, sampled[0], {"risk_checked": "met"})
    elif setup == "moderated":
        complete(ws, sampled[0], {"risk_checked": "met"}, second={"risk_checked": "met"})
    before = files_under(ws.root)
    result = cli("audit", "second-mark", sampled[0], "--moderator", moderator, "-w", str(ws.root))
    assert result.code == 1
    assert message in result.err
    assert files_under(ws.root) == before


def test_audit_list_says_where_each_sampled_case_stands(ws, cli):
    sampled = summarised(ws, cli)
    result = cli("audit", "list", "-w", str(ws.root))
    assert result.code == 0, result.text
    lines = result.out.splitlines()
    assert f"{sampled[0]}  Q4  second marked  auditor sup1, second marker sup2" in lines
    assert f"{sampled[2]}  Q4  audited  auditor sup1" in lines
    assert lines[-1] == "4 cases sampled"
    awaiting = cli("audit", "list", "--awaiting", "second-marking", "-w", str(ws.root)).out.splitlines()
    assert sorted(line.split()[0] for line in awaiting[:-1]) == sorted(sampled[2:4])
    assert awaiting[-1] == "2 cases awaiting second marking"
    assert cli("audit", "list", "--awaiting", "completion", "-w", str(ws.root)).out == "0 cases awaiting completion\n"


def test_audit_list_counts_cases_not_started_as_awaiting_completion(ws, cli):
    sampled, _ = drawn(ws, cli, size=3)
    cli("audit", "new", sampled[0], "--auditor", "sup2", "-w", str(ws.root))
    out = cli("audit", "list", "--awaiting", "completion", "--sample", "Q4", "-w", str(ws.root)).out.splitlines()
    assert f"{sampled[0]}  Q4  in progress  auditor sup2" in out
    assert f"{sampled[1]}  Q4  not started" in out
    assert out[-1] == "3 cases awaiting completion"
    unknown = cli("audit", "list", "--sample", "Q9", "-w", str(ws.root))
    assert unknown.code == 1 and "unknown sample 'Q9' (samples: Q4)" in unknown.err
    assert cli("audit", "list", "--awaiting", "lunch", "-w", str(ws.root)).code == 2
