"""The dashboard's privacy behaviour: a warning when personal data is saved, and accepting a reviewed finding."""

from __future__ import annotations

from pathlib import Path

import test_ui_apptest as dashboard
import yaml

from rsqm.workspace.store import read_change_log

button, open_page = dashboard.button, dashboard.open_page
workspace = dashboard.workspace  # the fixture: a copy of the demo workspace the app opens


def test_saving_a_narrative_with_a_phone_number_warns_but_keeps_the_text(workspace: Path) -> None:
    at = open_page("coordinator", "standards")
    next(s for s in at.selectbox if s.label == "Standard").set_value("6").run()
    area = next(t for t in at.text_area if t.label == "Narrative (Markdown)")
    area.set_value("Insurance queries to Mr Thistlewood on 07700 900123.")
    button(at, "Save narrative").click().run()
    assert not at.exception
    assert "07700 900123" in (workspace / "evidence/narratives/rjc-service-provider/6.1.md").read_text()
    warning = at.warning[0].value
    assert "looks like it holds personal data" in warning
    assert "UK phone number '07700 900123'" in warning and "personal name 'Mr Thistlewood'" in warning


def test_accepting_a_finding_on_the_export_page_records_who_and_why_then_the_pack_passes(workspace: Path) -> None:
    narrative = workspace / "evidence/narratives/1.2.md"
    narrative.write_text(narrative.read_text() + "\nOur office is at EX1 1AA.\n")
    at = open_page("coordinator", "export")
    at.button(key="export_check").click().run()
    assert "UK postcode 'EX1 1AA'" in at.error[0].value
    at.text_input(key="privacy_accept_why").set_value("the service's own office, printed on every leaflet")
    at.button(key="privacy_accept_submit").click().run()
    assert not at.exception
    review = yaml.safe_load((workspace / "evidence/privacy-review.yaml").read_text())
    assert review["accepted"] == [{"what": "EX1 1AA", "where": "evidence/narratives/1.2.md", "reviewed_by": "coordinator (demo)",
                                   "reviewed_on": review["accepted"][0]["reviewed_on"],
                                   "why": "the service's own office, printed on every leaflet"}]
    entry = read_change_log(workspace, 1)[0]
    assert (entry.change, entry.item) == ("privacy finding accepted", "evidence/narratives/1.2.md")
    at.button(key="export_check").click().run()
    assert not at.error and "Pre-flight passed" in at.success[0].value
