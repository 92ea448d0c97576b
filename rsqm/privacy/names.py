"""The names the service already knows: the name columns of its case-management export, kept private.

A case import drops every column its map ignores, and the case list holds references only. The columns that hold
people's names ("Victim Name", "Offender Surname") are read once more, as the import runs, into
``.rsqm/known-names.txt``: one name a line, owner-only, never exported, never shown. The pre-flight blocks each of
them anywhere in a pack, in either order ("Okonkwo, Adaeze") and any case, without anyone typing a key.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

from rsqm.base.paths import KNOWN_NAMES_FILE
from rsqm.files.folder import MAX_TEXT_BYTES, read_regular
from rsqm.files.yamlio import YamlRefused

NAME_HEADER = re.compile(r"name|surname|forename|given|family", re.I)
NOT_A_NAME_HEADER = re.compile(r"pseudonym|case|ref|code|id$|file|place|organi[sz]ation|team|service|school", re.I)
HEADING = "# Names from the case-management export's name columns (rsqm cases import). Private: never exported.\n"


def is_name_column(header: str) -> bool:
    """Whether a column's header says it holds people's names ("Victim Name", "Surname"; not "Case ref", "Pseudonym")."""
    return bool(NAME_HEADER.search(header)) and not NOT_A_NAME_HEADER.search(header.strip())


def name_forms(name: str) -> list[str]:
    """A name as the pre-flight looks for it: as written and, for two words or more, surname first ("Okonkwo Adaeze"
    matches "Okonkwo, Adaeze": names are matched word by word)."""
    words = name.replace(",", " ").split()
    if len("".join(words)) < 2:
        return []
    return [" ".join(words)] + ([" ".join([words[-1], *words[:-1]])] if len(words) >= 2 else [])


def known_names(root: Path) -> list[str]:
    """The names kept from earlier imports (none when there is no list or it cannot be read as text)."""
    try:
        text = read_regular(Path(root) / KNOWN_NAMES_FILE, KNOWN_NAMES_FILE, MAX_TEXT_BYTES).decode("utf-8")
    except (YamlRefused, UnicodeDecodeError):
        return []
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def with_names(names: Iterable[str]) -> Callable[[bytes | None], tuple[str, str] | None]:
    """For ``Store.update``: the list with ``names`` added (sorted, each once), or None when it holds them all."""
    def compute(current: bytes | None) -> tuple[str, str] | None:
        kept = {line.strip() for line in (current or b"").decode("utf-8", errors="replace").splitlines()
                if line.strip() and not line.startswith("#")}
        new = {" ".join(name.split()) for name in names if len("".join(name.split())) >= 2} - kept
        if not new:
            return None
        return HEADING + "".join(f"{name}\n" for name in sorted(kept | new)), f"keep {len(new)} name(s) from a case export"
    return compute
