"""What to do about a gap, said for someone at the dashboard: pages and buttons, never a command or a field name.

A reason's own ``action`` is written for the command line (``rsqm evidence approve E008 --by NAME``); the CLI prints
it as it is. The pages say the same step in terms of where it is done here.
"""

from rsqm.assess.gaps import Reason, ReasonCode
from rsqm.base.labels import readable

REGISTER = "the Evidence register"


def _quoted(item_id: str, questions: dict[str, str]) -> str:
    return f"“{questions[item_id]}”" if item_id in questions else readable(item_id)


def next_step(reason: Reason, types: dict[str, str], questions: dict[str, str], pooled: bool) -> str:
    """The step for one reason, a sentence for the dashboard; ``pooled``: the workspace already pools audit rounds."""
    first = reason.refs[0] if reason.refs else ""
    match reason.code:
        case ReasonCode.evidence_not_approved:
            return f"Have {first} approved: edit it on {REGISTER} and set its status to approved"
        case ReasonCode.evidence_expired:
            return (f"Review {first} on {REGISTER} and give it a new review date, or add a newer approved item "
                    "of its kind and link it here")
        case ReasonCode.evidence_file_missing:
            return f"Upload the file for {first} on {REGISTER}, or correct its path there"
        case ReasonCode.evidence_hash_mismatch:
            return f"Check the file of {first}; if the change is right, approve {first} again on {REGISTER}"
        case ReasonCode.audit_sample_too_small:
            more = "" if pooled else " (or ask the coordinator to pool complete audit rounds in the settings)"
            return (f"Audit more sampled cases where {_quoted(first, questions)} applies, on the Case audits page: "
                    f"draw the next sample large enough{more}")
        case ReasonCode.audit_below_target:
            return (f"Improve practice on {_quoted(first, questions)}, then audit a fresh sample on the Case audits page "
                    "to show the target is met")
        case ReasonCode.measure_no_data:
            return "Record the facts this measure counts (staff on the Workforce page, cases on the Case data page)"
        case ReasonCode.measure_below_target:
            return "The Workforce page lists who or which cases fall short of each measure: close the gap there"
        case ReasonCode.no_narrative:
            return "Write the service's account of how it meets this indicator in the box below"
        case ReasonCode.membership_lapsed | ReasonCode.insurance_lapsed | ReasonCode.award_expired | ReasonCode.renewal_due:
            return "Renew it and record the new expiry date in the accreditation record"
    said = readable(reason.action, types, questions)
    return said[:1].upper() + said[1:]
