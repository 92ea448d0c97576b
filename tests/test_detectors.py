"""The detectors: text read as rendered, references in any form, long lines handled."""

from __future__ import annotations

from rsqm.detectors import Detectors, case_ref_finder, needs_digit, normalise, normalise_line, normalised_lines, scan_line, scan_text


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
