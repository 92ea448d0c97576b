"""Backups against crafted files and killed runs (issue 33): costly headers, trailing bytes, sizes, leftovers."""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

import pytest

import rsqm.backup.archive as backup_archive
from rsqm.backup.crypto import MAGIC
from rsqm.backup.manifest import STAGING, BackupFile

PASSPHRASE = "a passphrase long enough"


@pytest.fixture
def workspace(tmp_path, cli, monkeypatch):
    monkeypatch.setenv("RSQM_USER", "p07")
    monkeypatch.setenv("RSQM_BACKUP_PASSPHRASE", PASSPHRASE)
    root = tmp_path / "ws"
    assert cli("init", str(root)).code == 0
    (root / "evidence/files").mkdir(parents=True, exist_ok=True)
    (root / "evidence/files/notes.md").write_text("case notes\n" * 200)
    return root


def backup(cli, root: Path, out: Path, *extra: str) -> Path:
    made = cli("backup", "-w", str(root), "--out", str(out), *extra)
    assert made.code == 0, made.text
    return out


@pytest.mark.parametrize("cost", [(22, 32, 16), (20, 8, 1), (17, 8, 2), (10, 1, 1)])
def test_a_header_asking_for_another_key_derivation_cost_is_refused_at_once(cli, tmp_path, monkeypatch, cost):
    monkeypatch.setenv("RSQM_BACKUP_PASSPHRASE", PASSPHRASE)
    crafted = tmp_path / "crafted.tar.zst.enc"
    crafted.write_bytes((MAGIC + bytes(cost) + bytes(23) + b"\x00" * 99)[:99])
    cli("backup", "--verify", str(crafted))  # modules load on first use: time the refusal, not the imports
    for command in (["backup", "--verify", str(crafted)], ["restore", str(crafted), "--to", str(tmp_path / "back")]):
        started = time.perf_counter()
        result = cli(*command)
        elapsed = time.perf_counter() - started
        assert result.code == 1, result.text
        assert f"scrypt N=2^{cost[0]}, r={cost[1]}, p={cost[2]}" in result.err and "rsqm never writes" in result.err
        assert "internal error" not in result.text
        assert elapsed < 1.0, elapsed
    assert not (tmp_path / "back").exists()


@pytest.mark.parametrize("name", ["b.tar.zst", "b.zip", "b.tar.zst.enc", "b.zip.enc"])
@pytest.mark.parametrize("tail", [b"\x00", b"hidden after the end" * 50, os.urandom(3 << 20)])
def test_bytes_appended_to_a_backup_are_refused(cli, workspace, tmp_path, name, tail):
    extra = ("--encrypt",) if name.endswith(".enc") else ()
    out = backup(cli, workspace, tmp_path / name, *extra)
    assert cli("backup", "--verify", str(out)).code == 0
    out.write_bytes(out.read_bytes() + tail)
    checked = cli("backup", "--verify", str(out))
    assert checked.code == 1, checked.text
    assert "do not rely on this backup" in checked.err
    restored = cli("restore", str(out), "--to", str(tmp_path / "back"))
    assert restored.code == 1 and "nothing was restored" in restored.err
    assert not (tmp_path / "back").exists()


def test_a_restore_that_would_not_fit_on_the_disk_is_refused_before_writing(cli, workspace, tmp_path, monkeypatch):
    out = backup(cli, workspace, tmp_path / "b.tar.zst")
    real = backup_archive.shutil.disk_usage
    monkeypatch.setattr(backup_archive.shutil, "disk_usage", lambda path: real(path)._replace(free=1000))
    result = cli("restore", str(out), "--to", str(tmp_path / "back"))
    assert result.code == 1
    assert "only 1,000 bytes are free there" in result.err and "nothing was restored" in result.err
    assert not (tmp_path / "back").exists()


def test_writing_stops_when_an_entry_holds_more_than_its_manifest_declares(cli, workspace, tmp_path, monkeypatch):
    """The archive read on the second pass is not the one checked on the first: writing stops at the declared size."""
    out = backup(cli, workspace, tmp_path / "b.zip")
    real = backup_archive.verify_backup

    def smaller(path, ask):
        manifest = real(path, ask)
        files = [f if f.path != "evidence/files/notes.md" else BackupFile(**{**f.model_dump(), "bytes": 10}) for f in manifest.files]
        return manifest.model_copy(update={"files": files})

    monkeypatch.setattr(backup_archive, "verify_backup", smaller)
    result = cli("restore", str(out), "--to", str(tmp_path / "back"))
    assert result.code == 1
    assert "holds more than the 10 bytes its manifest declares; stopped writing it" in result.err
    assert not (tmp_path / "back").exists()


def killed_backup_leftovers(root: Path, folder: Path) -> tuple[Path, Path]:
    temp = folder / ".nightly.tar.zst.enc.x1y2z3.tmp"
    temp.write_bytes(b"half a backup full of personal data")
    staging = root / STAGING / "tmpabc123"
    staging.mkdir(parents=True)
    (staging / "0000001").write_text("case notes\n")
    return temp, staging


def test_leftovers_of_a_killed_backup_are_reported_by_doctor_and_removed_by_the_next_backup(cli, workspace, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    backup(cli, workspace, folder / "first.zip")
    temp, staging = killed_backup_leftovers(workspace, folder)
    unrelated = folder / ".notes.txt.abc.tmp"
    unrelated.write_text("not ours")
    doctor = cli("doctor", "-w", str(workspace))
    line = next(line for line in doctor.out.splitlines() if line.split()[1] == "leftovers")
    assert line.startswith("warn") and str(temp) in line and str(staging) in line and "next rsqm backup removes them" in line
    backup(cli, workspace, folder / "second.zip")
    assert not temp.exists() and not staging.exists()
    assert unrelated.exists()
    doctor = cli("doctor", "-w", str(workspace))
    assert next(line for line in doctor.out.splitlines() if line.split()[1] == "leftovers").startswith("ok")


def test_a_running_backups_files_are_not_swept(cli, workspace, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    temp, staging = killed_backup_leftovers(workspace, folder)
    with open(temp, "rb") as held_temp:
        held_staging = os.open(staging, os.O_RDONLY)
        try:
            fcntl.flock(held_temp, fcntl.LOCK_EX)
            fcntl.flock(held_staging, fcntl.LOCK_EX)
            backup(cli, workspace, folder / "b.zip")
            assert temp.exists() and staging.exists()
        finally:
            os.close(held_staging)
    backup(cli, workspace, folder / "c.zip")
    assert not temp.exists() and not staging.exists()


@pytest.mark.timeout(20)
@pytest.mark.parametrize("kind", ["folder", "fifo", "device"])
def test_a_folder_pipe_or_device_given_as_a_backup_is_refused(cli, tmp_path, kind):
    path = tmp_path / "b.tar.zst"
    if kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        path = Path("/dev/zero")
    for command in (["backup", "--verify", str(path)], ["restore", str(path), "--to", str(tmp_path / "back")]):
        result = cli(*command)
        assert result.code == 1, result.text
        assert "give the path of a file saved on disk" in result.err
        assert "internal error" not in result.text
