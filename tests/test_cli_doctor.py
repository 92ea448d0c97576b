"""rsqm doctor at the terminal: one line per finding; exit 1 when anything must be fixed."""

from __future__ import annotations

import re


def lines_by_topic(out: str) -> dict[str, str]:
    return {match[2]: match[1] for match in re.finditer(r"^(ok|warn|FAIL)\s+(\S+)", out, re.M)}


def test_a_fresh_copy_with_no_backup_and_an_open_private_folder_fails(demo_copy, cli):
    (demo_copy / ".rsqm").mkdir(mode=0o755)
    (demo_copy / ".rsqm").chmod(0o755)
    result = cli("doctor", "-w", str(demo_copy))
    assert result.code == 1
    assert lines_by_topic(result.out) == {
        "versions": "ok", "workspace": "ok", ".rsqm/": "FAIL", "accounts": "warn", "bind": "ok", "backup": "FAIL", "leftovers": "ok", "disk": "ok",
    }
    assert f"chmod 700 {demo_copy.resolve()}/.rsqm" in result.out and "rsqm backup --out" in result.out


def test_after_a_backup_with_a_private_folder_only_the_missing_accounts_remain(demo_copy, tmp_path, cli):
    assert cli("backup", "-w", str(demo_copy), "--out", str(tmp_path / "a.tar.zst")).code == 0
    (demo_copy / ".rsqm").chmod(0o700)
    for file in (demo_copy / ".rsqm").iterdir():
        file.chmod(0o600)
    result = cli("doctor", "-w", str(demo_copy))
    assert result.code == 0, result.out
    assert lines_by_topic(result.out)["backup"] == "ok" and str(tmp_path / "a.tar.zst") in result.out
    exposed = cli("doctor", "-w", str(demo_copy), "--host", "0.0.0.0")
    assert exposed.code == 1 and lines_by_topic(exposed.out)["bind"] == "FAIL"
