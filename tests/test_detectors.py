"""The detectors: text read as rendered, references in any form, long lines handled."""

from __future__ import annotations

import pytest

from rsqm.privacy.detectors import (
    BARE_MOBILE,
    DOB_LABEL,
    LOOK_AROUND,
    NEAR_DIGITS,
    NI_NUMBER,
    PHONE_SPAN,
    POLICE_REF,
    POSTCODE,
    STREET_ADDRESS,
    WINDOW_GAP,
    Detectors,
    Near,
    case_ref_finder,
    needs_digit,
    normalise,
    normalise_line,
    normalised_lines,
    reads_context,
    scan_line,
    scan_text,
    widest_match,
)

PROSE = "The service keeps this record up to date and reviews it with the team. "  # no digit, no finding


def test_text_is_normalised_as_a_reader_sees_it():
    assert normalise("Mr **Thistle\u00adwood**\n\u00a0lives  at\u200b SW1A\n1AA") == "Mr Thistlewood lives at SW1A 1AA"


def test_an_underscore_inside_a_word_stays():
    assert normalise("jo_bloggs@example.net and _emphasis_") == "jo_bloggs@example.net and emphasis"


def test_findings_point_at_the_line_they_start_on():
    found = scan_text("Nothing here.\nWe met Mr\nThistlewood.\n")
    assert [(f.kind, f.text, f.line) for f in found] == [("personal name", "Mr Thistlewood", 2)]


def test_lines_read_apart_do_not_join_neighbouring_cells():
    assert scan_text("07700\n900123", join_lines=False) == []


def test_the_case_reference_pattern_matches_any_case_and_separator():
    finder = case_ref_finder(r"^[A-Z]{2,5}-\d{4}-\d{3,5}$")
    assert [m.group(0) for m in finder.finditer("RJ-2025-001 rj/2025/002 Rj_2025_003 RJ2025004 XRJ-2025-005Z")] == [
        "RJ-2025-001", "rj/2025/002", "Rj_2025_003", "RJ2025004"]


def test_a_case_reference_pattern_keeps_its_meaning_however_its_first_character_repeats():
    text = "AB123 xab123 ab12 ABCD1234, RJ45 rrj45 (RJ456)"
    assert [m.group(0) for m in case_ref_finder(r"^[A-Z]+\d{3}$").finditer(text)] == ["AB123", "xab123", "RJ456"]
    assert [m.group(0) for m in case_ref_finder(r"^[A-Z]{2,3}\d{2,3}$").finditer(text)] == [
        "AB123", "xab123", "ab12", "RJ45", "rrj45", "RJ456"]
    assert [m.group(0) for m in case_ref_finder(r"^R{1}J\d{2}$").finditer(text)] == ["RJ45"]


def test_an_email_at_the_end_of_a_very_long_line_is_found():
    text = "a" * 1_000_000 + " jo.bloggs@example.net"
    assert [f.text for f in scan_text(text)] == ["jo.bloggs@example.net"]


def test_key_names_match_whole_words_in_any_case():
    detectors = Detectors.for_workspace(["Li Wei", "Quenby"])
    assert [f.text for f in scan_text("li wei and QUENBY; Quenbyshire and Lima Weir", detectors)] == ["QUENBY", "li wei"]


def test_every_kind_of_line_break_counts_as_one_line_when_findings_are_located():
    text = "intro\r\n\r\nCall 07700 900123\u2028\u00a0\n*Mr Thistlewood*\r\u200b\nend jo@example.net\x0c"
    found = [(f.line, f.kind) for f in scan_text(text)]
    assert found == [(3, "UK phone number"), (5, "personal name"), (7, "e-mail address")]


def test_the_whole_text_is_normalised_as_each_line_would_be():
    lines = ["  **Bold**  words\t\there ", "", "\ufb01ne _emphasis_ and jo_bloggs", "\u200b", "Ａ wide letter"]
    joined, offsets, numbers = normalised_lines("\r\n".join(lines))
    expected = [(number, normalise_line(line)) for number, line in enumerate(lines, start=1) if normalise_line(line)]
    assert joined == " ".join(part for _, part in expected)
    assert numbers == [number for number, _ in expected]
    assert [joined[offset:].split(" ")[0] for offset in offsets] == [part.split(" ")[0] for _, part in expected]


def test_findings_far_into_a_long_text_point_at_their_own_line():
    lines = ["Supervision was held."] * 5000
    lines[4320] = "Call 07700 900123 today"
    lines[-1] = "write to jo.bloggs@example.net"  # the last line, with no line break after it
    found = [(f.line, f.kind) for f in scan_text("\r\n".join(lines))]
    assert found == [(4321, "UK phone number"), (5000, "e-mail address")]


def test_a_finding_across_a_line_break_is_on_the_line_it_starts_on_and_each_repeat_on_its_own():
    found = [(f.line, f.text) for f in scan_text("x\r\nCall 07700\r\n900123\r\nMr Thistlewood\nand Mr Thistlewood again")]
    assert found == [(2, "07700 900123"), (4, "Mr Thistlewood"), (5, "Mr Thistlewood")]


def test_names_are_recognised_only_from_the_start_of_a_word():
    found = [f.text for f in scan_text("Mr Jane Doe; JANE DOE; XJane Doe; HumMr Smith; Janet Doe; JANET DOE")]
    assert found == ["JANE DOE", "JANET DOE", "Jane Doe", "Janet Doe", "Mr Jane"]


def test_a_phone_number_is_found_in_text_without_a_letter():
    assert list(scan_line("07700 900123 / 0161 496 0123")) == [("UK phone number", "07700 900123"), ("UK phone number", "0161 496 0123")]


def test_a_case_reference_pattern_judged_to_need_a_digit_only_when_it_must():
    assert needs_digit(r"[A-Z]{2,5}-\d{4}-\d{3,5}") and needs_digit(r"RJ\d+")
    assert not any(needs_digit(p) for p in (r"RJ\d?", r"RJ\d*", r"RJ\d{0,3}", r"RJ(\d+)?", r"[A-Z\d]+", r"RJ|\d+", r"[]\d]+", r"\\d"))


def test_a_case_reference_without_a_digit_is_found_when_the_pattern_allows_it():
    detectors = Detectors.for_workspace([], r"^RJ\d?-[A-Z]+$")
    assert [(f.kind, f.text) for f in scan_text("see RJ-ABC and RJ7-DEF", detectors)] == [
        ("case reference", "RJ-ABC"), ("case reference", "RJ7-DEF")]


def test_one_kind_of_emphasis_is_removed_as_all_kinds_together_are():
    assert normalise("__init__ and jo_bloggs_x, _a_") == "init and jo_bloggs_x, a"
    assert normalise("**bold** ~~gone~~ `code`") == "bold gone code"
    assert normalise("**bold** and _a_ and x_y") == "bold and a and x_y"


def test_what_a_pattern_spans_and_whether_it_reads_beyond_a_match_are_read_from_the_pattern():
    assert widest_match(r"[A-Z]{2,5}-\d{4}") == 10
    assert widest_match(r"RJ\d+") is None
    assert not reads_context(r"[A-Z]{2}[-_./ ]?\d{4}")
    assert all(reads_context(p) for p in (r"RJ(?=\d)", r"(?<!X)RJ", r"^RJ", r"RJ\b", r"(\d)\1", "("))


def test_every_pattern_read_near_digits_is_shorter_than_a_window_reaches():
    for pattern in (NI_NUMBER, POSTCODE, DOB_LABEL, BARE_MOBILE, POLICE_REF):
        assert (widest_match(pattern.pattern, pattern.flags) or NEAR_DIGITS) + LOOK_AROUND <= NEAR_DIGITS, pattern.pattern
    # the two that may be longer have rules of their own (see NEAR_DIGITS); windows never overlap
    assert widest_match(PHONE_SPAN.pattern) is None and widest_match(STREET_ADDRESS.pattern) is None
    assert 2 * NEAR_DIGITS < WINDOW_GAP


@pytest.mark.parametrize("finding", ["AB 12 34 56 C", "born on 3 March 2001", "14 Acacia Avenue", "07700 900123",
                                     "SW1A 1AA", "447911123456", "RJ-2025-001", "1 Abbeyfieldmeadowbrookhamptonshire Road",
                                     "b. 1984", "54/12345/26", "7700 900123", "3 Heol y Bont,"])
def test_a_finding_far_from_any_other_digit_is_found_wherever_it_stands(finding):
    detectors = Detectors.for_workspace([], r"^[A-Z]{2,5}-\d{4}-\d{3,5}$")
    alone = {(f.kind, f.text) for f in scan_text(finding, detectors)}
    assert alone
    for text in (finding + " " + PROSE * 40, PROSE * 40 + finding, PROSE * 40 + finding + " " + PROSE * 40):
        [(start, end)] = Near(normalise(text)).windows  # the finding's digits: one short window of a long text
        assert end - start < len(text) / 10
        assert {(f.kind, f.text) for f in scan_text(text, detectors)} == alone


def test_a_window_reads_what_a_pass_over_the_whole_text_reads():
    text = normalise(" ".join([PROSE * 9, "d.o.b. 1 May 1990", PROSE * 9, "ref AB123456C 447911123456", PROSE * 12,
                               "12 Long " + "Y" + "e" * 100 + " Street", PROSE * 9, "0" + "-" * 600 + "7700-900123"]))
    near = Near(text)
    assert len(near.windows) > 1 and sum(end - start for start, end in near.windows) < len(text) / 2
    for pattern in (NI_NUMBER, DOB_LABEL, BARE_MOBILE):
        assert near.find(pattern) == pattern.findall(text)
    assert near.find(STREET_ADDRESS, street=True) == STREET_ADDRESS.findall(text) == ["12 Long Y" + "e" * 100 + " Street"]
    # a phone number's digits joined by a long run of separators are one run, so one window
    assert near.find(PHONE_SPAN)[-1].endswith("7700-900123") and near.find(PHONE_SPAN)[-1].startswith("0-")


def test_a_part_read_line_by_line_finds_in_each_line_what_the_line_alone_holds():
    detectors = Detectors.for_workspace(["Ottilie Quenby"], r"^RJ\s?\d{4}$")
    lines = ["Ottilie", "Quenby", "Ottilie Quenby", "Call 07700", "900123", "RJ", "2025", "RJ 2025", "", "Mr", "Thistlewood",
             "Mr Thistlewood", "Ottilie Quenby", PROSE * 20 + "SW1A 1AA", "JANE", "DOE", "JANE DOE", "Okonkwo,", "Adaeze",
             "Okonkwo, Adaeze", "Zephyrine", "Okonkwo", "Zephyrine Okonkwo"]
    text = "\n".join(lines)
    alone = sorted((number, f.kind, f.text) for number, line in enumerate(lines, start=1) for f in scan_text(line, detectors))
    assert sorted((f.line, f.kind, f.text) for f in scan_text(text, detectors, join_lines=False)) == alone
    assert {text for _, _, text in alone} == {"Ottilie Quenby", "RJ 2025", "Mr Thistlewood", "SW1A 1AA", "JANE DOE", "Okonkwo, Adaeze",
                                              "Zephyrine Okonkwo"}


@pytest.mark.parametrize(("pattern", "lines_at_once", "near_digits"), [
    (r"^[A-Z]{2,5}-\d{4}-\d{3,5}$", True, True), (r"RJ\d+", True, False), (r"^RJ(?=\d)\d{3}$", False, False),
    (r"^(\d)\d\1$", False, False), (r"^RJ-[A-Z]+$", True, False)])
def test_a_case_reference_pattern_is_read_in_many_lines_at_once_or_near_digits_only_when_that_finds_the_same(
        pattern, lines_at_once, near_digits):
    detectors = Detectors.for_workspace([], pattern)
    assert (detectors.case_ref_in_lines, detectors.case_ref_near_digits) == (lines_at_once, near_digits)


def test_the_findings_of_a_short_text_are_the_callers_own():
    first = scan_text("Mr Thistlewood")
    first.clear()
    assert [f.text for f in scan_text("Mr Thistlewood")] == ["Mr Thistlewood"]


def test_a_letters_greeting_names_its_reader_whether_or_not_the_name_is_common():
    found = scan_text("Dear Siobhan Ni Bhriain,\nThank you.\n\nDEAR KWAME,\nDear Mr Thistlewood")
    assert [(f.line, f.text) for f in found] == [(1, "Dear Siobhan Ni Bhriain"), (1, "Siobhan Ni"), (4, "DEAR KWAME"),
                                                 (5, "Mr Thistlewood")]  # Siobhan is on Faker's Irish list too


def test_a_greeting_to_a_role_a_group_or_a_blank_names_no_one():
    text = "Dear Colleague, Dear All, Dear Parent/Carer, Dear Sir or Madam, Dear [Name], Dear ____, a dear friend"
    assert scan_text(text) == [] and scan_text(text.replace(", ", "\n"), join_lines=False) == []


def test_a_mobile_in_words_is_read_as_its_digits_and_only_a_uk_mobile_counts():
    found = scan_text("ring oh seven seven double oh nine oh oh one two three, not one two three four five six seven")
    assert [(f.kind, f.text) for f in found] == [("UK phone number", "oh seven seven double oh nine oh oh one two three")]


def test_born_is_a_date_of_birth_only_when_the_date_follows():
    assert {f.text for f in scan_text("born on 3 March 2001; b. 1984")} == {"born on 3 March 2001", "b. 1984"}
    assert scan_text("The service was born out of a 2019 pilot.") == []


def test_a_case_list_with_letters_tells_its_own_references_from_others():
    detectors = Detectors.for_workspace([], r"^[A-Z]{2,5}-\d{4}-\d{3,5}$", ["RJ-2025-001"])
    assert [f.text for f in scan_text("POL-2026-003 and PCC/2025/014, then rj 2026 0079", detectors)] == ["rj 2026 0079"]
    without_a_list = Detectors.for_workspace([], r"^[A-Z]{2,5}-\d{4}-\d{3,5}$")
    assert [f.text for f in scan_text("POL-2026-003 and rj 2026 0079", without_a_list)] == ["POL-2026-003"]


def test_a_named_house_is_an_address_only_before_a_street():
    assert [f.text for f in scan_text("They live at Ivy Cottage, Mill Lane, Exampletown")] == ["Ivy Cottage, Mill Lane"]
    assert scan_text("The Cottage Hospital opened in 1901.") == []


def test_an_address_spelled_out_is_found_whole_with_the_dots_of_its_local_part():
    assert [f.text for f in scan_text("write to jo dot bloggs at example dot org today")] == ["jo dot bloggs at example dot org"]
    assert [f.text for f in scan_text("jo (dot) ann [dot] bloggs (at) example (dot) co (dot) uk")] == [
        "jo (dot) ann [dot] bloggs (at) example (dot) co (dot) uk"]
    lines = "see the site dot com\nJo dot bloggs at example dot org"
    assert [(f.line, f.text) for f in scan_text(lines, join_lines=False)] == [(2, "Jo dot bloggs at example dot org")]
    # a word before the address that is not followed by a spelled dot is no part of it
    assert [f.text for f in scan_text("ring the dot at example dot com")] == ["dot at example dot com"]


def test_a_police_reference_and_a_spaced_mobile_are_phone_spans_so_their_lines_are_read():
    for found in ("54/12345/26", "7700 900123", "7700 900 123"):
        assert PHONE_SPAN.fullmatch(found)
        lines = ["Totals", f"ref {found}", "more"]
        assert [f.line for f in scan_text("\n".join(lines), join_lines=False)] == [2]
