"""rsqm concern resolve: a resolved safeguarding concern is recorded and no longer counts as open."""

from __future__ import annotations

import json

import yaml
from test_cli_audit import complete, drawn

from rsqm.server.access import Role, View
from rsqm.workspace.load import load_workspace
from rsqm.workspace.store import read_change_log


def with_concern(ws, cli) -> str:
    sampled, _ = drawn(ws, cli)
    complete(ws, sampled[0], {"risk_checked": "met"}, concern=True)
    complete(ws, sampled[1], {"risk_checked": "met"})
    return sampled


def test_resolving_a_concern_records_who_when_and_what_was_done(ws, cli, monkeypatch):
    monkeypatch.setenv("RSQM_USER", "P04")
    sampled = with_concern(ws, cli)
    result = cli("concern", "resolve", sampled[0], "--note", "Referred under the safeguarding procedure", "--on", "2026-02-01", "-w", str(ws.root))
    assert result.code == 0, result.text
    rel = f"evidence/audits/{sampled[0]}.yaml"
    assert f"resolved the safeguarding concern in {sampled[0]} on 2026-02-01 ({rel})" in result.out
    data = yaml.safe_load((ws.root / rel).read_text())
    assert (data["resolved_on"], data["resolved_by"], data["resolution_note"]) == ("2026-02-01", "P04", "Referred under the safeguarding procedure")
    assert data["safeguarding_concern"] is True  # raised stays raised
    entry = read_change_log(ws.root)[0]
    assert (entry.who, entry.file, entry.change, entry.item) == ("P04", rel, "safeguarding concern resolved", sampled[0])
    assert cli("validate", "-w", str(ws.root)).code == 0


def test_open_concerns_count_on_the_overview_and_resolved_ones_do_not(ws, cli):
    sampled = with_concern(ws, cli)
    assert View(load_workspace(ws.root), Role.leadership).overview().safeguarding_concerns == 1
    cli("concern", "resolve", sampled[0], "--note", "Done", "--by", "P04", "-w", str(ws.root))
    assert View(load_workspace(ws.root), Role.leadership).overview().safeguarding_concerns == 0
    data = json.loads(cli("audit-summary", "--json", "-w", str(ws.root)).out)
    assert (data["safeguarding_concerns"], data["open_safeguarding_concerns"]) == (1, 0)
    assert "Open safeguarding concerns: 0 (raised: 1)" in cli("audit-summary", "-w", str(ws.root)).out


def test_resolve_refuses_what_it_cannot_resolve_and_writes_nothing(ws, cli):
    sampled = with_concern(ws, cli)
    for case_ref, note, message in [
        (sampled[1], "x", "no safeguarding concern was raised in this audit"),
        (sampled[2], "x", f"case {sampled[2]} has no audit record"),
        (sampled[0], " ", "--note is empty"),
    ]:
        result = cli("concern", "resolve", case_ref, "--note", note, "--by", "P04", "-w", str(ws.root))
        assert result.code == 1 and message in result.err, result.text
    cli("concern", "resolve", sampled[0], "--note", "Done", "--by", "P04", "-w", str(ws.root))
    again = cli("concern", "resolve", sampled[0], "--note", "Again", "--by", "P04", "-w", str(ws.root))
    assert again.code == 1 and "already resolved" in again.err
    assert cli("concern", "resolve", sampled[0], "-w", str(ws.root)).code == 2  # --note is required


def test_a_resolution_without_a_concern_is_a_validation_error(ws, cli):
    sampled = with_concern(ws, cli)
    path = ws.root / f"evidence/audits/{sampled[1]}.yaml"
    path.write_text(path.read_text() + "resolved_on: 2026-02-01\n")
    result = cli("validate", "-w", str(ws.root))
    assert result.code == 1
    assert "a concern is marked resolved (the date resolved 2026-02-01) but no safeguarding concern was raised" in result.out
