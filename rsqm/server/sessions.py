"""Dashboard sessions that survive a reload, and end as soon as the account no longer allows them.

A sign-in opens a session: a random token (256 bits) goes to the browser, and
only its SHA-256 is kept, in ``.rsqm/sessions.json``, with the username, the
role and a digest of the password hash at sign-in. Every interaction resumes the
session from the token and checks it against the accounts file as it is *now*:
a removed, locked, demoted or reset account, or a changed password, ends the
session at once. Sessions also end 30 minutes after the last interaction and 12
hours after the sign-in, and when the user signs out. See docs/accounts.md for
why the token travels in a cookie and what that does and does not protect.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rsqm.base.paths import STATE_DIR
from rsqm.server.accounts import Account, AccountError, credential, locked_until, read_users, session_expired, state_map, state_text
from rsqm.workspace.store import Store

SESSIONS_FILE = f"{STATE_DIR}/sessions.json"
LIFETIME = timedelta(hours=12)


def session_key(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _records(raw: bytes | None) -> dict[str, dict]:
    return state_map(raw, "sessions")


def _text(records: dict[str, dict]) -> str:
    return state_text("rsqm/sessions@1", "sessions", records)


def _expires(record: dict) -> datetime | None:
    try:
        return datetime.fromisoformat(record["expires"])
    except (KeyError, TypeError, ValueError):
        return None


def start_session(root: Path, name: str, now: datetime) -> str:
    """Open a session for an account that has just signed in; returns the token for the browser (never stored)."""
    user = read_users(root)[0].find(name)
    if user is None:
        raise AccountError(f"no account named '{name}'")
    token = secrets.token_urlsafe(32)
    now = now.astimezone(UTC)
    record = {
        "name": user.name,
        "role": user.role.value,
        "credential": credential(user),
        "created": now.isoformat(timespec="seconds"),
        "expires": (now + LIFETIME).isoformat(timespec="seconds"),
    }

    def add(raw: bytes | None) -> tuple[str, str]:
        live = {k: r for k, r in _records(raw).items() if (_expires(r) or now) > now}
        live[session_key(token)] = record
        return _text(live), "signed in"

    Store(root, user.name).update(SESSIONS_FILE, add, item=user.name)
    return token


def resume_session(root: Path, token: str, now: datetime, last_seen: datetime | None = None) -> Account | None:
    """The account a token stands for right now, or None when the session is over for any reason."""
    now = now.astimezone(UTC)
    try:
        record = _records((Path(root) / SESSIONS_FILE).read_bytes()).get(session_key(token))
    except OSError:
        return None
    if not isinstance(record, dict) or (expires := _expires(record)) is None or expires <= now:
        return None
    try:
        created = datetime.fromisoformat(record["created"])
    except (KeyError, TypeError, ValueError):
        return None
    if session_expired(last_seen or created, now):
        return None
    user = read_users(root)[0].find(str(record.get("name")))
    if user is None or user.must_change or user.role.value != record.get("role") or credential(user) != record.get("credential"):
        return None
    if locked_until(root, user.name, now) is not None:
        return None
    return Account(user.name, user.role)


def end_session(root: Path, token: str) -> None:
    """Sign out: the token no longer opens anything, in this tab or any other."""
    key = session_key(token)
    try:
        name = str(_records((Path(root) / SESSIONS_FILE).read_bytes()).get(key, {}).get("name", "dashboard"))
    except (OSError, AttributeError):
        return

    def drop(raw: bytes | None) -> tuple[str, str] | None:
        records = _records(raw)
        return None if records.pop(key, None) is None else (_text(records), "signed out")

    Store(root, name).update(SESSIONS_FILE, drop, item=name)
