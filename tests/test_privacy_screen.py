"""The one pass over a text (rsqm/privacy/screen.py) decides which recognisers run, never what they find: with it and
without it (every recogniser run, as before) the scan finds the same, on generated text, the bench's worst inputs, the
privacy corpus and every text file of the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.privacy import INPUTS
from privacy_corpus import (
    CASE_REF_PATTERN,
    FILE_LEAKS,
    FILE_LEGITIMATE,
    KEY_NAMES,
    KNOWN_REFS,
    LEAKS,
    LEGITIMATE,
    PUBLIC_CONTACTS,
)
from rsqm.privacy import detectors
from rsqm.privacy.detectors import Detectors, scan_line, scan_text
from rsqm.privacy.scan import Allowed, Scanner
from rsqm.privacy.screen import Screen, widened

REPO = Path(__file__).resolve().parent.parent
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
WORKSPACES = {
    "corpus": Detectors.for_workspace(KEY_NAMES, CASE_REF_PATTERN, KNOWN_REFS),
    "plain": detectors.PLAIN,
    "references with look-arounds": Detectors.for_workspace(["Jane Doe"], r"(?<!X)[A-Z]+\d{3}(?=\b)"),
    "anchored references": Detectors.for_workspace([], r"^RJ\d+$"),
}
# Pieces of personal data and of text that looks like it, in the forms the recognisers read, and characters that
# test how the screen reads Python's classes: other digits, the letters case folding matches, invisible ones.
TOKENS = ["Jane", "JANE", "jane", "Doe", "DOE", "Mr", "mrs", "Dr.", "Prof", "Dear", "DEAR", "Siobhan Ni Bhriain", "Grace Period",
          "07700 900123", "+44 7700 900123", "(020) 7946 0000", "7911123456", "7700 900 123", "447911123456", "0", "44",
          "SW1A 1AA", "sw1a1aa", "B3 2nd", "B3 2ND", "GIR 0AA", "jo.bloggs@example.net", "jo dot bloggs at example dot org",
          "jo [at] example (dot) com", "@", "at", "dot", ".", ",", "-", "/", "54/12345/26", "AB 12 34 56 C", "ab123456c",
          "DOB", "d.o.b.", "born", "b.", "date of birth", "12/03/2001", "3rd March 1999", "2019", "14 Acacia Avenue",
          "7b Mill Lane", "3 Heol y Bont", "Ivy Cottage, Mill Lane", "Lôn", "oh seven seven double oh nine oh oh one two three",
          "Ottilie", "Quenby", "OTTILIE QUENBY", "RJ-2026-0079", "rj 2026 0079", "POL-2026-003", "RJ123", "XRJ123", "\n",
          "\r\n", "\u2028", "  ", "\t", "\u00a0", "\u200b", "**", "_", "`", "İ", "ı", "ſ", "\u212a", "\uff10\uff17", "٠٧٧٠٠",
          "’", "O’Brien", "é", "the", "a"]
texts = st.lists(st.tuples(st.sampled_from(TOKENS), st.sampled_from(["", " ", " ", "\n", ", ", ". "])), max_size=40).map(
    lambda pieces: "".join(token + gap for token, gap in pieces))


def found(text: str, workspace: Detectors) -> tuple[list, list, list]:
    short = workspace.short_texts_read
    short.clear()  # each side reads every text afresh
    return ([(f.kind, f.text, f.line) for f in scan_text(text, workspace)],
            [(f.kind, f.text, f.line) for f in scan_text(text, workspace, join_lines=False)],
            sorted(scan_line(text)))


def same_findings(texts: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Every finding with the screen is a finding without it, and the other way round, in order and by line."""
    screened = {name: [found(text, workspace) for text in texts] for name, workspace in WORKSPACES.items()}
    with monkeypatch.context() as unscreened:
        unscreened.setattr(Screen, "present", lambda self, text: self.everything)  # every recogniser runs
        for name, workspace in WORKSPACES.items():
            for text, expected in zip(texts, screened[name], strict=True):
                assert found(text, workspace) == expected, f"{name}: {text[:200]!r}"


@SETTINGS
@given(texts)
def test_the_screen_changes_no_finding_in_generated_text(monkeypatch, text):
    same_findings([text, text * 30], monkeypatch)  # a long text is read through windows and line marks


def test_the_screen_changes_no_finding_in_the_bench_inputs(monkeypatch):
    same_findings([make(20_000) for make in INPUTS.values()], monkeypatch)


def test_the_screen_changes_no_finding_in_the_corpus(monkeypatch):
    same_findings([text for _, text in (*LEAKS, *LEGITIMATE)], monkeypatch)


def test_the_screen_changes_no_finding_in_the_corpus_files(monkeypatch):
    files = [(name, build()) for _, name, build in (*FILE_LEAKS, *FILE_LEGITIMATE)]

    def hits() -> list[list[tuple[str, str, str]]]:
        found = []
        for name, data in files:
            scanner = Scanner(Detectors.for_workspace(KEY_NAMES, CASE_REF_PATTERN, KNOWN_REFS), Allowed.of(PUBLIC_CONTACTS))
            scanner.file(name, data, name)
            found.append([(hit.kind, hit.text, hit.place) for hit in scanner.hits])
        return found

    screened = hits()
    assert any(screened)
    monkeypatch.setattr(Screen, "present", lambda self, text: self.everything)
    assert hits() == screened


def test_the_screen_changes_no_finding_in_the_repository(monkeypatch):
    paths = [path for folder in ("docs", "evidence", "standards", "rsqm/data") for path in sorted((REPO / folder).rglob("*"))
             if path.is_file()]
    texts = []
    for path in paths:
        try:
            texts.append(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            continue  # a binary evidence file: the pre-flight reads its extracted text, not this
    assert len(texts) >= 50
    same_findings(texts, monkeypatch)


@SETTINGS
@given(texts)
def test_each_screen_matches_wherever_its_pattern_does(text):
    for workspace in WORKSPACES.values():
        present = workspace.screen.present(text)
        patterns = {**detectors._screened(), "case reference": workspace.case_refs}
        for name, pattern in patterns.items():
            if pattern is not None and pattern.search(" " + text):
                assert name in present, f"{name}: {text!r}"


def test_the_screen_rules_out_what_a_text_cannot_hold():
    present = detectors.PLAIN.screen.present("The service keeps this record up to date and reviews it with the team.")
    assert not present & {"e-mail", "phone", "NI number", "postcode", "titled name", "forename pair", "street", "date of birth"}
    assert {"e-mail", "phone", "postcode", "titled name"} <= detectors.PLAIN.screen.present(INPUTS["prose, one line"](400))


def test_a_pattern_the_engine_cannot_read_is_always_run():
    screen = Screen({"repeated digit": re.compile(r"(\d)\1"), "at": re.compile("@")})
    assert screen.present("no digits here") == {"repeated digit"}
    assert screen.present("a@b") == {"repeated digit", "at"}


def test_a_text_the_engine_cannot_read_runs_everything():
    screen = Screen({"at": re.compile("@")})
    assert screen.present("lone \ud800 surrogate") == {"at"}


def test_python_classes_and_case_folding_are_widened_not_narrowed():
    screen = Screen({"folded": re.compile("(?i)kis"), "look-arounds": re.compile(r"(?<!x)\d(?![a-z])"), "digit and word": re.compile(r"\d\w")})
    assert screen.present("\u212a\u0131\u017f") == {"folded"}  # the Kelvin sign, dotless i and long s fold to k, i, s
    assert screen.present("x7") == {"look-arounds"}  # look-arounds are the recogniser's to check
    assert screen.present("٣é") == {"look-arounds", "digit and word"}  # Arabic-Indic three is a digit, é a word character
    assert "[" in widened(re.compile(r"\d\w"))
