"""The accreditation lifecycle: what has lapsed on a date, what expires soon, which requests are open."""

from __future__ import annotations

from datetime import date

import pytest

from rsqm.assess.lifecycle import RequestError, answered_between, countdowns, lapsed, with_answer, with_request
from rsqm.files.models import Accreditation, Requests

ACCREDITATION = Accreditation.model_validate({
    "schema": "rsqm/accreditation@1",
    "membership": {"expires": "2027-01-31"},
    "insurance": {"expires": "2026-12-01"},
    "award": {"granted": "2024-03-01", "expires": "2027-02-28"},
    "conditions": [{"id": "C1", "text": "Supervision records for every volunteer", "due": "2026-11-20", "status": "open"},
                   {"id": "C2", "text": "Done already", "due": "2026-11-01", "status": "done"}],
})
EMPTY = Requests.model_validate({"schema": "rsqm/requests@1"})


def test_something_lapses_the_day_after_it_expires():
    assert lapsed(ACCREDITATION, date(2026, 12, 1)) == []
    assert [key for key, _, _ in lapsed(ACCREDITATION, date(2026, 12, 2))] == ["insurance"]
    assert [key for key, _, _ in lapsed(ACCREDITATION, date(2027, 3, 1))] == ["membership", "insurance", "award"]


def test_countdowns_start_90_days_ahead_and_turn_urgent_at_30():
    found = {c.what: c for c in countdowns(ACCREDITATION, date(2026, 11, 29))}
    assert set(found) == {"insurance", "membership", "condition C1"}  # the award is 91 days away
    assert (found["insurance"].days, found["insurance"].urgent) == (2, True)
    assert (found["membership"].days, found["membership"].urgent) == (63, False)
    assert found["condition C1"].sentence() == "Condition C1: Supervision records for every volunteer was due on 20 November 2026."
    assert found["insurance"].sentence() == "Insurance cover expires in 2 days, on 1 December 2026."
    award = next(c for c in countdowns(ACCREDITATION, date(2026, 11, 30)) if c.what == "award")
    assert (award.days, award.urgent) == (90, False)


def test_a_lapsed_renewal_is_no_longer_a_countdown():
    assert "insurance" not in {c.what for c in countdowns(ACCREDITATION, date(2026, 12, 5))}


def test_requests_are_numbered_answered_and_listed_by_answer_date():
    requests, first = with_request(EMPTY, by="RJC assessor", indicator="2.1", question="Which version applies?",
                                   raised_on=date(2026, 10, 1), due=date(2026, 10, 15))
    requests, second = with_request(requests, by="RJC assessor", indicator="5.2", question="Show a risk review.",
                                    raised_on=date(2026, 10, 2))
    assert (first.id, second.id) == ("R1", "R2")
    requests = with_answer(requests, "R2", response="See E031.", answered_on=date(2026, 10, 5), evidence=["E031"])
    requests = with_answer(requests, "R1", response="Version 3.", answered_on=date(2026, 10, 9), close=True)
    assert [r.id for r in answered_between(requests, None, date(2026, 10, 31))] == ["R2", "R1"]
    assert [r.id for r in answered_between(requests, date(2026, 10, 5), date(2026, 10, 31))] == ["R1"]
    assert [r.status.value for r in requests.requests] == ["closed", "answered"]


def test_answering_an_unknown_request_or_with_no_words_is_refused():
    with pytest.raises(RequestError, match="unknown request 'R9'"):
        with_answer(EMPTY, "R9", response="x", answered_on=date(2026, 1, 1))
    requests, _ = with_request(EMPTY, by="a", indicator="1.1", question="q", raised_on=date(2026, 1, 1))
    with pytest.raises(RequestError, match="response is empty"):
        with_answer(requests, "R1", response="  ", answered_on=date(2026, 1, 2))
