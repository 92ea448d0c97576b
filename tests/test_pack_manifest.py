"""manifest.json is one model: the builder writes it, the verifier reads it back through it (docs/design.md, section 6)."""

from __future__ import annotations

import json
import zipfile

import pytest

from pack_fixtures import filled
from rsqm.pack.manifest import PackManifest

DOCUMENTED = {"schema", "service", "framework", "as_of", "files", "indicators"}


@pytest.fixture
def pack(cli, ws, tmp_path):
    filled(ws)
    out = tmp_path / "pack.zip"
    assert cli("export", "-w", str(ws.root), "--out", str(out)).code == 0
    return out


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
    assert set(data) == DOCUMENTED
    assert {field.alias or name for name, field in PackManifest.model_fields.items()} == DOCUMENTED | {"supersedes"}
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
