"""Words for codes: how statuses, answers and measures read to people, everywhere they are shown."""

from __future__ import annotations

import re

STATUS = {"met": "Met", "partly_met": "Partly met", "not_met": "Not met", "not_applicable": "Not applicable"}
ANSWER = {"met": "Met", "partly_met": "Partly met", "not_met": "Not met", "n_a": "Not applicable"}
EVIDENCE_STATUS = {
    "draft": "in draft",
    "in_review": "awaiting approval",
    "approved": "approved",
    "rejected": "not approved",
    "superseded": "replaced by a newer version",
}
# an audit item against its target (rsqm.audit.rates.AuditItemResult.verdict); judged only with enough cases
ITEM_VERDICT = {
    "meets_target": "meets target",
    "below_target": "below target",
    "too_few_meeting": "too few cases",
    "too_few_below": "too few cases",
    "no_answers": "no answers",
}
# the change of an audit item from one round to the next (rsqm.audit.rounds.Change.verdict)
CHANGE_VERDICT = {
    "real_improvement": "real improvement",
    "real_decline": "real decline",
    "no_clear_change": "no clear change",
    "not_comparable": "not comparable (a round without applicable answers)",
}
PERSONAL_DATA = {"none": "No personal data", "redacted": "Redacted", "contains": "Contains personal data"}
REASON = {
    "no_evidence": "not enough evidence that counts yet",  # items may be linked but unapproved, out of date or too few
    "missing_evidence_type": "a kind of evidence is missing",
    "evidence_expired": "evidence out of date",
    "evidence_expires_before_assessment": "evidence expires before the assessment",
    "evidence_not_approved": "evidence not approved yet",
    "evidence_file_missing": "an evidence file is missing",
    "evidence_hash_mismatch": "a file changed since it was approved",
    "audit_below_target": "case-file audit below target",
    "audit_sample_too_small": "too few audited cases",
    "measure_below_target": "a measured requirement is below target",
    "measure_no_data": "a measured requirement has no records to count",
    "no_narrative": "no narrative written",
    "link_without_locator": "evidence link without page or section",
}
# fields of the workspace's files whose name alone would not say it (others read with spaces for underscores)
FIELD = {"review_by": "review date", "sha256": "file fingerprint", "approved_by": "approver", "approved_on": "approval date",
         "superseded_by": "replacement", "personal_data": "personal data", "dated": "date",
         # the case list's columns (DESIGN.md section 3)
         "case_ref": "case reference", "case_ref_pattern": "form of case reference", "sso_roles": "single sign-on roles", "reported_on": "date the crime was reported", "referred_on": "referral date",
         "closed_on": "closing date", "first_contact_on": "date of first contact",
         "rj_info_offered_on": "date information about restorative justice was given",
         # samples, audits, requests, feedback, the workforce register
         "drawn_on": "date the sample was drawn", "audited_on": "date the audit was completed", "resolved_on": "date resolved",
         "moderated_on": "date of the second marking", "raised_on": "date raised", "answered_on": "date answered",
         "received_on": "date received", "started": "start date", "left": "leaving date", "probation_until": "end of probation",
         "re_audit_by": "re-audit date", "audit_item": "checklist item to re-audit"}
ACTION_STATUS = {"open": "Not started", "in_progress": "In progress", "done": "Done"}
# the workforce measures; the case and feedback measures are worded from their settings (rsqm.assess.measures)
MEASURE = {
    "registered_practitioners": "Practitioners registered with the RJC",
    "supervision_every_12_weeks": "Practitioners supervised at least every 12 weeks",
    "observed_practice_yearly": "Practitioners observed in practice in the past year",
    "cpd_hours": "Registered practitioners with the CPD hours their level needs",
}
# the same, short enough for a dashboard tile
MEASURE_SHORT = {
    "registered_practitioners": "Registered with the RJC",
    "supervision_every_12_weeks": "Supervised every 12 weeks",
    "observed_practice_yearly": "Observed in the past year",
    "cpd_hours": "CPD hours kept up",
}

# the case list's values for process and referral source as the demo and docs/case-data.md use them; a value a service
# wrote in its own words ('HMP Westmoor', kept so by the import) reads as written
CASE_VALUE = {
    "face_to_face": "Direct face-to-face", "conference": "Conference", "shuttle": "Shuttle (indirect)", "letter": "Letter (indirect)",
    "police": "Police", "prison": "Prison", "probation": "Probation", "self": "Self-referral", "victim_services": "Victim services",
    "youth_justice": "Youth justice",
}

# equality monitoring: the case list's columns and values (DESIGN.md section 3)
EQUALITY = {
    "age_band": "Age band", "sex": "Sex", "ethnic_group": "Ethnic group", "disability": "Disability",
    "under_18": "under 18", "18_24": "18 to 24", "25_44": "25 to 44", "45_64": "45 to 64", "65_plus": "65 and over",
    "not_known": "not known", "not_recorded": "not recorded", "yes": "yes", "no": "no",
}


def words(code: str, table: dict[str, str]) -> str:
    """The label for ``code``; an unknown code reads as words rather than as snake_case."""
    return table.get(code) or code.replace("_", " ")


def field(name: str) -> str:
    """A field of the workspace's files as people call it ('review_by' -> 'review date')."""
    return words(name, FIELD)


def readable(text: str, *tables: dict[str, str]) -> str:
    """``text`` with every snake_case code in words: from the first table that knows it, else with spaces.

    A command to type ('rsqm config set pool_rounds yes') is left as it is: it must be typed so.
    """
    def label(match: re.Match[str]) -> str:
        code = match.group(0)
        return next((table[code] for table in tables if code in table), code.replace("_", " "))

    parts = COMMAND.split(text)  # prose, command, prose, ...
    return "".join(part if n % 2 else SNAKE_CASE.sub(label, part) for n, part in enumerate(parts))


# a field, type or status code as the files spell it; not a part of a path or file name (evidence/my_notes.md stays)
COMMAND = re.compile(r"('rsqm [^']*')")  # a command quoted for the reader to type
SNAKE_CASE = re.compile(r"(?<![\w/.-])[a-z]+_[a-z0-9_]+\b(?![/-]|\.\w)")
