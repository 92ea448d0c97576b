"""Words for codes: how statuses, answers and measures read to people, everywhere they are shown."""

from __future__ import annotations

STATUS = {"met": "Met", "partly_met": "Partly met", "not_met": "Not met", "not_applicable": "Not applicable"}
ANSWER = {"met": "Met", "partly_met": "Partly met", "not_met": "Not met", "n_a": "Not applicable"}
EVIDENCE_STATUS = {
    "draft": "in draft",
    "in_review": "awaiting approval",
    "approved": "approved",
    "rejected": "not approved",
    "superseded": "replaced by a newer version",
}
# an audit item against its target (rsqm.audit_rates.AuditItemResult.verdict); judged only with enough cases
ITEM_VERDICT = {
    "meets_target": "meets target",
    "below_target": "below target",
    "too_few_meeting": "too few cases",
    "too_few_below": "too few cases",
    "no_answers": "too few cases",
}
ACTION_STATUS = {"open": "Not started", "in_progress": "In progress", "done": "Done"}
MEASURE = {
    "registered_practitioners": "Practitioners registered with the RJC",
    "supervision_every_12_weeks": "Practitioners supervised at least every 12 weeks",
    "observed_practice_yearly": "Practitioners observed in practice in the last year",
    "cpd_hours": "Registered practitioners meeting their CPD hours",
    "working_days": "Cases within the time limit",
    "feedback_share": "Participants answering yes",
}


def words(code: str, table: dict[str, str]) -> str:
    """The label for ``code``; an unknown code reads as words rather than as snake_case."""
    return table.get(code) or code.replace("_", " ")
