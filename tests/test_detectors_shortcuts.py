"""The scan's shortcuts find what the plain way finds: each is checked against the pass it replaces, on generated text
and on the bench's inputs."""

from __future__ import annotations

import collections
import functools
import gc
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.privacy import INPUTS, varied_prose
from rsqm.privacy import detectors
from rsqm.privacy.detectors import (
    AT_SIGN,
    CAPITALISED_PAIR,
    EMAIL_DOMAIN,
    EMAIL_LOCAL,
    NAME_PAIRS,
    OBFUSCATED_EMAIL,
    PHONE_SPAN,
    POSTCODE,
    TITLED_NAME,
    Near,
    PairRule,
    _address_at,
    _near,
    _numbers_in,
    _numbers_in_run,
    _obfuscated_in,
    _postcode_windows,
    _searched,
    _starts,
    capitalised_pairs,
    phone_spans,
    titled_names,
)

SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
# Words a pair is made of and the marks around them: forenames, known surnames, ordinary words, the prefixes a surname
# may start with (Mc, O', St. or Ó before another word), letters beyond ASCII, and what a word may be joined to.
WORDS = ["Jane", "Doe", "Mr", "Okonkwo", "Adaeze", "Grace", "Period", "Case", "File", "St", "St.", "Albans", "McDonald",
         "Mcdonald", "O'Brien", "O’Neill", "D'Arcy", "Smith-Jones", "Łukasz", "Siân", "JANE", "jane", "the", "Thistlewood",
         "Victim", "Support", "Joseph", "Rowntree", "x", "Ab", "(Jane", "Jane,", "Jane.", "2Jane", "_Jane", "é", "a-Jane",
         "Ó", "Briain", "Seán", "Łukasiewicz"]
texts = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from([" ", " ", " ", "", "  ", "\n", ", ", "-"])),
                 max_size=30).map(lambda pieces: "".join(word + gap for word, gap in pieces))
RULES = {
    "names": NAME_PAIRS,
    "every pair": PairRule(lambda first: True, lambda first: False, lambda second: False),
    "first words with a known second": PairRule(lambda first: first == "Mr", lambda first: first[0] in "JDSO",
                                                lambda second: second in ("Doe", "Albans", "St Albans", "O'Brien", "Ó Briain")),
    "no pair": PairRule(lambda first: False, lambda first: True, lambda second: False),
}


def plain_pairs(text: str) -> collections.Counter[tuple[str, str]]:
    return collections.Counter(CAPITALISED_PAIR.findall(text))


def same_pairs(text: str, rule: PairRule) -> bool:
    """Every pair the rule keeps counted as the pattern counts it, and no other pair counted otherwise."""
    found, plain = capitalised_pairs(text, rule), plain_pairs(text)
    return (all(plain[pair] == count for pair, count in found.items())
            and all(found[pair] == count for pair, count in plain.items() if rule.keeps(*pair)))


@pytest.fixture(params=["as headings are", "as prose is"])
def read_as(request, monkeypatch):
    """Each text read both ways: as mostly capitalised words (their distinct words first) and as prose (the pattern)."""
    monkeypatch.setattr(detectors, "CAPITALISED_SHARE", 0 if request.param == "as headings are" else 1)


@SETTINGS
@given(text=texts, rule=st.sampled_from(sorted(RULES)))
def test_capitalised_pairs_are_the_patterns_pairs_the_rule_keeps(read_as, text, rule):
    assert same_pairs(text, RULES[rule])


@SETTINGS
@given(text=texts)
def test_capitalised_pairs_are_the_same_when_the_pattern_runs_whole(text):
    """Past MANY_FIRST_WORDS first words the pattern runs as it is: the same pairs either way."""
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(detectors, "MANY_FIRST_WORDS", 0)
        patched.setattr(detectors, "CAPITALISED_SHARE", 0)
        assert same_pairs(text, RULES["every pair"])


@pytest.mark.parametrize("label", sorted(INPUTS))
def test_capitalised_pairs_in_the_bench_inputs(read_as, label):
    text = INPUTS[label](20_000)
    for rule in RULES.values():
        assert same_pairs(text, rule)


def test_a_heading_with_no_word_that_starts_a_name_is_not_read_for_pairs():
    assert capitalised_pairs("Case File Review And Supervision Records " * 50, NAME_PAIRS) == collections.Counter()
    assert capitalised_pairs("Dear Mr Jane Doe, and St Albans", NAME_PAIRS)[("Jane", "Doe")] == 1


@pytest.mark.parametrize("text", ["Seán Ó Briain Case File", "Case File Dara Ó Briain", "Jane Ó Briain Ó Briain"])
def test_a_surname_after_its_particle_is_read_as_one_second_word_in_a_heading(text):
    assert same_pairs(text, RULES["first words with a known second"])


# Titles, initials and surnames as TITLED_NAME reads them, one after another ("Mr Dr Smith" is one match, not two)
TITLED = ["Mr", "Mrs", "MRS", "mr", "Miss", "MISS", "Ms", "Mx", "Dr", "Dr.", "dr", "Prof", "prof", "PROF", "Sir", "Dame",
          "Rev", "Revd", "REV", "(Mr", "xMr", "_Dr", "J.", "J", "Smith", "Jane", "St.", "St", "O'Brien", "Mc", "Mcdonald",
          "Smith-Jones", "Teams", "é", "2", "Ó", "Łukasiewicz", "É."]
titled_texts = st.lists(st.tuples(st.sampled_from(TITLED), st.sampled_from([" ", " ", "", ". ", ", ", "\n", "-"])),
                        max_size=30).map(lambda pieces: "".join(word + gap for word, gap in pieces))
# Postcodes and what is near one: outward and inward codes in any case, joined or apart, and what stands around them
POSTAL = ["SW1A", "1AA", "sw1a", "1aa", "SW1A1AA", "B3", "2ND", "2nd", "GIR", "0AA", "M1", "1AE", "EC1A-1BB", "W1", "0AX",
          "1", "A", "AA", "x", "(", "İ", "ſ", "é", "٣AA", "-", "1AAx"]
postal_texts = st.lists(st.tuples(st.sampled_from(POSTAL), st.sampled_from([" ", " ", "", "-", ", ", "\n"])),
                        max_size=30).map(lambda pieces: "".join(word + gap for word, gap in pieces))


def windowed_postcodes(text: str) -> list[str]:
    return _near(functools.partial(POSTCODE.findall, " " + text), _postcode_windows(text))


@SETTINGS
@given(titled_texts)
def test_titled_names_are_the_patterns_matches(read_as, text):
    assert titled_names(text) == TITLED_NAME.findall(text)


@SETTINGS
@given(postal_texts)
def test_postcodes_read_around_inward_codes_are_those_of_a_pass_over_the_whole_text(text):
    assert windowed_postcodes(text) == POSTCODE.findall(" " + text)


@pytest.mark.parametrize("label", sorted(INPUTS))
def test_titled_names_and_postcodes_in_the_bench_inputs(read_as, label):
    text = INPUTS[label](20_000)
    assert titled_names(text) == TITLED_NAME.findall(text)
    assert windowed_postcodes(text) == POSTCODE.findall(" " + text)


# What a phone number's span is made of and what stands next to one
PHONE = ["07700 900123", "+44 (0)20 7946 0000", "(020)", "7946", "0000", "0", "12", "+", "(", ")", ".", "-", "/", " ", "x",
         "a", "٣", "é", "54/12345/26"]
phone_texts = st.lists(st.sampled_from(PHONE), max_size=40).map("".join)


@SETTINGS
@given(phone_texts, st.sampled_from([1, 40]))
def test_phone_spans_are_the_patterns_spans_in_each_window(text, times):
    near = Near(text * times + "x" * 600 + text)  # a long text is read in windows around its digits
    assert phone_spans(near) == near.find(PHONE_SPAN)


@pytest.mark.parametrize("label", sorted(INPUTS))
def test_phone_spans_in_the_bench_inputs(label):
    near = Near(INPUTS[label](20_000))
    assert phone_spans(near) == near.find(PHONE_SPAN)


# Digit groups a run of a phone number's characters is made of: mobiles whole and in part, other numbers, separators
RUN_PIECES = ["07700", "900123", "900", "123", "07700900123", "0", "7", "4", "44", "+44", "1", "12345", "020", "7946", " ",
              "  ", "-", ".", "/", "(", ")", "٣"]


@SETTINGS
@given(st.lists(st.sampled_from(RUN_PIECES), max_size=12).map("".join))
def test_a_run_that_is_one_mobile_number_gives_what_its_digit_groups_give(run):
    assert tuple(_numbers_in_run(run)) == tuple(_numbers_in(run))


@pytest.mark.parametrize("run", ["07700 900123", "07700900123", "07700 900 123", "07700 9001234", "07700  900123",
                                 "07700-900123", "07700 900123 4", "0770 0900123", "+447700 900123"])
def test_the_mobile_shapes_told_apart_in_one_match(run):
    assert tuple(_numbers_in_run(run)) == tuple(_numbers_in(run))


# Addresses written out and what stands around them: "at" and "dot" in every form, local parts that hold an "at" of
# their own ("jo.at.x"), prose with "at" in it, top-level domains and what only looks like one
ADDRESS = ["jo", "jo.bloggs", "jo.at.x", "o'brien", "a-b", "x%y+z", "at", "AT", "(at)", "[at]", "{at}", "<at>", "@", "dot",
           "(dot)", "<DOT>", ".", "example", "co", "uk", "org", "net", "com", "police", "lives", "cat", "x" * 70, "ſ", "İ",
           "K", "é", "_", "-", ";", "(", ")"]
GAPS = ["", " "]
written_out = st.tuples(st.sampled_from(["jo", "jo.bloggs", "jo.at.x", "at", "o'brien", "x" * 64, "A-b"]), st.sampled_from(GAPS),
                        st.sampled_from(["at", "AT", "(at)", "[at]", "{at}", "<at>", "@"]), st.sampled_from(GAPS),
                        st.sampled_from(["example", "ex-ample", "at"]), st.sampled_from(GAPS),
                        st.sampled_from(["dot", "(dot)", "<DOT>", "."]), st.sampled_from(GAPS),
                        st.sampled_from(["co", "uk", "org", "net", "police", "cat"])).map("".join)
address_texts = st.lists(st.tuples(st.one_of(st.sampled_from(ADDRESS), written_out), st.sampled_from([" ", " ", "", ".", "  "])),
                         max_size=30).map(lambda pieces: "".join(word + gap for word, gap in pieces))


def plain_obfuscated_in(window: str, start: int) -> tuple[tuple[int, str], ...]:
    """OBFUSCATED_EMAIL over all of the window from 66 characters before its first "at" or "@" on."""
    at = AT_SIGN.search(window, start)
    if at is None:
        return ()
    return tuple((match.start(), match.group(0)) for match in OBFUSCATED_EMAIL.finditer(window, max(start, at.start() - 66)))


@SETTINGS
@given(address_texts, st.integers(min_value=0, max_value=12))
def test_obfuscated_addresses_tried_where_they_may_start_are_those_of_the_whole_window(text, start):
    assert _obfuscated_in.__wrapped__(text, start) == plain_obfuscated_in(text, start)


@pytest.mark.parametrize("label", sorted(INPUTS))
def test_obfuscated_addresses_in_the_bench_inputs(label):
    text = INPUTS[label](2_000)
    for start in range(0, len(text), 97):
        window = text[start:start + 240]
        assert _obfuscated_in.__wrapped__(window, 8) == plain_obfuscated_in(window, 8)


PLAIN_ADDRESS = ["jo", "jo.bloggs", "o'brien", "x" * 70, "@", "example", ".", "net", "co.uk", "-", " ", "  ", ";", "é", "2"]
plain_address_texts = st.lists(st.sampled_from(PLAIN_ADDRESS), max_size=20).map("".join)


def plain_address_at(window: str, at: int) -> str | None:
    """The local part looked for from the window's start."""
    local, domain = EMAIL_LOCAL.search(window, 0, at), EMAIL_DOMAIN.match(window, at + 1)
    if local and domain:
        host = domain.group(0).rstrip(".-")
        if re.search(r"\.[A-Za-z]{2,}$", host):
            return window[local.start():at + 1] + host
    return None


@SETTINGS
@given(plain_address_texts)
def test_an_address_is_read_around_each_at_sign_as_from_the_windows_start(text):
    for at in (index for index, character in enumerate(text) if character == "@"):
        assert _address_at.__wrapped__(text, at) == plain_address_at(text, at)


# Pieces that overlap themselves and each other, are listed more often than they are there, or not there at all
PIECES = ["aa", "aaa", "ab", "ba", "b", "abab", "07700 900123", "Jane Doe", "Doe", "zz", "é"]


@SETTINGS
@given(st.lists(st.sampled_from(["a", "b", "aa", "ab", " ", "\n", "07700 900123", "Jane Doe", "é"]), max_size=40).map("".join),
       st.lists(st.sampled_from(PIECES), max_size=40).flatmap(lambda more: st.permutations(PIECES + more)))
def test_where_many_pieces_start_in_a_long_text_is_found_in_one_pass_as_by_a_search_for_each(text, pieces):
    long_text = text + "x" * detectors.LONG_TEXT + text  # long enough for the one pass
    assert _starts(long_text, [pieces, pieces[::-1]]) == [_searched(long_text, pieces), _searched(long_text, pieces[::-1])]


def test_a_long_page_with_a_different_finding_in_every_line_gives_each_its_own_line():
    lines = varied_prose(120_000).replace(". Call", ".\nCall").splitlines()
    found = detectors.scan_text("\n".join(lines))
    phones = [finding for finding in found if finding.kind == "UK phone number"]
    assert len(phones) > detectors.FEW_PIECES and len("\n".join(lines)) > detectors.LONG_TEXT
    assert all(phone.text in lines[phone.line - 1] for phone in phones)
    assert len({phone.line for phone in phones}) == len(phones)


@pytest.mark.parametrize("collecting", [True, False])
def test_a_long_scan_leaves_the_cycle_collector_as_it_found_it(collecting):
    """The collector is paused while a long text is read, and back on after only if it was on before."""
    seen_while_reading = []
    recognised = detectors._recognised

    def recognised_and_seen(*args, **kwargs):
        seen_while_reading.append(gc.isenabled())
        return recognised(*args, **kwargs)

    long_text = varied_prose(detectors.LONG_TEXT + 1_000)
    (gc.enable if collecting else gc.disable)()
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(detectors, "_recognised", recognised_and_seen)
            assert detectors.scan_text(long_text)
        assert seen_while_reading == [False] and gc.isenabled() is collecting
    finally:
        gc.enable()
