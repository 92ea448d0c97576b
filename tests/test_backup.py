"""What a backup holds and when an archive is refused (rsqm/backup/manifest.py), and the passphrase stream (rsqm/backup/crypto.py)."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest

from rsqm.backup.crypto import CHUNK, DecryptingReader, EncryptingWriter, WrongPassphrase
from rsqm.backup.manifest import (
    BackupFile,
    BackupManifest,
    BadArchive,
    archive_format,
    check_complete,
    check_manifest,
    check_member,
    is_backed_up,
    safe_member,
)

PASSPHRASE = "a long enough passphrase"
SHA = "0" * 64


@pytest.mark.parametrize("rel", [
    "rsqm.yaml", "standards/rjc.yaml", "evidence/register.yaml", "evidence/files/policy.pdf", "evidence/audits/RT-2025-0001.yaml",
    ".rsqm/users.yaml", ".rsqm/changes.jsonl", ".rsqm/keys/signing.key", ".rsqm/backups.jsonl",
])
def test_the_workspace_files_accounts_change_log_and_keys_are_backed_up(rel):
    assert is_backed_up(rel)


@pytest.mark.parametrize("rel", [
    ".rsqm/workspace.lock", ".rsqm/login-state.json", ".rsqm/hash-cache.json", ".rsqm/sessions.json", ".rsqm/exports/pack.zip",
    "evidence/.register.yaml.k2j3h4.tmp", "app.py", ".venv/bin/python", "README.md", ".git/HEAD", "standards", "evidence",
])
def test_sessions_caches_half_written_files_and_everything_outside_the_workspace_are_not(rel):
    assert not is_backed_up(rel)


@pytest.mark.parametrize("name", ["../etc/passwd", "/etc/passwd", "evidence/../../x", "evidence//x", "C:/x", "evidence\\x", "./rsqm.yaml", ""])
def test_a_member_name_leaving_the_restore_folder_is_refused(name):
    with pytest.raises(BadArchive, match="unsafe path"):
        safe_member(name)


def test_the_archive_format_comes_from_the_name():
    assert archive_format("daily.tar.zst") is archive_format("daily.tar.zst.enc")
    assert archive_format("daily.zip").value == ".zip"
    with pytest.raises(ValueError, match=r"ends in \.tar\.zst or \.zip"):
        archive_format("daily.tar.gz")


def manifest(*paths: str) -> BackupManifest:
    files = [BackupFile(path=p, bytes=1, sha256=SHA, mtime_ns=0) for p in paths]
    return BackupManifest(created=datetime(2026, 1, 2, tzinfo=UTC), service="Example", rsqm_version="0", files=files)


def test_a_manifest_must_describe_a_workspace_once_and_stay_inside_it():
    check_manifest(manifest("rsqm.yaml", "evidence/register.yaml"))
    with pytest.raises(BadArchive, match=r"no rsqm\.yaml"):
        check_manifest(manifest("evidence/register.yaml"))
    with pytest.raises(BadArchive, match="listed twice"):
        check_manifest(manifest("rsqm.yaml", "rsqm.yaml"))
    with pytest.raises(BadArchive, match="not part of a workspace"):
        check_manifest(manifest("rsqm.yaml", "app.py"))
    with pytest.raises(BadArchive, match="unsafe path"):
        check_manifest(manifest("rsqm.yaml", "evidence/../../app.py"))


def test_each_member_must_match_its_manifest_entry_and_none_may_be_missing():
    entry = manifest("rsqm.yaml").files[0]
    check_member(entry, "rsqm.yaml", 1, SHA)
    with pytest.raises(BadArchive, match="content differs"):
        check_member(entry, "rsqm.yaml", 1, "1" * 64)
    with pytest.raises(BadArchive, match="not in its manifest"):
        check_member(None, "evidence/extra.pdf", 1, SHA)
    with pytest.raises(BadArchive, match="missing from the archive: evidence/a"):
        check_complete(manifest("rsqm.yaml", "evidence/a"), ["rsqm.yaml"])


def sealed(plain: bytes, passphrase: str = PASSPHRASE) -> bytes:
    out = io.BytesIO()
    writer = EncryptingWriter(out, passphrase)
    for start in range(0, len(plain), 777_777):  # uneven writes across chunk boundaries
        writer.write(plain[start : start + 777_777])
    writer.close()
    return out.getvalue()


@pytest.mark.parametrize("size", [0, 1, CHUNK, CHUNK + 1, 3 * CHUNK - 5])
def test_encryption_round_trips_and_the_plaintext_is_seekable(size):
    plain = bytes(range(256)) * (size // 256) + bytes(size % 256)
    box = sealed(plain)
    assert size < 64 or plain[:64] not in box
    reader = DecryptingReader(io.BytesIO(box), PASSPHRASE)
    assert reader.read() == plain
    reader.seek(max(0, size - 10))
    assert reader.read(4) == plain[max(0, size - 10) : max(0, size - 10) + 4]


def test_a_wrong_passphrase_is_refused():
    with pytest.raises(WrongPassphrase, match="wrong passphrase"):
        DecryptingReader(io.BytesIO(sealed(b"case records")), "another long passphrase")


@pytest.mark.parametrize("damage", ["flip", "truncate_at_chunk", "drop_tail", "swap_chunks"])
def test_altered_truncated_or_reordered_ciphertext_is_refused(damage):
    box = bytearray(sealed(b"x" * (2 * CHUNK + 100)))
    header, step = 34, CHUNK + 16
    if damage == "flip":
        box[header + step + 10] ^= 1
    elif damage == "truncate_at_chunk":
        box = box[: header + 2 * step]  # the last chunk dropped whole: the new last was not sealed as last
    elif damage == "drop_tail":
        box = box[:-3]
    else:
        box[header : header + step], box[header + step : header + 2 * step] = box[header + step : header + 2 * step], box[header : header + step]
    with pytest.raises(BadArchive):
        DecryptingReader(io.BytesIO(bytes(box)), PASSPHRASE).read()
