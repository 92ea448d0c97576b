"""The findings of rsqm doctor (rsqm/server/doctor.py): each says what is wrong and what to do."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from rsqm.backup.archive import last_backup
from rsqm.backup.manifest import BACKUP_LOG, BackupRecord, BadArchive
from rsqm.server import doctor
from rsqm.server.doctor import Status
from rsqm.server.serving import Access

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_a_private_folder_open_to_others_fails_with_the_command_that_fixes_it():
    found = doctor.state_dir("/srv/ws/.rsqm", 0o755, [])
    assert found.status is Status.fail and "chmod 700 /srv/ws/.rsqm" in found.message
    assert doctor.state_dir("/srv/ws/.rsqm", 0o700, []).status is Status.ok
    loose = doctor.state_dir("/srv/ws/.rsqm", 0o700, ["users.yaml"])
    assert loose.status is Status.warn and "users.yaml" in loose.message and "chmod -R go=" in loose.message
    assert doctor.state_dir("/srv/ws/.rsqm", None, []).status is Status.warn


def test_accounts_and_the_bind_address_follow_the_rules_of_rsqm_serve():
    nobody, team = Access(0, 0), Access(4, 0)
    assert doctor.accounts(nobody).status is Status.warn and "rsqm users add" in doctor.accounts(nobody).message
    assert doctor.accounts(team).status is Status.ok
    assert doctor.accounts(None, "bad YAML").status is Status.fail
    assert doctor.bind("0.0.0.0", nobody).status is Status.fail
    assert doctor.bind("0.0.0.0", team).status is Status.warn and "TLS" in doctor.bind("0.0.0.0", team).message
    assert doctor.bind("127.0.0.1", nobody).status is Status.ok


def taken(ago: timedelta) -> BackupRecord:
    return BackupRecord(when=NOW - ago, file="/backups/a.tar.zst", bytes=1, files=1, sha256="0" * 64, encrypted=True)


def test_a_missing_damaged_or_old_backup_is_reported_with_its_age():
    assert doctor.backup(None, NOW).status is Status.fail
    recent = doctor.backup(taken(timedelta(hours=5)), NOW)
    assert recent.status is Status.ok and "5 hours ago (/backups/a.tar.zst)" in recent.message
    old = doctor.backup(taken(timedelta(days=9)), NOW)
    assert old.status is Status.warn and "9 days ago" in old.message
    assert "damaged" in doctor.backup(None, NOW, damaged=True).message


def test_a_damaged_last_line_of_the_backup_record_is_said_to_be_damaged(tmp_path):
    (tmp_path / ".rsqm").mkdir()
    (tmp_path / BACKUP_LOG).write_text('{"when": "yesterday", "file": "/backups/a.zip"}\n')
    with pytest.raises(BadArchive, match="last entry is damaged"):
        last_backup(tmp_path)


def test_disk_space_must_leave_room_for_a_backup():
    assert doctor.disk(free=10 << 30, workspace_bytes=1 << 30).status is Status.ok
    assert doctor.disk(free=1 << 29, workspace_bytes=1 << 20).status is Status.warn
    assert doctor.disk(free=1 << 30, workspace_bytes=1 << 30).status is Status.fail


def test_each_finding_is_one_line_status_first():
    line = str(doctor.versions("0.1.0", "3.11.7", "1.67.0"))
    assert line.startswith("ok    versions") and "\n" not in line
