"""rsqm audit answer / complete / second-answer / agree: an audit and its blind second marking done by commands.

The first marker's answers go under ``answers`` in evidence/audits/CASE.yaml; the
second marker's in a file of their own, evidence/audits/CASE.second.yaml (DESIGN.md
section 3), so an editor never shows them side by side, and nothing the second marker
is shown repeats a first answer until both markings are complete. One vocabulary of
states everywhere.
"""

from __future__ import annotations

import json

import pytest
import yaml
from test_cli_audit import drawn, files_under

from rsqm.workspace.store import read_change_log

ITEMS = ("risk_checked", "consent_recorded", "closed_properly")


def record(ws, case_ref):
    return yaml.safe_load((ws.root / f"evidence/audits/{case_ref}.yaml").read_text())


def second_record(ws, case_ref):
    return yaml.safe_load((ws.root / f"evidence/audits/{case_ref}.second.yaml").read_text())


def answer_all(ws, cli, case_ref, results=("met", "partly met", "n/a"), by="sup1"):
    for item, result in zip(ITEMS, results, strict=True):
        got = cli("audit", "answer", case_ref, item, result, "-w", str(ws.root), "--by", by)
        assert got.code == 0, got.text


@pytest.fixture
def case_ref(ws, cli):
    sampled, _ = drawn(ws, cli)
    return sampled[0]


def test_answer_starts_the_record_and_takes_the_words_people_type(ws, cli, case_ref):
    result = cli("audit", "answer", case_ref, "consent_recorded", "partly met", "--note", "signed late", "-w", str(ws.root), "--by", "sup1")
    assert result.code == 0, result.text
    assert f"{case_ref}: Was consent recorded?: partly met" in result.out
    assert "2 questions left to answer" in result.out
    data = record(ws, case_ref)
    assert (data["auditor"], data["audited_on"]) == ("sup1", None)
    assert data["answers"]["consent_recorded"] == {"result": "partly_met", "note": "signed late"}
    assert next((e.who, e.change) for e in read_change_log(ws.root)) == ("sup1", "answer: consent recorded")


@pytest.mark.parametrize(("typed", "stored"), [("met", "met"), ("Partly met", "partly_met"), ("partly_met", "partly_met"),
                                               ("not met", "not_met"), ("not_met", "not_met"), ("n/a", "n_a"), ("N/A", "n_a")])
def test_every_spelling_of_a_result_is_understood(ws, cli, case_ref, typed, stored):
    assert cli("audit", "answer", case_ref, "risk_checked", typed, "-w", str(ws.root)).code == 0
    assert record(ws, case_ref)["answers"]["risk_checked"]["result"] == stored


@pytest.mark.parametrize(("args", "message"), [
    (["risk_checked", "maybe"], "'maybe' is not an answer: say met, partly met, not met or n/a"),
    (["risk_seen", "met"], "the checklist has no item 'risk_seen'; its items are: risk_checked (Was risk checked?)"),
])
def test_a_wrong_answer_or_item_is_refused_and_nothing_written(ws, cli, case_ref, args, message):
    before = files_under(ws.root)
    result = cli("audit", "answer", case_ref, *args, "-w", str(ws.root))
    assert result.code == 1 and message in result.err
    assert files_under(ws.root) == before


def test_complete_refuses_naming_each_unanswered_question(ws, cli, case_ref):
    cli("audit", "answer", case_ref, "risk_checked", "met", "-w", str(ws.root), "--by", "sup1")
    before = files_under(ws.root)
    result = cli("audit", "complete", case_ref, "-w", str(ws.root))
    assert result.code == 1
    assert "2 questions unanswered" in result.err
    assert "Was consent recorded?" in result.err and "Was the case closed properly?" in result.err
    assert "Was risk checked?" not in result.err
    assert files_under(ws.root) == before


def test_complete_sets_the_day_and_the_answers_are_then_final(ws, cli, case_ref):
    answer_all(ws, cli, case_ref)
    result = cli("audit", "complete", case_ref, "--on", "2026-11-30", "-w", str(ws.root))
    assert result.code == 0, result.text
    assert record(ws, case_ref)["audited_on"] == "2026-11-30"
    late = cli("audit", "answer", case_ref, "risk_checked", "not met", "-w", str(ws.root))
    assert late.code == 1 and "completed on 2026-11-30; its answers are final" in late.err


@pytest.fixture
def audited(ws, cli, case_ref):
    answer_all(ws, cli, case_ref, ("met", "met", "not met"))
    assert cli("audit", "complete", case_ref, "--on", "2026-11-30", "-w", str(ws.root)).code == 0
    return case_ref


def test_second_answers_go_in_their_own_file_and_never_show_the_first(ws, cli, audited):
    result = cli("audit", "second-answer", audited, "risk_checked", "not met", "-w", str(ws.root), "--by", "sup2")
    assert result.code == 0, result.text
    assert f"{audited}, second marking by sup2: Was risk checked?: not met" in result.out
    assert "first" not in result.out and "met," not in result.out  # the first marker's "met" is not shown
    data = record(ws, audited)
    assert data["answers"]["risk_checked"]["result"] == "met" and "moderation" not in data  # the first answers untouched
    second = second_record(ws, audited)
    assert (second["schema"], second["case_ref"], second["moderator"]) == ("rsqm/second-marking@1", audited, "sup2")
    assert second["answers"]["risk_checked"]["result"] == "not_met"
    assert "met" not in json.dumps(second).replace("not_met", "")  # no first answer in the second marker's file
    [entry] = [e for e in read_change_log(ws.root) if e.change.startswith("second answer")]  # only their own file written
    assert (entry.who, entry.file) == ("sup2", f"evidence/audits/{audited}.second.yaml")


def test_the_auditor_cannot_second_mark_their_own_audit(ws, cli, audited):
    before = files_under(ws.root)
    result = cli("audit", "second-answer", audited, "risk_checked", "met", "-w", str(ws.root), "--by", "sup1")
    assert result.code == 1 and "a colleague must do the second marking" in result.err
    assert files_under(ws.root) == before


def test_second_marking_waits_for_the_first_to_be_complete(ws, cli, case_ref):
    cli("audit", "answer", case_ref, "risk_checked", "met", "-w", str(ws.root), "--by", "sup1")
    result = cli("audit", "second-answer", case_ref, "risk_checked", "met", "-w", str(ws.root), "--by", "sup2")
    assert result.code == 1 and "the first marking is not finished" in result.err


def test_the_markings_are_compared_when_the_second_is_complete_then_agreed(ws, cli, audited):
    for item, result in zip(ITEMS, ("not met", "met", "not met"), strict=True):
        got = cli("audit", "second-answer", audited, item, result, "-w", str(ws.root), "--by", "sup2")
    assert "the two markings agree on 2 of 3 questions" in got.out
    assert "differ: Was risk checked?: first met, second not met" in got.out
    listed = cli("audit", "list", "--awaiting", "agreement", "-w", str(ws.root))
    assert f"{audited}  Q4  awaiting agreement  auditor sup1, second marker sup2" in listed.out
    assert listed.out.splitlines()[-1] == "1 case awaiting agreement"
    rounds = cli("audit-summary", "--by-sample", "-w", str(ws.root)).out
    assert "1 awaiting agreement" in rounds

    result = cli("audit", "agree", audited, "risk_checked", "partly met", "-w", str(ws.root), "--by", "sup1")
    assert result.code == 0, result.text
    assert "every difference now has an agreed answer" in result.out
    assert second_record(ws, audited)["agreed"] == {"risk_checked": {"result": "partly_met", "note": ""}}
    assert f"{audited}  Q4  second marked" in cli("audit", "list", "-w", str(ws.root)).out
    assert cli("audit", "list", "--awaiting", "agreement", "-w", str(ws.root)).out == "0 cases awaiting agreement\n"
    assert cli("validate", "-w", str(ws.root)).code == 0


def test_agree_waits_for_a_complete_second_marking(ws, cli, audited):
    cli("audit", "second-answer", audited, "risk_checked", "not met", "-w", str(ws.root), "--by", "sup2")
    before = files_under(ws.root)
    result = cli("audit", "agree", audited, "risk_checked", "met", "-w", str(ws.root))
    assert result.code == 1 and "the second marking of" in result.err and "is not complete" in result.err
    assert files_under(ws.root) == before


def test_an_unfinished_second_marking_is_not_counted_in_the_agreement(ws, cli, audited):
    cli("audit", "second-answer", audited, "risk_checked", "not met", "-w", str(ws.root), "--by", "sup2")
    summary = json.loads(cli("audit-summary", "--json", "-w", str(ws.root)).out)
    assert summary["agreement"]["pairs"] == 0


# --- older records: the second marking inside the audit file -------------------------------------


def in_file_second_marking(ws, case_ref, second=("not met", "met", "not met")):
    """An audit written before the second marking had a file of its own: the block sits under ``moderation:``."""
    data = record(ws, case_ref)
    data["moderation"] = {"moderator": "sup2", "moderated_on": "2026-12-01", "agreed": {},
                          "answers": {item: {"result": result.replace(" ", "_"), "note": ""} for item, result in zip(ITEMS, second, strict=True)}}
    (ws.root / f"evidence/audits/{case_ref}.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def test_an_older_record_with_the_second_marking_inside_still_loads(ws, cli, audited):
    in_file_second_marking(ws, audited)
    assert cli("validate", "-w", str(ws.root)).code == 0
    listed = cli("audit", "list", "--awaiting", "agreement", "-w", str(ws.root))
    assert f"{audited}  Q4  awaiting agreement  auditor sup1, second marker sup2" in listed.out


def test_the_next_write_moves_an_older_second_marking_into_its_own_file_without_loss(ws, cli, audited):
    in_file_second_marking(ws, audited)
    result = cli("audit", "agree", audited, "risk_checked", "partly met", "-w", str(ws.root), "--by", "sup1")
    assert result.code == 0, result.text
    assert "moderation" not in record(ws, audited)
    second = second_record(ws, audited)
    assert second["moderator"] == "sup2" and second["answers"]["risk_checked"]["result"] == "not_met"
    assert second["agreed"] == {"risk_checked": {"result": "partly_met", "note": ""}}
    assert cli("validate", "-w", str(ws.root)).code == 0


def test_a_second_marking_in_both_places_or_without_an_audit_is_an_error_naming_the_file(ws, cli, audited):
    assert cli("audit", "second-answer", audited, "risk_checked", "met", "-w", str(ws.root), "--by", "sup2").code == 0
    in_file_second_marking(ws, audited)
    both = cli("validate", "-w", str(ws.root))
    assert both.code == 1
    assert f"evidence/audits/{audited}.second.yaml:5: error: evidence/audits/{audited}.yaml holds a second marking too" in both.out
    (ws.root / f"evidence/audits/{audited}.yaml").unlink()
    orphan = cli("validate", "-w", str(ws.root))
    assert f"evidence/audits/{audited}.second.yaml:5: error: a second marking of {audited}, which has no audit record" in orphan.out


@pytest.mark.parametrize(("item", "kind", "said"), [
    ("closed_properly", "warning", "has no answer to 'Was the case closed properly?'"),
    ("risk_checked", "error", "has no answer to the critical question 'Was risk checked?'"),
])
def test_a_completed_audit_with_an_unanswered_question_does_not_pass_validate_silently(ws, cli, audited, item, kind, said):
    path = ws.root / f"evidence/audits/{audited}.yaml"
    data = record(ws, audited)
    data["answers"][item] = {"result": None, "note": ""}  # an editor, after the audit was completed
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    line = next(n for n, text in enumerate(path.read_text().splitlines(), start=1) if text.strip() == f"{item}:")
    result = cli("validate", "-w", str(ws.root))
    assert result.code == (1 if kind == "error" else 0)
    assert f"evidence/audits/{audited}.yaml:{line}: {kind}: the completed audit of {audited} {said}" in result.out
