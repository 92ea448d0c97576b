from builders import item


def test_fresh_workspace_is_valid(ws, cli):
    result = cli("validate", "-w", str(ws.root))
    assert result.code == 0, result.text
    assert "no problems" in result.out


def test_unknown_indicator_is_reported_at_its_line(ws, cli):
    ws.file("files/E001.pdf")
    ws.evidence(item(links=[{"indicator": "Z9", "locator": "p. 2"}]))
    result = cli("validate", "-w", str(ws.root))
    assert result.code == 1
    assert "evidence/register.yaml:12: error: E001: link to unknown indicator 'Z9'" in result.out
