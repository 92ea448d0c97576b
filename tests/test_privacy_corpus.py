"""The corpus (tests/privacy_corpus.py): every leak vector is found, no legitimate string is flagged."""

from __future__ import annotations

import pytest

from privacy_corpus import (
    CASE_REF_PATTERN,
    FILE_LEAKS,
    FILE_LEGITIMATE,
    KEY_NAMES,
    KNOWN_REFS,
    LEAKS,
    LEGITIMATE,
    PUBLIC_CONTACTS,
    REVIEW,
)
from rsqm.privacy.detectors import Detectors
from rsqm.privacy.scan import Allowed, Scanner, accepted


def scanner() -> Scanner:
    return Scanner(Detectors.for_workspace(KEY_NAMES, CASE_REF_PATTERN, KNOWN_REFS), Allowed.of(PUBLIC_CONTACTS))


def text_hits(text: str) -> list[str]:
    found = scanner()
    found.text(text, "narrative.md", 1)
    return [f"{h.kind}: {h.text}" for h in found.hits]


def file_hits(name: str, data: bytes) -> list[str]:
    found = scanner()
    found.file(name, data, name)
    return [f"{h.kind}: {h.text} ({h.place})" for h in found.hits if not accepted(REVIEW, h)]


def test_the_corpus_is_big_enough():
    assert len(LEAKS) + len(FILE_LEAKS) >= 60 and len(LEGITIMATE) + len(FILE_LEGITIMATE) >= 30


@pytest.mark.parametrize(("label", "text"), LEAKS, ids=[label for label, _ in LEAKS])
def test_a_leak_in_text_is_found(label, text):
    assert text_hits(text), f"{label}: {text!r} went through"


@pytest.mark.parametrize(("label", "text"), LEGITIMATE, ids=[label for label, _ in LEGITIMATE])
def test_legitimate_text_is_not_flagged(label, text):
    assert text_hits(text) == []


@pytest.mark.parametrize(("label", "name", "build"), FILE_LEAKS, ids=[label for label, _, _ in FILE_LEAKS])
def test_a_leak_hidden_in_a_file_is_found(label, name, build):
    assert file_hits(name, build()), f"{label} went through"


@pytest.mark.parametrize(("label", "name", "build"), FILE_LEGITIMATE, ids=[label for label, _, _ in FILE_LEGITIMATE])
def test_a_clean_file_is_not_flagged(label, name, build):
    assert file_hits(name, build()) == []
