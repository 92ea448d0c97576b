"""Citations checked: every evidence id the pack's words cite is an item in the pack.

``rsqm export --check`` lists each cited id that is not in the pack (retired, unapproved, unknown) and where it is
cited; ``--final`` refuses such a pack; the cover's example id is one the pack holds.
"""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
import yaml

from pack_fixtures import filled


@pytest.fixture
def full(ws):
    return filled(ws)


def check(cli, root, *extra):
    return cli("export", "-w", str(root), "--check", "--as-of", "2026-06-30", *extra)


def test_a_pack_whose_words_cite_only_packed_items_lists_no_dead_citation(cli, full):
    full.write("evidence/narratives/A1.md", "Our policy (E001, section 4.2) sets out the offer.\n")
    result = check(cli, full.root)
    assert result.code == 0
    assert "cited but not in the pack" not in result.out


def test_check_lists_each_cited_item_not_in_the_pack_with_where_and_why(cli, full):
    register = yaml.safe_load((full.root / "evidence/register.yaml").read_text())
    for entry in register["items"]:
        if entry["id"] == "E007":
            entry.update(status="superseded", superseded_by="E001")
    full.evidence(*register["items"])
    full.write("evidence/narratives/A1.md", "Our policy (E001) replaced the old one (E007); the draft (E005) is next.\n")
    full.write("evidence/narratives/B1.md", "Supervision notes (E099) show it.\n")
    result = check(cli, full.root)
    assert result.code == 0
    assert "cited but not in the pack (3 evidence ids; --final refuses them):" in result.out
    assert "E005, cited in evidence/narratives/A1.md: E005 is draft, not approved" in result.out
    assert "E007, cited in evidence/narratives/A1.md: E007 is superseded by E001" in result.out
    assert "E099, cited in evidence/narratives/B1.md: E099 is not in the evidence register on 2026-06-30" in result.out
    assert "E001, cited" not in result.out


def test_an_action_note_and_an_answer_to_the_assessor_are_checked_too(cli, full):
    full.write_yaml("evidence/actions.yaml", {"schema": "rsqm/actions@1", "actions": [
        {"id": "A1", "title": "Write the A2 narrative", "indicator": "A2", "owner": "Coordinator", "note": "see E042"}]})
    full.write_yaml("evidence/requests.yaml", {"schema": "rsqm/requests@1", "requests": [
        {"id": "R1", "raised_on": "2026-05-01", "by": "Assessor", "indicator": "A1", "question": "Where is the policy?",
         "status": "answered", "response": "In E043.", "answered_on": "2026-05-10"}]})
    out = check(cli, full.root).out
    assert "E042, cited in evidence/actions.yaml (action A1)" in out
    assert "E043, cited in evidence/requests.yaml (request R1)" in out


def test_final_refuses_a_pack_citing_an_item_it_does_not_hold_and_says_why(cli, full, tmp_path):
    full.write("evidence/narratives/B1.md", "Supervision notes (E099) show it.\n")
    result = cli("export", "-w", str(full.root), "--out", str(tmp_path / "p.zip"), "--as-of", "2026-06-30", "--final")
    assert result.code != 0
    assert "the text cites 1 evidence item that is not in this pack (E099)" in result.err
    assert "E099, cited in evidence/narratives/B1.md" in result.err
    assert not (tmp_path / "p.zip").exists()


def test_the_draft_says_which_cited_items_are_not_in_the_pack_and_the_cover_example_is_a_packed_id(cli, full, tmp_path):
    full.write("evidence/narratives/B1.md", "Supervision notes (E099) show it.\n")
    out = tmp_path / "p.zip"
    assert cli("export", "-w", str(full.root), "--out", str(out), "--as-of", "2026-06-30").code == 0
    with zipfile.ZipFile(out) as pack:
        names = pack.namelist()
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(pack.read("submission.docx"))).paragraphs)
    assert "the text cites 1 evidence item that is not in this pack (E099)" in text
    example = text.split("the file of ", 1)[1].split(" ", 1)[0]
    assert any(name.startswith(f"evidence/{example}-") for name in names)
