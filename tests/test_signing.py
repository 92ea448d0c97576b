"""Signed packs: rsqm keys new, rsqm export --sign, rsqm verify --key."""

from __future__ import annotations

import hashlib
import json
import re
import stat
import zipfile
from datetime import date

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pack_fixtures import filled
from rsqm.pack.archive import Entry, write_zip, zip_time
from rsqm.pack.signing import PRIVATE_KEY_FILE, PUBLIC_KEY_FILE, sign_manifest

FINGERPRINT = re.compile(r"[0-9a-f]{4}(?:-[0-9a-f]{4}){15}")


@pytest.fixture
def keyed(cli, ws):
    filled(ws)
    made = cli("keys", "new", "-w", str(ws.root))
    assert made.code == 0, made.text
    return ws, FINGERPRINT.search(made.out).group(0)


@pytest.fixture
def signed(cli, keyed, tmp_path):
    ws, fingerprint = keyed
    out = tmp_path / "signed.zip"
    result = cli("export", "-w", str(ws.root), "--out", str(out), "--sign")
    assert result.code == 0, result.text
    assert f"signed with the key {fingerprint}" in result.out
    return out, fingerprint


def forge(pack, target, *, resign_with: Ed25519PrivateKey | None = None):
    """Alter an evidence file and rewrite the manifest to match it, as a careful forger would.

    The forger writes the ZIP the way rsqm export does (same order, dates, methods), so only the key tells.
    """
    with zipfile.ZipFile(pack) as old:
        entries = {info.filename: old.read(info) for info in old.infolist()}
    manifest = json.loads(entries["manifest.json"])
    victim = next(f for f in manifest["files"] if f["path"].startswith("evidence/"))
    entries[victim["path"]] += b"\nappended by someone else"
    victim["bytes"] = len(entries[victim["path"]])
    victim["sha256"] = hashlib.sha256(entries[victim["path"]]).hexdigest()
    entries["manifest.json"] = (json.dumps(manifest, indent=2) + "\n").encode()
    if resign_with is not None:
        entries["manifest.sig"] = sign_manifest(resign_with, entries["manifest.json"])
    write_zip(target, [Entry(name, data) for name, data in entries.items()], zip_time(date.fromisoformat(manifest["as_of"])))
    return target


def test_keys_new_keeps_the_private_key_in_rsqm_readable_by_the_owner_only(cli, keyed):
    ws, fingerprint = keyed
    private = ws.root / PRIVATE_KEY_FILE
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert (ws.root / PUBLIC_KEY_FILE).read_text().startswith("-----BEGIN PUBLIC KEY-----")
    shown = cli("keys", "show", "-w", str(ws.root))
    assert fingerprint in shown.out


def test_a_second_key_is_refused_unless_replacing_is_asked_for(cli, keyed):
    ws, fingerprint = keyed
    again = cli("keys", "new", "-w", str(ws.root))
    assert again.code == 1 and "already exists" in again.err
    replaced = cli("keys", "new", "-w", str(ws.root), "--replace")
    assert replaced.code == 0 and fingerprint not in replaced.out


def test_a_signed_pack_verifies_with_the_fingerprint_and_with_the_public_key_file(cli, keyed, signed):
    ws, _ = keyed
    pack, fingerprint = signed
    by_print = cli("verify", str(pack), "--key", fingerprint.upper().replace("-", " "))
    assert by_print.code == 0, by_print.text
    assert f"signature valid: the manifest was signed by the key {fingerprint}" in by_print.out
    by_file = cli("verify", str(pack), "--key", str(ws.root / PUBLIC_KEY_FILE))
    assert by_file.code == 0, by_file.text


def test_the_private_key_never_leaves_the_workspace(keyed, signed):
    ws, _ = keyed
    pack, _ = signed
    secret = (ws.root / PRIVATE_KEY_FILE).read_bytes()
    body = secret.split(b"-----")[2].strip()
    with zipfile.ZipFile(pack) as archive:
        assert all(body not in archive.read(name) for name in archive.namelist())
        assert not any("signing-key" in name or name.startswith(".rsqm") for name in archive.namelist())


def test_a_manifest_rewritten_to_match_an_altered_file_fools_the_plain_check_but_not_the_key(cli, signed, tmp_path):
    pack, fingerprint = signed
    forged = forge(pack, tmp_path / "forged.zip")
    assert cli("verify", str(forged)).code == 1  # the old signature no longer matches the manifest
    result = cli("verify", str(forged), "--key", fingerprint)
    assert result.code == 1
    assert "manifest.sig: does not match: manifest.json was changed after it was signed" in result.out


def test_a_forger_who_signs_with_their_own_key_fails_against_the_services_key(cli, signed, tmp_path):
    pack, fingerprint = signed
    forged = forge(pack, tmp_path / "resigned.zip", resign_with=Ed25519PrivateKey.generate())
    assert cli("verify", str(forged)).code == 0  # self-consistent, and signed by *a* key
    result = cli("verify", str(forged), "--key", fingerprint)
    assert result.code == 1
    assert "signed by another key" in result.out and f"not by {fingerprint}" in result.out


def test_an_unsigned_pack_fails_when_a_key_is_expected(cli, ws, tmp_path):
    filled(ws)
    out = tmp_path / "plain.zip"
    assert cli("export", "-w", str(ws.root), "--out", str(out)).code == 0
    result = cli("verify", str(out), "--key", "0" * 64)
    assert result.code == 1
    assert "manifest.sig: missing: the pack is not signed" in result.out


def test_signing_without_a_key_is_refused_and_nothing_is_written(cli, ws, tmp_path):
    filled(ws)
    out = tmp_path / "never.zip"
    result = cli("export", "-w", str(ws.root), "--out", str(out), "--sign")
    assert result.code == 1
    assert "no signing key: create one with 'rsqm keys new'" in result.err
    assert not out.exists()


@pytest.mark.parametrize("key", ["not-a-fingerprint", "abc123"])
def test_a_key_that_is_neither_a_fingerprint_nor_a_key_file_is_a_usage_error(cli, signed, key):
    pack, _ = signed
    result = cli("verify", str(pack), "--key", key)
    assert result.code == 2
    assert "neither a key fingerprint" in result.err


def test_signed_exports_are_still_byte_identical(cli, keyed, signed, tmp_path):
    ws, _ = keyed
    pack, _ = signed
    again = tmp_path / "again.zip"
    assert cli("export", "-w", str(ws.root), "--out", str(again), "--sign").code == 0
    assert again.read_bytes() == pack.read_bytes()
