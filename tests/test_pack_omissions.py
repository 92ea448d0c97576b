"""What a pack leaves out, and why: `rsqm export --check` names every registered item that stays out."""

from __future__ import annotations

from builders import item
from pack_fixtures import filled


def check(cli, root):
    return cli("export", "-w", str(root), "--check")


def test_check_lists_every_registered_item_left_out_and_why(cli, ws):
    full = filled(ws)
    result = check(cli, full.root)
    assert result.code == 0, result.text
    lines = result.out.splitlines()
    start = lines.index("left out (3 registered items):")
    assert lines[start + 1:] == [
        "  E005 is draft, not approved",
        "  E006 dated 2023-01-01 is older than 24 months on 2026-06-30 (last counted on 2025-01-01)",
        "  E007 is not linked to any indicator",
    ]


def test_superseded_missing_and_changed_files_are_named_too(cli, ws):
    full = filled(ws)
    full.evidence(*[item(f"E00{n}", file=f"files/x{n}.md", dated="2026-01-01") for n in (1, 2)],
                  item("E003", status="superseded", superseded_by="E001", file="files/x1.md"))
    full.file("files/x1.md", b"one\n")
    result = check(cli, full.root)
    assert "  E002: file evidence/files/x2.md is not on disk" in result.out
    assert "  E003 is superseded by E001" in result.out


def test_nothing_left_out_says_nothing(cli, ws):
    ws.file("files/p.md", b"policy\n")
    ws.evidence(item(file="files/p.md"))
    result = check(cli, ws.root)
    assert result.code == 0
    assert "left out" not in result.out
