"""rsqm verify: an assessor checks the pack with nothing but the ZIP."""

from __future__ import annotations

import zipfile

import pytest

from pack_fixtures import filled


@pytest.fixture
def pack(cli, ws, tmp_path):
    filled(ws)
    out = tmp_path / "pack.zip"
    assert cli("export", "-w", str(ws.root), "--out", str(out)).code == 0
    return out


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
    assert result.out.strip() == "pack intact: 6 files verified"


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
