"""The dashboard's privacy behaviour: a warning when personal data is saved, and accepting a reviewed finding."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import test_ui_apptest as dashboard
import yaml

from privacy_corpus import screenshot, with_parts
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


def with_a_pasted_picture(workspace: Path) -> None:
    """The demo's strategy (E001) with a screenshot pasted in, its approval moved to the file as it now is."""
    document = workspace / "evidence/files/strategy-2025-2028.docx"
    before = hashlib.sha256(document.read_bytes()).hexdigest()
    document.write_bytes(with_parts(document.read_bytes(), {"word/media/image9.png": screenshot()}))
    register = workspace / "evidence/register.yaml"
    register.write_text(register.read_text().replace(before, hashlib.sha256(document.read_bytes()).hexdigest()))


def test_a_picture_is_shown_beside_its_accept_button_and_accepted_everywhere_by_its_hash(workspace: Path) -> None:
    with_a_pasted_picture(workspace)
    digest = hashlib.sha256(screenshot()).hexdigest()
    at = open_page("coordinator", "export")
    at.button(key="export_check").click().run()
    assert f"picture nobody has reviewed, SHA-256 {digest} in word/media/image9.png" in at.error[0].value
    [picture] = at.image  # the picture itself, beside the button, so the person accepts what they have looked at
    assert picture.captions == ["evidence/files/strategy-2025-2028.docx, word/media/image9.png"]
    assert at.button(key="privacy_accept_submit").label == "Accept this picture in every file"
    at.text_input(key="privacy_accept_why").set_value("looked at: a chart of referrals, no one in it")
    at.button(key="privacy_accept_submit").click().run()
    assert not at.exception
    [entry] = yaml.safe_load((workspace / "evidence/privacy-review.yaml").read_text())["accepted"]
    assert (entry["what"], entry["everywhere"], entry["reviewed_by"]) == (digest, True, "coordinator (demo)")
    assert read_change_log(workspace, 1)[0].item == "everywhere"
    at.button(key="export_check").click().run()
    assert not at.error and "Pre-flight passed" in at.success[0].value


@pytest.mark.parametrize("role", ["leadership", "assessor", "commissioner"])
def test_no_other_role_reaches_the_page_that_shows_pictures(workspace: Path, role: str) -> None:
    with_a_pasted_picture(workspace)
    with pytest.raises(ValueError, match="Could not find"):
        open_page(role).switch_page("rsqm/ui/export.py")
