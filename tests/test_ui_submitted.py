"""The dashboard's Submitted packs: only packs marked as sent, each kept as it was sent, a draft labelled a draft."""

from __future__ import annotations

from pathlib import Path

import test_ui_apptest as dashboard

from rsqm.pack.submitted import sent_packs

open_page, page_text = dashboard.open_page, dashboard.page_text
workspace = dashboard.workspace  # the fixture: a copy of the demo workspace the app opens


def test_a_built_pack_is_listed_for_the_assessor_only_once_marked_as_sent_and_is_kept_as_sent(workspace: Path) -> None:
    at = open_page("coordinator", "export")
    at.button(key="export_check").click().run()
    at.button(key="export_build").click().run()
    assert not at.exception and not at.error
    assert "No pack has been sent yet" in page_text(open_page("assessor", "packs"))  # built, not sent

    at.button(key="export_mark_sent").click().run()
    assert not at.exception and "Kept as sent on" in at.success[-1].value
    [sent] = sent_packs(workspace)
    kept = (workspace / sent.copy).read_bytes()

    at.button(key="export_build").click().run()  # building again
    assert (workspace / sent.copy).read_bytes() == kept
    shown = page_text(open_page("assessor", "packs"))
    assert "DRAFT — sent 07 Dec 2026" in shown and "unchanged since it was sent" in shown
