"""A starting import map written from an export's header (``rsqm cases map-template``).

Headers are matched to our columns by common names; only the columns matched
are read (to guess the date order and list their values). Every other column
is listed under ``ignore`` for the user to check: dropping unread is the safe
default, mapping it is a decision.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence

from rsqm.imports.reader import Table, Target, parse_date

MAX_VALUES = 40  # distinct values listed per column; more than this is not a category

CASE_HEADER_NAMES: dict[str, tuple[str, ...]] = {
    "case_ref": ("caseref", "casereference", "casereferencenumber", "caseid", "casenumber", "caseno", "reference", "ref", "urn"),
    "referred_on": ("referraldate", "datereferred", "referred", "referredon", "datereceived", "referralreceived", "datereferralreceived"),
    "closed_on": ("dateclosed", "closeddate", "closed", "closedon", "closuredate", "enddate", "casecloseddate"),
    "process": ("process", "processtype", "rjprocess", "interventiontype", "typeofintervention", "typeofprocess"),
    "offence_category": ("offence", "offencecategory", "offencetype", "crimetype", "crimecategory", "offencegroup"),
    "initiator": ("initiator", "initiatedby", "requestedby", "initiatingparty"),
    "practitioner": ("practitioner", "practitionercode", "facilitator", "facilitatorcode", "staffcode", "caseworker", "caseworkercode"),
    "outcome": ("outcome", "caseoutcome", "result", "closurereason", "closingoutcome"),
    "first_contact_on": ("firstcontact", "firstcontactdate", "datefirstcontact", "dateoffirstcontact", "initialcontactdate"),
    "rj_info_offered_on": ("rjoffered", "rjofferdate", "dateoffered", "offerdate", "rjinfooffered", "rjinformationoffered", "dateinformationoffered"),
    "enhanced_rights": ("enhancedrights", "enhancedentitlement", "enhanced", "enhancedservice"),
    "referral_source": ("referralsource", "source", "referrer", "referredby", "referringagency", "sourceofreferral"),
    "offer_accepted": ("offeraccepted", "accepted", "rjaccepted", "tookup", "engaged", "rjtakenup"),
    "agreement_reached": ("agreementreached", "agreement", "outcomeagreement"),
    "agreement_completed": ("agreementcompleted", "agreementfulfilled", "outcomeagreementcompleted"),
}
FEEDBACK_HEADER_NAMES: dict[str, tuple[str, ...]] = {
    "response_id": ("responseid", "response", "respondentid", "id", "surveyid", "submissionid"),
    "received_on": ("receivedon", "received", "date", "datereceived", "submitted", "submittedon", "completed", "completiondate"),
    "party": ("party", "participant", "role", "respondenttype", "youare"),
    "process": ("process", "processtype", "typeofprocess"),
}
YES_NO_COLUMNS = ("enhanced_rights", "offer_accepted", "agreement_reached", "agreement_completed")
CASE_CATEGORIES = ("process", "offence_category", "initiator", "outcome", "referral_source", *YES_NO_COLUMNS)
_YES = {"y", "yes", "true", "1", "t"}
_NO = {"n", "no", "false", "0", "f"}


def normalise(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.casefold())


def slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", value.casefold()).strip("_") or "blank"


def match_headers(header: Sequence[str], names: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """Our column -> the position of the export column that looks like it (first match wins)."""
    positions = {normalise(h): i for i, h in reversed(list(enumerate(header)))}
    found: dict[str, int] = {}
    taken: set[int] = set()
    for ours, synonyms in names.items():
        for candidate in (normalise(ours), *synonyms):
            if candidate in positions and positions[candidate] not in taken:
                found[ours] = positions[candidate]
                taken.add(positions[candidate])
                break
    return found


def guess_date_style(values: Sequence[str]) -> str:
    """iso when every value is YYYY-MM-DD; else day first (the UK habit) unless only month first reads them all."""
    for style in ("iso", "dayfirst", "monthfirst"):
        if values and all(_parses(v, style) for v in values):
            return style
    return "dayfirst"


def _parses(value: str, style: str) -> bool:
    try:
        parse_date(value, style)
    except ValueError:
        return False
    return True


def map_template(
    table: Table, target: Target, names: Mapping[str, Sequence[str]], categorical: Sequence[str], yes_no: Sequence[str] = YES_NO_COLUMNS
) -> str:
    """The YAML text of a starting map for ``table``; comments say what to check."""
    found = match_headers(table.header, names)
    order = sorted(found, key=lambda ours: found[ours])
    read = [found[o] for o in order]
    values: dict[str, list[str]] = {o: [] for o in order}
    for _, cells in table.rows(read, []):
        for ours, cell in zip(order, cells, strict=True):
            text = "" if cell is None else (cell.isoformat() if hasattr(cell, "isoformat") else str(cell).strip())
            if text and text not in values[ours] and len(values[ours]) <= MAX_VALUES:
                values[ours].append(text)
    dates = [v for o in order if o in target.dates for v in values[o]]
    lines = [
        f"# Import map written by rsqm from the header of {table.name}. Check every line before importing.",
        "schema: rsqm/case-import@1",
        "columns:                         # our column: their header",
    ]
    lines += [f"  {ours}: {json.dumps(table.header[found[ours]], ensure_ascii=False)}" for ours in order]
    missing = [c for c in target.columns if c not in found]
    if missing:
        lines.append("  # not found in the export (map a column to each one you have, or leave it out):")
        lines += [f"  # {ours}: " for ours in missing]
    lines.append(f"dates: {guess_date_style(dates) if dates else 'dayfirst'}                   # dayfirst | monthfirst | iso | a strptime format")
    lines.append("values:                          # their value: ours, per column; check each guess")
    for ours in order:
        if ours not in categorical or not values[ours] or len(values[ours]) > MAX_VALUES:
            continue
        lines.append(f"  {ours}:")
        lines += [f"    {json.dumps(v, ensure_ascii=False)}: {_guess(v, ours in yes_no)}" for v in values[ours]]
    unknown = [h for i, h in enumerate(table.header) if i not in found.values()]
    lines.append("ignore:")
    if unknown:
        lines.append("  # Columns not recognised: dropped unread while they stay here. Map one under columns only if rsqm needs it.")
        lines += [f"  - {json.dumps(h, ensure_ascii=False)}" for h in unknown]
    else:
        lines[-1] += " []"
    return "\n".join(lines) + "\n"


def _guess(value: str, yes_no: bool) -> str:
    if yes_no:
        folded = value.casefold()
        return "yes" if folded in _YES else "no" if folded in _NO else "\"\""
    return slug(value)


def case_map_template(table: Table, target: Target) -> str:
    return map_template(table, target, CASE_HEADER_NAMES, CASE_CATEGORIES)


def feedback_map_template(table: Table, target: Target, questions: Mapping[str, str]) -> str:
    """Questions are recognised by their id or by their wording in rsqm.yaml."""
    names = FEEDBACK_HEADER_NAMES | {q: (normalise(text),) for q, text in questions.items()}
    return map_template(table, target, names, ("party", "process", *questions), tuple(questions))
