"""rsqm verify: an assessor checks the pack with nothing but the ZIP."""

from __future__ import annotations

import json
import os
import struct
import zipfile

import pytest

import rsqm.pack.verify as verify_module
from rsqm.pack.manifest import PackManifest


def rewrite(source, target, change=None, drop=None, add=None):
    """Copy a ZIP entry by entry, changing, dropping or adding entries on the way."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            if info.filename == drop:
                continue
            data = old.read(info)
            if info.filename == change:
                data = bytes([data[0] ^ 1]) + data[1:]
            new.writestr(info, data)
        for name, data in (add or {}).items():
            new.writestr(name, data)
    return target


def names(pack):
    with zipfile.ZipFile(pack) as archive:
        return [n for n in archive.namelist() if n != "manifest.json"]


def test_an_untouched_pack_is_intact(cli, pack):
    result = cli("verify", str(pack))
    assert result.code == 0
    assert result.out.splitlines()[0] == "pack intact: 6 files verified"


def test_verify_needs_only_the_zip(cli, pack, tmp_path, monkeypatch):
    moved = tmp_path / "elsewhere" / "copy.zip"
    moved.parent.mkdir()
    moved.write_bytes(pack.read_bytes())
    monkeypatch.chdir(moved.parent)
    monkeypatch.delenv("RSQM_WORKSPACE", raising=False)
    assert cli("verify", "copy.zip").code == 0


def test_changing_one_byte_of_any_file_is_reported_by_name(cli, pack, tmp_path):
    for name in names(pack):
        altered = rewrite(pack, tmp_path / "altered.zip", change=name)
        result = cli("verify", str(altered))
        assert result.code == 1, name
        assert f"{name}: modified" in result.out
        assert "pack NOT intact: 1 problem found" in result.out


def test_a_removed_file_is_reported_as_missing(cli, pack, tmp_path):
    altered = rewrite(pack, tmp_path / "altered.zip", drop="evidence/E002-training-log.md")
    result = cli("verify", str(altered))
    assert result.code == 1
    assert "evidence/E002-training-log.md: missing" in result.out


def test_an_added_file_is_reported(cli, pack, tmp_path):
    altered = rewrite(pack, tmp_path / "altered.zip", add={"evidence/E099-extra.md": b"slipped in"})
    result = cli("verify", str(altered))
    assert result.code == 1
    assert "evidence/E099-extra.md: added" in result.out


@pytest.mark.parametrize("name", ["../outside.txt", "/etc/passwd-copy", "evidence\\win.txt", "evidence/../../up.txt"])
def test_entries_that_would_extract_outside_the_folder_are_reported(cli, pack, tmp_path, name):
    altered = rewrite(pack, tmp_path / "altered.zip", add={name: b"x"})
    result = cli("verify", str(altered))
    assert result.code == 1
    assert "would extract outside the folder" in result.out
    assert name.lstrip("/") in result.out


def test_a_missing_or_broken_manifest_is_reported(cli, pack, tmp_path):
    result = cli("verify", str(rewrite(pack, tmp_path / "a.zip", drop="manifest.json")))
    assert result.code == 1
    assert "manifest.json: missing" in result.out
    broken = rewrite(pack, tmp_path / "b.zip", drop="manifest.json", add={"manifest.json": b"{not json"})
    result = cli("verify", str(broken))
    assert result.code == 1
    assert "manifest.json: unreadable" in result.out


def test_a_file_that_is_not_a_zip_is_reported(cli, tmp_path):
    fake = tmp_path / "pack.zip"
    fake.write_bytes(b"this is not a zip")
    result = cli("verify", str(fake))
    assert result.code == 1
    assert "pack.zip: not a readable ZIP file" in result.out
    assert "Traceback" not in result.text


def test_a_truncated_zip_is_reported_not_crashed(cli, pack, tmp_path):
    cut = tmp_path / "cut.zip"
    cut.write_bytes(pack.read_bytes()[: pack.stat().st_size // 2])
    result = cli("verify", str(cut))
    assert result.code == 1
    assert "Traceback" not in result.text


def test_a_pack_that_does_not_exist_is_a_usage_error(cli, tmp_path):
    result = cli("verify", str(tmp_path / "absent.zip"))
    assert result.code == 2
    assert "absent.zip: no such file" in result.err


# --- a hostile ZIP ---------------------------------------------------------------


def patch_entry(zip_path, name: str, *, method: int | None = None, flags: int | None = None):
    """Rewrite the method or flag field of one entry in its local header and its central directory record."""
    data = bytearray(zip_path.read_bytes())
    encoded = name.encode()
    for signature, flag_at, method_at, name_at in ((b"PK\x03\x04", 6, 8, 30), (b"PK\x01\x02", 8, 10, 46)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            length = struct.unpack_from("<H", data, start + name_at - (4 if signature == b"PK\x03\x04" else 18))[0]
            if bytes(data[start + name_at : start + name_at + length]) == encoded:
                if flags is not None:
                    struct.pack_into("<H", data, start + flag_at, flags)
                if method is not None:
                    struct.pack_into("<H", data, start + method_at, method)
            start += 4
    zip_path.write_bytes(bytes(data))
    return zip_path


def with_entry(source, target, info: zipfile.ZipInfo, data: bytes):
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            new.writestr(item, old.read(item))
        new.writestr(info, data)
    return target


def unix_entry(name: str, mode: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, (2026, 6, 30, 0, 0, 0))
    info.create_system = 3
    info.external_attr = mode << 16
    return info


def refused(cli, archive, *expected: str) -> str:
    result = cli("verify", str(archive))
    assert result.code == 1, result.text
    assert "pack NOT intact" in result.out
    assert "internal error" not in result.text and "Traceback" not in result.text
    for text in expected:
        assert text in result.out, result.out
    return result.out


def test_a_symbolic_link_entry_is_refused_by_name(cli, pack, tmp_path):
    link = with_entry(pack, tmp_path / "link.zip", unix_entry("evidence/escape", 0o120777), b"../../../etc")
    refused(cli, link, "evidence/escape: refused: a symbolic link")


def test_a_fifo_or_device_entry_is_refused(cli, pack, tmp_path):
    fifo = with_entry(pack, tmp_path / "fifo.zip", unix_entry("evidence/pipe", 0o010644), b"")
    refused(cli, fifo, "evidence/pipe: refused: a special file")


def test_data_hidden_in_a_folder_entry_is_refused(cli, pack, tmp_path):
    folder = with_entry(pack, tmp_path / "folder.zip", unix_entry("evidence/extra/", 0o040755), b"hidden payload")
    refused(cli, folder, "evidence/extra/: refused: a folder entry that holds 14 bytes")


def test_a_zip_comment_is_refused(cli, pack, tmp_path):
    commented = tmp_path / "comment.zip"
    commented.write_bytes(pack.read_bytes())
    with zipfile.ZipFile(commented, "a") as archive:
        archive.comment = b"this pack was checked by nobody"
    refused(cli, commented, "comment.zip: refused: the ZIP carries a comment (31 bytes)")


def test_data_prepended_to_the_archive_is_refused(cli, pack, tmp_path):
    prepended = tmp_path / "prepended.zip"
    prepended.write_bytes(b"#!/bin/sh\necho surprise\nexit 0\n" + pack.read_bytes())
    refused(cli, prepended, "prepended.zip: refused: 31 bytes of other data come before the first entry")


def test_names_that_collide_on_a_case_insensitive_disk_are_refused(cli, pack, tmp_path):
    twin = rewrite(pack, tmp_path / "twin.zip", add={"Submission.docx": b"a different document"})
    refused(cli, twin, "submission.docx: refused: same name as Submission.docx on a disk that ignores case")


def test_an_encrypted_entry_is_refused_with_its_name_not_an_internal_error(cli, pack, tmp_path):
    copy = tmp_path / "encrypted.zip"
    copy.write_bytes(pack.read_bytes())
    refused(cli, patch_entry(copy, "submission.docx", flags=0x1), "submission.docx: refused: encrypted")


def test_an_entry_with_an_unknown_compression_method_is_refused_with_its_name(cli, pack, tmp_path):
    copy = tmp_path / "method.zip"
    copy.write_bytes(pack.read_bytes())
    refused(cli, patch_entry(copy, "submission.docx", method=99), "submission.docx: refused: compressed with method 99")


def test_an_entry_that_expands_far_beyond_its_compressed_size_is_not_read(cli, pack, tmp_path):
    info = unix_entry("evidence/zeros.bin", 0o100644)
    info.compress_type = zipfile.ZIP_DEFLATED
    bomb = with_entry(pack, tmp_path / "bomb.zip", info, bytes(40 * 2**20))
    refused(cli, bomb, "evidence/zeros.bin: refused: would expand")


def test_entries_that_together_expand_beyond_what_the_zip_can_hold_are_not_read(cli, tmp_path):
    many = tmp_path / "many.zip"
    with zipfile.ZipFile(many, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for k in range(300):
            archive.writestr(f"evidence/part{k:03}.bin", bytes(2**20))
    refused(cli, many, "many.zip: refused: its entries would expand to 314572800 bytes")


def test_a_manifest_listing_one_entry_many_times_is_refused_and_the_entry_read_once(cli, pack, tmp_path, monkeypatch):
    with zipfile.ZipFile(pack) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    manifest["files"] = manifest["files"] * 5000
    repeated = rewrite(pack, tmp_path / "repeated.zip", drop="manifest.json", add={"manifest.json": json.dumps(manifest).encode()})
    reads: list[str] = []
    real = verify_module._digest
    monkeypatch.setattr(verify_module, "_digest", lambda archive, info: reads.append(info.filename) or real(archive, info))
    refused(cli, repeated, "submission.docx: refused: the manifest lists it 5000 times")
    assert sorted(reads) == sorted(set(reads))


def test_a_fifo_named_like_a_pack_is_refused_without_blocking(cli, tmp_path):
    fifo = tmp_path / "pack.zip"
    os.mkfifo(fifo)
    result = cli("verify", str(fifo))
    assert result.code == 1
    assert "pack.zip: not a regular file" in result.out


def test_data_appended_after_the_end_of_the_zip_is_refused(cli, pack, tmp_path):
    appended = tmp_path / "appended.zip"
    appended.write_bytes(pack.read_bytes() + b"a second payload after the directory")
    refused(cli, appended, "appended.zip: refused: other data follows the end of the ZIP")


# --- manifest.json is one model: the builder writes it, the verifier reads it back through it (docs/design.md, section 6)

DOCUMENTED_MANIFEST = {"schema", "service", "framework", "as_of", "files", "indicators"}


def manifest_of(pack) -> dict:
    with zipfile.ZipFile(pack) as archive:
        return json.loads(archive.read("manifest.json"))


def with_manifest(pack, target, data: dict):
    with zipfile.ZipFile(pack) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            new.writestr(info, json.dumps(data).encode() if info.filename == "manifest.json" else old.read(info))
    return target


def test_the_written_manifest_has_the_documented_keys_and_reads_back_as_the_model(pack):
    data = manifest_of(pack)
    assert set(data) == DOCUMENTED_MANIFEST
    assert {field.alias or name for name, field in PackManifest.model_fields.items()} == DOCUMENTED_MANIFEST | {"supersedes"}
    assert PackManifest.model_validate(data).model_dump(mode="json", by_alias=True, exclude={"supersedes"}) == data


def test_a_file_size_written_as_text_is_refused_by_the_model(cli, pack, tmp_path):
    data = manifest_of(pack)
    data["files"][0]["bytes"] = str(data["files"][0]["bytes"])
    result = cli("verify", str(with_manifest(pack, tmp_path / "text.zip", data)))
    assert result.code == 1
    assert "manifest.json: unreadable: 'files' must list {path, bytes, sha256} objects" in result.out


def test_another_schema_or_an_unknown_key_is_not_our_manifest(cli, pack, tmp_path):
    data = manifest_of(pack)
    other = with_manifest(pack, tmp_path / "other.zip", {**data, "schema": "rsqm/pack@9"})
    assert "manifest.json: unreadable: not an rsqm/pack@1 manifest" in cli("verify", str(other)).out
    extra = with_manifest(pack, tmp_path / "extra.zip", {**data, "signed_off_by": "P07"})
    result = cli("verify", str(extra))
    assert result.code == 1 and "manifest.json: unreadable:" in result.out
