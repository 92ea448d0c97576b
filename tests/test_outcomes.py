"""Outcomes of a period, exact on a small case list whose every number is worked out by hand below."""

from __future__ import annotations

import json
from datetime import date

import pytest

from builders import case
from rsqm.assess.outcomes import outcome_rows, outcomes, previous_period
from rsqm.files.models import Case, FeedbackResponse

QUESTIONS = {"felt_safe": "Did you feel safe?", "would_recommend": "Would you recommend it?"}


def c(ref: str, referred: str, closed: str = "", **fields: str) -> Case:
    return Case.model_validate(case(ref, closed_on=closed, referred_on=referred) | fields)


CASES = [
    # 23 Dec (Tue) -> 29 Dec (Mon): 24th, then Christmas, Boxing Day and a weekend, then the 29th = 2 working days
    c("RJ-2025-0001", "2025-12-23", first_contact_on="2025-12-29", rj_info_offered_on="2025-12-29", offer_accepted="yes",
      referral_source="police"),
    # 17 Apr (Thu) -> 24 Apr: Good Friday, weekend, Easter Monday, then 22, 23, 24 = 3; enhanced rights: limit 1, missed
    c("RJ-2025-0002", "2025-04-17", "2025-05-01", first_contact_on="2025-04-24", rj_info_offered_on="2025-04-24",
      offer_accepted="no", enhanced_rights="yes", referral_source="victim_services"),
    # 23 May (Fri) -> 30 May: spring bank holiday on the 26th, then 27-30 = 4, within 5
    c("RJ-2025-0003", "2025-05-23", "2025-09-10", process="face_to_face", first_contact_on="2025-05-30",
      rj_info_offered_on="2025-05-30", offer_accepted="yes", agreement_reached="yes", agreement_completed="yes", referral_source="police"),
    # 22 Dec, not contacted by 31 Dec: 5 working days gone, not past the limit: pending, left out
    c("RJ-2025-0004", "2025-12-22", referral_source="self"),
    # 15 Dec, not contacted by 31 Dec: 10 working days gone: a miss
    c("RJ-2025-0005", "2025-12-15", referral_source="police"),
    # 3 Mar -> 4 Mar = 1 working day, enhanced rights: within 1
    c("RJ-2025-0006", "2025-03-03", "2025-06-30", process="shuttle", first_contact_on="2025-03-04", rj_info_offered_on="2025-03-04",
      offer_accepted="yes", enhanced_rights="yes", agreement_reached="yes", agreement_completed="no", referral_source="police"),
    # referred in 2024 (the previous period), closed in 2025
    c("RJ-2024-0007", "2024-11-01", "2025-02-01", process="conference", first_contact_on="2024-11-05", offer_accepted="yes",
      agreement_reached="no", referral_source="police"),
]


def r(ident: str, received: str, felt_safe: str, would_recommend: str) -> FeedbackResponse:
    return FeedbackResponse.model_validate({"response_id": ident, "received_on": received, "party": "harmed", "process": "letter",
                                            "answers": {"felt_safe": felt_safe, "would_recommend": would_recommend}})


RESPONSES = [r("F1", "2025-03-01", "yes", "yes"), r("F2", "2025-06-01", "no", "yes"), r("F3", "2025-10-01", "yes", ""),
             r("F4", "2024-12-31", "yes", "no")]


@pytest.fixture(scope="module")
def result():
    return outcomes(CASES, RESPONSES, QUESTIONS, date(2025, 1, 1), date(2025, 12, 31))


def test_referrals_are_counted_by_source_most_first(result):
    now = result.current
    assert now.referrals == 6
    assert [(s.label, s.count) for s in now.by_source] == [("police", 4), ("self", 1), ("victim_services", 1)]


def test_an_offer_counts_where_the_day_information_was_offered_is_recorded_as_in_the_time_limit_measure():
    accepted_only = c("RJ-2025-0020", "2025-02-03", offer_accepted="yes")
    offered = c("RJ-2025-0021", "2025-02-03", rj_info_offered_on="2025-02-04", offer_accepted="no")
    now = outcomes([accepted_only, offered], [], {}, date(2025, 1, 1), date(2025, 12, 31)).current
    assert (now.offers.k, now.offers.n) == (1, 2)
    assert (now.take_up.k, now.take_up.n) == (1, 2)  # take-up still counts every recorded answer


def test_offers_and_take_up_count_the_referrals_of_the_period(result):
    now = result.current
    assert (now.offers.k, now.offers.n) == (4, 6)
    assert (now.take_up.k, now.take_up.n) == (3, 4)


def test_process_mix_and_agreements_count_the_cases_closed_in_the_period(result):
    now = result.current
    assert now.closed == 4
    assert [(p.label, p.count) for p in now.processes] == [("conference", 1), ("face_to_face", 1), ("shuttle", 1)]  # the declined offer left out
    assert (now.agreements_reached.k, now.agreements_reached.n) == (2, 3)
    assert (now.agreements_completed.k, now.agreements_completed.n) == (1, 2)


def test_time_to_first_contact_counts_working_days_of_england_and_wales(result):
    contact = result.current.first_contact
    assert (contact.limit, contact.enhanced_limit) == (5, 1)
    assert contact.contacted == 4 and contact.median_days == 2.5  # 2, 3, 4 and 1 working days
    assert (contact.within_limit.k, contact.within_limit.n) == (3, 5)  # the overdue referral counts as a miss, the pending one not


def test_feedback_shares_have_wilson_intervals(result):
    felt_safe, recommend = result.current.feedback
    assert (felt_safe.share.k, felt_safe.share.n) == (2, 3)
    assert felt_safe.share.ci_low == pytest.approx(0.2077, abs=1e-4) and felt_safe.share.ci_high == pytest.approx(0.9385, abs=1e-4)
    assert (recommend.share.k, recommend.share.n) == (2, 2)  # a blank answer is not counted
    assert result.current.responses == 3


def test_the_previous_period_is_the_year_before(result):
    was = result.previous
    assert (was.start, was.end) == (date(2024, 1, 1), date(2024, 12, 31))
    assert (was.referrals, was.closed, was.offers.k, was.offers.n) == (1, 0, 0, 1)  # accepted, but no day of offer recorded
    assert [(f.share.k, f.share.n) for f in was.feedback] == [(1, 1), (0, 1)]


def test_12_months_to_a_date_are_compared_with_the_12_calendar_months_before_them_across_a_leap_day():
    assert previous_period(date(2027, 3, 2), date(2028, 3, 1)) == (date(2026, 3, 2), date(2027, 3, 1))  # not 366 days back
    assert previous_period(date(2028, 2, 29), date(2029, 2, 28)) == (date(2027, 3, 1), date(2028, 2, 28))  # the leap day is in the later
    assert previous_period(date(2026, 1, 1), date(2026, 12, 31)) == (date(2025, 1, 1), date(2025, 12, 31))


def test_a_period_that_is_not_a_year_is_compared_with_the_same_number_of_days_before():
    assert previous_period(date(2025, 4, 1), date(2025, 6, 30)) == (date(2024, 12, 31), date(2025, 3, 31))


def test_columns_the_service_does_not_keep_give_no_data_rather_than_zero():
    bare = [c("RJ-2025-0010", "2025-02-01"), c("RJ-2025-0011", "2025-03-01", "2025-05-01")]
    now = outcomes(bare, [], {}, date(2025, 1, 1), date(2025, 12, 31)).current
    assert now.offers.rate is None and now.first_contact.within_limit.rate is None and now.agreements_reached.rate is None


def test_the_table_names_no_case_and_shows_counts_beside_every_share(result):
    rows = outcome_rows(result)
    assert "RJ-" not in json.dumps([row.model_dump() for row in rows])
    took_up = next(row for row in rows if row.measure == "Took up the offer")
    assert (took_up.now, took_up.count, took_up.before) == ("75%", "3 of 4", "100% (1 of 1)")
