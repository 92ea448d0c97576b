"""rsqm.privacy.name_lists: the pre-flight knows the forenames and surnames of the communities in England and Wales
from Faker's lists, without taking ordinary words for names."""

from __future__ import annotations

from pathlib import Path

import pytest
from faker.providers.person.en import Provider as English
from faker.providers.person.en_NG import Provider as Nigerian
from faker.providers.person.ig_NG import Provider as Igbo

from pack_fixtures import filled
from rsqm.privacy import name_lists
from rsqm.privacy.detectors import forenames, scan_text

REPO = Path(__file__).resolve().parent.parent
# Untitled names whose forenames the hand-picked list (rsqm/data/uk-forenames.txt) did not hold (issue 33)
WRITTEN = ["Adaeze Okonkwo agreed to meet.", "We spoke to Niamh O'Sullivan.", "Cerys Llewelyn attended.", "Okonkwo, Adaeze",
           "NAME: ADAEZE OKONKWO", "NIAMH O'SULLIVAN", "Attended: OKONKWO, ADAEZE", "Zephyrine Okonkwo signed.",
           "Łukasz Wiśniewski agreed.", "Seán Thistlewood agreed.", "Kowalski, Łukasz"]
FOUND = ["Adaeze Okonkwo", "Niamh O'Sullivan", "Cerys Llewelyn", "Okonkwo, Adaeze", "ADAEZE OKONKWO", "NIAMH O'SULLIVAN",
         "OKONKWO, ADAEZE", "Zephyrine Okonkwo", "Łukasz Wiśniewski", "Seán Thistlewood", "Kowalski, Łukasz"]
# Faker's first names that are ordinary words, before a capitalised word in a heading or at a sentence start
HEADINGS = ["Case Status and Case Reference", "École Nationale and Évaluation Report", "The Justice Strategy", "Council Tax", "Grant Agreement PCC/2025/014",
            "Funded by Christian Aid and the Charity Commission.", "Sessions at our London Road office", "Written in British English.",
            "Said Business School", "January Board meeting", "Grace Period", "Will Staff be trained?"]


def names_in(text: str) -> list[str]:
    return [finding.text for finding in scan_text(text) if finding.kind == "personal name"]


@pytest.fixture
def invented_forename(monkeypatch):
    """Faker's Igbo list with one forename no list of rsqm holds; the caches are emptied before and after."""
    caches = (name_lists.faker_forenames, forenames)
    for cache in caches:
        cache.cache_clear()
    monkeypatch.setattr(Igbo, "first_names_female", [*Igbo.first_names_female, "Zuzanoma"])
    yield "Zuzanoma"
    monkeypatch.undo()
    for cache in caches:
        cache.cache_clear()


@pytest.mark.parametrize(("text", "name"), list(zip(WRITTEN, FOUND, strict=True)))
def test_a_name_from_the_wider_lists_is_found_in_prose_in_capitals_and_surname_first(text, name):
    assert names_in(text) == [name]


def test_the_export_names_each_of_them_with_its_file_and_line(ws, cli):
    full = filled(ws)
    full.write("evidence/narratives/B1.md", "Supervisors check risk.\n" + "\n\n".join(WRITTEN) + "\n")
    result = cli("export", "--check", "-w", str(full.root))
    assert result.code == 1
    for number, name in enumerate(FOUND):
        assert f"evidence/narratives/B1.md:{2 * number + 2}: error: personal name '{name}'" in result.err


@pytest.mark.parametrize("heading", HEADINGS)
def test_an_ordinary_word_that_faker_lists_as_a_first_name_is_no_forename(heading):
    assert names_in(heading) == []


def test_faker_lists_those_words_as_first_names_and_the_detectors_leave_them_out():
    listed = {name.lower() for name in (*English.first_names_male, *English.first_names_female)}
    assert {"case", "justice", "council", "grace", "will"} <= listed
    assert not {"case", "justice", "council", "grace", "will"} & forenames()


def test_a_name_that_is_also_a_dictionary_word_stays_a_name_when_two_countries_name_people_so():
    assert {"walter", "ruth", "irene"} <= name_lists.dictionary_words()
    assert sorted(names_in("Walter Quenby and Ruth Thistlewood met Irene Smith.")) == ["Irene Smith", "Ruth Thistlewood", "Walter Quenby"]


def test_the_forenames_are_read_from_fakers_lists(invented_forename):
    assert names_in(f"{invented_forename} Thistlewood agreed to meet.") == [f"{invented_forename} Thistlewood"]
    assert invented_forename.lower() not in (REPO / "rsqm/data/uk-forenames.txt").read_text()


def test_the_surnames_are_read_from_fakers_lists():
    assert "okonkwo" in {name.lower() for name in Nigerian.last_names}
    assert names_in("Zephyrine Okonkwo signed.") == ["Zephyrine Okonkwo"]
    assert names_in("Zephyrine Thistlewood signed.") == []  # neither name on a list: only a key or the case export tells


def test_the_repositorys_own_documents_name_no_one():
    texts = [path for folder in ("docs", "standards", "evidence", "rsqm/packs") for path in sorted((REPO / folder).rglob("*"))
             if path.suffix in {".md", ".yaml"}]
    assert len(texts) > 50
    assert {str(path.relative_to(REPO)): names_in(path.read_text(encoding="utf-8")) for path in texts if
            names_in(path.read_text(encoding="utf-8"))} == {}

