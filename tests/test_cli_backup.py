"""rsqm backup / restore / backup --verify: a snapshot taken while people save restores to the same, valid workspace."""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

import pytest
import zstandard

from rsqm.backup.manifest import BACKUP_LOG, MANIFEST_NAME, STAGING
from rsqm.base.paths import CHANGE_LOG
from rsqm.server.accounts import USERS_FILE, add_user

PASSPHRASE = "a long enough passphrase"
WRITER = """
import sys
from pathlib import Path
from rsqm.workspace.store import Store
root, stop = Path(sys.argv[1]), Path(sys.argv[2])
store, i = Store(root, "writer"), 0
while not stop.exists():
    i += 1
    name = ("1.1", "2.1")[i % 2]
    store.write(f"evidence/narratives/{name}.md", f"Draft {i} of the narrative.\\n" + "More words. " * 3000, change="edit narrative", item=name)
"""


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def log_of(root: Path) -> list[dict]:
    return [json.loads(line) for line in (root / CHANGE_LOG).read_text().splitlines()]


def wait_for_writes(root: Path, at_least: int, writer: subprocess.Popen) -> int:
    deadline = time.monotonic() + 60
    while True:
        count = sum(entry["who"] == "writer" for entry in log_of(root)) if (root / CHANGE_LOG).exists() else 0
        if count >= at_least:
            return count
        assert writer.poll() is None, writer.stderr.read()
        assert time.monotonic() < deadline, "the writer did not write"
        time.sleep(0.02)


@pytest.fixture
def demo(demo_copy: Path, monkeypatch) -> Path:
    """The demo with accounts, a signing key, and private state that a backup leaves out."""
    monkeypatch.setenv("RSQM_USER", "p07")
    add_user(demo_copy, "j.coordinator", "coordinator", "correct horse battery", actor="p07")
    (demo_copy / ".rsqm/keys").mkdir()
    (demo_copy / ".rsqm/keys/signing.key").write_bytes(b"not a real key\n")
    (demo_copy / ".rsqm/sessions.json").write_text("{}\n")
    (demo_copy / ".rsqm/login-state.json").write_text("{}\n")
    return demo_copy


def test_a_backup_taken_while_someone_saves_restores_to_a_byte_identical_valid_workspace(demo, tmp_path, cli):
    stop = tmp_path / "stop"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(demo), str(stop)], stderr=subprocess.PIPE, text=True)
    try:
        before = wait_for_writes(demo, 5, writer)
        backup = cli("backup", "-w", str(demo), "--out", str(tmp_path / "demo.tar.zst"))
        after_backup = sum(entry["who"] == "writer" for entry in log_of(demo))
        wait_for_writes(demo, after_backup + 5, writer)
    finally:
        stop.touch()
        writer.wait(timeout=30)
    assert writer.returncode == 0, writer.stderr.read()
    assert backup.code == 0, backup.text
    assert "personal data" in backup.out and "demo.tar.zst" in backup.out

    restored = tmp_path / "restored"
    result = cli("restore", str(tmp_path / "demo.tar.zst"), "--to", str(restored))
    assert result.code == 0, result.text
    assert cli("backup", "--verify", str(tmp_path / "demo.tar.zst")).code == 0

    # the change log is intact: a prefix of the live one, with writes from before the snapshot and none torn
    restored_log, live_log = log_of(restored), log_of(demo)
    assert restored_log == live_log[: len(restored_log)]
    written = sum(entry["who"] == "writer" for entry in restored_log)
    assert before <= written < len([e for e in live_log if e["who"] == "writer"])
    # consistent: each file the writer saved holds exactly the content its last log line records
    mine, theirs = files_of(restored), files_of(demo)
    last = {entry["file"]: entry["sha256"] for entry in restored_log}
    for rel in ("evidence/narratives/1.1.md", "evidence/narratives/2.1.md"):
        assert hashlib.sha256(mine[rel]).hexdigest() == last[rel]
    # every other file byte-identical; private state that is not restored stays out
    churned = {"evidence/narratives/1.1.md", "evidence/narratives/2.1.md", CHANGE_LOG, BACKUP_LOG}
    skipped = {".rsqm/workspace.lock", ".rsqm/sessions.json", ".rsqm/login-state.json"}
    assert set(mine) == set(theirs) - skipped - {BACKUP_LOG}
    assert {rel: data for rel, data in mine.items() if rel not in churned} == {rel: theirs[rel] for rel in mine if rel not in churned}
    assert mine[USERS_FILE] == theirs[USERS_FILE] and ".rsqm/keys/signing.key" in mine
    assert (restored / ".rsqm").stat().st_mode & 0o777 == 0o700

    for args in (("validate",), ("gaps", "--json")):
        live, copy = cli(*args, "-w", str(demo)), cli(*args, "-w", str(restored))
        assert (copy.code, copy.out) == (live.code, live.out)
    assert json.loads(cli("gaps", "--json", "-w", str(restored)).out)["indicators"]


def test_each_backup_is_recorded_for_rsqm_doctor(demo, tmp_path, cli):
    assert cli("backup", "-w", str(demo), "--out", str(tmp_path / "a.zip")).code == 0
    entry = json.loads((demo / BACKUP_LOG).read_text().splitlines()[-1])
    assert entry["file"] == str(tmp_path / "a.zip") and entry["bytes"] == (tmp_path / "a.zip").stat().st_size
    assert log_of(demo)[-1]["change"] == "backup taken"
    assert not (demo / STAGING).exists()  # the frozen view is gone once the archive is written, and its folder


def test_a_new_workspace_restores_with_its_empty_folders_as_rsqm_init_made_them(tmp_path, cli):
    assert cli("init", str(tmp_path / "new")).code == 0
    assert cli("backup", "-w", str(tmp_path / "new"), "--out", str(tmp_path / "new.zip")).code == 0
    assert cli("restore", str(tmp_path / "new.zip"), "--to", str(tmp_path / "back")).code == 0

    def folders(root: Path) -> set[str]:
        return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_dir() and ".rsqm" not in p.parts}

    assert folders(tmp_path / "back") == folders(tmp_path / "new") >= {"evidence/audits", "evidence/samples"}


@pytest.mark.parametrize("name", ["demo.zip.enc", "demo.tar.zst.enc"])
def test_an_encrypted_backup_restores_only_with_its_passphrase(demo, tmp_path, cli, monkeypatch, name):
    monkeypatch.setenv("RSQM_BACKUP_PASSPHRASE", PASSPHRASE)
    made = cli("backup", "-w", str(demo), "--out", str(tmp_path / name), "--encrypt")
    assert made.code == 0, made.text
    assert b"register.yaml" not in (tmp_path / name).read_bytes()
    assert oct((tmp_path / name).stat().st_mode & 0o777) == oct(0o600)

    monkeypatch.setenv("RSQM_BACKUP_PASSPHRASE", "not the passphrase at all")
    wrong = cli("restore", str(tmp_path / name), "--to", str(tmp_path / "wrong"))
    assert wrong.code == 1 and "wrong passphrase" in wrong.err
    assert not (tmp_path / "wrong").exists()

    monkeypatch.setenv("RSQM_BACKUP_PASSPHRASE", PASSPHRASE)
    assert cli("restore", str(tmp_path / name), "--to", str(tmp_path / "right")).code == 0
    assert files_of(tmp_path / "right")["evidence/register.yaml"] == (demo / "evidence/register.yaml").read_bytes()


def test_encrypting_needs_a_passphrase_and_an_enc_name(demo, tmp_path, cli, monkeypatch):
    monkeypatch.delenv("RSQM_BACKUP_PASSPHRASE", raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    no_secret = cli("backup", "-w", str(demo), "--out", str(tmp_path / "a.zip.enc"), "--encrypt")
    assert no_secret.code == 2 and "RSQM_BACKUP_PASSPHRASE" in no_secret.err
    monkeypatch.setenv("RSQM_BACKUP_PASSPHRASE", "short")
    assert "too short" in cli("backup", "-w", str(demo), "--out", str(tmp_path / "a.zip.enc"), "--encrypt").err
    monkeypatch.setenv("RSQM_BACKUP_PASSPHRASE", PASSPHRASE)
    plain_name = cli("backup", "-w", str(demo), "--out", str(tmp_path / "a.zip"), "--encrypt")
    assert plain_name.code == 2 and "ends in .enc" in plain_name.err
    assert list(tmp_path.glob("a.*")) == []


@pytest.mark.parametrize(("out", "says"), [
    ("demo.tar.gz", "ends in .tar.zst or .zip"),
    ("evidence/backup.zip", "would be backed up itself"),
    ("missing/backup.zip", "no such folder"),
])
def test_a_backup_name_or_place_that_cannot_work_is_misuse(demo, cli, out, says):
    target = demo / out if out.startswith("evidence") else demo.parent / out
    result = cli("backup", "-w", str(demo), "--out", str(target))
    assert result.code == 2 and says in result.err
    assert not target.exists()


def test_a_backup_is_never_overwritten(demo, tmp_path, cli):
    (tmp_path / "a.zip").write_bytes(b"yesterday's backup")
    result = cli("backup", "-w", str(demo), "--out", str(tmp_path / "a.zip"))
    assert result.code == 2 and "never overwritten" in result.err
    assert (tmp_path / "a.zip").read_bytes() == b"yesterday's backup"


def test_restore_refuses_a_folder_that_is_not_empty(demo, tmp_path, cli):
    cli("backup", "-w", str(demo), "--out", str(tmp_path / "a.zip"))
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy/notes.txt").write_text("keep me\n")
    result = cli("restore", str(tmp_path / "a.zip"), "--to", str(tmp_path / "busy"))
    assert result.code == 2 and "not an empty folder" in result.err
    assert os.listdir(tmp_path / "busy") == ["notes.txt"]


# --- damaged and hostile backups ------------------------------------------------


def rewrite_zip(source: Path, target: Path, change) -> None:
    """A copy of a zip backup with ``change(name, data)`` applied to each member (None drops it); CRCs stay valid."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = change(info.filename, old.read(info))
            if data is not None:
                new.writestr(info, data)


def tar_zst(target: Path, members: list[tuple[tarfile.TarInfo, bytes]]) -> None:
    with open(target, "wb") as raw, zstandard.ZstdCompressor().stream_writer(raw) as packed, tarfile.open(fileobj=packed, mode="w|") as tar:
        for info, data in members:
            tar.addfile(info, io.BytesIO(data))


def refused(cli, tmp_path: Path, backup: Path, says: str) -> None:
    verify = cli("backup", "--verify", str(backup))
    restore = cli("restore", str(backup), "--to", str(tmp_path / "out"))
    assert verify.code == 1 and says in verify.err, verify.text
    assert restore.code == 1 and says in restore.err and "nothing was restored" in restore.err, restore.text
    assert not (tmp_path / "out").exists()


@pytest.fixture
def good_zip(demo, tmp_path, cli) -> Path:
    assert cli("backup", "-w", str(demo), "--out", str(tmp_path / "good.zip")).code == 0
    return tmp_path / "good.zip"


def test_a_file_altered_inside_the_backup_is_refused(good_zip, tmp_path, cli):
    bad = tmp_path / "altered.zip"
    rewrite_zip(good_zip, bad, lambda name, data: data.replace(b"P06", b"P99") if name == "evidence/cases.csv" else data)
    refused(cli, tmp_path, bad, "evidence/cases.csv: content differs from the manifest")


def test_a_file_missing_from_or_added_to_the_backup_is_refused(good_zip, tmp_path, cli):
    rewrite_zip(good_zip, tmp_path / "less.zip", lambda name, data: None if name == "evidence/register.yaml" else data)
    refused(cli, tmp_path, tmp_path / "less.zip", "missing from the archive: evidence/register.yaml")
    with zipfile.ZipFile(good_zip) as old, zipfile.ZipFile(tmp_path / "more.zip", "w") as new:
        for info in old.infolist():
            new.writestr(info, old.read(info))
        new.writestr("evidence/files/planted.pdf", b"%PDF")
    refused(cli, tmp_path, tmp_path / "more.zip", "evidence/files/planted.pdf: in the archive but not in its manifest")


def test_a_path_leaving_the_folder_is_refused_and_nothing_is_written_outside(good_zip, tmp_path, cli):
    with zipfile.ZipFile(good_zip) as old, zipfile.ZipFile(tmp_path / "escape.zip", "w") as new:
        new.writestr("../escaped.txt", b"outside")
        for info in old.infolist():
            new.writestr(info, old.read(info))
    refused(cli, tmp_path, tmp_path / "escape.zip", "unsafe path")
    assert not (tmp_path / "escaped.txt").exists()


def test_a_link_in_the_backup_is_refused(good_zip, tmp_path, cli):
    link = tarfile.TarInfo("evidence/files/key.csv")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
    tar_zst(tmp_path / "link.tar.zst", [(link, b"")])
    refused(cli, tmp_path, tmp_path / "link.tar.zst", "holds a link")
    with zipfile.ZipFile(good_zip) as old, zipfile.ZipFile(tmp_path / "link.zip", "w") as new:
        for info in old.infolist():
            if info.filename == "evidence/register.yaml":
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            new.writestr(info, b"/etc/passwd" if info.filename == "evidence/register.yaml" else old.read(info))
    refused(cli, tmp_path, tmp_path / "link.zip", "holds a link")


def test_a_damaged_compressed_backup_is_refused(demo, tmp_path, cli):
    assert cli("backup", "-w", str(demo), "--out", str(tmp_path / "good.tar.zst")).code == 0
    data = bytearray((tmp_path / "good.tar.zst").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (tmp_path / "flipped.tar.zst").write_bytes(bytes(data))
    refused(cli, tmp_path, tmp_path / "flipped.tar.zst", "flipped.tar.zst: ")
    (tmp_path / "short.tar.zst").write_bytes(bytes(data[: len(data) // 3]))
    refused(cli, tmp_path, tmp_path / "short.tar.zst", "damaged")


def test_an_archive_without_a_manifest_is_not_a_backup(tmp_path, cli):
    info = tarfile.TarInfo("rsqm.yaml")
    info.size = 5
    tar_zst(tmp_path / "plain.tar.zst", [(info, b"hello")])
    refused(cli, tmp_path, tmp_path / "plain.tar.zst", f"no {MANIFEST_NAME}")


def test_a_workspace_with_errors_is_still_backed_up_and_restored_as_it_was(demo, tmp_path, cli):
    (demo / "rsqm.yaml").write_text("schema: rsqm/workspace@1\nservice: [unclosed\n")
    assert cli("backup", "-w", str(demo), "--out", str(tmp_path / "broken.zip")).code == 0
    verified = cli("backup", "--verify", str(tmp_path / "broken.zip"))
    assert verified.code == 0 and "service name unreadable" in verified.out
    assert cli("restore", str(tmp_path / "broken.zip"), "--to", str(tmp_path / "back")).code == 0
    assert (tmp_path / "back/rsqm.yaml").read_bytes() == (demo / "rsqm.yaml").read_bytes()


def test_restoring_an_encrypted_backup_at_a_terminal_asks_for_the_passphrase_once(demo, tmp_path, cli, monkeypatch):
    monkeypatch.setenv("RSQM_BACKUP_PASSPHRASE", PASSPHRASE)
    assert cli("backup", "-w", str(demo), "--out", str(tmp_path / "a.tar.zst.enc"), "--encrypt").code == 0
    monkeypatch.delenv("RSQM_BACKUP_PASSPHRASE")
    asked = []
    monkeypatch.setattr(sys, "stdin", type("Terminal", (io.StringIO,), {"isatty": lambda self: True})())
    monkeypatch.setattr("getpass.getpass", lambda prompt: asked.append(prompt) or PASSPHRASE)
    result = cli("restore", str(tmp_path / "a.tar.zst.enc"), "--to", str(tmp_path / "back"))
    assert result.code == 0, result.text
    assert asked == ["Backup passphrase: "]
