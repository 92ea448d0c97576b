"""The detectors: text read as rendered, references in any form, long lines handled."""

from __future__ import annotations

from rsqm.detectors import Detectors, case_ref_finder, normalise, normalise_line, normalised_lines, scan_text


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
