"""What changed in a workspace file, in outline and in words: for the change log's "changed outside rsqm" lines.

Pure functions over two texts of one file (as rsqm last wrote it, as found now).
Records in a list are matched by their id (``id``, ``code``, ``case_ref``,
``name``, ``response_id``), so "E012: review date 2028-04-01 → 2028-05-01",
"P09 added", "R2 removed"; a setting reads "assessment date 2027-03-31 →
2027-04-30". Long text is never repeated (notes may say more than a log should):
it is only said to have changed.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from rsqm.base.labels import FIELD, readable
from rsqm.files.yamlio import YamlRefused, load_yaml_text

KEYS = ("id", "code", "case_ref", "name", "response_id")  # what names a record in a list, first found wins
SHOWN = 40  # a value longer than this is said to have changed, not repeated
LISTED = 5  # changes named before "and N more"


def outline(rel: str, old: str, new: str) -> str:
    """The changes from ``old`` to ``new`` in words, at most ``LISTED`` named; empty when nothing can be said."""
    if rel.endswith(".csv"):
        return _joined(_changes(list(csv.DictReader(io.StringIO(old))), list(csv.DictReader(io.StringIO(new))), ""))
    try:
        before, after = load_yaml_text(old, rel).data, load_yaml_text(new, rel).data
    except YamlRefused:
        return "it no longer reads as YAML" if old.strip() else ""
    return _joined(_changes(before, after, ""))


def _joined(changes: list[str]) -> str:
    if len(changes) > LISTED:
        return "; ".join(changes[:LISTED]) + f"; and {len(changes) - LISTED} more"
    return "; ".join(changes)


def _field(name: Any) -> str:
    return FIELD.get(str(name)) or readable(str(name))


def _value(value: Any) -> str | None:
    """A short value as people read it; None for long text or a structure."""
    if isinstance(value, (dict, list)):
        return None
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    return readable(text) if len(text) <= SHOWN and "\n" not in text else None


def _changes(old: Any, new: Any, where: str) -> list[str]:
    """Changes between two parsed YAML values; ``where`` names the place (a record's id and field, in words)."""
    if old == new:
        return []
    if isinstance(old, dict) and isinstance(new, dict):
        said = []
        for key in [*old, *(k for k in new if k not in old)]:
            at = f"{where} {_field(key)}".strip()
            if key not in new:
                said.append(f"{at} removed")
            elif key not in old:
                shown = _value(new[key])
                said.append(f"{at} added" + (f" ({shown})" if shown is not None else ""))
            else:
                said += _changes(old[key], new[key], at)
        return said
    if isinstance(old, list) and isinstance(new, list) and (key := _keyed([*old, *new])):
        return _records(old, new, key)
    before, after = _value(old), _value(new)
    if before is not None and after is not None:
        return [f"{where}: {before} → {after}" if where else f"{before} → {after}"]
    return [f"{where} changed" if where else "changed"]


def _keyed(rows: list[Any]) -> str | None:
    """The key that names every record of ``rows`` (None when they are not records)."""
    if not rows or not all(isinstance(r, dict) for r in rows):
        return None
    return next((k for k in KEYS if all(k in r for r in rows)), None)


def _records(old: list[dict], new: list[dict], key: str) -> list[str]:
    """Records added, removed and changed, matched by ``key``; a changed record by the fields that changed."""
    before, after = {str(r[key]): r for r in old}, {str(r[key]): r for r in new}  # a record's id names it: no need of ``where``
    said = [f"{name} added" for name in after if name not in before]
    said += [f"{name} removed" for name in before if name not in after]
    for name in (n for n in after if n in before and after[n] != before[n]):
        said += _changes(before[name], after[name], name)
    return said
