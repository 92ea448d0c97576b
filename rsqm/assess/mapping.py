"""Cross-framework mapping (docs/sources.md, "Mappings"): which indicators of two frameworks relate, and how.

Pure functions over the loaded mappings. An evidence link counts for every
indicator it is ``equal`` to, directly or through a chain of ``equal``
relations; the other relations are shown to people but never count.
"""

from __future__ import annotations

from collections.abc import Iterable

from rsqm.files.models import Mapping

Key = tuple[str, str]  # (framework id, indicator id)

# How a relation reads from each side: (from side, to side).
WORDS: dict[str, tuple[str, str]] = {
    "equal": ("equal to", "equal to"),
    "subset": ("part of", "includes"),
    "superset": ("includes", "part of"),
    "supports": ("supports", "supported by"),
}


def equal_groups(mappings: Iterable[Mapping]) -> dict[Key, frozenset[Key]]:
    """Each indicator named in an ``equal`` relation -> every other indicator equal to it."""
    parent: dict[Key, Key] = {}

    def find(key: Key) -> Key:
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for mapping in mappings:
        for r in mapping.relations:
            if r.relation == "equal":
                parent[find((mapping.from_, r.from_))] = find((mapping.to, r.to))
    groups: dict[Key, set[Key]] = {}
    for key in list(parent):
        groups.setdefault(find(key), set()).add(key)
    return {key: frozenset(group - {key}) for group in groups.values() for key in group}


def related(mappings: Iterable[Mapping], framework: str, indicator: str) -> list[tuple[str, str, str]]:
    """(framework, indicator, words) for every relation naming this indicator, read from its side."""
    found = []
    for mapping in mappings:
        for r in mapping.relations:
            if (mapping.from_, r.from_) == (framework, indicator):
                found.append((mapping.to, r.to, WORDS[r.relation][0]))
            elif (mapping.to, r.to) == (framework, indicator):
                found.append((mapping.from_, r.from_, WORDS[r.relation][1]))
    return sorted(set(found))
