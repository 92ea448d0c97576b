"""rsqm verify accepts only the layout rsqm export writes (issue 33): crafted packs, byte by byte.

Each attack starts from a real pack and rebuilds it with the ZIP records
written here by hand, so a field can say something the data does not. The
first test checks the hand-written records reproduce the real pack exactly,
so every difference in an attack is the one the attack makes.
"""

from __future__ import annotations

import base64
import json
import os
import struct
import zipfile
import zlib
from dataclasses import dataclass, field, replace

import pytest

import rsqm.pack.verify as verify_module
from pack_fixtures import filled
from rsqm.pack.signing import normalise_fingerprint

LOCAL = struct.Struct("<4sHHHHHLLLHH")
CENTRAL = struct.Struct("<4sBBBBHHHHLLLHHHHHLL")
END = struct.Struct("<4sHHHHLLH")
END64 = struct.Struct("<4sQHHLLQQQQ")
LOCATOR = struct.Struct("<4sLQL")
FILE_MODE = 0o100644 << 16


@dataclass
class Raw:
    """One entry as it lies in the file; ``local`` overrides fields of the local header only."""

    name: bytes
    method: int
    time: int
    date: int
    crc: int
    size: int
    data: bytes  # the compressed bytes as stored
    csize: int | None = None  # declared compressed size (default: len(data))
    flags: int = 0
    external: int = FILE_MODE
    local_extra: bytes = b""
    central_extra: bytes = b""
    local: dict = field(default_factory=dict)
    before: bytes = b""  # other bytes placed just before the local header

    @property
    def declared(self) -> int:
        return len(self.data) if self.csize is None else self.csize

    def local_bytes(self) -> bytes:
        o = self.local
        name = o.get("name", self.name)
        header = LOCAL.pack(b"PK\x03\x04", 20, o.get("flags", self.flags), o.get("method", self.method), self.time, self.date,
                            o.get("crc", self.crc), o.get("csize", self.declared), o.get("size", self.size), len(name),
                            len(self.local_extra))
        return header + name + self.local_extra + self.data

    def central_bytes(self, offset: int) -> bytes:
        return CENTRAL.pack(b"PK\x01\x02", 20, 3, 20, 0, self.flags, self.method, self.time, self.date, self.crc,
                            self.declared, self.size, len(self.name), len(self.central_extra), 0, 0, 0, self.external,
                            offset) + self.name + self.central_extra


def entries_of(pack) -> list[Raw]:
    data = pack.read_bytes()
    raws = []
    with zipfile.ZipFile(pack) as archive:
        for info in archive.infolist():
            start = info.header_offset + 30 + len(info.filename.encode())
            time = info.date_time[3] << 11 | info.date_time[4] << 5 | info.date_time[5] // 2
            date = (info.date_time[0] - 1980) << 9 | info.date_time[1] << 5 | info.date_time[2]
            raws.append(Raw(info.filename.encode(), info.compress_type, time, date, info.CRC, info.file_size,
                            data[start : start + info.compress_size]))
    return raws


def layout(entries: list[Raw], base: int = 0) -> tuple[bytes, bytes]:
    """The local entries and the central directory for them (offsets counted from ``base``)."""
    body, directory = bytearray(), bytearray()
    for entry in entries:
        body += entry.before
        offset = base + len(body)
        body += entry.local_bytes()
        directory += entry.central_bytes(offset)
    return bytes(body), bytes(directory)


def assemble(entries: list[Raw], *, before_directory: bytes = b"", count: int | None = None) -> bytes:
    body, directory = layout(entries)
    body += before_directory
    n = len(entries) if count is None else count
    return body + directory + END.pack(b"PK\x05\x06", 0, 0, n, n, len(directory), len(body), 0)


def stored(name: str, content: bytes, like: Raw) -> Raw:
    return Raw(name.encode(), 0, like.time, like.date, zlib.crc32(content), len(content), content)


def deflated(name: str, content: bytes, like: Raw) -> Raw:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return Raw(name.encode(), 8, like.time, like.date, zlib.crc32(content), len(content), packer.compress(content) + packer.flush())


def content(raw: Raw) -> bytes:
    return raw.data if raw.method == 0 else zlib.decompress(raw.data, -15)


def at(entries: list[Raw], prefix: str) -> int:
    return next(k for k, e in enumerate(entries) if e.name.decode().startswith(prefix))


@pytest.fixture
def signed(cli, ws, tmp_path):
    filled(ws)
    assert cli("keys", "new", "-w", str(ws.root)).code == 0
    out = tmp_path / "signed.zip"
    assert cli("export", "-w", str(ws.root), "--out", str(out), "--sign").code == 0
    return out


def key_of(cli, ws) -> str:
    shown = cli("keys", "show", "-w", str(ws.root)).out
    return next(f for word in shown.split() if (f := normalise_fingerprint(word)))


def refused(cli, tmp_path, data: bytes, *expected: str, key: str | None = None) -> str:
    crafted = tmp_path / "crafted.zip"
    crafted.write_bytes(data)
    result = cli("verify", str(crafted), *(["--key", key] if key else []))
    assert result.code == 1, result.text
    assert "pack NOT intact" in result.out
    assert "Traceback" not in result.text and "internal error" not in result.text
    for text in expected:
        assert text in result.out, result.out
    return result.out


def test_the_hand_written_records_reproduce_a_real_pack_byte_for_byte(pack):
    assert assemble(entries_of(pack)) == pack.read_bytes()


def test_a_genuine_pack_verifies_and_names_its_service_date_and_signing_key(cli, signed, ws):
    fingerprint = key_of(cli, ws)
    result = cli("verify", str(signed), "--key", fingerprint)
    assert result.code == 0, result.text
    lines = result.out.splitlines()
    assert lines[0].startswith("pack intact: ")
    assert "service: " in result.out and lines[1] != "service: "
    assert "as of: 20" in result.out
    assert f"signature valid: the manifest was signed by the key {fingerprint}" in result.out


def test_an_unsigned_pack_says_so_when_it_verifies(cli, pack):
    result = cli("verify", str(pack))
    assert result.code == 0
    assert "not signed" in result.out


def test_two_central_directories_one_behind_a_zip64_locator_are_refused(cli, pack, tmp_path):
    genuine = entries_of(pack)
    victim = at(genuine, "evidence/E002")
    body, directory = layout(genuine)
    tampered = stored(genuine[victim].name.decode(), b"Training log: nobody was trained.\n", genuine[victim])
    tampered_at = len(body)
    tampered_local = tampered.local_bytes()
    genuine_at = tampered_at + len(tampered_local)
    other = bytearray()
    offsets = {e.name: None for e in genuine}
    position = 0
    for entry in genuine:
        offsets[entry.name] = position
        position += len(entry.local_bytes())
    for entry in genuine:
        other += tampered.central_bytes(tampered_at) if entry.name == tampered.name else entry.central_bytes(offsets[entry.name])
    other_at = genuine_at + len(directory)
    n = len(genuine)
    record_at = other_at + len(other)
    data = (body + tampered_local + directory + bytes(other)
            + END64.pack(b"PK\x06\x06", 44, 45, 45, 0, 0, n, n, len(directory), genuine_at)
            + LOCATOR.pack(b"PK\x06\x07", 0, record_at, 1)
            + END.pack(b"PK\x05\x06", 0, 0, n, n, len(other), other_at, 0))
    out = refused(cli, tmp_path, data, "crafted.zip: refused: ", "zip64")
    assert "intact" not in out.replace("NOT intact", "")


def test_stored_data_longer_than_its_declared_size_is_refused(cli, pack, tmp_path):
    entries = entries_of(pack)
    k = at(entries, "submission.docx")
    longer = entries[k].data + b"<script>payload</script>"
    entries[k] = replace(entries[k], data=longer, csize=len(entries[k].data),
                         local={"csize": len(longer), "size": len(longer), "crc": zlib.crc32(longer)})
    refused(cli, tmp_path, assemble(entries), "submission.docx: refused: its local header differs from the central directory")


def test_stored_data_longer_than_declared_in_both_headers_is_refused_as_a_gap(cli, pack, tmp_path):
    entries = entries_of(pack)
    k = at(entries, "submission.docx")
    entries[k] = replace(entries[k], data=entries[k].data + b"extra bytes", csize=len(entries[k].data))
    refused(cli, tmp_path, assemble(entries), "11 bytes of other data lie between the last entry and the central directory")


def test_a_deflate_stream_longer_than_its_declared_size_is_refused(cli, pack, tmp_path):
    entries = entries_of(pack)
    k = at(entries, "evidence/E001")
    original = content(entries[k])
    longer = deflated(entries[k].name.decode(), original + b"\nand a paragraph nobody signed off.\n", entries[k])
    entries[k] = replace(longer, crc=zlib.crc32(original), size=len(original))  # headers declare the original
    refused(cli, tmp_path, assemble(entries), "evidence/E001-restorative-justice-policy-procedure.md: modified: its data holds more than")


def test_a_local_header_whose_method_differs_from_the_central_directory_is_refused(cli, pack, tmp_path):
    entries = entries_of(pack)
    k = at(entries, "evidence/E002")
    raw = content(entries[k])
    entries[k] = replace(entries[k], data=raw, csize=len(raw), local={"method": 0})
    out = refused(cli, tmp_path, assemble(entries), "evidence/E002-training-log.md: refused: its local header differs")
    assert "method 0 in the local header, 8 in the directory" in out


def test_a_complete_local_entry_outside_the_central_directory_is_refused(cli, pack, tmp_path):
    entries = entries_of(pack)
    k = at(entries, "evidence/E003")
    hidden = stored("evidence/E002-training-log.md", b"a second, different training log\n", entries[k]).local_bytes()
    entries[k] = replace(entries[k], before=hidden)
    refused(cli, tmp_path, assemble(entries), f"evidence/E003-refresher-training.md: refused: {len(hidden)} bytes of other data",
            "it holds a local file header")


def test_a_gap_between_entries_is_refused(cli, pack, tmp_path):
    entries = entries_of(pack)
    k = at(entries, "manifest.json")
    entries[k] = replace(entries[k], before=bytes(100))
    refused(cli, tmp_path, assemble(entries), "manifest.json: refused: 100 bytes of other data lie between it and the entry before")


def test_a_gap_before_the_central_directory_is_refused(cli, pack, tmp_path):
    data = assemble(entries_of(pack), before_directory=b"hidden notes" * 10)
    refused(cli, tmp_path, data, "crafted.zip: refused: 120 bytes of other data lie between the last entry and the central directory")


def test_a_large_local_extra_field_is_refused(cli, pack, tmp_path):
    entries = entries_of(pack)
    k = at(entries, "evidence/E001")
    entries[k] = replace(entries[k], local_extra=struct.pack("<HH", 0xCAFE, 3996) + bytes(3996))
    refused(cli, tmp_path, assemble(entries), "evidence/E001-restorative-justice-policy-procedure.md: refused: its local header "
            "carries 4000 bytes of extra fields")


def test_a_large_central_extra_field_is_refused(cli, pack, tmp_path):
    entries = entries_of(pack)
    k = at(entries, "evidence/E001")
    entries[k] = replace(entries[k], central_extra=struct.pack("<HH", 0xCAFE, 1996) + bytes(1996))
    refused(cli, tmp_path, assemble(entries), "evidence/E001-restorative-justice-policy-procedure.md: refused: carries 2000 bytes of extra fields")


@pytest.mark.parametrize("count", [5, 8, 0xFFFF])
def test_an_end_record_that_miscounts_the_entries_is_refused(cli, pack, tmp_path, count):
    entries = entries_of(pack)
    refused(cli, tmp_path, assemble(entries, count=count),
            f"crafted.zip: refused: its end record counts {count} entries but the central directory holds {len(entries)}")


def test_an_empty_folder_entry_is_refused(cli, pack, tmp_path):
    entries = entries_of(pack)
    k = at(entries, "evidence/E001")
    entries.insert(k, replace(stored("evidence/", b"", entries[k]), external=0o40755 << 16))
    refused(cli, tmp_path, assemble(entries), "evidence/: refused: a folder entry; rsqm export writes files only")


def test_a_folder_entry_with_data_is_refused(cli, pack, tmp_path):
    entries = entries_of(pack)
    k = at(entries, "evidence/E001")
    entries.insert(k, replace(stored("evidence/", b"hidden payload", entries[k]), external=0o40755 << 16))
    refused(cli, tmp_path, assemble(entries), "evidence/: refused: a folder entry that holds 14 bytes")


def test_a_folder_entry_with_a_files_local_header_is_refused(cli, pack, tmp_path):
    entries = entries_of(pack)
    k = at(entries, "evidence/E001")
    payload = b"what unzip writes as a file"
    folder = replace(stored("evidence/", b"", entries[k]), data=payload, csize=0,
                     local={"name": b"evidence/E000-hidden.md", "csize": len(payload), "size": len(payload),
                            "crc": zlib.crc32(payload)})
    entries.insert(k, folder)
    refused(cli, tmp_path, assemble(entries), "evidence/: refused: its local header differs from the central directory",
            "evidence/: refused: a folder entry")


def test_entries_out_of_order_are_refused(cli, pack, tmp_path):
    entries = entries_of(pack)
    first, second = at(entries, "evidence/E001"), at(entries, "evidence/E002")
    entries[first], entries[second] = entries[second], entries[first]
    refused(cli, tmp_path, assemble(entries), "evidence/E001-restorative-justice-policy-procedure.md: refused: out of order")


def test_an_entry_dated_otherwise_than_export_dates_them_is_refused(cli, pack, tmp_path):
    entries = entries_of(pack)
    k = at(entries, "evidence/E002")
    entries[k] = replace(entries[k], time=12 << 11)
    refused(cli, tmp_path, assemble(entries), "evidence/E002-training-log.md: refused: dated ", "12:00:00")


def test_an_entry_with_a_data_descriptor_flag_is_refused(cli, pack, tmp_path):
    entries = entries_of(pack)
    k = at(entries, "evidence/E002")
    entries[k] = replace(entries[k], flags=0x8)
    refused(cli, tmp_path, assemble(entries), "evidence/E002-training-log.md: refused: has flag bits 0x0008")


def test_an_entry_with_other_file_attributes_is_refused(cli, pack, tmp_path):
    entries = entries_of(pack)
    k = at(entries, "evidence/E002")
    entries[k] = replace(entries[k], external=0o100755 << 16)
    refused(cli, tmp_path, assemble(entries), "evidence/E002-training-log.md: refused: has file attributes")


def test_a_stored_text_file_that_export_would_deflate_is_refused(cli, pack, tmp_path):
    entries = entries_of(pack)
    k = at(entries, "evidence/E002")
    entries[k] = stored(entries[k].name.decode(), content(entries[k]), entries[k])
    refused(cli, tmp_path, assemble(entries), "evidence/E002-training-log.md: refused: is stored, but rsqm export writes a file of this type deflated")


def written_before_stored_formats(entries: list[Raw]) -> list[Raw]:
    """The pack as rsqm export wrote it before 29 November 2026: every entry deflated, PDFs and Office files too."""
    return [deflated(e.name.decode(), content(e), e) if e.method == 0 else e for e in entries]


def test_a_pack_written_before_pdfs_and_office_files_were_stored_verifies_with_its_key(cli, signed, ws, tmp_path):
    entries = entries_of(signed)
    assert any(e.method == 0 for e in entries)  # the pack holds a stored file for the older form to differ in
    older = tmp_path / "older.zip"
    older.write_bytes(assemble(written_before_stored_formats(entries)))
    result = cli("verify", str(older), "--key", key_of(cli, ws))
    assert result.code == 0, result.text
    assert "form: every file deflated, as rsqm wrote packs before 29 November 2026" in result.out
    assert "signature valid" in result.out
    assert "form:" not in cli("verify", str(signed)).out


def test_a_pack_mixing_the_older_and_the_current_form_is_refused(cli, signed, tmp_path):
    entries = entries_of(signed)
    k = at(entries, "submission")  # stored as export stores it now; every other stored file deflated as before
    mixed = written_before_stored_formats(entries)
    mixed[k] = entries[k]
    redeflated = [e.name.decode() for j, e in enumerate(entries) if e.method == 0 and j != k]
    assert entries[k].method == 0 and redeflated
    refused(cli, tmp_path, assemble(mixed), *(f"{name}: refused: is deflated, but rsqm export writes a file of this type stored" for name in redeflated))


def with_signature(entries: list[Raw], signature: bytes) -> bytes:
    k = at(entries, "manifest.sig")
    entries[k] = deflated("manifest.sig", signature, entries[k])
    return assemble(entries)


def test_a_signature_file_with_a_false_fingerprint_field_is_refused(cli, signed, ws, tmp_path):
    fingerprint = key_of(cli, ws)
    entries = entries_of(signed)
    data = json.loads(content(entries[at(entries, "manifest.sig")]))
    data["fingerprint"] = "0" * 4 + fingerprint[4:]
    crafted = with_signature(entries, (json.dumps(data, indent=2) + "\n").encode())
    refused(cli, tmp_path, crafted, "manifest.sig: refused: its fingerprint field says 0000", key=fingerprint)
    refused(cli, tmp_path, crafted, "manifest.sig: refused: its fingerprint field says 0000")


def test_a_signature_file_with_bytes_after_it_is_refused(cli, signed, ws, tmp_path):
    fingerprint = key_of(cli, ws)
    entries = entries_of(signed)
    genuine = content(entries[at(entries, "manifest.sig")])
    crafted = with_signature(entries, genuine + b" " * 1000)
    refused(cli, tmp_path, crafted, "manifest.sig: refused: not laid out exactly as rsqm writes it", key=fingerprint)


def test_a_signature_file_with_an_extra_key_is_refused(cli, signed, tmp_path):
    entries = entries_of(signed)
    data = json.loads(content(entries[at(entries, "manifest.sig")]))
    data["note"] = base64.b64encode(b"x").decode()
    crafted = with_signature(entries, (json.dumps(data, indent=2) + "\n").encode())
    refused(cli, tmp_path, crafted, "manifest.sig: unreadable: not an rsqm/signature@1 file (note: extra inputs are not permitted)")


def test_a_genuine_pack_beyond_the_zip64_limit_still_verifies(cli, ws, tmp_path, monkeypatch):
    """A pack whose central directory lies beyond zipfile's zip64 limit gets zip64 end records: that form is accepted."""
    import rsqm.pack.build as build_module

    filled(ws)
    real = build_module.write_zip

    def small_limit(target, *args, **kwargs):  # the pack itself only, not the documents written inside it
        monkeypatch.setattr(zipfile, "ZIP64_LIMIT", 100_000)  # above its largest entry, below its directory's offset
        try:
            return real(target, *args, **kwargs)
        finally:
            monkeypatch.setattr(zipfile, "ZIP64_LIMIT", (1 << 31) - 1)

    monkeypatch.setattr(build_module, "write_zip", small_limit)
    monkeypatch.setattr(verify_module, "ZIP64_LIMIT", 100_000)
    out = tmp_path / "big.zip"
    assert cli("export", "-w", str(ws.root), "--out", str(out)).code == 0
    assert b"PK\x06\x07" in out.read_bytes()[-42:]
    result = cli("verify", str(out))
    assert result.code == 0, result.text


def test_a_folder_named_like_a_pack_is_refused_plainly(cli, tmp_path):
    folder = tmp_path / "x.zip"
    folder.mkdir()
    result = cli("verify", str(folder))
    assert result.code == 1
    assert "x.zip: a folder, not a pack" in result.out
    assert "internal error" not in result.text and "Traceback" not in result.text


@pytest.mark.timeout(20)
def test_a_device_given_as_a_pack_is_refused_without_reading_it(cli):
    result = cli("verify", os.devnull)
    assert result.code == 1
    assert "not a regular file" in result.out
