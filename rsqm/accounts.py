"""Local accounts of one workspace: who may sign in to the dashboard, and with which role.

Accounts live in ``.rsqm/users.yaml`` (private state, never exported) as a
username, a role and an Argon2id hash; nothing else about a person is kept.
Failed sign-ins are counted per name in ``.rsqm/login-state.json``: five in a
row lock the name out for 15 minutes. Every change goes through
``rsqm.store.Store``, so it is locked, atomic and in the change log; neither a
password nor a hash is ever written anywhere else or returned to a caller.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel, ConfigDict, Field

from rsqm.access import Role
from rsqm.errors import InputRefused
from rsqm.models import WorkspaceSettings
from rsqm.store import STATE_DIR, Store, WriteConflict, content_token
from rsqm.yamlio import YamlRefused, dump_model, load_yaml_text, parse_model

USERS_FILE = f"{STATE_DIR}/users.yaml"
LOGIN_STATE_FILE = f"{STATE_DIR}/login-state.json"
NAME_PATTERN = r"^[a-z][a-z0-9._-]{1,31}$"
MIN_PASSWORD_LENGTH = 10
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
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


class StoredUser(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Annotated[str, Field(pattern=NAME_PATTERN)]
    role: Role
    password_hash: Annotated[str, Field(pattern=r"^\$argon2id\$", repr=False)]


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


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password is too short: use at least {MIN_PASSWORD_LENGTH} characters")
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
        loaded = load_yaml_text(path.read_text(encoding="utf-8"), USERS_FILE)
    except YamlRefused as refused:
        raise AccountError(str(refused.problem)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise AccountError(f"{USERS_FILE}: cannot read file: {exc}") from None
    if loaded.problems:
        raise AccountError("; ".join(str(p) for p in loaded.problems))
    if loaded.data is None:
        return _empty(), token
    users, problems = parse_model(UsersFile, loaded, USERS_FILE)
    if users is None:
        raise AccountError("; ".join(str(p) for p in problems))
    return users, token


def accounts_exist(root: Path) -> bool:
    """False means local mode: the dashboard runs without sign-in, for this computer only."""
    return bool(read_users(root)[0].users)


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


def set_password(root: Path, name: str, password: str, *, actor: str) -> None:
    check_password(password)
    users, token = read_users(root)
    _existing(users, name)
    _replace_hash(Store(root, actor), users, token, name, _hasher().hash(password), "set password")


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
    """Someone must be able to manage accounts from the dashboard while any account exists."""
    if changed.role == Role.coordinator and remaining and not any(u.role == Role.coordinator for u in remaining):
        raise AccountError(f"'{changed.name}' is the last coordinator; make someone else coordinator first")


def _replace_hash(store: Store, users: UsersFile, token: str | None, name: str, new_hash: str, change: str) -> None:
    updated = [u.model_copy(update={"password_hash": new_hash}) if u.name == name else u for u in users.users]
    _save(store, users.model_copy(update={"users": updated}), token, change, name)


# --- signing in --------------------------------------------------------------


def authenticate(root: Path, name: str, password: str, now: datetime) -> Account:
    """Check a name and password; raises ``LockedOut`` or ``LoginFailed``.

    Five failures in a row (each within 15 minutes of the one before) lock the
    name for 15 minutes, whether or not the account exists, so the lock does not
    tell an outsider which names are real.
    """
    now = _utc(now)
    if not re.fullmatch(NAME_PATTERN, name):
        raise LoginFailed("wrong username or password")
    until = _locked_until(_read_state(root).get(name), now)
    if until is not None:
        raise LockedOut(name, until)
    users, token = read_users(root)
    user = users.find(name)
    verified = _verify(user.password_hash if user else _dummy_hash(), password)
    if user is None or not verified:
        until = _record(root, name, now, failed=True)
        if until is not None:
            raise LockedOut(name, until)
        raise LoginFailed("wrong username or password")
    _record(root, name, now, failed=False)
    if _hasher().check_needs_rehash(user.password_hash):
        with suppress(WriteConflict):  # someone changed the accounts meanwhile: rehash at the next sign-in
            _replace_hash(Store(root, name), users, token, name, _hasher().hash(password), "rehash password")
    return Account(user.name, user.role)


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


def _read_state(root: Path) -> dict[str, dict]:
    try:
        data = json.loads((Path(root) / LOGIN_STATE_FILE).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError, UnicodeDecodeError):
        return {}
    names = data.get("names") if isinstance(data, dict) else None
    return names if isinstance(names, dict) else {}


def _locked_until(entry: object, now: datetime) -> datetime | None:
    try:
        until = datetime.fromisoformat(entry["locked_until"])  # type: ignore[index]
    except (KeyError, TypeError, ValueError):
        return None
    return until if until > now else None


def _record(root: Path, name: str, now: datetime, *, failed: bool) -> datetime | None:
    """Count a failure (returning the lock's end once it locks) or clear the count after a success."""
    store = Store(root, name)
    for _ in range(5):  # another sign-in may write the file between our read and write
        token = store.token(LOGIN_STATE_FILE)
        state = _read_state(root)
        entry = state.get(name)
        if not failed:
            if not entry:
                return None
            state.pop(name)
            change = "sign-in succeeded; failed attempts cleared"
        else:
            state = {n: e for n, e in state.items() if _still_relevant(e, now)}
            entry = state.get(name) or {"failures": 0}
            failures = entry.get("failures", 0) + 1
            locked = now + LOCKOUT if failures >= MAX_FAILURES else None
            state[name] = {
                "failures": 0 if locked else failures,
                "last_failure": now.isoformat(timespec="seconds"),
                "locked_until": locked.isoformat(timespec="seconds") if locked else None,
            }
            change = f"locked out for {LOCKOUT.seconds // 60} minutes after {MAX_FAILURES} failed sign-ins" if locked else "failed sign-in"
        text = json.dumps({"schema": "rsqm/login-state@1", "names": state}, indent=2, sort_keys=True) + "\n"
        try:
            store.write(LOGIN_STATE_FILE, text, change=change, item=name, expected=token)
        except WriteConflict:
            continue
        return locked if failed else None
    raise WriteConflict("the sign-in record is busy; try again")


def _still_relevant(entry: object, now: datetime) -> bool:
    """Failures older than the lockout window no longer count; expired locks are forgotten."""
    try:
        last = datetime.fromisoformat(entry["last_failure"])  # type: ignore[index]
    except (KeyError, TypeError, ValueError):
        return False
    return _locked_until(entry, now) is not None or now - last <= LOCKOUT
