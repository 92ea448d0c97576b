"""rsqm export --out: never overwrites a pack unasked, never writes into the folders a pack is built from."""

from __future__ import annotations

import zipfile

import pytest
from test_cli_export import export

from pack_fixtures import filled


def test_an_existing_file_is_not_overwritten_without_force(cli, ws, tmp_path):
    full = filled(ws)
    out = tmp_path / "pack.zip"
    out.write_bytes(b"last week's pack")
    result = export(cli, full.root, out)
    assert result.code == 1
    assert f"{out} already exists; nothing was written (add --force to replace it)" in result.err
    assert out.read_bytes() == b"last week's pack"
    assert export(cli, full.root, out, "--force").code == 0
    assert zipfile.is_zipfile(out)


@pytest.mark.parametrize("folder", ["evidence", "evidence/files", "standards"])
def test_a_pack_inside_evidence_or_standards_is_refused(cli, ws, folder):
    full = filled(ws)
    out = full.root / folder / "pack.zip"
    out.parent.mkdir(parents=True, exist_ok=True)
    result = export(cli, full.root, out, "--force")
    assert result.code == 2
    assert f"inside the workspace's {folder.split('/')[0]}/ folder; write the pack somewhere else" in result.err
    assert not out.exists()


def test_a_pack_beside_the_workspace_folders_is_fine(cli, ws):
    full = filled(ws)
    assert export(cli, full.root, full.root / "pack.zip").code == 0
