"""Packs that were sent stay sent.

``rsqm submit PACK.zip --by NAME`` keeps a read-only copy with its SHA-256, the day, draft or final, and who sent it;
``rsqm submitted`` lists them with where each copy is; building again never replaces one.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile

import pytest

from pack_fixtures import filled


@pytest.fixture
def full(ws):
    return filled(ws)


def export(cli, root, out, *extra):
    result = cli("export", "-w", str(root), "--out", str(out), "--as-of", "2026-06-30", *extra)
    assert result.code == 0, result.text
    return out


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def listed(cli, root) -> list[dict]:
    result = cli("submitted", "-w", str(root), "--json")
    assert result.code == 0
    return json.loads(result.out)


def test_submit_keeps_a_read_only_copy_with_its_sha256_day_kind_and_sender(cli, full, tmp_path):
    pack = export(cli, full.root, tmp_path / "pack.zip")
    result = cli("submit", str(pack), "--by", "Jo Coordinator", "-w", str(full.root))
    assert result.code == 0, result.text
    assert "as sent on 2026-12-07 (a DRAFT: every page says so) by Jo Coordinator" in result.out
    assert f"SHA-256 {sha(pack)}" in result.out
    [sent] = listed(cli, full.root)
    assert (sent["sha256"], sent["sent_on"], sent["kind"], sent["by"], sent["name"], sent["intact"]) == (
        sha(pack), "2026-12-07", "draft", "Jo Coordinator", "pack.zip", True)
    copy = full.root / sent["copy"]
    assert sent["copy"].startswith(".rsqm/submitted/")  # private: never exported
    assert copy.read_bytes() == pack.read_bytes()
    assert not os.access(copy, os.W_OK) or os.geteuid() == 0
    assert oct(copy.stat().st_mode & 0o777) == "0o444"


def test_building_again_never_replaces_a_sent_pack(cli, full, tmp_path):
    pack = export(cli, full.root, tmp_path / "pack.zip")
    assert cli("submit", str(pack), "-w", str(full.root)).code == 0
    kept = full.root / listed(cli, full.root)[0]["copy"]
    before = kept.read_bytes()
    full.write("evidence/narratives/A2.md", "Every practitioner is trained.\n")
    rebuilt = export(cli, full.root, tmp_path / "pack.zip", "--force")
    assert rebuilt.read_bytes() != before
    assert kept.read_bytes() == before  # byte for byte
    assert cli("submit", str(rebuilt), "-w", str(full.root)).code == 0
    assert [p["sha256"] for p in listed(cli, full.root)] == [hashlib.sha256(before).hexdigest(), sha(rebuilt)]


def test_a_final_pack_is_listed_as_final_and_a_draft_as_a_draft(cli, full, tmp_path):
    draft = export(cli, full.root, tmp_path / "draft.zip")
    full.write("evidence/narratives/A2.md", "Every practitioner is trained.\n")
    final = export(cli, full.root, tmp_path / "final.zip", "--final")
    for pack in (draft, final):
        assert cli("submit", str(pack), "--by", "Jo", "-w", str(full.root)).code == 0
    assert {p["name"]: p["kind"] for p in listed(cli, full.root)} == {"draft.zip": "draft", "final.zip": "final"}
    lines = cli("submitted", "-w", str(full.root)).out.splitlines()
    assert "DRAFT" in next(line for line in lines if "draft.zip" in line)
    assert "DRAFT" not in next(line for line in lines if "final.zip" in line)
    assert lines[-1] == "2 packs sent, 1 of them draft"


def test_submitting_the_same_pack_twice_records_it_once(cli, full, tmp_path):
    pack = export(cli, full.root, tmp_path / "pack.zip")
    assert cli("submit", str(pack), "-w", str(full.root)).code == 0
    again = cli("submit", str(pack), "--by", "Someone else", "-w", str(full.root))
    assert again.code == 0 and "already recorded as sent on 2026-12-07" in again.out
    assert len(listed(cli, full.root)) == 1 and listed(cli, full.root)[0]["by"] == ""


def test_a_pack_that_does_not_match_its_manifest_is_not_recorded(cli, full, tmp_path):
    pack = export(cli, full.root, tmp_path / "pack.zip")
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(pack) as source, zipfile.ZipFile(tampered, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            out.writestr(info, data + b"x" if info.filename.startswith("evidence/") else data)
    result = cli("submit", str(tampered), "-w", str(full.root))
    assert result.code == 1 and "does not match its own manifest" in result.err
    assert listed(cli, full.root) == []


def test_nothing_sent_yet_is_said_plainly(cli, full):
    result = cli("submitted", "-w", str(full.root))
    assert result.code == 0 and "no pack has been recorded as sent yet" in result.out
