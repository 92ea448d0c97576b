"""After the pack is sent: membership, insurance and the award stay current; requests get answered.

Pure functions over ``Accreditation`` and ``Requests``: what has lapsed on a date
(a reason in the gap analysis), what expires soon (the Overview's countdowns),
and which clarification requests are open or were answered in a period.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict

from rsqm.base.errors import InputRefused
from rsqm.files.models import Accreditation, ClarificationRequest, Requests, RequestStatus

WARN_DAYS = 90  # a countdown appears this many days before expiry
URGENT_DAYS = 30  # and turns urgent here

LAPSE_WORDS = {
    "membership": "RJC organisational membership",
    "insurance": "Insurance cover",
    "award": "The quality mark award",
}


class Countdown(BaseModel):
    model_config = ConfigDict(frozen=True)

    what: str  # membership | insurance | award | condition C1 ...
    label: str  # in words
    expires: date  # the expiry date, or a condition's due date
    days: int  # days left on the reference date; negative once lapsed
    urgent: bool

    def sentence(self) -> str:
        """'RJC organisational membership expires in 45 days, on 13 January 2027.'"""
        verb = ("is due", "was due") if self.what.startswith("condition") else ("expires", "expired")
        when = f"{self.expires.day} {self.expires:%B %Y}"
        if self.days >= 0:
            return f"{self.label} {verb[0]} in {self.days} day{'s' * (self.days != 1)}, on {when}."
        return f"{self.label} {verb[1]} on {when}."


def renewals(accreditation: Accreditation | None) -> list[tuple[str, str, date]]:
    """(key, label, expiry) of everything held for a period."""
    if accreditation is None:
        return []
    held = [(key, getattr(accreditation, key)) for key in ("membership", "insurance", "award")]
    return [(key, LAPSE_WORDS[key], value.expires) for key, value in held if value is not None]


def lapsed(accreditation: Accreditation | None, on: date) -> list[tuple[str, str, date]]:
    """What has expired by ``on`` (expiry before that day)."""
    return [(key, label, expires) for key, label, expires in renewals(accreditation) if expires < on]


def countdowns(accreditation: Accreditation | None, today: date) -> list[Countdown]:
    """Renewals expiring within ``WARN_DAYS`` of ``today`` and open conditions due by then (or overdue), soonest first."""
    due = [(key, label, expires) for key, label, expires in renewals(accreditation) if expires >= today]  # lapsed: see lapsed()
    if accreditation is not None:
        due += [(f"condition {c.id}", f"Condition {c.id}: {c.text}", c.due)
                for c in accreditation.conditions if c.status == "open" and c.due is not None]
    found = []
    for what, label, expires in due:
        days = (expires - today).days
        if days <= WARN_DAYS:
            found.append(Countdown(what=what, label=label, expires=expires, days=days, urgent=days <= URGENT_DAYS))
    return sorted(found, key=lambda c: (c.expires, c.what))


def open_requests(requests: Requests) -> list[ClarificationRequest]:
    return [r for r in requests.requests if r.status == RequestStatus.open]


def overdue(request: ClarificationRequest, today: date) -> bool:
    return request.status == RequestStatus.open and request.due is not None and request.due < today


def answered_between(requests: Requests, after: date | None, until: date) -> list[ClarificationRequest]:
    """Requests answered after ``after`` (None: ever) and on or before ``until``, in answer order."""
    found = [r for r in requests.requests
             if r.status != RequestStatus.open and r.answered_on is not None
             and r.answered_on <= until and (after is None or r.answered_on > after)]
    return sorted(found, key=lambda r: (r.answered_on, r.id))


class RequestError(InputRefused, ValueError):
    """The request edit refers to something that is not there."""


def with_request(requests: Requests, *, by: str, indicator: str, question: str, raised_on: date,
                 due: date | None = None) -> tuple[Requests, ClarificationRequest]:
    """Requests with a new open request appended (the next free R number)."""
    numbers = [int(r.id[1:]) for r in requests.requests]
    request = ClarificationRequest(id=f"R{max(numbers, default=0) + 1}", raised_on=raised_on, by=by, indicator=indicator,
                                   question=question, due=due)
    return requests.model_copy(update={"requests": [*requests.requests, request]}), request


def with_answer(requests: Requests, request_id: str, *, response: str, answered_on: date,
                evidence: list[str] | None = None, close: bool = False) -> Requests:
    """The request answered (or closed), its response and any evidence added in answer recorded."""
    if request_id not in {r.id for r in requests.requests}:
        known = ", ".join(r.id for r in requests.requests) or "none yet"
        raise RequestError(f"unknown request '{request_id}' (requests: {known})")
    if not response.strip():
        raise RequestError("the response is empty: say how the service answers the request")
    status = RequestStatus.closed if close else RequestStatus.answered
    changed = [r.model_copy(update={"response": response.strip(), "answered_on": answered_on, "status": status,
                                    "evidence": list(dict.fromkeys([*r.evidence, *(evidence or [])]))})
               if r.id == request_id else r for r in requests.requests]
    return requests.model_copy(update={"requests": changed})
