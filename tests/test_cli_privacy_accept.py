"""rsqm privacy accept: a reviewed false positive recorded by command, with its scope, and honoured by the pre-flight.

The service's own name and its public contacts are never findings as a document's author.
"""

from __future__ import annotations

import pytest
import yaml

from pack_fixtures import filled
from privacy_corpus import docx_author
from rsqm.workspace.store import read_change_log

REVIEW = "evidence/privacy-review.yaml"


@pytest.fixture
def flagged(ws):
    """A filled workspace whose supervision document (E004) names a person as its author."""
    full = filled(ws)
    full.file("files/supervision.docx", docx_author("Ottilie Quenby"))
    return full


def export_check(cli, root):
    return cli("export", "-w", str(root), "--check")


def test_the_finding_blocks_until_accepted_everywhere(cli, flagged):
    assert export_check(cli, flagged.root).code == 1
    result = cli("privacy", "accept", "Ottilie Quenby", "--reason", "the name of the policy's published author", "--everywhere",
                 "-w", str(flagged.root), "--by", "coord")
    assert result.code == 0, result.text
    assert "accepted 'Ottilie Quenby' everywhere" in result.out
    (entry,) = yaml.safe_load((flagged.root / REVIEW).read_text())["accepted"]
    assert (entry["what"], entry["everywhere"], entry["reviewed_by"]) == ("Ottilie Quenby", True, "coord")
    assert "where" not in entry
    assert read_change_log(flagged.root)[0].change == "privacy finding accepted"
    assert export_check(cli, flagged.root).code == 0


@pytest.mark.parametrize("where", ["evidence/files/supervision.docx", "E004", "evidence/files", "evidence/files/"])
def test_a_file_an_evidence_id_or_a_folder_is_a_scope(cli, flagged, where):
    result = cli("privacy", "accept", "Ottilie Quenby", "--reason", "published author", "--where", where, "-w", str(flagged.root))
    assert result.code == 0, result.text
    assert export_check(cli, flagged.root).code == 0


def test_a_scope_elsewhere_does_not_hide_the_finding(cli, flagged):
    assert cli("privacy", "accept", "Ottilie Quenby", "--reason", "published author", "--where", "evidence/narratives",
               "-w", str(flagged.root)).code == 0
    assert export_check(cli, flagged.root).code == 1


@pytest.mark.parametrize(("args", "code", "message"), [
    (["--reason", "x", "--where", "evidence/nowhere.docx"], 1, "no such file, folder or evidence id"),
    (["--reason", "x", "--where", "../outside"], 1, "name a file or folder inside the workspace"),
    (["--reason", "  ", "--everywhere"], 1, "--reason is empty"),
    (["--reason", "x"], 2, "one of the arguments --where --everywhere is required"),
    (["--reason", "x", "--where", "E004", "--everywhere"], 2, "not allowed with argument"),
])
def test_refusals_write_nothing(cli, flagged, args, code, message):
    result = cli("privacy", "accept", "Ottilie Quenby", *args, "-w", str(flagged.root))
    assert result.code == code
    assert message in result.err
    assert not (flagged.root / REVIEW).exists()


def test_accepting_the_same_text_in_the_same_scope_twice_is_refused(cli, flagged):
    args = ("privacy", "accept", "Ottilie Quenby", "--reason", "published author", "--everywhere", "-w", str(flagged.root))
    assert cli(*args).code == 0
    again = cli(*args)
    assert again.code == 1 and "already accepted everywhere" in again.err


@pytest.mark.parametrize("author", ["Test Service", "Test Service Team", "TEST SERVICE"])
def test_the_services_own_name_is_never_a_finding_as_an_author(cli, flagged, author):
    flagged.file("files/supervision.docx", docx_author(author))
    result = export_check(cli, flagged.root)
    assert result.code == 0, result.err


def test_a_public_contact_is_never_a_finding_as_an_author(cli, flagged):
    flagged.settings(public_contacts=["Westshire Restorative Justice Hub"])
    flagged.file("files/supervision.docx", docx_author("Westshire Restorative Justice Hub"))
    assert export_check(cli, flagged.root).code == 0


def test_a_person_named_beside_the_service_is_still_a_finding(cli, flagged):
    flagged.file("files/supervision.docx", docx_author("Ottilie Quenby, Test Service"))
    assert export_check(cli, flagged.root).code == 1
