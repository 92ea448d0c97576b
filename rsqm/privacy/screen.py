"""One pass of a DFA engine (RE2) over a text that tells which recognisers may find something in it.

Python's ``re`` reads a text once for each recogniser, and a long text has something for most of them. RE2 reads it
once for all of them (``RE2::Set``), each as a *screen*: its pattern widened so that RE2 can run it (look-arounds,
anchors and word boundaries dropped; ``\\d`` and ``\\w`` as the Unicode classes that hold Python's; case folding
written out) and matching wherever the pattern does. So a recogniser whose screen finds nothing cannot find anything,
and is not run; one whose screen matches runs as before, the exact check. A screen may match where its pattern does
not: that costs a pass, never a finding.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

import re2

from rsqm.base.errors import RsqmError

try:
    from re import _constants as RE_CONSTANTS
    from re import _parser as RE_PARSER
except ImportError:  # pragma: no cover - a Python without them: nothing is screened, every recogniser runs
    RE_CONSTANTS = RE_PARSER = None

ANYTHING = "(?s:.)"
# Characters besides its own cases that Python's case folding matches with an ASCII letter: İ ı with i, ſ with s, the
# Kelvin sign with k (the only ones; see detectors._folded).
FOLDED_IN = tuple(map(chr, (0x130, 0x131, 0x17F, 0x212A)))
# What Python's \d and \w match in a str pattern (Unicode decimal digits; letters, numbers and "_"), as RE2 writes it.
# RE2's Unicode tables are at least as new as Python's, so these hold every character Python's classes do.
CATEGORIES = {"CATEGORY_DIGIT": r"\p{Nd}", "CATEGORY_WORD": r"\p{L}\p{N}_"}


class Untranslatable(RsqmError):
    """A construct RE2 has no superset for (a group reference): the recogniser is not screened."""


def widened(pattern: re.Pattern[str]) -> str:
    """``pattern`` as RE2 syntax matching wherever it matches (and possibly elsewhere). Raises Untranslatable."""
    if RE_PARSER is None:
        raise Untranslatable(pattern.pattern)
    try:
        tree = RE_PARSER.parse(pattern.pattern, pattern.flags)
    except re.error as error:  # pragma: no cover - the pattern compiled
        raise Untranslatable(pattern.pattern) from error
    flags = tree.state.flags
    if flags & re.ASCII:
        raise Untranslatable(pattern.pattern)  # \d and \w as ASCII: none of the recognisers is written so
    return _sequence(list(tree), bool(flags & re.IGNORECASE), bool(flags & re.DOTALL), top=True)


def _sequence(items: list[Any], ignore_case: bool, dotall: bool, top: bool = False) -> str:
    out = []
    for index, (op, argument) in enumerate(items):
        name = str(op)
        if name == "ASSERT" and argument[0] == 1 and top and index == len(items) - 1:
            # a look-ahead that ends the pattern: what follows a match is there, so the screen reads it too
            out.append(_sequence(list(argument[1]), ignore_case, dotall))
        elif name in ("ASSERT", "ASSERT_NOT", "AT"):
            continue  # a condition on the text around: dropped, the recogniser checks it
        else:
            out.append(_item(name, argument, ignore_case, dotall))
    return "".join(out)


def _item(name: str, argument: Any, ignore_case: bool, dotall: bool) -> str:
    if name == "LITERAL":
        return _character(argument, ignore_case)
    if name == "NOT_LITERAL":
        return ANYTHING if ignore_case else f"[^{_escaped(argument)}]"
    if name == "ANY":
        return ANYTHING if dotall else r"[^\n]"
    if name == "IN":
        return _class(argument, ignore_case)
    if name == "BRANCH":
        return "(?:" + "|".join(_sequence(list(branch), ignore_case, dotall) for branch in argument[1]) + ")"
    if name == "SUBPATTERN":
        _, add, remove, body = argument
        ignore_case = (ignore_case or bool(add & re.IGNORECASE)) and not remove & re.IGNORECASE
        dotall = (dotall or bool(add & re.DOTALL)) and not remove & re.DOTALL
        return f"(?:{_sequence(list(body), ignore_case, dotall)})"
    if name == "ATOMIC_GROUP":
        return f"(?:{_sequence(list(argument), ignore_case, dotall)})"
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):  # all the same to a screen: does it match at all
        least, most, body = argument
        count = str(least) if most == least else f"{least}," if most == RE_CONSTANTS.MAXREPEAT else f"{least},{most}"
        return f"(?:{_sequence(list(body), ignore_case, dotall)}){{{count}}}"
    raise Untranslatable(name)


def _escaped(code: int) -> str:
    character = chr(code)
    return character if character.isascii() and character.isalnum() else f"\\x{{{code:X}}}"


@functools.cache
def _cases(code: int) -> str:
    """The characters Python's case folding matches with ``chr(code)``, escaped for a class (RE2's own folding may add)."""
    character = chr(code)
    folded = re.compile(re.escape(character), re.IGNORECASE)
    candidates = {character, character.lower(), character.upper(), character.swapcase(), *FOLDED_IN}
    return "".join(_escaped(ord(c)) for c in sorted(candidates) if len(c) == 1 and folded.fullmatch(c))


def _character(code: int, ignore_case: bool) -> str:
    return f"(?i:[{_cases(code)}])" if ignore_case else _escaped(code)


def _class(items: list[Any], ignore_case: bool) -> str:
    negated = items and str(items[0][0]) == "NEGATE"
    if negated and (ignore_case or any(str(op) == "CATEGORY" for op, _ in items)):
        return ANYTHING  # a negated class with folding or a category: RE2's tables may hold more, so its negation less
    parts = []
    for op, argument in items[1:] if negated else items:
        name = str(op)
        if name == "LITERAL":
            parts.append(_cases(argument) if ignore_case else _escaped(argument))
        elif name == "RANGE":
            low, high = argument
            if ignore_case and high < 128:
                parts += [_cases(code) for code in range(low, high + 1)]
            else:
                parts.append(f"{_escaped(low)}-{_escaped(high)}")
        elif name == "CATEGORY" and str(argument) in CATEGORIES:
            parts.append(CATEGORIES[str(argument)])
        else:  # \s, \D, \W, \S: any character, as far as the screen is concerned
            return ANYTHING
    body = "".join(parts)
    return f"[^{body}]" if negated else f"(?i:[{body}])" if ignore_case else f"[{body}]"


class Screen:
    """Screens of named patterns, read in one pass: ``present(text)`` names each pattern that may match in ``text``."""

    def __init__(self, patterns: Mapping[str, re.Pattern[str]]):
        options = re2.Options()
        options.max_mem = 256 << 20  # the forename trees make a large automaton
        self._set = re2.Set.SearchSet(options)
        self._sentinel = self._set.Add("")  # matches every text: a pass that ends without it ran out of memory
        self._screened: dict[int, str] = {}
        unscreened = set()
        for name, pattern in patterns.items():
            try:
                self._screened[self._set.Add(widened(pattern))] = name
            except (Untranslatable, re2.error):
                unscreened.add(name)
        self._set.Compile()
        self.everything = frozenset(patterns)
        self._unscreened = frozenset(unscreened)
        self._named: dict[frozenset[int], frozenset[str]] = {}  # what each answer of the pass names: a few dozen kinds

    def present(self, text: str) -> frozenset[str]:
        """The names of the patterns that may match in ``text`` (all of them when the pass cannot say)."""
        try:
            encoded = (" " + text).encode("utf-8")  # a space before: a pattern may read the character before a match
        except UnicodeEncodeError:
            return self.everything  # a lone surrogate: RE2 reads UTF-8 only
        found = frozenset(self._set.Match(encoded) or ())
        named = self._named.get(found)
        if named is None:
            if self._sentinel not in found:
                return self.everything
            named = self._named[found] = frozenset(self._screened[index] for index in found - {self._sentinel}) | self._unscreened
        return named
