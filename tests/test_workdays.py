"""Working days in England and Wales: weekends and bank holidays (substitutes included) do not count."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from rsqm.base.workdays import add_working_days, bank_holidays, elapsed_working_days, is_working_day


def test_the_start_day_is_not_counted_and_the_end_day_is():
    # Monday 2026-03-02 -> Tuesday 2026-03-03: one working day.
    assert elapsed_working_days(date(2026, 3, 2), date(2026, 3, 3)) == 1
    assert elapsed_working_days(date(2026, 3, 2), date(2026, 3, 2)) == 0


def test_an_end_before_the_start_counts_nothing():
    assert elapsed_working_days(date(2026, 3, 10), date(2026, 3, 2)) == 0


def test_a_weekend_does_not_count():
    # Friday 2026-03-06 -> Monday 2026-03-09: only the Monday.
    assert elapsed_working_days(date(2026, 3, 6), date(2026, 3, 9)) == 1
    # Friday -> Sunday: nothing.
    assert elapsed_working_days(date(2026, 3, 6), date(2026, 3, 8)) == 0
    assert not is_working_day(date(2026, 3, 7))


def test_a_full_ordinary_week_is_five_working_days():
    assert elapsed_working_days(date(2026, 3, 2), date(2026, 3, 9)) == 5


def test_good_friday_and_easter_monday_do_not_count():
    # Thursday 2026-04-02 -> Tuesday 2026-04-07: Good Friday 3 April and
    # Easter Monday 6 April are bank holidays, so only the Tuesday counts.
    assert elapsed_working_days(date(2026, 4, 2), date(2026, 4, 7)) == 1
    assert not is_working_day(date(2026, 4, 3))
    assert not is_working_day(date(2026, 4, 6))


def test_the_spring_bank_holiday_does_not_count():
    # Friday 2026-05-22 -> Tuesday 2026-05-26: Monday 25 May is the spring bank holiday.
    assert elapsed_working_days(date(2026, 5, 22), date(2026, 5, 26)) == 1


def test_christmas_on_a_weekend_moves_to_the_following_working_days():
    # 2021: Christmas Day Saturday, Boxing Day Sunday; substitutes Monday 27 and Tuesday 28.
    assert not is_working_day(date(2021, 12, 27))
    assert not is_working_day(date(2021, 12, 28))
    # Friday 24 -> Wednesday 29 December 2021: only the Wednesday.
    assert elapsed_working_days(date(2021, 12, 24), date(2021, 12, 29)) == 1


def test_boxing_day_on_a_saturday_moves_to_the_monday():
    # 2026: Christmas Day Friday, Boxing Day Saturday, substitute Monday 28 December.
    assert not is_working_day(date(2026, 12, 28))
    assert elapsed_working_days(date(2026, 12, 24), date(2026, 12, 29)) == 1


def test_a_span_across_new_year_counts_holidays_of_both_years():
    # Wednesday 2025-12-24 -> Friday 2026-01-02: 25, 26 Dec and 1 Jan are holidays;
    # working days are 29, 30, 31 Dec and 2 Jan.
    assert elapsed_working_days(date(2025, 12, 24), date(2026, 1, 2)) == 4


@given(st.dates(date(2019, 1, 1), date(2030, 12, 31)), st.integers(-5, 800))
def test_the_count_agrees_with_walking_day_by_day(start, span):
    end = start + timedelta(days=span)
    walked = sum(1 for i in range(1, (end - start).days + 1) if is_working_day(start + timedelta(days=i)))
    assert elapsed_working_days(start, end) == walked


def test_adding_working_days_skips_weekends_and_holidays():
    # 5 working days after Thursday 2026-04-02 (Easter): 7, 8, 9, 10, 13 April.
    assert add_working_days(date(2026, 4, 2), 5) == date(2026, 4, 13)
    assert elapsed_working_days(date(2026, 4, 2), date(2026, 4, 13)) == 5
    assert add_working_days(date(2026, 4, 2), 0) == date(2026, 4, 2)


def test_bank_holidays_are_those_of_england_and_wales():
    # 2 January is a holiday in Scotland only; it must not appear here.
    assert date(2026, 1, 2) not in bank_holidays(2026)
    assert date(2026, 8, 31) in bank_holidays(2026)  # summer bank holiday (late August in England)
