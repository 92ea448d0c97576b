"""One date per figure (docs/measures.md): a figure is counted on one stated day, and the demo does not age.

Every test here moves the clock itself: these are the tests about the passing of time.
"""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime

import docx
import pytest
import time_machine

from builders import build, case
from rsqm.files.models import ActionPlan, Role
from rsqm.server.access import View
from rsqm.workspace.action_plan import plan_summary
from rsqm.workspace.load import load_workspace

LATER = [datetime(2028, 2, 29, 12, tzinfo=UTC), datetime(2031, 12, 31, 23, 30, tzinfo=UTC)]


@pytest.mark.parametrize("now", LATER, ids=lambda d: d.date().isoformat())
def test_the_demo_is_shown_as_on_its_own_day_whatever_the_clock_says(demo_copy, cli, now) -> None:
    with time_machine.travel(now, tick=False):
        gaps = json.loads(cli("gaps", "-w", str(demo_copy), "--json").out)
        measures = json.loads(cli("measures", "-w", str(demo_copy), "--json").out)
    assert gaps["today"] == "2026-12-07" and gaps["as_of"] == "2027-03-31"
    assert gaps["counted_on"] == measures["counted_on"] == "2026-11-25"  # the demo's last record


def test_a_real_workspace_reads_the_computer_clock(ws, cli) -> None:
    with time_machine.travel(datetime(2030, 5, 6, 9, tzinfo=UTC), tick=False):
        assert json.loads(cli("gaps", "-w", str(ws.root), "--json", "--as-of", "2026-06-30").out)["today"] == "2030-05-06"


def test_the_overview_the_board_report_and_the_pack_give_one_supervision_figure_and_one_overdue_count(demo_copy) -> None:
    ws = load_workspace(demo_copy)
    view = View(ws, Role.leadership)
    shares = {share.measure: share for share in view.workforce_shares()}
    supervised = shares["supervision_every_12_weeks"]
    assert supervised.counted_on == view.counted_on() == date(2026, 11, 25)
    report = docx.Document(io.BytesIO(view.board_report()))
    rows = {r.cells[0].text: r.cells[1].text for t in report.tables for r in t.rows}
    assert rows["Practitioners supervised at least every 12 weeks"].startswith(f"{supervised.k} of {supervised.n},")
    text = "\n".join(p.text for p in report.paragraphs)
    assert "Counted on 25 November 2026, when the records end." in text
    summary = view.action_summary()
    assert summary.judged_on == date(2026, 11, 25)
    assert (f"{summary.open + summary.in_progress} open actions, {summary.overdue} of them overdue on 25 November 2026, when the records end; "
            f"{summary.due_before_as_of} fall due before 31 March 2027") in text


def test_an_action_due_after_the_records_end_is_due_before_the_assessment_not_overdue() -> None:
    plan = ActionPlan.model_validate({"schema": "rsqm/actions@1", "actions": [
        {"id": "A1", "title": "Policy review", "owner": "Manager", "due": "2026-11-01", "status": "open"},
        {"id": "A2", "title": "Training", "owner": "Manager", "due": "2027-01-15", "status": "open"},
        {"id": "A3", "title": "Done already", "owner": "Manager", "due": "2026-10-01", "status": "done"},
    ]})
    summary = plan_summary(plan, date(2026, 11, 25), date(2027, 3, 31))
    assert (summary.overdue, summary.due_before_as_of, summary.next_due) == (1, 1, date(2027, 1, 15))


def test_insurance_running_out_after_the_records_end_is_a_renewal_due_not_a_lapse(tmp_path, cli) -> None:
    builder = build(tmp_path / "ws")
    builder.cases(case("RJ-2026-0001", closed_on="2026-11-20", referred_on="2026-10-01"))
    builder.write("evidence/accreditation.yaml", "schema: rsqm/accreditation@1\ninsurance: {expires: 2027-02-14}\n")
    with time_machine.travel(datetime(2026, 12, 7, 10, tzinfo=UTC), tick=False):
        ahead = json.loads(cli("gaps", "-w", str(builder.root), "--json", "--as-of", "2027-03-31").out)
        after = json.loads(cli("gaps", "-w", str(builder.root), "--json", "--as-of", "2026-12-07").out)
    assert ahead["counted_on"] == "2026-11-20"
    assert [(r["code"], r["blocking"]) for r in ahead["lifecycle"]] == [("renewal_due", False)]
    assert after["lifecycle"] == []  # not run out yet on 7 December
    with time_machine.travel(datetime(2027, 3, 1, 10, tzinfo=UTC), tick=False):  # the day has come: it has lapsed
        lapsed = json.loads(cli("gaps", "-w", str(builder.root), "--json", "--as-of", "2027-03-01").out)
    assert [(r["code"], r["blocking"]) for r in lapsed["lifecycle"]] == [("insurance_lapsed", True)]


def test_a_part_year_is_never_compared_as_if_it_were_whole(tmp_path, cli) -> None:
    builder = build(tmp_path / "ws")
    builder.cases(*(case(f"RJ-2026-{n:04d}", closed_on=None, referred_on=f"2026-{month:02d}-10") for n, month in enumerate(range(4, 12), 1)),
                  *(case(f"RJ-2025-{n:04d}", closed_on=None, referred_on=f"2025-{month:02d}-10") for n, month in enumerate(range(1, 13), 1)))
    with time_machine.travel(datetime(2026, 12, 7, 10, tzinfo=UTC), tick=False):
        part = json.loads(cli("outcomes", "-w", str(builder.root), "--from", "2026-04-01", "--to", "2027-03-31", "--json").out)
        text = cli("outcomes", "-w", str(builder.root), "--from", "2026-04-01", "--to", "2027-03-31").out
        whole = json.loads(cli("outcomes", "-w", str(builder.root), "--period", "2025", "--json").out)
    assert part["covered_to"] == "2026-11-10" and part["current"]["referrals"] == 8
    assert "8 referrals in the 7 months to 2026-11-10, when the records end (a part period: not comparable with a whole one)" in text
    assert whole["covered_to"] is None


def test_the_outcomes_page_sets_no_change_between_a_part_year_and_a_whole_one(demo_copy, monkeypatch) -> None:
    from test_ui_apptest import open_page

    monkeypatch.setenv("RSQM_WORKSPACE", str(demo_copy))
    at = open_page("leadership", "outcomes")  # the year to the assessment, 31 March 2027: records end on 25 November
    assert not [m.proto.delta for m in at.metric if m.proto.delta]
    outcomes = next(d.value for d in at.dataframe if "Counted over" in d.value.columns)  # after the charts' own tables
    assert "To 25 Nov 2026" in outcomes.columns
    assert "54 referrals in the 8 months to 25 November 2026, when the records end" in at.caption[1].value
    at.selectbox(key="outcomes_period").set_value("2025").run()  # two whole years: changes are shown
    assert [m.proto.delta for m in at.metric if m.proto.delta]


def test_with_nothing_recorded_yet_the_counting_day_is_said_to_be_today_not_the_records_end(tmp_path, cli) -> None:
    root = tmp_path / "new"
    assert cli("init", str(root)).code == 0
    assert cli("config", "set", "assessment_date", "2027-06-30", "-w", str(root)).code == 0
    said = cli("gaps", "-w", str(root)).out + cli("measures", "-w", str(root)).out
    assert "counted on 2026-12-07, today" in said and "when the records end" not in said
