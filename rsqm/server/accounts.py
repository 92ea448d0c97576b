"""Local accounts of one workspace: who may sign in to the dashboard, and with which role.

Accounts live in ``.rsqm/users.yaml`` (private state, never exported) as a
username, a role and an Argon2id hash; nothing else about a person is kept.
Sign-in attempts are counted per name in ``.rsqm/login-state.json`` under the
workspace lock *before* the password is checked, so parallel guesses count as
much as sequential ones: five in a row lock the name out for 15 minutes, and
each failure costs the caller a short delay. Every change goes through
``rsqm.workspace.store.Store``, so it is locked, atomic and in the change log; neither a
password nor a hash is ever written anywhere else or returned to a caller.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, ValidationError

from rsqm.base.errors import InputRefused
from rsqm.base.paths import STATE_DIR
from rsqm.files.folder import read_yaml
from rsqm.files.models import WorkspaceSettings
from rsqm.files.yamlio import YamlRefused, dump_model, parse_model
from rsqm.server.access import Role
from rsqm.workspace.store import Store, WriteConflict, content_token

USERS_FILE = f"{STATE_DIR}/users.yaml"
LOGIN_STATE_FILE = f"{STATE_DIR}/login-state.json"
NAME_PATTERN = r"^[a-z][a-z0-9._-]{1,31}$"
MIN_PASSWORD_LENGTH = 12
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
FAILURE_DELAY = 1.0  # seconds a failed sign-in waits before answering
SESSION_MINUTES = 30


class AccountError(InputRefused):
    """An account change was refused (bad name, duplicate, unknown user, weak password, unreadable file)."""


class LoginFailed(InputRefused):
    """Wrong name or password. Deliberately does not say which."""


class LockedOut(LoginFailed):
    """Too many failed sign-ins: the name is locked until ``until``."""

    def __init__(self, name: str, until: datetime):
        self.name = name
        self.until = until
        super().__init__(
            f"too many failed sign-ins for '{name}': locked until {until:%Y-%m-%d %H:%M} UTC; try again after that"
        )


@dataclass(frozen=True)
class Account:
    """Who signed in: what callers get back. Never carries the password hash."""

    name: str
    role: Role
    must_change: bool = False  # an administrator reset the password: choose a new one before anything else


class StoredUser(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Annotated[str, Field(pattern=NAME_PATTERN)]
    role: Role
    password_hash: Annotated[str, Field(pattern=r"^\$argon2id\$", repr=False)]
    must_change: bool | None = None  # true after an administrator's reset; left out of the file otherwise


class UsersFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_: Literal["rsqm/users@1"] = Field(alias="schema")
    users: list[StoredUser] = Field(default_factory=list)

    def find(self, name: str) -> StoredUser | None:
        return next((user for user in self.users if user.name == name), None)


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()  # argon2-cffi's defaults are Argon2id with the RFC 9106 low-memory profile


@cache
def _dummy_hash() -> str:
    """Checked against for unknown names, so a wrong name takes as long as a wrong password."""
    return _hasher().hash("not a password of anyone")


# --- pure checks -------------------------------------------------------------


def check_name(name: str) -> str:
    if not re.fullmatch(NAME_PATTERN, name):
        raise AccountError(
            f"'{name}' is not a valid username: use 2-32 characters, lower-case letters, digits, '.', '_' or '-', "
            "starting with a letter (a username, not a person's name)"
        )
    return name


@cache
def common_passwords() -> frozenset[str]:
    """The bundled list of common passwords (its source is recorded at the top of the file)."""
    text = files("rsqm").joinpath("data/common-passwords.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def check_password(password: str) -> str:
    """At least 12 characters with some letters, and neither a common password nor one with digits or symbols tacked on."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password is too short: use at least {MIN_PASSWORD_LENGTH} characters")
    lowered = password.lower()
    base = re.sub(r"[\W\d_]+$", "", lowered)
    too_easy = not base or len(set(lowered)) <= 2  # only digits and symbols, or one or two characters repeated
    if too_easy or lowered in common_passwords() or (len(base) >= 4 and base in common_passwords()):
        raise AccountError("the password is too common or too easy to guess: choose another, for example three or four unrelated words")
    return password


def session_expired(last_seen: datetime, now: datetime, minutes: int = SESSION_MINUTES) -> bool:
    """True when more than ``minutes`` passed since the session was last active."""
    return _utc(now) - _utc(last_seen) > timedelta(minutes=minutes)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)  # a naive datetime is taken as local time


# --- the users file ----------------------------------------------------------


def _empty() -> UsersFile:
    return UsersFile.model_validate({"schema": "rsqm/users@1"})


def read_users(root: Path) -> tuple[UsersFile, str | None]:
    """The users file and its content token (None when there is none yet)."""
    path = Path(root) / USERS_FILE
    token = content_token(path)
    if token is None:
        return _empty(), None
    try:
        loaded = read_yaml(Path(root), USERS_FILE)
    except YamlRefused as refused:
        raise AccountError(str(refused.problem)) from None
    if loaded.problems:
        raise AccountError("; ".join(str(p) for p in loaded.problems))
    if loaded.data is None:
        return _empty(), token
    users, problems = parse_model(UsersFile, loaded, USERS_FILE)
    if users is None:
        raise AccountError("; ".join(str(p) for p in problems))
    return users, token


def accounts_exist(root: Path) -> bool:
    """True when anyone can sign in."""
    return bool(read_users(root)[0].users)


def accounts_configured(root: Path) -> bool:
    """True once the workspace has had accounts: from then on the dashboard never runs without sign-in."""
    return (Path(root) / USERS_FILE).exists() or (Path(root) / USERS_FILE).is_symlink()


def list_accounts(root: Path) -> list[Account]:
    return [Account(user.name, user.role) for user in sorted(read_users(root)[0].users, key=lambda u: u.name)]


def _save(store: Store, users: UsersFile, token: str | None, change: str, name: str) -> None:
    text = dump_model(users)
    store.write(USERS_FILE, text, change=change, item=name, expected=token)


def add_user(root: Path, name: str, role: Role | str, password: str, *, actor: str) -> Account:
    check_name(name)
    check_password(password)
    role = _role(role)
    users, token = read_users(root)
    if users.find(name):
        raise AccountError(f"an account named '{name}' already exists in {USERS_FILE}")
    if role != Role.coordinator and not any(u.role == Role.coordinator for u in users.users):
        raise AccountError("the first account must be a coordinator, so someone can manage the others: add one with --role coordinator")
    added = StoredUser(name=name, role=role, password_hash=_hasher().hash(password))
    _save(Store(root, actor), users.model_copy(update={"users": [*users.users, added]}), token, "add account", name)
    return Account(name, role)


def remove_user(root: Path, name: str, *, actor: str) -> None:
    users, token = read_users(root)
    user = _existing(users, name)
    rest = [u for u in users.users if u.name != name]
    _keep_a_coordinator(user, rest)
    _save(Store(root, actor), users.model_copy(update={"users": rest}), token, "remove account", name)


def set_role(root: Path, name: str, role: Role | str, *, actor: str) -> Account:
    role = _role(role)
    users, token = read_users(root)
    user = _existing(users, name)
    if user.role == role:
        raise AccountError(f"'{name}' already has the role {role}")
    changed = [u.model_copy(update={"role": role}) if u.name == name else u for u in users.users]
    _keep_a_coordinator(user, [u for u in changed if u.name != name] + ([user] if role == Role.coordinator else []))
    _save(Store(root, actor), users.model_copy(update={"users": changed}), token, f"set role to {role}", name)
    return Account(name, role)


def set_password(root: Path, name: str, password: str, *, actor: str, must_change: bool = False) -> None:
    """A new password; with ``must_change`` (an administrator's reset) the user must choose their own at the next sign-in.

    Either way the account's open sessions end, because they were opened with the old password.
    """
    check_password(password)
    users, token = read_users(root)
    _existing(users, name)
    change = "reset password (must be changed at the next sign-in)" if must_change else "set password"
    _replace_hash(Store(root, actor), users, token, name, _hasher().hash(password), change, must_change=must_change)


def _role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise AccountError(f"unknown role '{role}': use one of {', '.join(r.value for r in Role)}") from None


def _existing(users: UsersFile, name: str) -> StoredUser:
    user = users.find(name)
    if user is None:
        raise AccountError(f"no account named '{name}' in {USERS_FILE}")
    return user


def _keep_a_coordinator(changed: StoredUser, remaining: list[StoredUser]) -> None:
    """Someone must always be able to manage accounts: the last coordinator can be neither removed nor demoted."""
    if changed.role == Role.coordinator and not any(u.role == Role.coordinator for u in remaining):
        raise AccountError(f"'{changed.name}' is the last coordinator; make someone else coordinator first")


def _replace_hash(
    store: Store, users: UsersFile, token: str | None, name: str, new_hash: str, change: str, *, must_change: bool = False
) -> None:
    fields = {"password_hash": new_hash, "must_change": must_change or None}
    updated = [u.model_copy(update=fields) if u.name == name else u for u in users.users]
    _save(store, users.model_copy(update={"users": updated}), token, change, name)


def credential(user: StoredUser) -> str:
    """A short digest of the password hash: sessions opened with it end when the password changes."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:32]


# --- signing in --------------------------------------------------------------


def authenticate(root: Path, name: str, password: str, now: datetime, *, delay: float | None = None) -> Account:
    """Check a name and password; raises ``LockedOut`` or ``LoginFailed``.

    The attempt is counted under the workspace lock before the password is
    checked, so 64 guesses sent at once get no more checks than 5 sent one after
    another. Five failures in a row (each within 15 minutes of the one before)
    lock the name for 15 minutes, whether or not the account exists, so the lock
    does not tell an outsider which names are real. A failure answers only after
    ``delay`` seconds (default ``FAILURE_DELAY``).
    """
    now = _utc(now)
    delay = FAILURE_DELAY if delay is None else delay
    if not re.fullmatch(NAME_PATTERN, name):
        time.sleep(delay)
        raise LoginFailed("wrong username or password")
    locks_now = _claim_attempt(root, name, now)
    users, token = read_users(root)
    user = users.find(name)
    verified = _verify(user.password_hash if user else _dummy_hash(), password)
    if user is None or not verified:
        if locks_now is None:  # the lock that five failures start is logged with them
            Store(root, name).record(LOGIN_STATE_FILE, "failed sign-in", item=name)
        time.sleep(delay)
        if locks_now is not None:
            raise LockedOut(name, locks_now)
        raise LoginFailed("wrong username or password")
    _clear_attempts(root, name)
    if _hasher().check_needs_rehash(user.password_hash):
        with suppress(WriteConflict):  # someone changed the accounts meanwhile: rehash at the next sign-in
            _replace_hash(Store(root, name), users, token, name, _hasher().hash(password), "rehash password",
                          must_change=bool(user.must_change))
    return Account(user.name, user.role, bool(user.must_change))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def sso_account(settings: WorkspaceSettings, claims: Mapping[str, object]) -> Account:
    """The role of a single sign-on user: ``sso_roles`` keyed by their e-mail or subject id."""
    for key in ("sub", "email"):
        value = claims.get(key)
        if isinstance(value, str) and value in settings.sso_roles:
            return Account(value, Role(settings.sso_roles[value]))
    raise LoginFailed("this sign-in has no role in this workspace: ask the coordinator to add it to sso_roles in rsqm.yaml")


def state_map(raw: bytes | str | None, key: str) -> dict[str, dict]:
    """The mapping under ``key`` in one of the JSON state files in .rsqm/; a damaged file reads as empty."""
    try:
        data = json.loads(raw) if raw else {}
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}
    found = data.get(key) if isinstance(data, dict) else None
    return found if isinstance(found, dict) else {}


def state_text(schema: str, key: str, mapping: dict[str, dict]) -> str:
    return json.dumps({"schema": schema, key: mapping}, indent=2, sort_keys=True) + "\n"


Stamp = Annotated[datetime, PlainSerializer(lambda v: v.isoformat(timespec="seconds"), return_type=str)]


class LoginAttempts(BaseModel):
    """The failed sign-ins of one name, kept in .rsqm/login-state.json so a restart does not lift a lock."""

    model_config = ConfigDict(extra="forbid")

    failures: int = 0  # in a row, since the last lock or success
    last_failure: Stamp | None = None
    locked_until: Stamp | None = None

    def locked_at(self, now: datetime) -> datetime | None:
        """The end of the lock, while it lasts at ``now``."""
        return self.locked_until if self.locked_until is not None and self.locked_until > now else None

    def still_relevant(self, now: datetime) -> bool:
        """Failures older than the lockout window no longer count; expired locks are forgotten."""
        return self.last_failure is not None and (self.locked_at(now) is not None or now - self.last_failure <= LOCKOUT)


def _state_names(raw: bytes | str | None) -> dict[str, LoginAttempts]:
    """Every readable entry; a damaged one reads as no failures."""
    state = {}
    for name, entry in state_map(raw, "names").items():
        with suppress(ValidationError, TypeError):
            state[name] = LoginAttempts.model_validate(entry)
    return state


def _read_state(root: Path) -> dict[str, LoginAttempts]:
    try:
        return _state_names((Path(root) / LOGIN_STATE_FILE).read_bytes())
    except OSError:
        return {}


def locked_until(root: Path, name: str, now: datetime) -> datetime | None:
    """When the name's sign-in lock ends, or None when it is not locked."""
    entry = _read_state(root).get(name)
    return entry.locked_at(_utc(now)) if entry else None


def _state_text(state: dict[str, LoginAttempts]) -> str:
    return state_text("rsqm/login-state@1", "names", {name: entry.model_dump(mode="json") for name, entry in state.items()})


def _claim_attempt(root: Path, name: str, now: datetime) -> datetime | None:
    """Count one attempt as a failure until it succeeds; refuse it when the name is locked.

    Returns the end of the lock this very attempt started (the fifth in a row), else None.
    """
    started: list[datetime] = []

    def count(raw: bytes | None) -> tuple[str, str]:
        state = {n: e for n, e in _state_names(raw).items() if e.still_relevant(now)}
        entry = state.get(name) or LoginAttempts()
        until = entry.locked_at(now)
        if until is not None:
            raise LockedOut(name, until)
        failures = entry.failures + 1
        locked = now + LOCKOUT if failures >= MAX_FAILURES else None
        state[name] = LoginAttempts(failures=0 if locked else failures, last_failure=now, locked_until=locked)
        if locked:
            started.append(locked)
            return _state_text(state), f"locked out for {LOCKOUT.seconds // 60} minutes after {MAX_FAILURES} failed sign-ins"
        return _state_text(state), ""  # logged as a failure only once the password is checked and wrong

    Store(root, name).update(LOGIN_STATE_FILE, count, item=name)
    return started[0] if started else None


def _clear_attempts(root: Path, name: str) -> None:
    """A successful sign-in: the attempt counted for it and earlier failures no longer count."""

    def clear(raw: bytes | None) -> tuple[str, str] | None:
        state = _state_names(raw)
        if name not in state:
            return None
        state.pop(name)
        return _state_text(state), "sign-in succeeded; failed attempts cleared"

    Store(root, name).update(LOGIN_STATE_FILE, clear, item=name)
