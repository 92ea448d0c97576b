"""Forenames and surnames of the people a service in England and Wales meets, from Faker's person providers.

Faker (MIT) carries, for each locale, the first and last names its data was drawn from (census and registry
lists). The pre-flight reads those of the communities that live here (LOCALES) in lower case, as written and
without their accents ("seán", "sean"), once, on the first scan that needs them: Faker is never imported by a
command that scans nothing.

Many of those forenames are ordinary English words ("Case", "Justice", "Council"), and a capitalised word at a
sentence start or in a heading before another one would read as a name. A forename is dropped when Webster's
Second International (1934, public domain; through the english-words package, MIT) has it as a lower-case word,
unless two locales or more name people so ("Walter", "Ruth", "Irene": names first, words by accident). Words that
are both ("Grace", "Will") are left out by the detectors (rsqm/data/not-forenames.txt).
"""

from __future__ import annotations

import functools
import importlib
import re
import unicodedata
from collections.abc import Iterable

# English, British, Irish, Indian, Pakistani, Nigerian (English, Igbo, Yoruba, Hausa), Ghanaian (Twi), Kenyan and
# Swahili, Polish, Romanian, Lithuanian, Latvian, Portuguese, Brazilian, Italian, Spanish, French, German, Turkish,
# Hungarian, Czech and Slovak names. Faker's Arabic, Bengali, Hindi, Chinese, Bulgarian, Russian and Ukrainian
# names are in their own scripts only; Arabic names romanised are in the Indian, Pakistani, Hausa and Kenyan lists.
LOCALES = ("en", "en_GB", "en_IE", "ga_IE", "en_IN", "en_PK", "en_NG", "ig_NG", "yo_NG", "ha_NG", "tw_GH", "en_KE", "sw",
           "pl_PL", "ro_RO", "lt_LT", "lv_LV", "pt_PT", "pt_BR", "it_IT", "es_ES", "fr_FR", "de_DE", "tr_TR", "hu_HU",
           "cs_CZ", "sk_SK")
FIRST_NAMES = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary")
LAST_NAMES = ("last_names", "last_names_male", "last_names_female", "last_names_nonbinary", "unisex_last_names", "male_last_names",
              "female_last_names")  # Polish surnames are kept by gender
# Latin letters beyond ASCII, as the names of Faker's European locales spell them ("Łukasz", "Siân", "Ștefan")
LATIN_UPPER = "".join(c for c in map(chr, range(0xC0, 0x250)) if c.isupper())
LATIN_LOWER = "".join(c for c in map(chr, range(0xDF, 0x250)) if c.islower())
FORENAME = re.compile(f"[a-z{LATIN_LOWER}]{{3,}}")  # two letters ("Al", "Bo", "Ty") are words and initials more often than names
SURNAME = re.compile(f"[a-z{LATIN_LOWER}]+(?:'[a-z{LATIN_LOWER}]+)?")  # "o'sullivan", "d'arcy", "wiśniewski"
NAMED_IN_LOCALES = 2  # a dictionary word that this many locales give as a first name is kept as a name


def _providers() -> list[type]:
    return [importlib.import_module(f"faker.providers.person.{locale}").Provider for locale in LOCALES]


def _lowered(names: Iterable[str], shape: re.Pattern[str]) -> set[str]:
    """Each name in lower case, and without its accents where each letter has a plain form ("José": "jose")."""
    lowered = {name.strip().lower().replace("’", "'") for name in names}
    return {name for name in lowered | {plain(name) for name in lowered if not name.isascii()} if shape.fullmatch(name)}


def plain(word: str) -> str:
    """``word`` without its accents ("seán": "sean"); a letter with no plain form ("ł") is left out."""
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()


@functools.cache
def dictionary_words() -> frozenset[str]:
    """The lower-case words of Webster's Second International: ordinary words, as opposed to names."""
    from english_words import get_english_words_set  # imported here: loads a 3 MB word list

    return frozenset(word for word in get_english_words_set(["web2"], alpha=True) if word.islower())


@functools.cache
def faker_forenames() -> frozenset[str]:
    """Faker's first names in LOCALES that are not ordinary English words (see the module's docstring)."""
    named: dict[str, int] = {}
    for provider in _providers():
        for name in set().union(*(_lowered(getattr(provider, attribute, ()), FORENAME) for attribute in FIRST_NAMES)):
            named[name] = named.get(name, 0) + 1
    words = dictionary_words()
    return frozenset(name for name, locales in named.items() if name not in words or locales >= NAMED_IN_LOCALES)


@functools.cache
def faker_surnames() -> frozenset[str]:
    """Faker's last names in LOCALES ("okonkwo", "o'sullivan")."""
    return frozenset().union(*(_lowered(getattr(provider, attribute, ()), SURNAME) for provider in _providers() for attribute in LAST_NAMES))
