"""The commissioner's return: a period's figures and the period before's, from the rules the rest of rsqm uses.

One rule per figure (docs/commissioning.md): everything about cases and
feedback is ``rsqm.assess.outcomes.workspace_outcomes`` for the period (the same
object ``rsqm outcomes --json`` prints), everything about time limits and the
workforce is ``rsqm.assess.measures.workspace_measures`` on the period's last
day (``rsqm measures --as-of END --json``). Nothing is counted here; figures are
only picked and renamed under stable keys. Counts only: no case reference, no
staff code, no free text.

A return can be signed: ``signature`` holds an Ed25519 signature over the
canonical JSON of everything else (``canonical``) and the public key, so a
commissioner who knows the service's key fingerprint can tell that no figure
changed after it left the service (``check_return``).
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from rsqm.assess.measures import FrameworkMeasure, workspace_measures
from rsqm.assess.outcomes import Count, Equality, Share, workspace_outcomes
from rsqm.base.dates import workspace_today
from rsqm.base.errors import InputRefused
from rsqm.commission.period import Period, period_before
from rsqm.pack.signing import fingerprint

if TYPE_CHECKING:
    from rsqm.files.folder import Workspace

SCHEMA = "rsqm/return@1"
_RAW = (serialization.Encoding.Raw, serialization.PublicFormat.Raw)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Measured(_Model):
    """One measure as ``rsqm measures --json`` gives it on the period's last day: counts only."""

    framework: str
    """The framework id, or local for the service's own target."""
    indicator: str
    """The indicator id (or the local target's id)."""
    label: str
    """What is counted, in words."""
    k: int
    n: int
    rate: float | None
    ci_low: float | None
    ci_high: float | None
    target: float
    counted_on: date | None = None
    """Set when the period's end lies after the records end: the day it was counted on instead."""


class Workforce(_Model):
    practitioners: int | None
    """Staff delivering restorative justice on the day counted (the supervision measure's n); None without that measure."""
    registered: Measured | None
    """Practitioners registered with the RJC at the right level, of those the 60% rule counts."""
    supervised: Measured | None
    """Practitioners supervised at least every 12 weeks, of those delivering."""


class Feedback(_Model):
    responses: int
    """Feedback forms received in the period."""
    all: dict[str, Share]
    """Question id -> share answering yes, of those answering."""
    harmed: dict[str, Share]
    """The same, people harmed only."""
    responsible: dict[str, Share]
    """The same, people responsible only."""


class Figures(_Model):
    """A period's figures under stable keys; every share is k of n with its 95% Wilson interval."""

    period: Period
    covered_to: date | None
    """A part period: the records end on this day, before the period does; None for a whole period."""
    referrals: int
    """Cases referred in the period."""
    by_source: dict[str, int]
    """Referrals by who referred them."""
    by_offence: dict[str, int]
    """Referrals by offence category."""
    offers: Share
    """Referrals offered information about restorative justice."""
    take_up: Share
    """Decided offers that were accepted (n - k declined)."""
    closed: int
    """Cases closed in the period."""
    by_outcome: dict[str, int]
    """Closed cases by how they ended: agreements, not suitable, withdrawn ..."""
    processes: dict[str, int]
    """Closed cases that went ahead, by process (direct, indirect, shuttle, letter ...)."""
    agreements_reached: Share
    """Closed cases with an agreement, of those with the answer recorded."""
    agreements_completed: Share
    """Agreements carried out, of agreements with the answer recorded."""
    first_contact_median_days: float | None
    """Median working days from referral to first contact, of referrals contacted."""
    time_limits: dict[str, Measured]
    """framework:indicator -> every working-days measure: the Victims' Code's Right 3 and Right 4, the local target."""
    feedback: Feedback
    equality: dict[str, Equality]
    """Column -> the referrals by its values, counts under 5 and enough others not shown."""
    workforce: Workforce


class Signature(_Model):
    algorithm: Literal["ed25519"]
    public_key: str
    """The raw Ed25519 public key, base64."""
    fingerprint: str
    """SHA-256 of the public key in groups of four hex digits, as 'rsqm keys new' prints it."""
    signature: str
    """The signature over the canonical JSON of the rest of the return, base64."""


class Return(_Model):
    """rsqm/return@1: a service's figures for a period and the period before; counts only."""

    schema_: Literal["rsqm/return@1"] = Field(SCHEMA, alias="schema")
    service: str
    made_on: date
    current: Figures
    previous: Figures
    signature: Signature | None = None


class ReturnRefused(InputRefused):
    """A return that cannot be read, was changed after signing, or is signed by a key not trusted."""


def _measured(found: FrameworkMeasure) -> Measured:
    r = found.result
    return Measured(framework=found.framework, indicator=found.indicator, label=r.label, k=r.k, n=r.n, rate=r.rate,
                    ci_low=r.ci_low, ci_high=r.ci_high, target=r.target, counted_on=r.counted_on)


def _counts(counts: list[Count]) -> dict[str, int]:
    return {c.label: c.count for c in counts}


def figures(ws: Workspace, period: Period) -> Figures:
    """The period's figures: picked from the outcomes of the period and the measures on its last day."""
    found = workspace_outcomes(ws, period.start, period.end)
    now = found.current
    measured = workspace_measures(ws, period.end)
    first = {m.result.measure: m for m in reversed(measured)}  # the first of each kind, in framework order
    supervised = first.get("supervision_every_12_weeks")
    return Figures(
        period=period, covered_to=found.covered_to, referrals=now.referrals, by_source=_counts(now.by_source),
        by_offence=_counts(now.by_offence), offers=now.offers, take_up=now.take_up, closed=now.closed,
        by_outcome=_counts(now.by_outcome), processes=_counts(now.processes), agreements_reached=now.agreements_reached,
        agreements_completed=now.agreements_completed, first_contact_median_days=now.first_contact.median_days,
        time_limits={f"{m.framework}:{m.indicator}": _measured(m) for m in measured if m.result.measure == "working_days"},
        feedback=Feedback(
            responses=now.responses, all={f.question: f.share for f in now.feedback},
            harmed={f.question: f.share for f in now.feedback_by_party if f.party == "harmed"},
            responsible={f.question: f.share for f in now.feedback_by_party if f.party == "responsible"},
        ),
        equality={e.column: e for e in now.equality},
        workforce=Workforce(
            practitioners=supervised.result.n if supervised else None,
            registered=_measured(first["registered_practitioners"]) if "registered_practitioners" in first else None,
            supervised=_measured(supervised) if supervised else None,
        ),
    )


def build_return(ws: Workspace, period: Period) -> Return:
    return Return(service=ws.settings.service, made_on=workspace_today(ws.settings),
                  current=figures(ws, period), previous=figures(ws, period_before(period)))


# --- the JSON form, signed or not --------------------------------------------


def return_data(doc: Return) -> dict[str, Any]:
    return doc.model_dump(mode="json", by_alias=True, exclude_none=False)


def canonical(data: dict[str, Any]) -> bytes:
    """What is signed: the return without its signature, keys sorted, no spaces, UTF-8."""
    rest = {key: value for key, value in data.items() if key != "signature"}
    return json.dumps(rest, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sign_return(data: dict[str, Any], key: Ed25519PrivateKey) -> dict[str, Any]:
    public = key.public_key()
    signature = Signature(
        algorithm="ed25519", public_key=base64.b64encode(public.public_bytes(*_RAW)).decode("ascii"),
        fingerprint=fingerprint(public), signature=base64.b64encode(key.sign(canonical(data))).decode("ascii"),
    )
    return {**{k: v for k, v in data.items() if k != "signature"}, "signature": signature.model_dump()}


def return_json(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def check_return(raw: bytes, keyring: set[str] | None) -> tuple[Return, str | None]:
    """The return in ``raw`` and the fingerprint of the key that signed it (None when unsigned).

    Refused (``ReturnRefused``) when it is not an rsqm/return@1 file, when a signature does not match the rest (a
    figure changed after signing), when its fingerprint is not its key's, and, with a ``keyring`` of trusted
    fingerprints, when it is unsigned or signed by a key not in the keyring.
    """
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ReturnRefused("not a return: not JSON") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise ReturnRefused(f"not a return: its schema is not {SCHEMA}")
    try:
        doc = Return.model_validate(data)
    except ValidationError as exc:
        wrong = exc.errors()[0]
        where = ".".join(str(part) for part in wrong["loc"]) or "the file"
        raise ReturnRefused(f"not a valid {SCHEMA} return ({where}: {wrong['msg'].lower()})") from None
    if doc.signature is None:
        if keyring is not None:
            raise ReturnRefused("unsigned, but a keyring was given: only returns signed by a key in it are read")
        return doc, None
    try:
        public = Ed25519PublicKey.from_public_bytes(base64.b64decode(doc.signature.public_key, validate=True))
        raw_signature = base64.b64decode(doc.signature.signature, validate=True)
    except (ValueError, binascii.Error):
        raise ReturnRefused("its public key or signature is not valid base64 of the right length") from None
    signer = fingerprint(public)
    if doc.signature.fingerprint != signer:
        raise ReturnRefused(f"its fingerprint field says {doc.signature.fingerprint}, but its key's is {signer}")
    try:
        public.verify(raw_signature, canonical(data))
    except InvalidSignature:
        raise ReturnRefused("changed after it was signed: the signature does not match its figures") from None
    if keyring is not None and signer not in keyring:
        raise ReturnRefused(f"signed by a key not in the keyring ({signer})")
    return doc, signer
