"""`rsqm init DIR`: a new workspace that validates at once, and never over an existing one."""

from __future__ import annotations

from rsqm.workspace.load import load_workspace


def test_init_creates_a_workspace_that_validates(tmp_path, cli):
    target = tmp_path / "new"
    result = cli("init", str(target), "--service", "Northshire RJ Hub")
    assert result.code == 0, result.text
    assert (target / "rsqm.yaml").is_file()
    assert (target / "evidence/register.yaml").is_file()
    checked = cli("validate", "-w", str(target))
    assert checked.code == 0, checked.text
    ws = load_workspace(target)
    assert ws.settings.service == "Northshire RJ Hub"
    assert ws.framework is not None and ws.checklist is not None


def test_init_quotes_a_service_name_with_yaml_characters(tmp_path, cli):
    target = tmp_path / "new"
    assert cli("init", str(target), "--service", "O'Brien: #1 [RJ] service").code == 0
    assert load_workspace(target).settings.service == "O'Brien: #1 [RJ] service"


def test_init_refuses_an_existing_workspace_and_changes_nothing(tmp_path, cli):
    target = tmp_path / "new"
    assert cli("init", str(target)).code == 0
    (target / "rsqm.yaml").write_text("schema: rsqm/workspace@1\nservice: Mine\nframework: x\nchecklist: y\n")
    before = {p: p.read_bytes() for p in target.rglob("*") if p.is_file()}
    result = cli("init", str(target))
    assert result.code == 1
    assert "already exists" in result.err
    assert "Traceback" not in result.text
    assert {p: p.read_bytes() for p in target.rglob("*") if p.is_file()} == before


def test_validate_without_a_workspace_is_a_usage_error(tmp_path, cli, monkeypatch):
    monkeypatch.delenv("RSQM_WORKSPACE", raising=False)
    monkeypatch.chdir(tmp_path)
    result = cli("validate")
    assert result.code == 2
    assert "no workspace" in result.err
    assert cli("validate", "-w", str(tmp_path / "missing")).code == 2


def test_the_workspace_can_come_from_the_environment(tmp_path, cli, monkeypatch):
    assert cli("init", str(tmp_path / "env")).code == 0
    monkeypatch.setenv("RSQM_WORKSPACE", str(tmp_path / "env"))
    assert cli("validate").code == 0
