"""Keep a person's comments when rsqm rewrites a YAML file they annotated by hand.

rsqm writes its YAML files whole (``dump_model``), which would drop every ``#`` note
a coordinator typed into the register or the action plan. ``keep_comments`` carries
the new data into the old file's round-trip tree (ruamel.yaml), so comments stay
beside the entries they were written against: mappings are updated key by key and
lists of records are matched by their ``id`` (or ``case_ref``, ``name``). The result
is used only when it reads back as exactly the new data; otherwise the new text is
written as it is, so a comment can be lost but never a value.
"""

from __future__ import annotations

import io
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

RECORD_KEYS = ("id", "case_ref", "name")


def _has_comment(text: str) -> bool:
    return any(line.lstrip().startswith("#") or " #" in line for line in text.splitlines())


def _round_trip() -> YAML:
    handler = YAML(typ="rt")
    handler.width = 4096  # never fold a long line the tool wrote on one
    handler.indent(mapping=2, sequence=2, offset=0)
    handler.preserve_quotes = True
    return handler


def _record_key(item: Any) -> tuple[str, Any] | None:
    if isinstance(item, dict):
        for key in RECORD_KEYS:
            if key in item and isinstance(item[key], str | int):
                return key, item[key]
    return None


def _merge(old: Any, new: Any) -> Any:
    """``new``'s value, built from ``old``'s nodes wherever they match (so their comments come along)."""
    if isinstance(old, CommentedMap) and isinstance(new, dict):
        for key in [k for k in old if k not in new]:
            del old[key]
        for position, (key, value) in enumerate(new.items()):
            if key in old:
                old[key] = _merge(old[key], value)
            else:
                old.insert(position, key, value)
        return old
    if isinstance(old, CommentedSeq) and isinstance(new, list):
        by_key = {_record_key(item): item for item in old if _record_key(item) is not None}
        merged = [_merge(by_key[k], value) if (k := _record_key(value)) in by_key else value for value in new]
        if len(old) == len(new) and not by_key:  # plain values, same length: update in place, comments stay
            merged = [_merge(o, n) for o, n in zip(old, new, strict=True)]
        old[:] = merged  # slice assignment keeps the sequence's own comments
        return old
    same_kind = type(old) is type(new) or (isinstance(old, str) and isinstance(new, str))  # not True for 1: bool is an int
    return old if same_kind and old == new else new  # the old node keeps its quotes and comments


def keep_comments(old_text: str, new_text: str) -> str:
    """``new_text`` with the comments of ``old_text`` kept where their entries still exist."""
    if not _has_comment(old_text) or _has_comment(new_text):  # nothing to keep, or the tool wrote its own notes
        return new_text
    try:
        handler = _round_trip()
        tree = handler.load(old_text)
        wanted = yaml.safe_load(new_text)
        if not isinstance(tree, CommentedMap) or not isinstance(wanted, dict):
            return new_text
        out = io.StringIO()
        handler.dump(_merge(tree, wanted), out)
        merged = out.getvalue()
        return merged if yaml.safe_load(merged) == wanted else new_text
    except Exception:  # anything ruamel cannot round-trip: write the new text as it is
        return new_text
