"""``rsqm doctor``: is this installation fit to serve a team? One finding per line, each saying what to do (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from rsqm.backup.manifest import BackupRecord
from rsqm.base.formatting import file_size
from rsqm.base.problems import summary
from rsqm.files.folder import Workspace
from rsqm.server.serving import Access, is_loopback, refusal

BACKUP_DUE = timedelta(days=2)  # a daily backup that missed one night is still fine
MIN_FREE = 1 << 30


class Status(StrEnum):
    ok = "ok"
    warn = "warn"
    fail = "FAIL"


@dataclass(frozen=True)
class Finding:
    topic: str
    status: Status
    message: str

    def __str__(self) -> str:
        return f"{self.status.value:<4}  {self.topic:<10}  {self.message}"


def versions(rsqm: str, python: str, streamlit: str) -> Finding:
    return Finding("versions", Status.ok, f"rsqm {rsqm}, Python {python}, Streamlit {streamlit}")


def workspace(ws: Workspace) -> Finding:
    if ws.valid:
        return Finding("workspace", Status.ok, f"{ws.root}: {summary(ws.problems)}")
    return Finding("workspace", Status.fail, f"{ws.root}: {summary(ws.problems)}; run rsqm validate and fix the errors it lists")


def state_dir(path: str, mode: int | None, loose: list[str]) -> Finding:
    """``mode``: permission bits of .rsqm/ (None: not there yet); ``loose``: files in it others may read."""
    if mode is None:
        return Finding(".rsqm/", Status.warn, f"{path} does not exist yet; it appears at the first save: then run chmod 700 {path}")
    if mode & 0o077:
        return Finding(".rsqm/", Status.fail, f"{path} is open to other users (mode {mode:04o}): run chmod 700 {path}")
    if loose:
        return Finding(".rsqm/", Status.warn, f"{len(loose)} file(s) readable by others, e.g. {loose[0]}: run chmod -R go= {path}")
    return Finding(".rsqm/", Status.ok, f"{path} is private to its owner (mode {mode:04o})")


def accounts(access: Access | None, error: str | None = None) -> Finding:
    if access is None:
        return Finding("accounts", Status.fail, f"the accounts cannot be read ({error}); fix .rsqm/users.yaml or restore it from a backup")
    if not access.protected:
        return Finding("accounts", Status.warn, "none: the dashboard is for this computer only; add people with rsqm users add NAME --role ROLE")
    return Finding("accounts", Status.ok, f"{access.accounts} local account(s), {access.sso_roles} single sign-on role(s)")


def bind(host: str, access: Access | None) -> Finding:
    if access is not None and (reason := refusal(host, access)):
        return Finding("bind", Status.fail, reason.replace("refusing to listen", "rsqm serve would refuse to listen"))
    if is_loopback(host):
        return Finding("bind", Status.ok, f"{host}: this computer only; a reverse proxy with TLS serves the team (docs/deploy.md)")
    return Finding("bind", Status.warn, f"{host}: reachable from the network over plain HTTP; listen on 127.0.0.1 behind a TLS proxy instead")


def backup(last: BackupRecord | None, now: datetime, damaged: bool = False) -> Finding:
    if damaged:
        return Finding("backup", Status.fail, "the backup record .rsqm/backups.jsonl is damaged: take a new backup")
    if last is None:
        return Finding("backup", Status.fail, "no backup recorded: run rsqm backup --out FILE.tar.zst.enc --encrypt, and schedule it daily")
    age = now - last.when
    text = f"last {_age(age)} ago ({last.file})"
    if age > BACKUP_DUE:
        return Finding("backup", Status.warn, f"{text}: take one now (rsqm backup) and check the daily schedule")
    return Finding("backup", Status.ok, text)


def leftovers(paths: list[str]) -> Finding:
    """What killed backups left behind: half-written archives and staging folders, both holding personal data."""
    if not paths:
        return Finding("leftovers", Status.ok, "no half-written backups or staging folders left by a killed backup")
    shown = ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
    return Finding(
        "leftovers", Status.warn,
        f"{len(paths)} left by a killed backup, holding personal data: {shown}; the next rsqm backup removes them "
        "(or delete them yourself once no backup is running)",
    )


def _age(age: timedelta) -> str:
    hours = age.total_seconds() / 3600
    if hours < 1:
        return f"{age.total_seconds() / 60:.0f} minutes"
    return f"{hours:.0f} hours" if hours < 48 else f"{hours / 24:.0f} days"


def disk(free: int, workspace_bytes: int) -> Finding:
    """Room for the workspace to grow and for a backup of it beside it."""
    text = f"{file_size(free)} free; the workspace holds {file_size(workspace_bytes)}"
    if free < 2 * workspace_bytes:
        return Finding("disk", Status.fail, f"{text}: not enough for a backup; free space or move backups elsewhere")
    if free < MIN_FREE:
        return Finding("disk", Status.warn, f"{text}: under {file_size(MIN_FREE)}; free space before uploads fail")
    return Finding("disk", Status.ok, text)
