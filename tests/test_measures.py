"""Measures count k of n on an as-of date D exactly as docs/measures.md says, boundaries included."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from rsqm.assess.measures import (
    cpd_hours,
    feedback_share,
    observation_due,
    observed_practice_yearly,
    registered_practitioners,
    supervision_every_12_weeks,
    working_days,
)
from rsqm.base.stats import wilson_interval
from rsqm.files.models import Case, FeedbackResponse, MeasureSpec, StaffMember

D = date(2026, 6, 30)


def days(n: int) -> date:
    """D minus n days."""
    return D - timedelta(days=n)


def spec(measure: str, target: float = 0.6, **fields: Any) -> MeasureSpec:
    return MeasureSpec.model_validate({"measure": measure, "target": target} | fields)


def member(code: str = "P01", **fields: Any) -> StaffMember:
    """A paid, trained practitioner past probation, registered until 2027, started years ago."""
    data = {
        "code": code, "paid": True, "started": "2020-01-06",
        "training": {"level": "intermediate", "completed": "2020-02-01"},
        "registration": {"level": "intermediate", "expires": "2027-03-31"},
    } | fields
    return StaffMember.model_validate(data)


def codes(result) -> list[str]:
    return [line.split(":")[0] for line in result.shortfalls]


# --- registered_practitioners -------------------------------------------------


class TestRegisteredPractitioners:
    def test_a_registration_expiring_on_the_as_of_date_still_counts(self):
        result = registered_practitioners(spec("registered_practitioners"), [member(registration={"level": "intermediate", "expires": D})], D)
        assert (result.k, result.n) == (1, 1)

    def test_registered_below_the_training_level_is_not_registered_and_the_reason_names_both_levels(self):
        staff = [member("P07", registration={"level": "foundation", "expires": "2027-03-31"}),
                 member("P08", registration={"level": "advanced", "expires": "2027-03-31"})]
        result = registered_practitioners(spec("registered_practitioners"), staff, D)
        assert (result.k, result.n) == (1, 2)
        assert result.shortfalls == ["P07: registered at foundation, trained to intermediate: not registered at the level of their training"]

    def test_a_registration_that_expired_the_day_before_does_not(self):
        result = registered_practitioners(spec("registered_practitioners"), [member("P05", registration={"level": "foundation", "expires": days(1)})], D)
        assert (result.k, result.n) == (0, 1)
        assert result.shortfalls == ["P05: registration expired 2026-06-29, 1 day before 2026-06-30"]

    def test_someone_never_registered_is_named_as_such(self):
        result = registered_practitioners(spec("registered_practitioners"), [member("P02", registration=None)], D)
        assert result.shortfalls == ["P02: not on the RJC practitioner register"]

    def test_a_volunteer_counts_only_after_more_than_12_months(self):
        # D = 30 June 2026: exactly 12 months is 30 June 2025, not yet; a day more is
        volunteers = [member("V1", paid=False, started=date(2025, 6, 29), registration=None),
                      member("V2", paid=False, started=date(2025, 6, 30), registration=None)]
        result = registered_practitioners(spec("registered_practitioners"), volunteers, D)
        assert (result.k, result.n, codes(result)) == (0, 1, ["V1"])

    def test_a_volunteer_at_exactly_12_months_on_a_leap_day_is_not_yet_counted(self):
        # D = 29 February 2028: 12 months before is 28 February 2027
        volunteers = [member("V1", paid=False, started=date(2027, 2, 27), registration=None),
                      member("V2", paid=False, started=date(2027, 2, 28), registration=None)]
        result = registered_practitioners(spec("registered_practitioners"), volunteers, date(2028, 2, 29))
        assert (result.n, codes(result)) == (1, ["V1"])

    def test_only_staff_in_probation_with_prior_experience_are_left_out(self):
        staff = [member("P01", probation_until=D), member("P02", probation_until=days(1)),
                 member("P03", probation_until=D + timedelta(days=1)),
                 member("P04", probation_until=D + timedelta(days=1), prior_experience=True),
                 member("P05", probation_until=D, prior_experience=True)]
        result = registered_practitioners(spec("registered_practitioners"), staff, D)
        assert result.n == 4  # P04 alone is left out: in probation after D, with prior experience

    def test_paid_staff_count_only_once_trained(self):
        staff = [member("P01", training=None), member("P02", training={"level": "foundation", "completed": D}),
                 member("P03", training={"level": "foundation", "completed": D + timedelta(days=1)})]
        assert registered_practitioners(spec("registered_practitioners"), staff, D).n == 1

    def test_admin_only_inactive_not_started_and_left_staff_are_left_out(self):
        staff = [member("P01", admin_only=True), member("P02", active=False), member("P03", started=D + timedelta(days=1)),
                 member("P04", left=D), member("P05", left=D + timedelta(days=1))]
        result = registered_practitioners(spec("registered_practitioners"), staff, D)
        assert (result.k, result.n) == (1, 1)  # only P05, who leaves after D

    def test_the_share_carries_its_wilson_interval_and_is_met_at_the_target(self):
        staff = [member(f"P{i:02}") for i in range(6)] + [member(f"P{i:02}", registration=None) for i in range(6, 10)]
        result = registered_practitioners(spec("registered_practitioners", target=0.6), staff, D)
        assert (result.k, result.n, result.rate, result.met) == (6, 10, 0.6, True)
        assert (result.ci_low, result.ci_high) == wilson_interval(6, 10)

    def test_just_below_the_target_is_not_met(self):
        staff = [member(f"P{i:02}") for i in range(5)] + [member(f"P{i:02}", registration=None) for i in range(5, 10)]
        assert not registered_practitioners(spec("registered_practitioners", target=0.6), staff, D).met

    def test_nobody_counted_is_no_data_and_never_met(self):
        result = registered_practitioners(spec("registered_practitioners", target=0), [member(admin_only=True)], D)
        assert (result.n, result.rate, result.ci_low, result.met) == (0, None, None, False)


# --- supervision_every_12_weeks -----------------------------------------------


class TestSupervision:
    def test_a_last_supervision_84_days_before_the_as_of_date_is_in_time(self):
        # window starts 30 June 2025 (D-365); gaps 41, 80, 80, 80, 84
        staff = [member(supervision=[days(324), days(244), days(164), days(84)])]
        assert supervision_every_12_weeks(spec("supervision_every_12_weeks"), staff, D).k == 1

    def test_85_days_since_the_last_supervision_is_a_shortfall(self):
        staff = [member("P05", supervision=[days(325), days(245), days(165), days(85)])]
        result = supervision_every_12_weeks(spec("supervision_every_12_weeks"), staff, D)
        assert (result.k, result.n) == (0, 1)
        assert result.shortfalls == [f"P05: last supervision {days(85)}, 85 days before {D}"]

    def test_an_85_day_gap_earlier_in_the_year_is_a_shortfall(self):
        # window start 30 June 2025 (D-365): gaps 84, 85, 76, 80, 40
        staff = [member("P03", supervision=[days(281), days(196), days(120), days(40)])]
        result = supervision_every_12_weeks(spec("supervision_every_12_weeks"), staff, D)
        assert result.shortfalls == [f"P03: 85 days without supervision from {days(281)} to {days(196)}"]

    def test_a_gap_straddling_the_window_start_is_judged_from_the_supervision_before_it(self):
        # supervised 26 May 2025 (D-400), then not until 24 August 2025 (D-310): 90 days, ending inside the window
        staff = [member("P04", supervision=[days(400), days(310), days(230), days(150), days(70)])]
        result = supervision_every_12_weeks(spec("supervision_every_12_weeks"), staff, D)
        assert result.shortfalls == ["P04: 90 days without supervision from 2025-05-26 to 2025-08-24"]

    def test_a_supervision_just_before_the_window_carries_into_it(self):
        # 25 June 2025 (D-370), then every 80 days: no gap over 84 although the window starts after it
        staff = [member(supervision=[days(370), days(290), days(210), days(130), days(50)])]
        assert supervision_every_12_weeks(spec("supervision_every_12_weeks"), staff, D).k == 1
        # with nothing before the window the first point is its start, 30 June 2025: 75 days to D-290
        staff = [member(supervision=[days(290), days(210), days(130), days(50)])]
        assert supervision_every_12_weeks(spec("supervision_every_12_weeks"), staff, D).k == 1

    def test_a_new_starter_has_84_days_from_starting(self):
        staff = [member("N1", started=days(84)), member("N2", started=days(85))]
        result = supervision_every_12_weeks(spec("supervision_every_12_weeks"), staff, D)
        assert (result.k, result.n) == (1, 2)
        assert result.shortfalls == [f"N2: no supervision since {days(85)}, 85 days before {D}"]

    def test_volunteers_and_staff_in_probation_are_supervised_too(self):
        staff = [member(paid=False, started=days(30)), member(probation_until=D + timedelta(days=90), started=days(30))]
        assert supervision_every_12_weeks(spec("supervision_every_12_weeks"), staff, D).n == 2

    def test_admin_only_inactive_and_left_staff_are_not_counted(self):
        staff = [member(admin_only=True), member(active=False), member(left=D), member(supervision=[days(10), days(90), days(170), days(250), days(330)])]
        result = supervision_every_12_weeks(spec("supervision_every_12_weeks"), staff, D)
        assert (result.k, result.n) == (1, 1)


# --- observed_practice_yearly -------------------------------------------------


class TestObservedPractice:
    def test_only_staff_in_post_for_365_days_are_counted(self):
        staff = [member("P01", started=days(365)), member("P02", started=days(364))]
        result = observed_practice_yearly(spec("observed_practice_yearly"), staff, D)
        assert (result.n, result.shortfalls) == (1, ["P01: no observed practice recorded"])

    def test_an_observation_364_days_before_counts_and_365_days_before_does_not(self):
        staff = [member("P01", observed_practice=[days(364)]), member("P02", observed_practice=[days(365)])]
        result = observed_practice_yearly(spec("observed_practice_yearly"), staff, D)
        assert (result.k, result.n) == (1, 2)
        assert result.shortfalls == [f"P02: last observed practice {days(365)}, 365 days before {D}"]

    def test_the_12_months_are_calendar_months_so_a_leap_day_is_inside_them(self):
        # D = 28 February 2025: the 12 months run from 29 February 2024 (366 days); 28 February 2024 is outside
        on_leap_day = member("P01", observed_practice=[date(2024, 2, 29)])
        day_before = member("P02", observed_practice=[date(2024, 2, 28)])
        result = observed_practice_yearly(spec("observed_practice_yearly"), [on_leap_day, day_before], date(2025, 2, 28))
        assert (result.k, result.n, codes(result)) == (1, 2, ["P02"])

    def test_from_a_leap_day_the_12_months_start_on_1_march(self):
        # D = 29 February 2028: 12 months before is 28 February 2027, outside; 1 March 2027 is inside
        staff = [member("P01", observed_practice=[date(2027, 3, 1)]), member("P02", observed_practice=[date(2027, 2, 28)])]
        assert codes(observed_practice_yearly(spec("observed_practice_yearly"), staff, date(2028, 2, 29))) == ["P02"]

    def test_an_observation_on_the_as_of_date_counts(self):
        assert observed_practice_yearly(spec("observed_practice_yearly"), [member(observed_practice=[D])], D).k == 1

    @pytest.mark.parametrize(("last", "due"), [
        (date(2025, 11, 4), date(2026, 11, 3)),  # no leap day between: 364 days
        (date(2024, 2, 29), date(2025, 2, 28)),  # from a leap day: 28 February the year after
        (date(2027, 3, 1), date(2028, 2, 29)),  # across a leap day: 365 days, not 364
        (date(2027, 2, 28), date(2028, 2, 27)),
    ])
    def test_observed_practice_falls_due_on_the_last_day_its_12_calendar_months_still_hold_it(self, last, due):
        observed = member(observed_practice=[last])
        assert observation_due(observed, last) == due
        yearly = spec("observed_practice_yearly")
        assert (observed_practice_yearly(yearly, [observed], due).k, observed_practice_yearly(yearly, [observed], due + timedelta(days=1)).k) == (1, 0)

    def test_someone_never_observed_falls_due_the_day_before_12_months_in_post_from_a_leap_day(self):
        newcomer = member(started=date(2024, 2, 29))
        assert observation_due(newcomer, date(2024, 6, 1)) == date(2025, 2, 28)
        yearly = spec("observed_practice_yearly")
        assert observed_practice_yearly(yearly, [newcomer], date(2025, 2, 28)).n == 0
        assert codes(observed_practice_yearly(yearly, [newcomer], date(2025, 3, 1))) == ["P01"]


# --- cpd_hours ------------------------------------------------------------------


def cpd(*entries: tuple[int, float, bool]) -> list[dict]:
    return [{"date": days(ago), "hours": hours, "rjc_approved": approved} for ago, hours, approved in entries]


class TestCpd:
    @pytest.mark.parametrize(("level", "hours"), [("foundation", 6), ("intermediate", 12), ("advanced", 16)])
    def test_the_requirement_follows_the_registration_level(self, level, hours):
        enough = member(registration={"level": level, "expires": "2027-01-01"}, cpd=cpd((10, hours / 2, True), (20, hours / 2, False)))
        short = member(registration={"level": level, "expires": "2027-01-01"}, cpd=cpd((10, hours / 2, True), (20, hours / 2 - 0.5, False)))
        assert (cpd_hours(spec("cpd_hours"), [enough], D).k, cpd_hours(spec("cpd_hours"), [short], D).k) == (1, 0)

    def test_at_least_half_of_the_requirement_must_be_rjc_approved(self):
        half = member(registration={"level": "foundation", "expires": "2027-01-01"}, cpd=cpd((10, 3, True), (20, 3, False)))
        less = member("P09", registration={"level": "foundation", "expires": "2027-01-01"}, cpd=cpd((10, 2.5, True), (20, 5, False)))
        result = cpd_hours(spec("cpd_hours"), [half, less], D)
        assert (result.k, result.n) == (1, 2)
        assert result.shortfalls == ["P09: 7.5 CPD hours in the past year (2.5 RJC-approved); foundation registration needs 6 (3 approved)"]

    def test_hours_dated_364_days_before_count_and_365_days_before_do_not(self):
        inside = member(registration={"level": "foundation", "expires": "2027-01-01"}, cpd=cpd((364, 6, True)))
        outside = member(registration={"level": "foundation", "expires": "2027-01-01"}, cpd=cpd((365, 6, True)))
        assert cpd_hours(spec("cpd_hours"), [inside, outside], D).k == 1

    def test_hours_on_a_leap_day_count_a_year_later_on_28_february(self):
        leap = member(registration={"level": "foundation", "expires": "2027-01-01"},
                      cpd=[{"date": "2024-02-29", "hours": 6, "rjc_approved": True}])
        assert cpd_hours(spec("cpd_hours"), [leap], date(2025, 2, 28)).k == 1

    def test_only_registered_staff_in_post_for_a_year_are_counted(self):
        staff = [member("P01", registration={"level": "foundation", "expires": D}), member("P02", registration={"level": "foundation", "expires": days(1)}),
                 member("P03", registration=None), member("P04", started=days(364)), member("P05", started=days(365))]
        assert codes(cpd_hours(spec("cpd_hours"), staff, D)) == ["P01", "P05"]  # P02 expired, P03 unregistered, P04 too new

    def test_hours_are_summed_exactly(self):
        # ten entries of 0.6 hours make 6 exactly (a float sum gives 5.999999999999999)
        staff = [member(registration={"level": "foundation", "expires": "2027-01-01"}, cpd=cpd(*[(i + 1, 0.6, True) for i in range(10)]))]
        assert cpd_hours(spec("cpd_hours"), staff, D).k == 1


# --- working_days ---------------------------------------------------------------

FIRST_CONTACT = {"from": "referred_on", "to": "first_contact_on", "limit": 5, "enhanced_limit": 1, "period_months": 12}


def case(ref: str, referred: date, contact: date | None = None, enhanced: bool = False) -> Case:
    return Case.model_validate({
        "case_ref": ref, "referred_on": referred, "process": "letter", "offence_category": "theft", "initiator": "harmed_person",
        "practitioner": "P01", "first_contact_on": contact or "", "enhanced_rights": "yes" if enhanced else "no",
    })


class TestWorkingDays:
    def test_five_working_days_across_easter_is_in_time_and_six_is_not(self):
        cases = [case("RJ-2026-001", date(2026, 4, 2), date(2026, 4, 13)), case("RJ-2026-002", date(2026, 4, 2), date(2026, 4, 14))]
        result = working_days(spec("working_days", 0.9, **FIRST_CONTACT), cases, D)
        assert (result.k, result.n) == (1, 2)
        assert result.shortfalls == ["RJ-2026-002: 6 working days from referral on 2026-04-02 to first contact on 2026-04-14 (limit 5)"]

    def test_enhanced_rights_use_the_enhanced_limit_and_skip_the_bank_holiday(self):
        # Friday 22 May 2026 -> Tuesday 26 May: the Monday is the spring bank holiday, so one working day
        cases = [case("RJ-2026-003", date(2026, 5, 22), date(2026, 5, 26), enhanced=True),
                 case("RJ-2026-004", date(2026, 5, 22), date(2026, 5, 27), enhanced=True)]
        result = working_days(spec("working_days", 0.9, **FIRST_CONTACT), cases, D)
        assert (result.k, result.n) == (1, 2)

    def test_a_case_with_no_contact_yet_inside_the_limit_is_pending_and_left_out(self):
        # Wednesday 24 June -> Tuesday 30 June (D): four working days, limit five
        cases = [case("RJ-2026-004", date(2026, 6, 1), date(2026, 6, 2)), case("RJ-2026-005", date(2026, 6, 24))]
        result = working_days(spec("working_days", 0.9, **FIRST_CONTACT), cases, D)
        assert (result.k, result.n) == (1, 1)

    def test_a_case_with_no_contact_past_the_limit_is_a_failure(self):
        # Tuesday 23 June -> Tuesday 30 June: five working days is still inside; Monday 22 June is six
        recorded = case("RJ-2025-006", date(2025, 1, 6), date(2025, 1, 7))  # before the period: shows the step is recorded
        cases = [recorded, case("RJ-2026-006", date(2026, 6, 23)), case("RJ-2026-007", date(2026, 6, 22))]
        result = working_days(spec("working_days", 0.9, **FIRST_CONTACT), cases, D)
        assert (result.k, result.n) == (0, 1)
        assert result.shortfalls == ["RJ-2026-007: no first contact yet, 6 working days after referral on 2026-06-22 (limit 5)"]

    def test_a_contact_after_the_as_of_date_is_not_known_yet(self):
        result = working_days(spec("working_days", 0.9, **FIRST_CONTACT), [case("RJ-2026-008", date(2026, 6, 29), date(2026, 7, 1))], D)
        assert result.n == 0  # one working day on D: pending

    def test_the_period_runs_from_the_day_after_d_minus_12_months_to_d(self):
        cases = [case("RJ-2025-001", date(2025, 6, 30), date(2025, 7, 1)),  # on D - 12 months: outside
                 case("RJ-2025-002", date(2025, 7, 1), date(2025, 7, 2)),  # first day of the period
                 case("RJ-2026-009", D, D),  # last day of the period: 0 working days
                 case("RJ-2026-010", D + timedelta(days=1), D + timedelta(days=2))]  # after D
        result = working_days(spec("working_days", 0.9, **FIRST_CONTACT), cases, D)
        assert (result.k, result.n) == (2, 2)

    def test_a_case_list_that_never_records_the_step_is_no_data_not_failures(self):
        cases = [case("RJ-2026-011", date(2026, 3, 2)), case("RJ-2026-012", date(2026, 4, 1))]
        result = working_days(spec("working_days", 0.9, **FIRST_CONTACT), cases, D)
        assert (result.k, result.n, result.note) == (0, 0, "no case records the date of first contact")

    def test_no_cases_is_no_data(self):
        result = working_days(spec("working_days", 0.9, **FIRST_CONTACT), [], D)
        assert (result.n, result.met, result.note) == (0, False, "no case list")


# --- feedback_share -------------------------------------------------------------


def response(rid: str, received: date, **answers: str) -> FeedbackResponse:
    return FeedbackResponse.model_validate({"response_id": rid, "received_on": received, "party": "harmed", "process": "letter", "answers": answers})


def test_feedback_share_counts_yes_among_answers_in_the_period():
    responses = [
        response("F1", D, satisfied="yes"), response("F2", date(2025, 7, 1), satisfied="no"),
        response("F3", date(2025, 6, 30), satisfied="yes"),  # on D - 12 months: outside
        response("F4", days(5), satisfied=""),  # did not answer
        response("F5", days(5), other="yes"),  # answered another question only
    ]
    result = feedback_share(spec("feedback_share", 0.8, question="satisfied"), responses, D, "Were you satisfied?")
    assert (result.k, result.n, result.met) == (1, 2, False)
    assert "Were you satisfied?" in result.label


def test_counts_only_drops_who_falls_short():
    result = registered_practitioners(spec("registered_practitioners"), [member("P07", registration=None)], D)
    assert result.shortfalls and result.counts_only().shortfalls == []
    assert result.counts_only().k == result.k
