"""Recognisers for personal data in free text: the privacy scan's building blocks.

Pure functions over strings. Text is normalised first (``normalise``) the way a
reader sees it: compatibility forms folded (NFKC), invisible characters dropped,
every run of white space one space, Markdown emphasis removed, lines joined.
Every pattern runs in linear time: no nested or overlapping quantifiers, and the
e-mail recogniser starts from each ``@`` instead of trying every position.

A text is read only by the recognisers that can match in it: one pass of RE2 over it rules out the others
(rsqm/privacy/screen.py). A long text is read only where a recogniser can match: those that need a digit near its
digits (``Near``), and a text read line by line in the lines that may hold something (``_scan_lines``); each reads
exactly what a pass over the whole text, or each line alone, would. Python's engine tests a class of first characters
one character at a time, so a pattern whose first characters are common in prose is not run over all of it: postcodes
are read around inward codes and phone spans found in ASCII text's bytes as classes (``inward_codes``,
``phone_spans``), obfuscated addresses tried only where one may start (``_obfuscated_in``), and in a heading or a list
of names capitalised pairs and titles are looked for in its distinct words first (``capitalised_pairs``,
``titled_names``). Where many distinct findings of a long text start is found in one pass of an automaton, not a
search for each (``_starts``). tests/test_detectors_shortcuts.py checks each against the plain pass.

They err on the side of flagging: a reviewed false positive is accepted in the
workspace (evidence/privacy-review.yaml) or listed as a public contact in
rsqm.yaml, not silenced here.
"""

from __future__ import annotations

import bisect
import collections
import contextlib
import functools
import gc
import itertools
import operator
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

if TYPE_CHECKING:
    from rsqm.privacy.screen import Screen

from rsqm.privacy.name_lists import LATIN_LOWER, LATIN_UPPER, dictionary_words, faker_forenames, faker_surnames, plain

try:
    from re import _parser as RE_PARSER  # how wide a match can be, as the engine itself reads the pattern
except ImportError:  # pragma: no cover - a Python without it: every recogniser reads the whole text
    RE_PARSER = None
UNBOUNDED = 1 << 32  # the parser gives an unbounded pattern's width as a huge number (MAXWIDTH, 2**64 today)
CONTEXT_OPS = frozenset({"ASSERT", "ASSERT_NOT", "AT", "GROUPREF", "GROUPREF_EXISTS", "GROUPREF_IGNORE", "GROUPREF_LOC_IGNORE",
                         "GROUPREF_UNI_IGNORE"})

# Zero-width characters, soft hyphen, word joiner, BOM and bidirectional marks: invisible, they split words.
INVISIBLE = re.compile("[\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"
                       "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069]")  # one pass in C; str.translate is ten times slower
SPACES = re.compile(r"\s+")
# What str.splitlines splits on besides "\n"; white space inside a line that is not already a single space.
LINE_BREAK = re.compile("\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
LINE_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
SPACE_RUN = re.compile(r"[^\S\n](?:[^\S\n]+|(?<! ))")  # two or more, or one that is not " "; starts with a class (see EMPHASIS)
OTHER_SPACES = "".join(c for c in map(chr, range(0x3001)) if c.isspace() and c not in " \n")  # what \s matches: str.isspace
ASCII_LINE_BREAKS, ASCII_OTHER_SPACES = (re.sub(r"[^\x00-\x7f]", "", characters) for characters in (LINE_BREAKS, OTHER_SPACES))
SPACES_ONLY = re.compile("  +")  # starts with a character: the engine finds each pair at memory speed
# Markdown emphasis and code marks; an underscore only when it does not sit inside a word (jo_bloggs stays).
# Written to start with the class of its first character, so the engine skips in C to the next mark (AFTER_WORD_START
# below says why): what ``[*`~]+|(?<![A-Za-z0-9])_+|_+(?![A-Za-z0-9])`` matches, branch for branch.
EMPHASIS = re.compile(r"[*`~_](?:(?<=[*`~])[*`~]*|(?<![A-Za-z0-9]_)_*|_*(?![A-Za-z0-9]))")
# The same where only one kind of mark is there (an underscore in a file name, say): starting with one character, the
# engine finds each at memory speed.
EMPHASIS_ALONE = {"_": re.compile(r"_(?:(?<![A-Za-z0-9]_)_*|_*(?![A-Za-z0-9]))"), "*": re.compile(r"\*+"),
                  "`": re.compile("`+"), "~": re.compile("~+")}
ASCII_LETTER = re.compile("[A-Za-z]")

# A pattern that starts with a character class lets the engine skip in C to where that class matches; one that starts
# with \b or a look-behind is tried at every position, several times slower. So each word-start test comes second:
# after the word's first character, "the character before it is not part of a word" is what \b said before it.
AFTER_WORD_START = r"(?<!\w.)"


def _folded(character: str) -> str:
    """What the one-character pattern ``character`` (of ASCII characters) matches when case is ignored, written out for
    a character class: the engine skips in C only to a class it can test without folding case. Besides ASCII, case
    folding matches just four characters with an ASCII letter (İ ı with i, ſ with s, the Kelvin sign with k)."""
    folded = re.compile(character, re.IGNORECASE)
    return "".join(re.escape(c) for c in map(chr, [*range(128), 0x130, 0x131, 0x17F, 0x212A]) if folded.fullmatch(c))


def _any_case(letters: str, also: str = "") -> str:
    return f"[{_folded(f'[{letters}]')}{also}]"


EMAIL_LOCAL = re.compile(r"[A-Za-z0-9._%+'-]{1,64}$")
EMAIL_DOMAIN = re.compile(r"[A-Za-z0-9-]{1,63}\.[A-Za-z0-9.-]{2,200}")
EMAIL_HOST_END = re.compile(r"\.[A-Za-z]{2,}$")
EMAIL_AT = re.compile(r"@(?=[A-Za-z0-9-]{1,63}\.[A-Za-z0-9.-]{2})")  # where EMAIL_DOMAIN can match after the '@'
TLD_NAMES = ("com", "org", "net", "uk", "co", "gov", "ac", "nhs", "sch", "police", "info", "io", "me", "biz", "edu", "eu", "ie",
             "scot", "wales", "london")
TLDS = f"(?:{'|'.join(TLD_NAMES)})"
OBFUSCATED_EMAIL = re.compile(
    rf"{_any_case('A-Za-z', also='0-9._%+-')}(?i:(?<![\w.].)[A-Za-z0-9._%+-]{{0,63}} ?(?:\(at\)|\[at\]|\{{at\}}|<at>|\bat\b|@) ?"
    rf"[A-Za-z0-9-]{{1,63}} ?(?:\(dot\)|\[dot\]|\{{dot\}}|<dot>|\bdot\b|\.) ?{TLDS}\b"
    rf"(?: ?(?:\(dot\)|\[dot\]|\{{dot\}}|<dot>|\bdot\b|\.) ?{TLDS}\b)?)"
)
ADDRESS_START = re.compile(rf"{_any_case('A-Za-z', also='0-9._%+-')}(?<![\w.].)")  # where OBFUSCATED_EMAIL may start
AT_SIGN = re.compile(rf"[@Aa](?:(?<=@)|{AFTER_WORD_START}[Tt]\b)")  # in each way of writing the "@" of an obfuscated address
# " dot " or one of .)]}> before a top-level domain: one pattern for each first character, which the engine finds at
# memory speed (a class of first characters it tests one character at a time); a letter a domain cannot start with
# is turned away before the domains are tried. No two of them can match overlapping text.
TLD_AHEAD = rf"(?={_any_case(''.join(sorted({name[0] for name in TLD_NAMES})))})(?i:{TLDS})\b"
OBFUSCATED_TLDS = tuple(re.compile(rf"\{mark} ?{TLD_AHEAD}") for mark in ".)]}>") + tuple(
    re.compile(rf"{d}{AFTER_WORD_START}[Oo][Tt]\b ?{TLD_AHEAD}") for d in "dD")
# National Insurance number: two prefix letters (not D, F, I, Q, U, V; not BG, GB, NK, KN, TN, NT, ZZ),
# six digits in pairs, suffix A-D; any case, separated by nothing, spaces, hyphens, dots or slashes.
NI_SEP = r"[ \-./]?"
NI_NUMBER = re.compile(
    rf"{_any_case('A-CEGHJ-PR-TW-Z')}(?i:(?<![A-Za-z0-9].)[A-CEGHJ-NPR-TW-Z](?<!BG|GB|NK|KN|TN|NT|ZZ){NI_SEP}"
    rf"\d\d{NI_SEP}\d\d{NI_SEP}\d\d{NI_SEP}[A-D](?![A-Za-z0-9]))"
)
# Postcodes in any case, with a space, a hyphen or nothing between the halves; a lower-case "2nd"/"3rd" is an ordinal, not an inward code.
# The pattern starts at the character before the postcode, which is no letter or digit in any case, and leaves it out
# of the group found (the text is scanned with a space before it): prose is mostly letters, passed over in C.
NOT_ALNUM = "[^" + _any_case("A-Za-z", also="0-9")[1:]
POSTCODE = re.compile(
    rf"{NOT_ALNUM}((?i:(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?[ \-]?\d[ABD-HJLNP-UW-Z]{{2}})(?![A-Za-z0-9])))"
)
ORDINAL = re.compile(r"\d(?:st|nd|rd|th)$")
# What every National Insurance number and every postcode holds, starting with a digit (marks where one may be)
NI_DIGITS = re.compile(rf"\d\d{NI_SEP}\d\d{NI_SEP}\d\d")
INWARD_CODE = re.compile(r"\d(?i:[ABD-HJLNP-UW-Z]{2})(?![A-Za-z0-9])")
MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]{0,6}\.?"
DAY = r"\d{1,2}(?:st|nd|rd|th)?"
DATE = (rf"(?:\d{{4}}-\d\d-\d\d|\d{{1,2}}[/.\-]\d{{1,2}}[/.\-]\d{{2,4}}|\d{{1,2}} \d{{1,2}} \d{{4}}"
        rf"|{DAY},? (?:of )?{MONTH},? \d{{2,4}}|{MONTH} {DAY},? \d{{4}}|{MONTH} \d{{4}}|(?:19|20)\d\d)")
# d.o.b, date of birth, birth date, birthday: a few words may stand between the label and the date ("DOB (as on the
# referral): ..."); born, born on, born in, b.: the date straight after ("born out of a 2019 pilot" dates no birth)
DOB_LABEL = re.compile(
    rf"[BbDd](?i:{AFTER_WORD_START}(?:(?:(?<=d)(?:\.? ?o\.? ?b\b\.?|ate of birth)|(?<=b)(?:irth ?date|irthday))[^\d\n]{{0,24}}?"
    rf"|(?<=b)(?:orn(?:,? (?:on|in))?[:,]? ?|\. ?)){DATE})"
)
# A police crime reference: force code / number / year ("54/12345/26")
POLICE_REF = re.compile(r"\d(?<![\w/.]\d)\d/\d{4,7}/\d\d(?![\w/])")
# Letters a name is written with: ASCII's and the Latin letters beyond it ("Łukasz", "Ó Briain", "Ólafsdóttir")
UPPER, LOWER = f"A-Z{LATIN_UPPER}", f"a-z{LATIN_LOWER}"
# A surname, with the particle it may start with (Irish "Ó" among them: "Seán Ó Briain")
SURNAME = rf"(?:Mc|Mac|O'|O’|D'|St\.? |Ó )?[{UPPER}][{UPPER}{LOWER}'’]+(?:-[{UPPER}][{UPPER}{LOWER}'’]+)?"
INITIAL = rf"(?:[{UPPER}]\.? )?"
# Titles (Mr, mrs, MISS, Dr, Prof, Sir, Dame, Rev, Revd; in the cases they are written in), grouped by first letter.
TITLES = (rf"(?:M{AFTER_WORD_START}(?:[Rr][Ss]?|[Ss]|iss|ISS|[Xx])|m{AFTER_WORD_START}(?:[Rr][Ss]?|[Ss]|iss|[Xx])"
          rf"|D{AFTER_WORD_START}(?:[Rr]|ame|AME)|d{AFTER_WORD_START}[Rr]|P{AFTER_WORD_START}(?:rof|ROF)|p{AFTER_WORD_START}rof"
          rf"|S{AFTER_WORD_START}(?:ir|IR)|R{AFTER_WORD_START}(?:ev|evd|EV))")
TITLED_NAME = re.compile(rf"{TITLES}\.? {INITIAL}{SURNAME}")
NOT_A_NAME_AFTER_TITLE = frozenset({"teams", "word", "excel", "office", "forms", "outlook", "access", "powerpoint",
                                    "sharepoint", "onedrive", "project", "visio", "dynamics", "windows"})
# A capitalised word ("Jane", "Łukasz", or "JANE" in a heading or form) and the word after it; a look-ahead: pairs
# overlap. Each pair is a name when the first word is on the forename list (``_forename_surnames``): one set look for
# each distinct pair, where a tree of ten thousand forenames took half a second to compile.
CAPITALISED_PAIR = re.compile(rf"([{UPPER}]{AFTER_WORD_START}[{LOWER}]+)(?= ({SURNAME}))")
FIRST_WORD = re.compile(rf"[{UPPER}](?<!\w.)[{LOWER}]+(?= |\Z)")  # CAPITALISED_PAIR's first word, at the end of a word
# and its second, at a word's start (where it does not run on after "St" or "Ó" into the next word)
SECOND_WORD = re.compile(rf" ((?:Mc|Mac|O'|O’|D')?[{UPPER}][{UPPER}{LOWER}'’]+(?:-[{UPPER}][{UPPER}{LOWER}'’]+)?)")
UPPER_PAIR = re.compile(rf"([{UPPER}]{AFTER_WORD_START}[{UPPER}]+)(?= ((?:MC|MAC|O'|O’)?[{UPPER}]{{2,}}(?:-[{UPPER}]{{2,}})?)\b)")
# Surname first: "Okonkwo, Adaeze", "OKONKWO, ADAEZE"; a name when the surname is on Faker's lists and the
# forename on the forename list.
SURNAME_FIRST = re.compile(rf"([{UPPER}]{AFTER_WORD_START}[{UPPER}{LOWER}'’]+), ([{UPPER}][{LOWER}]+|[{UPPER}]+)\b")
STREET_WORDS_EN = (r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Close|Drive|Crescent|Place|Gardens|Terrace|Court|Grove|Square|Hill|"
                   r"Walk|Mews|Row|Way|Rise|Parade)\b\.?")
# Welsh street names put the street word first: "Heol y Bont", "Stryd Fawr", "Ffordd Llanfair", "Lôn Isaf"
STREET_WORDS_CY = r"(?:Heol|Stryd|Ffordd|Lôn|Lon|Rhodfa|Cilgant|Teras|Maes|Clos|Llys|Plas|Bryn)(?: (?:y|yr|[A-Z][\w'’]+)){1,3}"
STREET_ADDRESS = re.compile(  # "14 Acacia Avenue", "7b Mill Lane", "3 Heol y Bont": a house number, then the street
    rf"\d{AFTER_WORD_START}\d{{0,3}}[A-Za-z]?,? (?:(?:[A-Z][a-z'’]+ ){{1,3}}{STREET_WORDS_EN}|{STREET_WORDS_CY})"
)
# A named house, then its street: "Ivy Cottage, Mill Lane"; read only in text that holds one of HOUSE_WORDS
HOUSE_WORDS = ("Cottage", "Farmhouse", "Farm", "Lodge", "Barn", "Bungalow", "Villa", "Bwthyn", "Fferm")
# One search in C where a test for each word cost a Python loop per text; it starts with the class of their first
# letters, so the engine passes over all but those capitals at memory speed.
HOUSE_WORD = re.compile(f"[{''.join(sorted({word[0] for word in HOUSE_WORDS}))}](?:{'|'.join(word[1:] for word in HOUSE_WORDS)})")
NAMED_HOUSE = re.compile(rf"[A-Z](?<!\w.)[a-z'’]+ (?:[A-Z][a-z'’]+ )?(?:{'|'.join(HOUSE_WORDS)}),? "
                         rf"(?:(?:[A-Z][a-z'’]+ ){{1,3}}{STREET_WORDS_EN}|{STREET_WORDS_CY})")
# A mobile number in words ("oh seven seven double oh ..."); read only in text that holds "seven", as every UK mobile does
DIGIT_WORDS = {"zero": "0", "oh": "0", "o": "0", "nought": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
               "six": "6", "seven": "7", "eight": "8", "nine": "9"}
PHONE_WORDS = re.compile(r"[ZzOoNn](?<![\w.]\w)(?i:(?:(?<=z)ero|(?<=o)h?|(?<=n)ought)(?:[ ,-]{1,3}(?:zero|oh|o|nought|one|two|three|four|five|"
                         r"six|seven|eight|nine|double|treble|triple)\b){9,20})")
# A letter's greeting names its reader, whether or not the name is a common forename ("Dear Siobhan Ni Bhriain,"):
# "Dear" or "DEAR" at a word's start, then one to three capitalised words.
NAME_WORD = rf"(?:Mc|Mac|O'|O’|D')?[{UPPER}][{UPPER}{LOWER}'’\-]*"  # Latin letters beyond ASCII: "Dear Élodie", "Dear Siân"
SALUTATION = re.compile(rf"D{AFTER_WORD_START}(?:ear|EAR) {NAME_WORD}(?: {NAME_WORD}){{0,2}}")
NAME_COLUMN = re.compile(r"(^|_)(name|surname|forename|first_?name|last_?name|email|e_?mail|phone|mobile|tel|address|postcode|dob|birth)", re.I)
PHONE_SPAN = re.compile(r"[+(\d][\d ().\-/]{8,}\d")  # starts with a character class: the engine skips ahead fast
DIGITS = re.compile(r"\d+")
DIGIT = re.compile(r"\d")
NUMBER_START = re.compile(r"[04](?<!\d[04])")  # a digit group that starts with 0 or 4
# 447... or 7... as a spreadsheet stores a mobile; or a mobile written without its 0 and grouped as it is spoken
# ("7700 900123", "7700 900 123"): one pattern, so one pass over each window
BARE_MOBILE = re.compile(r"[47](?<![\w.+].)(?:(?<=4)47[1-57-9]\d{8}(?![\w.])|(?<=7)(?:[1-57-9]\d{8}(?![\w.])"
                         r"|(?<![/-]7)[1-57-9]\d\d[ \-]\d{3}[ \-]?\d{3}(?![\w.]|[ \-/]\d)))")
WORD = re.compile(r"\w+")
T = TypeVar("T")

# In a long text, the recognisers that cannot match without a digit look only near its digits (``Near``): a match of a
# pattern that spans at most NEAR_DIGITS - LOOK_AROUND characters (National Insurance numbers, postcodes, bare mobile
# numbers, dates of birth, a short case-reference pattern) holds a digit and lies within its width of it, so each
# window (a run of digits and NEAR_DIGITS characters either side) finds exactly the matches a pass over the whole
# text finds there. Two patterns may be longer: a phone number's digits are joined by separators (runs of digits
# joined by them are one run), and a street address runs on over words (its windows run on to where those end).
# Prose with few digits is then mostly passed over.
LOOK_AROUND = 8  # more than any look-around of those patterns reads (two characters behind, one ahead)
NEAR_DIGITS = 80  # tests check that each windowed pattern is short enough
# Digits closer than this are in one window: the engine reads the text between them in C faster than Python starts
# another search (and windows must not overlap: more than two reaches).
WINDOW_GAP = 512
PHONE_CHARACTERS = r"[\d ().\-/+]"  # what a phone number's span (PHONE_SPAN) is made of
LONG_GAP = b"0" * (WINDOW_GAP + 1)  # in ASCII_DIGITS' terms: more characters than WINDOW_GAP without a digit
NOT_PHONE = re.compile("[^" + PHONE_CHARACTERS[1:])
DIGIT_RUNS = re.compile(rf"\d(?:\D{{0,{WINDOW_GAP}}}\d|{PHONE_CHARACTERS}*\d)*+")  # possessive: no state kept for each step
ASCII_DIGITS = bytes(49 if 48 <= byte <= 57 else 48 for byte in range(256))  # b"1" for each digit, b"0" for any other byte
STREET_WORDS = re.compile(r"[\w'’ ,.]*")  # what a street address after its house number is made of


class Finding(NamedTuple):
    """One piece of personal data found (a named tuple: a long text gives thousands, and making a frozen dataclass cost
    a quarter of the scan of a page of short lines)."""

    kind: str  # e-mail address, UK phone number, ...
    text: str  # the matched text, as normalised
    line: int  # 1-based line within the scanned text


def normalise_line(line: str) -> str:
    """One line as it reads: NFKC, invisible characters dropped, emphasis removed, white space single."""
    return SPACES.sub(" ", _without_emphasis(_visible(line))).strip()


def _without_emphasis(text: str) -> str:
    marks = [mark for mark in EMPHASIS_ALONE if mark in text]
    return text if not marks else EMPHASIS_ALONE[marks[0]].sub("", text) if len(marks) == 1 else EMPHASIS.sub("", text)


def _visible(text: str) -> str:
    """``text`` in NFKC without invisible characters; ASCII is both already (each step runs only when it changes something)."""
    if text.isascii():
        return text
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return INVISIBLE.sub("", text)


def normalise(text: str) -> str:
    """A text as it reads when rendered: every line normalised, lines joined by one space."""
    return " ".join(part for part in map(normalise_line, text.splitlines()) if part)


def normalised_lines(text: str) -> tuple[str, list[int], list[int]]:
    """``normalise(text)``, the offset each non-empty line starts at in it, and that line's number (1-based).

    The same result as ``normalise_line`` on each line, done on the whole text in a few passes of C code instead
    of a Python loop over the lines: NFKC never makes or joins a line break, and emphasis marks, invisible
    characters and white space are judged by the characters either side, for which a line break reads like the
    end of the line.
    """
    lines = _each_line_normalised(text)
    numbers = [number for number, part in enumerate(lines, start=1) if part]
    parts = [part for part in lines if part]
    offsets = list(itertools.accumulate((len(part) + 1 for part in parts[:-1]), initial=0)) if parts else []
    return " ".join(parts), offsets, numbers


def _each_line_normalised(text: str) -> list[str]:
    """``normalise_line`` of each line of ``text`` (as ``str.splitlines`` splits it, and an empty one after a last line
    break), in a few passes over the whole text (``normalised_lines`` says why that is the same)."""
    # Each pass runs only when a character it changes is there: a search for one character runs at memory speed.
    ascii_only = text.isascii()  # then the characters looked for below that are not ASCII cannot be there
    if _holds_any(text, ASCII_LINE_BREAKS if ascii_only else LINE_BREAKS):  # first: removing one must not make "\r" "\n" one
        text = LINE_BREAK.sub("\n", text)
    text = _visible(text)
    text = _without_emphasis(text)
    if _holds_any(text, ASCII_OTHER_SPACES if ascii_only else OTHER_SPACES):
        text = SPACE_RUN.sub(" ", text)
    elif "  " in text:
        text = SPACES_ONLY.sub(" ", text)  # what SPACE_RUN does where " " is the only white space in a line
    text = text.replace(" \n", "\n").replace("\n ", "\n")  # white space is single spaces and line breaks by now
    return text.strip(" ").split("\n")


def _holds_any(text: str, characters: str) -> bool:
    return any(character in text for character in characters)


@functools.cache
def _word_list(name: str) -> frozenset[str]:
    text = resources.files("rsqm").joinpath("data", name).read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@functools.cache
def forenames() -> frozenset[str]:
    """Common UK forenames (rsqm/data/uk-forenames.txt, source recorded in the file) and Faker's first names of the
    communities in England and Wales (``name_lists``), less the ordinary words of rsqm/data/not-forenames.txt."""
    return _word_list("uk-forenames.txt") | (faker_forenames() - _word_list("not-forenames.txt"))


def well_known_names() -> frozenset[str]:
    """People whose names stand for organisations, buildings and ideas ("Joseph Rowntree", "Mary Seacole";
    rsqm/data/well-known-names.txt): no one's personal data when written in a policy."""
    return _word_list("well-known-names.txt")


def organisation_words() -> frozenset[str]:
    """Words that make a document author an organisation or a role, not a person ("Wiltshire Council", "Service
    Manager"; rsqm/data/organisation-words.txt)."""
    return _word_list("organisation-words.txt")


def not_surnames() -> frozenset[str]:
    """Capitalised words that follow a forename without being a surname ("Grace Period", "Victim Support")."""
    return _word_list("not-surnames.txt")


def widest_match(pattern: str, flags: int = 0) -> int | None:
    """The most characters a match of ``pattern`` spans, as the parser of Python's ``re`` works it out (look-arounds read
    beyond a match and are not counted); None when a match may be of any length or the parser cannot say."""
    tree = _parsed(pattern, flags)
    try:
        most = tree.getwidth()[1] if tree is not None else None
    except AttributeError:  # pragma: no cover - a parser that no longer says
        return None
    return most if most is not None and most < UNBOUNDED else None


def reads_context(pattern: str, flags: int = 0) -> bool:
    """Whether what ``pattern`` matches may depend on text beyond the match: it holds a look-around, an anchor or a
    group reference (True too when the parser cannot say)."""
    tree = _parsed(pattern, flags)
    return tree is None or _holds_context(tree)


def _parsed(pattern: str, flags: int) -> Any:
    try:
        return RE_PARSER.parse(pattern, flags) if RE_PARSER is not None else None
    except (re.error, AttributeError):
        return None


def _holds_context(node: object) -> bool:
    if isinstance(node, RE_PARSER.SubPattern):
        return any(str(op) in CONTEXT_OPS or _holds_context(argument) for op, argument in node)
    return isinstance(node, (tuple, list)) and any(map(_holds_context, node))


def _digit_runs(text: str) -> Iterator[tuple[int, int]]:
    """Each run of digits closer than WINDOW_GAP or joined by a phone number's separators: (first, after the last).

    In ASCII text the runs are found between the long gaps without a digit, in bytes at memory speed: what DIGIT_RUNS
    finds digit by digit, which other text still needs."""
    if not text.isascii():
        yield from (run.span() for run in DIGIT_RUNS.finditer(text))
        return
    digits = text.encode("ascii").translate(ASCII_DIGITS)
    start = digits.find(b"1")
    gap_from = start
    while start >= 0:
        gap = digits.find(LONG_GAP, gap_from)
        after = digits.find(b"1", gap) if gap >= 0 else -1
        if after < 0:  # no digit after: the last run ends at the last digit
            yield start, digits.rfind(b"1") + 1
            return
        if NOT_PHONE.search(text, gap, after):
            yield start, gap
            start = after
        gap_from = after  # a gap of a phone number's separators alone does not end a run


class Near:
    """The windows of a text that the recognisers needing a digit read (see NEAR_DIGITS); all of a short text."""

    def __init__(self, text: str):
        self.text = text
        self.runs = list(_digit_runs(text)) if len(text) > WINDOW_GAP else None  # None: read whole
        self.windows = [(0, len(text))] if self.runs is None else [(max(0, start - NEAR_DIGITS), end + NEAR_DIGITS)
                                                                   for start, end in self.runs]

    @functools.cached_property
    def street(self) -> list[tuple[int, int]]:
        """The windows, each on to where the words after its last digit end (and windows that then overlap as one)."""
        if self.runs is None:
            return self.windows
        merged: list[tuple[int, int]] = []
        starts = [start for start, _ in self.windows[1:]] + [len(self.text)]
        for (start, end), (_, last), following in zip(self.windows, self.runs, starts, strict=True):
            # read no further than where the next window starts: there the two are one, and the next one reads on
            end = max(end, STREET_WORDS.match(self.text, last, following).end() + LOOK_AROUND)
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        return merged

    def find(self, pattern: re.Pattern[str], street: bool = False) -> list[str]:
        """``pattern.findall`` over the windows, in the text's order."""
        return _near(functools.partial(pattern.findall, self.text), self.street if street else self.windows)

    def spans(self, pattern: re.Pattern[str], street: bool = False) -> list[tuple[int, int]]:
        """Where each match of ``pattern`` is, over the windows."""
        return _near(_spans(pattern, self.text), self.street if street else self.windows)


def _near(find: Callable[[int, int], list[T]], windows: list[tuple[int, int]], shift: int = 0) -> list[T]:
    """What ``find(start, end)`` finds in each window (its end moved ``shift`` characters on), in the text's order."""
    if len(windows) == 1:
        return find(windows[0][0], windows[0][1] + shift)
    return [found for start, end in windows for found in find(start, end + shift)]


def _emails(text: str) -> Iterator[str]:
    """E-mail addresses, found from each '@' outwards (bounded look on each side: linear in the text)."""
    for sign in EMAIL_AT.finditer(text):  # only an '@' a domain can follow: "a@a@a@..." costs no Python per '@'
        at = sign.start()
        found = _address_at(text[max(0, at - 64):at + 256], min(at, 64))  # all that is read about this '@'
        if found is not None:
            yield found


@functools.lru_cache(maxsize=4096)
def _address_at(window: str, at: int) -> str | None:
    """The address around the '@' at ``at`` in ``window``, if any (a document repeats the same few addresses)."""
    local = EMAIL_LOCAL.search(window, window.rfind(" ", 0, at) + 1, at)  # it holds no space: tried from the last one on
    domain = EMAIL_DOMAIN.match(window, at + 1)
    if local and domain:
        host = domain.group(0).rstrip(".-")
        if EMAIL_HOST_END.search(host):
            return window[local.start():at + 1] + host
    return None


@functools.lru_cache(maxsize=4096)
def _uk_number(national: str, plain: bool) -> bool:
    """A UK number phonenumbers calls valid, or (``plain``: no dots or slashes) any 07 mobile shape, since
    phonenumbers does not call Ofcom's drama range valid."""
    if plain and len(national) == 11 and national.startswith("07"):
        return True
    import phonenumbers  # on the first number to check: reading a workspace needs no phone metadata

    return phonenumbers.is_valid_number(phonenumbers.parse(national, "GB"))


def _number_end(run: str, groups: list[tuple[int, int]], first: int) -> int | None:
    """The last digit group of the longest UK number starting at group ``first`` (at most 13 digits: bounded work)."""
    if run[groups[first][0]] not in "04":
        return None  # a UK number starts with 0, or 44 for +44
    digits, end = "", None
    for index in range(first, len(groups)):
        digits += run[groups[index][0]:groups[index][1]]
        if len(digits) > 13:
            break
        national = "0" + digits[3:] if digits.startswith("440") else "0" + digits[2:] if digits.startswith("44") else digits
        plain = not any(c in run[groups[first][0]:groups[index][1]] for c in "./")
        if len(national) in (10, 11) and national[0] == "0" and national[1] != "0" and _uk_number(national, plain):
            end = index
    return end


def _numbers_in(run: str) -> Iterator[str]:
    """UK phone numbers in one run of digits and separators, tried from the start of each digit group."""
    taken = 0
    for first in NUMBER_START.finditer(run):  # a UK number starts with 0 or 44: other digit groups are passed in C
        if first.start() < taken:
            continue  # inside the number found last
        groups = [match.span() for match in itertools.islice(DIGITS.finditer(run, first.start()), 14)]  # 13 digits at most
        end = _number_end(run, groups, 0)
        if end is None:
            continue
        start = groups[0][0] - (groups[0][0] > 0 and run[groups[0][0] - 1] == "+")
        yield run[start:groups[end][1]]
        taken = groups[end][1]


# A run that is one mobile number and nothing else, as most are written ("07700 900123"): its groups' digits add up to
# 11 only when all are read (5, 11; 5, 8, 11), and an 11-digit 07 number with no dots or slashes is a mobile, so
# ``_numbers_in`` finds the run itself. Told apart in one match instead of a walk over its digit groups.
ONE_MOBILE = re.compile(r"07\d{9}|07\d{3} \d{6}|07\d{3} \d{3} \d{3}")


@functools.lru_cache(maxsize=4096)
def _numbers_in_short(run: str) -> tuple[str, ...]:
    return tuple(_numbers_in(run))  # a document gives the same few numbers again and again


def _numbers_in_run(run: str) -> Iterable[str]:
    """``_numbers_in(run)``."""
    if ONE_MOBILE.fullmatch(run):
        return (run,)
    return _numbers_in_short(run) if len(run) <= 64 else _numbers_in(run)


def _phone_numbers(near: Near, present: frozenset[str]) -> Iterator[str]:
    """UK phone numbers however grouped. A span read in a window may lack the brackets or separators a span over the
    whole text starts with before its first digit; what is found in it is the same (read from a digit on)."""
    runs = phone_spans(near)
    for run in runs:
        yield from _numbers_in_run(run)
    if runs and "bare mobile" in present:  # a spreadsheet stores 07911123456 as the number 7911123456: ten digits in a row, a span too
        yield from near.find(BARE_MOBILE)


# Each ASCII byte as what PHONE_SPAN reads: "d" a digit, "+" and "(" themselves, "s" the other separators, "x" any other
PHONE_CLASSES = bytes(100 if 48 <= byte <= 57 else byte if byte in b"+(" else 115 if byte in b" ).-/" else 120
                      for byte in range(256))
PHONE_MARKS = re.compile(rb"[+(d][ds(]{8,}d")  # PHONE_SPAN in those terms


def phone_spans(near: Near) -> list[str]:
    """``near.find(PHONE_SPAN)``. In ASCII text the pattern runs over its bytes as classes: testing each character
    for a class of three bytes is a third of the time PHONE_SPAN takes to test it for a digit."""
    if not near.text.isascii():
        return near.find(PHONE_SPAN)
    classes = near.text.encode("ascii").translate(PHONE_CLASSES)
    spans = _near(lambda start, end: [match.span() for match in PHONE_MARKS.finditer(classes, start, end)], near.windows)
    return [near.text[start:end] for start, end in spans]


def _spoken_numbers(text: str) -> Iterator[str]:
    """Mobile numbers in words: "oh seven seven double oh nine oh oh one two three" is 07700900123."""
    for match in PHONE_WORDS.finditer(text):
        digits, repeat = "", 1
        for word in re.findall(r"[a-z]+", match.group(0).lower()):
            if word in ("double", "treble", "triple"):
                repeat = 2 if word == "double" else 3
            else:
                digits += DIGIT_WORDS[word] * repeat
                repeat = 1
        if len(digits) == 11 and digits.startswith("07") and _uk_number(digits, True):
            yield match.group(0)


def _obfuscated_emails(text: str, present: frozenset[str]) -> Iterator[str]:
    """'jo dot bloggs at example dot org': looked for only just before a top-level domain (rare in prose)."""
    seen: set[int] = set()
    tlds = [pattern for pattern, name in zip(OBFUSCATED_TLDS, TLD_SCREENS, strict=True) if name in present]
    for tld_start, tld_end in sorted(match.span() for pattern in tlds for match in pattern.finditer(text)):
        start, end = max(0, tld_start - 140), tld_end + 40
        before = max(0, start - LOOK_AROUND)  # the window and what its look-behinds read: all that is read about it
        for offset, found in _obfuscated_in(text[before:end], start - before):
            if before + offset not in seen:
                seen.add(before + offset)
                yield _spelled_local_part(text, before + offset) + found


# A dot of the local part spelled out, and the part of it before ("jo dot " of "jo dot bloggs at example dot org"),
# just before where an obfuscated address was found: OBFUSCATED_EMAIL's local part holds no space, so it starts
# at "bloggs". At most this many are taken, each no longer than a local part.
SPELLED_DOT_BEFORE = re.compile(r"(?i:(?<![\w.])[A-Za-z0-9._%+-]{1,63} ?(?:\(dot\)|\[dot\]|\{dot\}|<dot>|\bdot\b) ?)\Z")
SPELLED_DOTS = 3


def _spelled_local_part(text: str, start: int) -> str:
    """What of the local part spelled with dots lies before ``start`` (where an obfuscated address was found)."""
    first = start
    for _ in range(SPELLED_DOTS):
        if "dot" not in text[max(0, first - 7):first].lower():  # a spelled dot is just before, or there is none
            break
        segment = SPELLED_DOT_BEFORE.search(text, max(0, first - 71), first)
        if segment is None:
            break
        first = segment.start()
    return text[first:start]


@functools.lru_cache(maxsize=4096)
def _obfuscated_in(window: str, start: int) -> tuple[tuple[int, str], ...]:
    """(where, what) each obfuscated address in ``window`` from ``start`` is; a document repeats an address in the same
    words (a footer, a signature), so each window is read once.

    What ``OBFUSCATED_EMAIL.finditer`` finds from 66 characters before the first "at" or "@", tried only where an address
    holding the next one may start: trying every word of the prose around an address cost most of the scan of a page
    of addresses."""
    found: list[tuple[int, str]] = []
    read_from = None  # where the next address may start
    for sign in AT_SIGN.finditer(window, start):  # every address holds one of these, and starts at or before it
        at = sign.start()
        if read_from is None:
            read_from = max(start, at - 66)  # an address starts at most 66 characters before its "at" or "@"
        if at < read_from:
            continue  # inside the address found last
        # its local part holds no space and runs on to two characters before its "at" at most (a space and a bracket
        # between): an address with this "at" or a later one starts after the last space ahead of that
        space = window.rfind(" ", read_from, max(read_from, at - 2))
        for candidate in ADDRESS_START.finditer(window, read_from if space < 0 else space + 1, at + 1):
            match = OBFUSCATED_EMAIL.match(window, candidate.start())
            if match is not None:
                found.append((match.start(), match.group(0)))
                read_from = match.end()
                break
        else:
            read_from = at + 1
    return tuple(found)


def _kept(found: list[str], keep: Callable[[str], bool]) -> list[str]:
    """The matches ``keep`` accepts, judged once for each distinct text (a long text repeats the same few)."""
    distinct = set(found)
    kept = {text for text in distinct if keep(text)}
    return found if len(kept) == len(distinct) else [text for text in found if text in kept]


def _postcodes(text: str) -> list[str]:
    # "B3 2nd" is an edition, "B3 2ND" a postcode; the space in front reads a postcode at the start like any other
    return _kept(_near(functools.partial(POSTCODE.findall, " " + text), _postcode_windows(text)),
                 lambda found: not (found[-2:].islower() and ORDINAL.search(found)))


# Each ASCII byte as what INWARD_CODE reads: "d" a digit, "i" a letter an inward code ends with (in either case), "l"
# another letter, "." anything else.
INWARD_CLASSES = bytes(100 if chr(byte).isdigit() else 105 if INWARD_CODE.match(f"0{chr(byte) * 2}") else
                       108 if chr(byte).isalpha() else 46 for byte in range(128)) + b"." * 128
INWARD_MARK = re.compile(rb"dii(?![dil])")  # INWARD_CODE in those terms


def inward_codes(text: str) -> list[int]:
    """Where each match of INWARD_CODE starts. In ASCII text found in its bytes as classes, a search the engine runs
    for a literal: ten times faster than INWARD_CODE's search for a digit (a class, tested one character at a time)."""
    if not text.isascii():
        return [match.start() for match in INWARD_CODE.finditer(text)]
    return [match.start() for match in INWARD_MARK.finditer(text.encode("ascii").translate(INWARD_CLASSES))]


POSTCODE_BEFORE = 8  # more than a POSTCODE match reads before its inward code (the character before, an outward code, a space)
POSTCODE_AFTER = 4  # and after it (its inward code, the character its look-ahead reads)


def _postcode_windows(text: str) -> list[tuple[int, int]]:
    """Where POSTCODE may match in ``" " + text``: around each inward code, which every postcode ends with; windows that
    meet are one, so each reads what a pass over the whole text reads there (as ``Near``'s windows do)."""
    windows: list[tuple[int, int]] = []
    for mark in inward_codes(text):
        start, end = max(0, mark + 1 - POSTCODE_BEFORE), mark + 1 + POSTCODE_AFTER
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


def _titled_names(text: str) -> list[str]:
    return _kept(titled_names(text), lambda found: found.split()[-1].lower() not in NOT_A_NAME_AFTER_TITLE)


def titled_names(text: str) -> list[str]:
    """``TITLED_NAME.findall(text)``. In a heading or a list of names (``_mostly_capitalised``), where the pattern's first
    letters (M, D, P, S, R) start many words and a title few, it runs with its title one of those the text holds: a
    title ends a space-separated word ("(Mr", "Dr."), so the titles there are found in the text's distinct words, and
    the pattern with those alone matches where it matches."""
    if not _mostly_capitalised(text):
        return TITLED_NAME.findall(text)
    titles = tuple(sorted(set(TITLE.findall(_distinct_words(text))), key=len, reverse=True))
    return _titled_with(titles).findall(text) if titles else []


TITLE = re.compile(rf"{TITLES}(?=\.? )")  # a title as TITLED_NAME reads it, in _distinct_words' words


@functools.lru_cache(maxsize=64)
def _titled_with(titles: tuple[str, ...]) -> re.Pattern[str]:
    """TITLED_NAME with its title one of ``titles`` (the longest first, as its own pattern tries them)."""
    initials = "".join(sorted({re.escape(title[0]) for title in titles}))
    rests = "|".join(rf"(?<={re.escape(title[0])}){re.escape(title[1:])}" for title in titles)
    return re.compile(rf"[{initials}]{AFTER_WORD_START}(?:{rests})\.? {INITIAL}{SURNAME}")


@functools.lru_cache(maxsize=2)
def _distinct_words(text: str) -> str:
    """Each distinct space-separated word of ``text`` once, each with a space either side (a split and a set, in C):
    what a pattern that cannot match across a space finds there, it finds in these. Kept for the recognisers after."""
    return f" {' '.join(set(text.split(' ')))} "


def addressees() -> frozenset[str]:
    """Words after "Dear" that name no one ("Colleague", "Parent", "Sir"; rsqm/data/addressees.txt)."""
    return _word_list("addressees.txt")


def _greetings(text: str) -> list[str]:
    """'Dear Siobhan Ni Bhriain': a greeting whose first word after "Dear" is not a role, a group or a title."""
    return _kept(SALUTATION.findall(text), lambda found: found.split()[1].lower() not in addressees())


# Each ASCII byte as its kind: "U" an upper-case letter, "l" a lower-case one, " " a space, "." anything else.
LETTER_CASES = bytes(85 if 65 <= byte <= 90 else 108 if 97 <= byte <= 122 else 32 if byte == 32 else 46 for byte in range(256))


@functools.lru_cache(maxsize=2)
def _letter_cases(text: str) -> bytes:
    """``text`` as LETTER_CASES (other characters are more than one byte in UTF-8 and none of them an ASCII letter)."""
    return text.encode("utf-8", "surrogatepass").translate(LETTER_CASES)


def _two_upper_words(text: str) -> bool:
    """Whether two capital letters, a space and a third follow each other: "JANE DOE" does, most prose does not.
    (Found in bytes at memory speed; LETTER_CASES knows ASCII letters only, so text with others, "SIÂN JONES", may.)"""
    return not text.isascii() or b"UU U" in _letter_cases(text)


CAPITALISED_SHARE = 0.05  # capitalised words for each character of a heading or a list of names: one in 20 or more


def _mostly_capitalised(text: str) -> bool:
    """Whether capitalised words are so many that reading the text's distinct words once costs less than matching a
    pattern at each of them: in Title Case headings ten times less; in prose and Markdown, where one word in seven or
    more is capitalised, more."""
    return _letter_cases(text).count(b" Ul") > len(text) * CAPITALISED_SHARE


def _forename_surnames(text: str, present: frozenset[str]) -> list[str]:
    """'Jane Doe': a forename followed by a capitalised word that is not an ordinary word; 'Zephyrine Okonkwo': a
    word that is neither a forename nor an ordinary word followed by a known surname; 'Okonkwo, Adaeze': a known
    surname, a comma and a forename. Only the patterns whose screen matched (``present``) are run."""
    found = []
    counted = []
    if PAIR_SCREENS[0] in present:
        counted.append(capitalised_pairs(text, NAME_PAIRS))
    if PAIR_SCREENS[1] in present and _two_upper_words(text):
        counted.append(collections.Counter(UPPER_PAIR.findall(text)))  # counted in C: in headings most pairs are no name
    for pairs in counted:
        found += [name for pair, count in pairs.items() if _is_name(*pair) for name in [f"{pair[0]} {pair[1]}"] * count]
    if ", " in text and SURNAME_FIRST_SCREEN in present:
        last = faker_surnames()
        found += [f"{surname}, {forename}" for surname, forename in SURNAME_FIRST.findall(text)
                  if _surname(surname) in last and _is_forename(forename)]
    return found


@dataclass(frozen=True)
class PairRule:
    """Which pairs of CAPITALISED_PAIR may be names: those whose first word is enough on its own (``alone``), and those
    whose first word may start a name (``with_second``) and whose second word may end one (``second``)."""

    alone: Callable[[str], bool]
    with_second: Callable[[str], bool]
    second: Callable[[str], bool]

    def keeps(self, first: str, second: str) -> bool:
        return self.alone(first) or (self.with_second(first) and self.second(second))


def capitalised_pairs(text: str, rule: PairRule) -> collections.Counter[tuple[str, str]]:
    """Pairs of ``CAPITALISED_PAIR.findall(text)`` counted as ``Counter`` counts them: every pair ``rule`` keeps, and
    perhaps others.

    In a heading or a list of names (``_mostly_capitalised``) the pattern's matches overlap, every capitalised word
    starting one, and making each costs more than the rest of the scan, while few of their words may be part of a name.
    A first word ends a space-separated word of the text and a second starts one, so both are looked for in the text's
    distinct words (a split and a set, in C), each judged once. Where no pair can be kept, the pattern is not run;
    otherwise it runs with its first word one of those that may start a kept pair (``_pairs_starting``), which matches
    exactly where the pattern matches with one of them. Elsewhere the pattern runs as it is.
    """
    if not _mostly_capitalised(text):
        return collections.Counter(CAPITALISED_PAIR.findall(text))
    words = _distinct_words(text)
    firsts = set(FIRST_WORD.findall(words))
    alone = {word for word in firsts if rule.alone(word)}
    with_second = {word for word in firsts - alone if rule.with_second(word)}
    # a second word is where SURNAME matches at a word's start; after "St", "St." or "Ó" it runs on into the next word
    if with_second and not (" St " in words or " St. " in words or " Ó " in words
                            or any(map(rule.second, SECOND_WORD.findall(words)))):
        with_second = set()
    chosen = alone | with_second
    if not chosen:
        return collections.Counter()
    pattern = CAPITALISED_PAIR if len(chosen) > MANY_FIRST_WORDS else _pairs_starting(tuple(sorted(chosen)))
    return collections.Counter(pattern.findall(text))


MANY_FIRST_WORDS = 64  # more than this, and compiling a pattern for them costs more than CAPITALISED_PAIR's pass


@functools.lru_cache(maxsize=64)
def _pairs_starting(firsts: tuple[str, ...]) -> re.Pattern[str]:
    """CAPITALISED_PAIR with its first word one of ``firsts`` (whole: no word character before it, and the look-ahead
    reads the space after it), starting with the class of their first letters (AFTER_WORD_START says why)."""
    initials = "".join(sorted({re.escape(word[0]) for word in firsts}))
    rests = "|".join(rf"(?<={re.escape(word[0])}){re.escape(word[1:])}" for word in firsts)
    return re.compile(rf"([{initials}]{AFTER_WORD_START}(?:{rests}))(?= ({SURNAME}))")


def _not_a_word(word: str) -> bool:
    """A first word a known surname may follow in a name (``_is_name``): no ordinary word, nor one of an organisation."""
    lowered = word.lower()
    return lowered not in dictionary_words() and lowered not in organisation_words()


def _known_surname(word: str) -> bool:
    return _surname(word) in faker_surnames() and word.lower() not in dictionary_words()


def _surname(word: str) -> str:
    return word.lower().replace("’", "'")


def _is_forename(word: str) -> bool:
    lowered = word.lower()
    return lowered in forenames() or (not lowered.isascii() and plain(lowered) in forenames())  # "Seán" as "Sean"


def _is_name(first_word: str, second_word: str) -> bool:
    first, second = first_word.lower(), second_word.lower()
    if second in not_surnames() or f"{first} {second}" in well_known_names():
        return False
    if _is_forename(first):
        return True
    words = dictionary_words()
    return _surname(second) in faker_surnames() and second not in words and first not in words and first not in organisation_words()


NAME_PAIRS = PairRule(_is_forename, _not_a_word, _known_surname)  # each pair _is_name may call a name


def _name_starts(text: str, present: frozenset[str]) -> list[int]:
    """Where ``_forename_surnames`` may find a name in ``text``: each pair whose first word is a forename or whose
    second is a known surname (of the patterns whose screen matched)."""
    last = faker_surnames()
    pairs = [pattern for pattern, name in zip((CAPITALISED_PAIR, UPPER_PAIR), PAIR_SCREENS, strict=True) if name in present]
    starts = [match.start() for pattern in pairs for match in pattern.finditer(text)
              if _is_forename(match.group(1)) or _surname(match.group(2)) in last]
    if SURNAME_FIRST_SCREEN not in present:
        return starts
    return starts + [match.start() for match in SURNAME_FIRST.finditer(text) if _is_forename(match.group(2))]


class Names:
    """Names from the pseudonymisation key, matched word by word in any case (linear: one dictionary look per word)."""

    FEW = 16  # up to this many ASCII first words, each is looked for as a substring of the lowered text

    def _may_hold(self, text: str) -> bool:
        """False when no word of ``text`` is a first word, tested cheaply: the walk in ``find`` is for texts that hold one.

        An ASCII first word that is some word's ``lower()`` is also a substring of ``text.lower()`` (lowering is
        character by character but for the Greek final sigma, which is not ASCII).
        """
        if len(self.by_first) <= self.FEW and all(word.isascii() for word in self.by_first):
            lowered = text.lower()
            return any(word in lowered for word in self.by_first)
        return any(word.lower() in self.by_first for word in set(WORD.findall(text)))

    def __init__(self, names: Iterable[str]):
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        for name in names:
            words = tuple(w.lower() for w in WORD.findall(normalise_line(name)))
            if words and len("".join(words)) >= 2:
                self.by_first.setdefault(words[0], []).append(words)

    def find(self, text: str) -> Iterator[tuple[int, str]]:
        if not self.by_first or not self._may_hold(text):
            return
        words = list(WORD.finditer(text))
        lowered = [w.group(0).lower() for w in words]
        for index, word in enumerate(lowered):
            for name in self.by_first.get(word, ()):
                if tuple(lowered[index:index + len(name)]) == name:
                    yield words[index].start(), text[words[index].start():words[index + len(name) - 1].end()]


# A case-reference pattern's opening letter, digit or class of them, and how often it repeats (not lazily).
LEADING_TOKEN = re.compile(r"(\[[A-Za-z0-9-]+\]|[A-Za-z0-9])(?:\{(\d+)(?:(,)(\d*))?\}|(\+))?(?![?*+{])")


def _unanchored(pattern: str) -> str:
    return re.sub(r"^\^|\\A|\$$|\\Z$", "", pattern)


def needs_digit(pattern: str) -> bool:
    """Whether every match of ``pattern`` holds a digit, judged safely: a ``\\d`` that is not optional, outside any
    group, character class or alternative (a pattern with ``|`` or an opening ``[]`` is not judged: False)."""
    if "|" in pattern or "[]" in pattern or "[^]" in pattern:
        return False
    depth, in_class, escaped = 0, False, False
    for index, char in enumerate(pattern):
        if escaped:
            escaped = False
            if char == "d" and depth == 0 and not in_class and not re.match(r"[?*]|\{0|\{,", pattern[index + 1:index + 3]):
                return True
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char in "([)":
            in_class, depth = char == "[", depth + (char == "(") - (char == ")")
    return False


def case_ref_finder(pattern: str) -> re.Pattern[str] | None:
    """The workspace's case-reference pattern, unanchored, in any case, with any separator where it has one.

    A pattern that opens with a letter, digit or class of them, at least once (``[A-Z]{2,5}-...``), is compiled to
    start with that character class, the test that nothing alphanumeric comes before it second (see AFTER_WORD_START).
    """
    body = _unanchored(pattern)
    lead = LEADING_TOKEN.match(body)
    try:
        if lead and "|" not in body and int(lead.group(2) or 1) > 0:
            token, least, comma, most, plus = lead.groups()  # the first of its repeats is the class the finder starts with
            if plus:
                again = f"{token}*"
            elif least is None:
                again = ""
            else:
                again = f"{token}{{{int(least) - 1}{comma or ''}{int(most) - 1 if most else ''}}}"
            rest = again + body[lead.end():]
            finder = re.compile(rf"[{_folded(token)}](?i:(?<![A-Za-z0-9].)(?:{_separated(rest)})(?![A-Za-z0-9]))")
        else:
            finder = re.compile(rf"(?<![A-Za-z0-9])(?:{_separated(body)})(?![A-Za-z0-9])", re.IGNORECASE)
    except re.error:
        return None
    return None if finder.match("") else finder


def _separated(body: str) -> str:
    """``body`` with any separator allowed where it has a hyphen, underscore or slash."""
    out, in_class, escaped = [], False, False
    for char in body:
        if escaped:
            out.append(r"[-_./\u2010-\u2015 ]?" if char == "-" and not in_class else "\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
            out.append(char)
        elif char == "]":
            in_class = False
            out.append(char)
        elif char in "-_/" and not in_class:
            out.append(r"[-_./\u2010-\u2015 ]?")
        else:
            out.append(char)
    return "".join(out)


@dataclass(frozen=True)
class Detectors:
    """What the scan looks for beyond the fixed patterns: key names and the case-reference pattern."""

    names: Names = field(default_factory=lambda: Names(()))
    case_refs: re.Pattern[str] | None = None
    case_ref_digits: bool = False  # the case-reference pattern cannot match without a digit: not looked for in text with none
    case_ref_in_lines: bool = False  # the pattern reads no context of its own: looked for in many lines at once
    case_ref_near_digits: bool = False  # ... and needs a digit within a few characters: looked for near digits
    case_ref_prefixes: frozenset[str] = frozenset()  # the letters the service's own references start with (case_ref_prefixes)
    # what scan_text found in each short text read with these detectors, kept as long as they are
    short_texts_read: dict[tuple[str, bool], tuple[Finding, ...]] = field(default_factory=dict, init=False, compare=False,
                                                                           repr=False)

    @functools.cached_property
    def screen(self) -> Screen:
        """The one pass over a text for all their patterns (made on first use: the forename list is read for it)."""
        return _screen(self.case_refs)

    @classmethod
    def for_workspace(cls, names: Iterable[str] = (), case_ref_pattern: str | None = None,
                      known_refs: Iterable[str] = ()) -> Detectors:
        """``known_refs``: the service's case references (its case list), whose letters tell its references from others."""
        finder = case_ref_finder(case_ref_pattern) if case_ref_pattern else None
        if finder is None:
            return cls(Names(names))
        unanchored = _unanchored(case_ref_pattern or "")
        body = _separated(unanchored)  # what the finder matches between its own look-arounds
        digits, plain, most = needs_digit(unanchored), not reads_context(body, re.IGNORECASE), widest_match(body, re.IGNORECASE)
        near = digits and plain and most is not None and most + LOOK_AROUND <= NEAR_DIGITS
        return cls(Names(names), finder, digits, plain, near, case_ref_prefixes(known_refs))


PLAIN = Detectors()  # the fixed patterns only


LETTER_PREFIX = re.compile(r"[A-Za-z]+")


def _case_ref(found: str, prefixes: frozenset[str] = frozenset()) -> bool:
    """Whether a match of the case-reference pattern is a case reference. Where the service's own references start with
    letters (``prefixes``: RJ), a match starting with other letters is some other reference ("POL-2026-003", a policy),
    and one starting with theirs is a reference however it is written ("rj 2026 0079")."""
    prefix = LETTER_PREFIX.match(found)
    if prefixes and prefix is not None:
        return prefix.group(0).upper() in prefixes
    loose = " " in found or found.isalnum()  # "by 2026 100" is prose and "adf1568645" a digest; "RJ 2025 001" is a reference
    return not loose or found.upper() == found


def case_ref_prefixes(refs: Iterable[str]) -> frozenset[str]:
    """The letters the service's case references start with (empty when any starts without letters: none is judged)."""
    prefixes = [LETTER_PREFIX.match(ref) for ref in refs]
    return frozenset(p.group(0).upper() for p in prefixes if p is not None) if all(prefixes) else frozenset()


def _case_refs(text: str, detectors: Detectors, windows: list[tuple[int, int]]) -> list[str]:
    assert detectors.case_refs is not None
    found = [text[start:end] for start, end in _near(_spans(detectors.case_refs, text), windows)]
    return _kept(found, functools.partial(_case_ref, prefixes=detectors.case_ref_prefixes))


def _spans(pattern: re.Pattern[str], text: str) -> Callable[[int, int], list[tuple[int, int]]]:
    """Where each match of ``pattern`` is in ``text`` between two offsets."""
    return lambda start, end: [match.span() for match in pattern.finditer(text, start, end)]


def _recognised(text: str, detectors: Detectors) -> Iterator[tuple[str, Iterable[str], Iterable[int] | None]]:
    """(kind, the texts one recogniser found in already normalised text, where each starts or None if it does not say)."""
    # Cheap tests that a recogniser cannot match without (a digit, a space, a character before a domain),
    # so a short cell skips most of them; a long text passes them all.
    digits, spaced = DIGIT.search(text) is not None, " " in text
    lettered = not text.isascii() or ASCII_LETTER.search(text) is not None  # all but phone numbers, key names and references need one
    near = Near(text) if digits else None
    present = detectors.screen.present(text)  # and the patterns that may match: one pass for all of them
    if "e-mail" in present:
        yield "e-mail address", _emails(text), None
    if lettered and (any(c in text for c in ".)]}>") or "dot" in text.lower()) and not present.isdisjoint(TLD_SCREENS):
        yield "e-mail address", _obfuscated_emails(text, present), None
    if near is not None:
        if (len(text) > 64 or sum(map(str.isdigit, text)) >= 10) and "phone" in present:  # a UK number has ten digits or more
            yield "UK phone number", _phone_numbers(near, present), None
        if "/" in text and "police" in present:
            yield "police reference", near.find(POLICE_REF), None
        if lettered:
            if "NI number" in present:
                yield "National Insurance number", near.find(NI_NUMBER), None  # findall: no groups, the whole match
            if "postcode" in present:
                yield "UK postcode", _postcodes(text), None
            if ("b" in text or "B" in text) and "date of birth" in present:  # every label of a date of birth has a b
                yield "date of birth", near.find(DOB_LABEL), None
            if spaced and "street" in present:
                yield "street address", near.find(STREET_ADDRESS, street=True), None
    if spaced and lettered:
        if "named house" in present and HOUSE_WORD.search(text):
            yield "street address", NAMED_HOUSE.findall(text), None
        if "number in words" in present and ("seven" in text or "Seven" in text or "SEVEN" in text):
            yield "UK phone number", _spoken_numbers(text), None
        if "titled name" in present:
            yield "personal name", _titled_names(text), None
        yield "personal name", _forename_surnames(text, present), None
        if "greeting" in present and ("Dear" in text or "DEAR" in text):
            yield "personal name", _greetings(text), None
    keyed = list(detectors.names.find(text))
    if keyed:
        yield "participant's name", [found for _, found in keyed], [start for start, _ in keyed]
    if detectors.case_refs is not None and (digits or not detectors.case_ref_digits) and "case reference" in present:
        windows = near.windows if near is not None and detectors.case_ref_near_digits else [(0, len(text))]
        yield "case reference", _case_refs(text, detectors, windows), None


def _starts(text: str, lists: list[list[str]]) -> list[list[int]]:
    """Where each piece of each list starts: the first place after the last one of the same text in that list (0
    where there is none)."""
    needed: collections.Counter[str] = collections.Counter()
    for pieces in lists:
        needed |= collections.Counter(pieces)  # as often as any one list holds it
    if len(text) > LONG_TEXT and len(needed) > FEW_PIECES and "" not in needed:
        places = _places(text, needed)
        return [_in_turn(pieces, places) for pieces in lists]
    return [_searched(text, pieces) for pieces in lists]


def _searched(text: str, pieces: list[str]) -> list[int]:
    cursor: dict[str, int] = {}
    starts = []
    for piece in pieces:
        offset = text.find(piece, cursor.get(piece, 0))
        cursor[piece] = offset + 1
        starts.append(offset if offset > 0 else 0)
    return starts


# A search for each distinct piece reads the text up to where the piece first is: in a long text with many distinct
# pieces (a contact sheet, a page of varied prose) that read it again for each, time growing with the square of its length.
LONG_TEXT = 65_536
FEW_PIECES = 8


def _places(text: str, needed: collections.Counter[str]) -> dict[str, list[int]]:
    """Where each piece is, the first ``needed[piece]`` places, overlaps included (what a search from after each place
    found finds next), from one pass of an Aho-Corasick automaton (pyahocorasick) whatever the number of pieces."""
    import ahocorasick  # on the first long text with many pieces: other commands need no automaton

    automaton = ahocorasick.Automaton()
    for piece in needed:
        automaton.add_word(piece, piece)
    automaton.make_automaton()
    places: dict[str, list[int]] = {piece: [] for piece in needed}
    for end, piece in automaton.iter(text):
        found = places[piece]
        if len(found) < needed[piece]:
            found.append(end - len(piece) + 1)
    return places


def _in_turn(pieces: list[str], places: dict[str, list[int]]) -> list[int]:
    """``_searched`` from the places: each piece's next place in turn; one there less often than listed is not found
    (0) once they are used up, and the search starts over."""
    turns = {piece: itertools.cycle([*places[piece], 0]) for piece in set(pieces)}
    return list(map(next, map(turns.__getitem__, pieces)))


def _scan_lines(text: str, detectors: Detectors) -> list[Finding]:
    """Findings in each line of ``text`` read alone, in line order: each line that may hold one is read as
    ``_recognised`` reads a text, and the same line is read once."""
    lines = _each_line_normalised(text)
    read: dict[str, list[tuple[str, str]]] = {}  # a table or a document part repeats its lines
    findings = []
    for index in sorted(_lines_that_may_hold(lines, detectors)):
        line = lines[index]
        if line not in read:
            read[line] = [(kind, piece) for kind, pieces, _ in _recognised(line, detectors) for piece in pieces]
        findings += [Finding(kind, piece, index + 1) for kind, piece in read[line]]
    return findings


def _lines_that_may_hold(lines: list[str], detectors: Detectors) -> set[int]:
    """The index of each line in which a recogniser may find something, worked out over all the lines at once.

    Every recogniser but the workspace's case-reference pattern finds something in a line only where one of the
    patterns below matches it, and these match a line within the lines joined by line breaks exactly where they match
    it alone: none matches a line break, and each reads one as the end of a text. A match of the key names that
    crosses lines marks both: it is read again in each line alone. National Insurance numbers and postcodes are
    marked by a part of them every match holds (NI_DIGITS, INWARD_CODE), which starts with a digit: found faster.
    """
    joint = "\n".join(lines)
    starts = list(itertools.accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
    present, screened = detectors.screen.present(joint), _screened()
    found = [match.start() for name in ("e-mail", *TLD_SCREENS, "titled name", "greeting") if name in present
             for match in screened[name].finditer(joint)]
    found += _name_starts(joint, present)
    if "named house" in present and HOUSE_WORD.search(joint):
        found += [match.start() for match in NAMED_HOUSE.finditer(joint)]
    if "number in words" in present and ("seven" in joint or "Seven" in joint or "SEVEN" in joint):
        found += [match.start() for match in PHONE_WORDS.finditer(joint)]
    near = Near(joint) if DIGIT.search(joint) else None
    if near is not None:
        # a police reference ("54/12345/26") and a mobile grouped without its 0 are phone spans too: marked by PHONE_SPAN;
        # the part of an NI number or postcode that marks it is looked for only where the screen says one may be
        marks = {"phone": PHONE_SPAN, "bare mobile": BARE_MOBILE, "NI number": NI_DIGITS, "postcode": INWARD_CODE,
                 "date of birth": DOB_LABEL}
        found += [start for name, mark in marks.items() if name in present for start, _ in near.spans(mark)]
        if "street" in present:
            found += [start for start, _ in near.spans(STREET_ADDRESS, street=True)]
    for start, name in detectors.names.find(joint):
        found += (start, start + len(name) - 1)
    marked = {bisect.bisect_right(starts, offset) - 1 for offset in found}
    if detectors.case_refs is not None and "case reference" in present:
        marked |= _case_ref_lines(joint, starts, detectors, near)
    return marked


def _case_ref_lines(joint: str, starts: list[int], detectors: Detectors, near: Near | None) -> set[int]:
    """The lines the case-reference pattern may match. A pattern that reads no context of its own (no look-around,
    anchor or group reference) matches a line alone only where a match over the joined lines starts in or crosses it."""
    finder = detectors.case_refs
    assert finder is not None
    if detectors.case_ref_digits and near is None:
        return set()
    if detectors.case_ref_in_lines:
        spans = near.spans(finder) if near is not None and detectors.case_ref_near_digits else _spans(finder, joint)(0, len(joint))
        return {line for start, end in spans
                for line in range(bisect.bisect_right(starts, start) - 1, bisect.bisect_right(starts, max(start, end - 1)))}
    if detectors.case_ref_digits:
        return {bisect.bisect_right(starts, match.start()) - 1 for match in DIGIT.finditer(joint)}
    return set(range(len(starts)))


TLD_SCREENS = tuple(f"top-level domain {index}" for index in range(len(OBFUSCATED_TLDS)))
PAIR_SCREENS = ("forename pair", "forename pair in capitals")
SURNAME_FIRST_SCREEN = "surname first"


@functools.cache
def _screened() -> dict[str, re.Pattern[str]]:
    """Each pattern a recogniser cannot find anything without, by the name the screen gives it."""
    return {"e-mail": EMAIL_AT, **dict(zip(TLD_SCREENS, OBFUSCATED_TLDS, strict=True)), "phone": PHONE_SPAN,
            "bare mobile": BARE_MOBILE, "police": POLICE_REF, "NI number": NI_NUMBER, "postcode": POSTCODE,
            "date of birth": DOB_LABEL, "street": STREET_ADDRESS,
            "named house": NAMED_HOUSE, "number in words": PHONE_WORDS, "titled name": TITLED_NAME,
            **dict(zip(PAIR_SCREENS, (CAPITALISED_PAIR, UPPER_PAIR), strict=True)), SURNAME_FIRST_SCREEN: SURNAME_FIRST,
            "greeting": SALUTATION}


@functools.cache
def _screen(case_refs: re.Pattern[str] | None) -> Screen:
    """The one pass that tells which of the recognisers' patterns, and the workspace's case-reference pattern, may match."""
    from rsqm.privacy.screen import Screen  # on the first text to scan: reading a workspace needs no RE2

    return Screen({**_screened(), "case reference": case_refs} if case_refs is not None else _screened())


SHORT_TEXT = 256  # a register or a table repeats its short texts (owners, claims, cells): each is read once
SHORT_TEXTS_KEPT = 20_000  # by one Detectors: PLAIN serves a whole process


def forget_texts_read(*detectors: Detectors) -> None:
    """Empty what the scan keeps of the texts it has read (windows around addresses, digit runs, numbers checked, and
    the short texts of ``detectors``): a benchmark's every run then reads as a pre-flight's first does."""
    for memory in (_address_at, _obfuscated_in, _numbers_in_short, _uk_number, _distinct_words, _letter_cases):
        memory.cache_clear()
    for found_with in detectors:
        found_with.short_texts_read.clear()


def scan_text(text: str, detectors: Detectors = PLAIN, *, join_lines: bool = True) -> list[Finding]:
    """Findings in ``text`` with the line each starts on; ``join_lines`` reads the lines as one paragraph, as rendered."""
    if len(text) > LONG_TEXT:
        with _collector_paused():
            return _scan(text, detectors, join_lines)
    if len(text) > SHORT_TEXT:
        return _scan(text, detectors, join_lines)
    found = detectors.short_texts_read.get((text, join_lines))
    if found is None:
        found = tuple(_scan(text, detectors, join_lines))
        if len(detectors.short_texts_read) < SHORT_TEXTS_KEPT:
            detectors.short_texts_read[text, join_lines] = found
    return list(found)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a long text is read. A scan makes no reference cycles, but the collector's
    passes over the heap, while a long text's findings pile up, grew faster than the text: ten times a page of varied
    short lines took 13 times as long with it, 9.7 times without. It is turned back on only by the scan that turned it
    off (another thread's scan may still be running)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _scan(text: str, detectors: Detectors, join_lines: bool) -> list[Finding]:
    if not join_lines:
        return _scan_lines(text, detectors)
    joined, offsets, numbers = normalised_lines(text)
    # (line, kind, text), each once, in the order found: a recogniser finds in the text's order, so the sort below
    # merges a few runs already in line order (n log n over a set's order kept a long text's scan from being linear)
    found: dict[tuple[int, str, str], None] = {}
    if len(numbers) == 1:  # one line: where a piece starts does not matter, nor how often it is there
        for kind, pieces, _ in _recognised(joined, detectors):
            found.update(dict.fromkeys((numbers[0], kind, piece) for piece in set(pieces)))
    else:
        recognised = [(kind, list(pieces), starts) for kind, pieces, starts in _recognised(joined, detectors)]
        searched = iter(_starts(joined, [pieces for _, pieces, starts in recognised if starts is None]))
        numbered = [0, *numbers]  # shifted by one, as bisect_right counts the lines up to an offset
        for kind, pieces, starts in recognised:
            # the number of the line each starts on, in C
            at = map(bisect.bisect_right, itertools.repeat(offsets), next(searched) if starts is None else starts)
            found.update(dict.fromkeys(zip(map(numbered.__getitem__, at), itertools.repeat(kind), pieces)))
    # each made in C: calling the named tuple's own constructor for each cost a tenth of the scan of a page of short lines
    return list(map(tuple.__new__, itertools.repeat(Finding), map(operator.itemgetter(1, 2, 0), sorted(found))))


def scan_line(line: str, names: Iterable[str] = ()) -> Iterator[tuple[str, str]]:
    """(kind, text) for every piece of personal data recognised in one line (a cell, a field)."""
    for kind, pieces, _ in _recognised(normalise_line(line), Detectors.for_workspace(names) if names else PLAIN):
        for found in pieces:
            yield kind, found


def looks_like_personal_column(header: str) -> bool:
    return bool(NAME_COLUMN.search(header.strip()))
