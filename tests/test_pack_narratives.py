"""Narratives for every assessed framework reach the pack.

The service writes its account of an indicator to ``evidence/narratives/<framework>/<id>.md`` (names any file system
accepts); the older ``<id>.md`` and ``<framework>:<id>.md`` files still read. The account is in the document under
that framework's indicator, and validation warns about an account for an indicator no framework has.
"""

from __future__ import annotations

import io
import json
import zipfile

import docx
import pytest

from builders import FRAMEWORK
from pack_fixtures import filled

SECOND = {**FRAMEWORK, "id": "second-fw", "title": "Second framework"}


@pytest.fixture
def two(ws):
    ws.write_yaml("standards/second-fw.yaml", SECOND)
    ws.settings(frameworks=["second-fw"])
    return filled(ws)


def document_text(cli, root, out) -> str:
    result = cli("export", "-w", str(root), "--out", str(out), "--as-of", "2026-06-30")
    assert result.code == 0, result.text
    with zipfile.ZipFile(out) as pack:
        document = docx.Document(io.BytesIO(pack.read("submission.docx")))
    return "\n".join(p.text for p in document.paragraphs)


def after(text: str, heading: str) -> str:
    return text[text.index(heading):]


def test_a_further_frameworks_narrative_in_its_own_folder_is_in_the_document_under_that_framework(cli, two, tmp_path):
    text = document_text(cli, two.root, tmp_path / "before.zip")
    assert "Our second framework account of A2." not in text

    two.write("evidence/narratives/second-fw/A2.md", "Our second framework account of A2.\n")
    text = document_text(cli, two.root, tmp_path / "after.zip")
    assert "Our second framework account of A2." in after(after(text, "Second framework"), "A2 ")


def test_the_older_colon_file_still_reads(cli, two, tmp_path):
    two.write("evidence/narratives/second-fw:B1.md", "Written before the folders.\n")
    assert "Written before the folders." in after(document_text(cli, two.root, tmp_path / "p.zip"), "Second framework")


def test_the_main_frameworks_account_reads_from_its_folder_as_from_the_older_flat_file(cli, two, tmp_path):
    two.write("evidence/narratives/test-fw/A2.md", "Every practitioner is trained and refreshed.\n")
    text = document_text(cli, two.root, tmp_path / "p.zip")
    assert "Every practitioner is trained and refreshed." in text  # the new folder
    assert "Supervisors check risk in every case." in text  # the older evidence/narratives/B1.md


def test_gaps_asks_for_the_account_in_the_frameworks_folder(cli, two):
    result = cli("gaps", "-w", str(two.root), "--json", "--framework", "second-fw")
    actions = [r["action"] for i in json.loads(result.out)["indicators"] for r in i["reasons"] if r["code"] == "no_narrative"]
    assert "write evidence/narratives/second-fw/A1.md explaining how the service meets A1" in actions
    assert not any(":" in action.split()[1] for action in actions)

    two.write("evidence/narratives/second-fw/A1.md", "Our account.\n")
    result = cli("gaps", "-w", str(two.root), "--json", "--framework", "second-fw")
    indicator = next(i for i in json.loads(result.out)["indicators"] if i["id"] == "A1")
    assert "no_narrative" not in [r["code"] for r in indicator["reasons"]]


def test_validate_warns_on_an_account_for_an_indicator_the_framework_does_not_have(cli, two):
    assert "narrative" not in cli("validate", "-w", str(two.root)).text
    two.write("evidence/narratives/second-fw/Z9.md", "An account of nothing.\n")
    two.write("evidence/narratives/no-such-fw/A1.md", "An account for a framework we do not follow.\n")
    result = cli("validate", "-w", str(two.root))
    assert "evidence/narratives/second-fw/Z9.md:1: warning: narrative for an indicator 'Z9' that framework 'second-fw' does not have" in result.text
    assert "evidence/narratives/no-such-fw/A1.md:1: warning: narrative for unknown framework 'no-such-fw'" in result.text


def test_the_privacy_check_reads_a_further_frameworks_account_because_it_leaves_in_the_document(cli, two, tmp_path):
    two.write("evidence/narratives/second-fw/A1.md", "Call us on 07700 900123.\n")
    result = cli("export", "-w", str(two.root), "--out", str(tmp_path / "p.zip"), "--as-of", "2026-06-30")
    assert result.code != 0
    assert "evidence/narratives/second-fw/A1.md:1: error: UK phone number '07700 900123'" in result.err
