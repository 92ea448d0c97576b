"""The annual renewal return: the RJC's headings filled from the records, the service's own words, a declaration."""

from __future__ import annotations

import io
import subprocess
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import docx
import pytest

from rsqm.assess.outcomes import year_to
from rsqm.assess.renewal import AT_LEVEL, note_sections, renewal_return
from rsqm.workspace.load import load_workspace

WORKFORCE = """\
schema: rsqm/workforce@1
staff:
  - {code: P01, paid: true, started: 2020-01-06, training: {level: advanced, completed: 2020-02-01},
     cpd: [{date: 2026-03-01, hours: 4.5, rjc_approved: true}, {date: 2025-12-31, hours: 9}]}
  - {code: P02, paid: false, started: 2026-04-01, cpd: [{date: 2026-05-01, hours: 2, rjc_approved: false}]}
  - {code: P03, paid: true, started: 2019-01-01, left: 2026-06-30}
  - {code: A01, paid: true, admin_only: true, started: 2026-02-01}
"""
NOTES = """# Return
## Main challenges
- Fewer referrals in spring,
  while the pathway changed.

## Priorities for the next year
1. A second advanced practitioner.
"""


def rows_of(data: bytes) -> str:
    return "\n".join(" | ".join(c.text for c in r.cells) for t in docx.Document(io.BytesIO(data)).tables for r in t.rows)


def text_of(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    return "\n".join([p.text for p in document.paragraphs] + [c.text for t in document.tables for r in t.rows for c in r.cells])


def test_the_service_s_words_are_taken_from_their_headings():
    sections = note_sections(NOTES)
    assert sections == {"challenges": "- Fewer referrals in spring,\n  while the pathway changed.",
                        "priorities": "1. A second advanced practitioner."}


def test_the_return_counts_the_12_months_up_to_its_date_not_the_calendar_year(ws):
    ws.write("evidence/workforce.yaml", WORKFORCE)
    renewal = renewal_return(load_workspace(ws.root), date(2026, 12, 7), NOTES)
    assert (renewal.start, renewal.end, renewal.year) == (date(2025, 12, 8), date(2026, 12, 7), 2026)
    s = renewal.staffing
    assert (s.delivering_at_start, s.delivering_at_end, s.joined_paid, s.joined_volunteers, s.left) == (2, 2, 0, 1, 1)  # never the admin
    assert (renewal.cpd.hours, renewal.cpd.approved_hours, renewal.cpd.practitioners) == (Decimal("15.5"), Decimal("4.5"), 2)
    assert renewal.missing == []


def test_a_return_dated_on_a_leap_day_reaches_back_to_the_first_of_march():
    assert year_to(date(2028, 2, 29)) == (date(2027, 3, 1), date(2028, 2, 29))


def test_a_return_dated_a_year_after_a_leap_day_still_counts_the_leap_day(ws):
    ws.write("evidence/workforce.yaml", """\
schema: rsqm/workforce@1
staff:
  - {code: P01, paid: true, started: 2020-01-06, training: {level: foundation, completed: 2020-02-01},
     cpd: [{date: 2024-02-29, hours: 3, title: Leap-day workshop}, {date: 2024-02-28, hours: 5, title: The day before}]}
""")
    renewal = renewal_return(load_workspace(ws.root), date(2025, 2, 28))
    assert renewal.start == date(2024, 2, 29)
    assert [(a.day, a.title) for a in renewal.cpd.activities] == [(date(2024, 2, 29), "Leap-day workshop")]


PRACTITIONERS = """\
schema: rsqm/workforce@1
staff:
  - {code: P01, paid: true, started: 2020-01-06, training: {level: intermediate, completed: 2020-02-01},
     registration: {level: foundation, expires: 2027-06-30},
     cpd: [{date: 2026-03-01, hours: 6, rjc_approved: true, title: Conferencing refresher},
           {date: 2026-05-01, hours: 2, title: Volunteer forum}]}
  - {code: V02, paid: false, started: 2025-12-07, training: {level: foundation, completed: 2026-01-10},
     registration: {level: foundation, expires: 2027-01-31},
     cpd: [{date: 2026-03-01, hours: 6, rjc_approved: true, title: Conferencing refresher}]}
  - {code: V03, paid: false, started: 2025-12-06, registration: {level: foundation, expires: 2027-01-31}}
  - {code: P04, paid: true, active: false, started: 2021-05-01, training: {level: advanced, completed: 2021-06-01},
     registration: {level: advanced, expires: 2027-05-31}}
  - {code: P05, paid: true, started: 2026-02-02, left: 2026-09-30, training: {level: foundation, completed: 2026-03-01}}
  - {code: P06, paid: true, started: 2022-01-10, training: {level: advanced, completed: 2022-02-01},
     registration: {level: advanced, expires: 2026-11-30}}
  - {code: A01, paid: true, admin_only: true, started: 2026-02-01}
"""


def test_current_practitioners_say_who_is_counted_for_the_60_percent_rule_and_why(ws):
    ws.write("evidence/workforce.yaml", PRACTITIONERS)
    renewal = renewal_return(load_workspace(ws.root), date(2026, 12, 7))
    rows = {p.code: (p.counted, p.why) for p in renewal.practitioners}
    assert rows == {
        "P01": (True, "registered at foundation, trained to intermediate: not registered at the level of their training"),
        "V02": (False, "volunteer for 12 months or less (started 2025-12-07)"),  # exactly 12 months: not yet
        "V03": (True, "registered at the level of their training"),  # one day more than 12 months
        "P04": (False, "not active"),
        "P06": (True, "registration expired 2026-11-30, 7 days before 2026-12-07"),
    }  # the leaver and the admin are not current practitioners
    first = renewal.practitioners[0]
    assert (first.code, first.kind, first.trained, first.registered, first.expires) == ("P01", "paid", "intermediate", "foundation", date(2027, 6, 30))
    registered = next(m for m in renewal.workforce if m.measure == "registered_practitioners")
    assert (registered.k, registered.n) == (sum(p.counted and p.why == AT_LEVEL for p in renewal.practitioners),
                                            sum(p.counted for p in renewal.practitioners)) == (1, 3)


def test_staffing_leaves_out_the_inactive_and_counts_the_leaver_and_new_staff_of_the_period(ws):
    ws.write("evidence/workforce.yaml", PRACTITIONERS)
    renewal = renewal_return(load_workspace(ws.root), date(2026, 12, 7))
    s = renewal.staffing
    # on 8 December 2025: P01, P06, V03 (V02 started the day before the period and is in too); P04 is not active
    assert (s.delivering_at_start, s.delivering_at_end) == (4, 4)
    assert (s.joined_paid, s.joined_volunteers, s.left) == (1, 0, 1)
    assert [(n.code, n.kind, n.started, n.left, n.trained, n.registered) for n in renewal.new_staff] == [
        ("P05", "paid", date(2026, 2, 2), date(2026, 9, 30), "foundation", None)]


def test_cpd_activities_are_listed_once_each_with_their_hours_and_how_many_attended(ws):
    ws.write("evidence/workforce.yaml", PRACTITIONERS)
    cpd = renewal_return(load_workspace(ws.root), date(2026, 12, 7)).cpd
    assert [(a.day, a.title, a.hours, a.rjc_approved, a.practitioners) for a in cpd.activities] == [
        (date(2026, 3, 1), "Conferencing refresher", Decimal(6), True, 2),
        (date(2026, 5, 1), "Volunteer forum", Decimal(2), False, 1)]
    assert (cpd.hours, cpd.approved_hours, cpd.practitioners) == (Decimal(14), Decimal(12), 2)


def test_the_return_is_written_with_every_heading_and_the_declaration_left_to_sign(cli, demo_copy, tmp_path):
    out = tmp_path / "renewal.docx"
    result = cli("renewal", "-w", str(demo_copy), "--year", "2026", "--out", str(out))
    assert result.code == 0, result.text
    text = text_of(out.read_bytes())
    for heading in ("Staffing changes", "Referrals and outcomes", "Main challenges", "How practice was evaluated",
                    "Priorities for the next year", "Continuing professional development", "Declaration"):
        assert heading in text
    assert "Referrals from the probation partnership fell in the spring" in text  # from evidence/renewal/2026.md
    assert "Signed: ____" in text and "DRAFT" not in text
    assert "the 12 months from 8 December 2025 to 7 December 2026" in text  # up to the return's date, today
    assert "P04 | paid | intermediate | intermediate | 31 Aug 2026 | yes | registration expired 2026-08-31" in rows_of(out.read_bytes())
    assert "New staff member 1: P10" in text and "Victim awareness" in text  # a new volunteer; a CPD activity by title
    assert "RJ-20" not in text  # no case reference


def test_a_past_year_s_return_is_that_calendar_year_and_a_date_can_be_given(cli, demo_copy, tmp_path):
    out = tmp_path / "renewal.docx"
    result = cli("renewal", "-w", str(demo_copy), "--year", "2025", "--out", str(out))
    assert result.code == 0 and "the 12 months 2025-01-01 to 2025-12-31" in result.out
    result = cli("renewal", "-w", str(demo_copy), "--on", "2026-06-30", "--out", str(out), "--force")
    assert result.code == 0 and "renewal return 2026, the 12 months 2025-07-01 to 2026-06-30" in result.out
    assert "the 12 months from 1 July 2025 to 30 June 2026" in text_of(out.read_bytes())


def test_a_return_dated_in_the_future_is_refused(cli, demo_copy, tmp_path):
    out = tmp_path / "renewal.docx"
    result = cli("renewal", "-w", str(demo_copy), "--on", "2026-12-08", "--out", str(out))
    assert result.code == 2 and "--on 2026-12-08 lies in the future" in result.err and not out.exists()
    result = cli("renewal", "-w", str(demo_copy), "--year", "2027", "--out", str(out))
    assert result.code == 2 and "--year 2027 lies in the future" in result.err


def test_a_year_without_the_service_s_words_is_a_draft_and_says_what_to_write(cli, demo_copy, tmp_path):
    out = tmp_path / "renewal.docx"
    result = cli("renewal", "-w", str(demo_copy), "--year", "2025", "--out", str(out))
    assert result.code == 0, result.text
    assert "a draft: write main challenges, priorities for the next year under their headings in evidence/renewal/2025.md" in result.out
    with zipfile.ZipFile(out) as document:
        assert b"DRAFT" in document.read("word/header1.xml")


def test_personal_data_in_the_notes_blocks_the_return_and_nothing_is_written(cli, demo_copy, tmp_path):
    (demo_copy / "evidence/renewal/2026.md").write_text("## Main challenges\nCall Mrs Higginbottom on 07700 900123.\n")
    out = tmp_path / "renewal.docx"
    result = cli("renewal", "-w", str(demo_copy), "--year", "2026", "--out", str(out))
    assert result.code == 1 and "privacy pre-flight blocked the return" in result.err
    assert not out.exists()


def test_an_existing_file_is_kept_unless_forced(cli, demo_copy, tmp_path):
    out = tmp_path / "renewal.docx"
    out.write_bytes(b"keep me")
    assert cli("renewal", "-w", str(demo_copy), "--year", "2026", "--out", str(out)).code == 1
    assert out.read_bytes() == b"keep me"
    assert cli("renewal", "-w", str(demo_copy), "--year", "2026", "--out", str(out), "--force").code == 0


@pytest.mark.office
def test_the_return_converts_in_libreoffice(cli, demo_copy, tmp_path: Path, soffice, artifacts):
    out = tmp_path / "renewal.docx"
    assert cli("renewal", "-w", str(demo_copy), "--year", "2026", "--out", str(out)).code == 0
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(out)], check=True, capture_output=True, timeout=180)
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(tmp_path / "renewal.pdf"), str(artifacts / "renewal")], check=True, timeout=120)
    assert list(artifacts.glob("renewal-*.png"))
