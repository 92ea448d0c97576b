"""A portfolio: several services' returns for one period side by side, with totals. No case data crosses a service
boundary: a portfolio is read from returns only, and its equality totals pass through the same suppression rule.

Totals are sums: counts add up; a share's total is the sum of the k over the sum of the n (with its own
interval); an equality total is the sum of the services' counts where every service shows its count, and
unknown where any hides it, before the suppression rule runs over the totals as over any row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from rsqm.assess.outcomes import Share, share
from rsqm.base.suppression import Cell, suppress
from rsqm.commission.period import Period
from rsqm.commission.returns import Figures, Measured, Return, ReturnRefused, check_return
from rsqm.pack.signing import normalise_fingerprint

Value = int | Share | None


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Service(_Model):
    name: str  # the service as its return names it
    file: str  # the return it was read from
    fingerprint: str | None  # the key that signed it
    covered_to: str | None  # a part period: the day its records end


class EqualityRow(_Model):
    column: str
    value: str
    cells: list[Cell | None]  # per service; None where the service keeps no such column
    total: Cell


class Portfolio(_Model):
    period: Period
    services: list[Service]
    figures: list[tuple[str, list[Value], Value]]  # (figure key, per service, total)
    equality: list[EqualityRow]


def read_keyring(text: str, rel: str) -> set[str]:
    """Trusted fingerprints, one a line; ``#`` starts a comment; blank lines are skipped."""
    found = set()
    for number, line in enumerate(text.splitlines(), start=1):
        entry = line.split("#", 1)[0].strip()
        if not entry:
            continue
        fingerprint = normalise_fingerprint(entry)
        if fingerprint is None:
            raise ReturnRefused(f"{rel}:{number}: not a key fingerprint (64 hex digits, as 'rsqm keys new' prints it): {entry[:40]!r}")
        found.add(fingerprint)
    if not found:
        raise ReturnRefused(f"{rel}: no key fingerprint in the keyring")
    return found


KEYRING = "keys.txt"
MAX_RETURN_BYTES = 16 * 1024 * 1024  # a return is a few kilobytes; anything far larger is not one


def read_limited(path: Path, limit: int = MAX_RETURN_BYTES) -> bytes:
    """A file's bytes, refused (naming it) when it cannot be read or is far too large to be a return or a keyring."""
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise ReturnRefused(f"{path}: cannot read it: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise ReturnRefused(f"{path}: too large to be a return")
    return data


def read_folder(folder: Path) -> tuple[list[tuple[str, Return, str | None]], list[tuple[str, str]]]:
    """Every ``*.json`` return in ``folder``, checked against ``keys.txt`` there when it exists: (read as (file, return,
    signer), refused as (file, why)). A keyring that cannot be read refuses every return."""
    files = sorted(folder.glob("*.json")) if folder.is_dir() else []
    keyring = None
    if (folder / KEYRING).is_file():
        try:
            keyring = read_keyring(read_limited(folder / KEYRING).decode("utf-8", errors="replace"), KEYRING)
        except ReturnRefused as exc:
            return [], [(path.name, f"the keyring is refused: {exc}") for path in files]
    read, refused = [], []
    for path in files:
        try:
            doc, signer = check_return(read_limited(path), keyring)
        except ReturnRefused as exc:
            refused.append((path.name, str(exc)))
            continue
        read.append((path.name, doc, signer))
    return read, refused


def _as_share(m: Measured | None) -> Share | None:
    return None if m is None else Share(k=m.k, n=m.n, rate=m.rate, ci_low=m.ci_low, ci_high=m.ci_high)


def flat(f: Figures) -> dict[str, Value]:
    """Every figure of a period under a dotted key: counts as int, shares as Share."""
    found: dict[str, Value] = {"referrals": f.referrals}
    found |= {f"by_source.{k}": v for k, v in f.by_source.items()}
    found |= {f"by_offence.{k}": v for k, v in f.by_offence.items()}
    found |= {"offers": f.offers, "take_up": f.take_up, "closed": f.closed}
    found |= {f"by_outcome.{k}": v for k, v in f.by_outcome.items()}
    found |= {f"processes.{k}": v for k, v in f.processes.items()}
    found |= {"agreements_reached": f.agreements_reached, "agreements_completed": f.agreements_completed}
    found |= {f"time_limits.{k}": _as_share(m) for k, m in f.time_limits.items()}
    found["feedback.responses"] = f.feedback.responses
    for party in ("all", "harmed", "responsible"):
        found |= {f"feedback.{party}.{q}": s for q, s in getattr(f.feedback, party).items()}
    found |= {"workforce.practitioners": f.workforce.practitioners, "workforce.registered": _as_share(f.workforce.registered),
              "workforce.supervised": _as_share(f.workforce.supervised)}
    return found


def _total(values: list[Value]) -> Value:
    present = [v for v in values if v is not None]
    if not present:
        return None
    if isinstance(present[0], Share):
        shares = [v for v in present if isinstance(v, Share)]
        return share(sum(s.k for s in shares), sum(s.n for s in shares))
    return sum(v for v in present if isinstance(v, int))


def _equality(returns: Sequence[Return]) -> list[EqualityRow]:
    rows = []
    columns = dict.fromkeys(c for r in returns for c, e in r.current.equality.items() if e.kept)
    for column in columns:
        kept = [r.current.equality.get(column) for r in returns]
        kept = [e if e is not None and e.kept else None for e in kept]
        values = dict.fromkeys(v for e in kept if e for v in e.cells)
        sums: dict[str, int | None] = {}
        for value in values:
            counts = [e.cells[value].count for e in kept if e]
            sums[value] = None if None in counts else sum(c for c in counts if c is not None)
        totals = suppress(sums, sum(e.total for e in kept if e))
        rows += [EqualityRow(column=column, value=value, cells=[e.cells.get(value) if e else None for e in kept], total=totals[value])
                 for value in values]
    return rows


def build_portfolio(read: Sequence[tuple[str, Return, str | None]], period: str | None = None) -> Portfolio:
    """Returns (file, return, signer) side by side. Refused (``ReturnRefused``, naming the file): a return for
    another period than ``period`` (else the first return's), and a service given twice."""
    if not read:
        raise ReturnRefused("no return to read")
    expected = period or read[0][1].current.period.label
    seen: dict[str, str] = {}
    for file, doc, signer in read:
        if doc.current.period.label != expected:
            raise ReturnRefused(f"{file}: a return for {doc.current.period.label}, not {expected}")
        who = signer or doc.service
        if who in seen:
            raise ReturnRefused(f"{file}: {doc.service} again (already read from {seen[who]})")
        seen[who] = file
    returns = [doc for _, doc, _ in read]
    flats = [flat(doc.current) for doc in returns]
    keys = list(dict.fromkeys(key for f in flats for key in f))
    figures = []
    for key in keys:
        values = [f.get(key) for f in flats]
        figures.append((key, values, _total(values)))
    return Portfolio(
        period=returns[0].current.period,
        services=[Service(name=doc.service, file=file, fingerprint=signer,
                          covered_to=doc.current.covered_to.isoformat() if doc.current.covered_to else None)
                  for file, doc, signer in read],
        figures=figures, equality=_equality(returns),
    )


def figure_words(key: str) -> str:
    """A dotted figure key for people: 'by_source.police' -> 'referrals by source: police'."""
    head, _, rest = key.partition(".")
    words = {"by_source": "referrals by source", "by_offence": "referrals by offence", "by_outcome": "closed cases by outcome",
             "processes": "processes delivered", "time_limits": "time limit", "feedback": "feedback", "workforce": "workforce"}
    return f"{words.get(head, head.replace('_', ' '))}: {re.sub('_', ' ', rest)}" if rest else head.replace("_", " ")
