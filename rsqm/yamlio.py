"""YAML in and out, keeping the line of every key so problems can point at it.

The node tree is composed once with the C parser where available, walked to
record lines, catch duplicate keys (PyYAML silently keeps the last) and count
aliases, and then constructed into plain Python data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from rsqm.problems import Problem, error, warning

try:  # the C loader is about three times faster
    from yaml import CSafeDumper as SafeDumper
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper, SafeLoader  # type: ignore[assignment]

MAX_YAML_BYTES = 32 * 1024 * 1024
MAX_ALIASES = 100
MAX_DEPTH = 64

Path = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)


class YamlRefused(Exception):
    """A YAML file that cannot be loaded; carries the problem to report."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


@dataclass
class LoadedYaml:
    data: Any
    lines: dict[Path, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def line(self, loc: Sequence[str | int]) -> int | None:
        """Line of the deepest key along ``loc`` that exists in the file."""
        path = tuple(loc)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)


def decode(raw: bytes, rel: str) -> tuple[str, list[Problem]]:
    """Bytes to text: UTF-8 only. A UTF-8 byte-order mark is tolerated with a warning."""
    problems: list[Problem] = []
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise YamlRefused(error(rel, None, "file is UTF-16 encoded; save it as UTF-8"))
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(warning(rel, 1, "file starts with a byte-order mark; save it as UTF-8 without BOM"))
        raw = raw[3:]
    if b"\x00" in raw:
        raise YamlRefused(error(rel, None, "file contains NUL bytes; it is not a text file"))
    try:
        return raw.decode("utf-8"), problems
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlRefused(error(rel, line, "file is not valid UTF-8 text; save it as UTF-8")) from None


def _flow_depth(text: str) -> int:
    """Rough bracket depth, checked before parsing: deep nesting can crash the C parser."""
    depth = deepest = 0
    for char in text:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth = max(0, depth - 1)
    return deepest


def load_yaml_text(text: str, rel: str) -> LoadedYaml:
    """Parse one YAML document; raise ``YamlRefused`` for anything unusable."""
    if len(text) > MAX_YAML_BYTES:
        raise YamlRefused(error(rel, None, f"file is larger than {MAX_YAML_BYTES // 2**20} MiB; refusing to parse it"))
    if ("[" in text or "{" in text) and _flow_depth(text) > MAX_DEPTH:
        raise YamlRefused(error(rel, None, f"nesting deeper than {MAX_DEPTH} levels; refusing to parse it"))
    loader = SafeLoader(text)
    try:
        node = loader.get_single_node()
        loaded = LoadedYaml(data=None)
        if node is not None:
            _walk(node, (), loaded, rel, set(), [0], 0)
            loaded.data = loader.construct_document(node)
        return loaded
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        raise YamlRefused(error(rel, line, f"YAML syntax error: {what}")) from None
    except yaml.YAMLError as exc:
        raise YamlRefused(error(rel, None, f"YAML error: {exc}")) from None
    except RecursionError:
        raise YamlRefused(error(rel, None, "nesting too deep; refusing to parse it")) from None
    finally:
        loader.dispose()


def _walk(node: yaml.Node, path: Path, out: LoadedYaml, rel: str, seen: set[int], aliases: list[int], depth: int) -> None:
    if depth > MAX_DEPTH:
        raise YamlRefused(error(rel, node.start_mark.line + 1, f"nesting deeper than {MAX_DEPTH} levels"))
    if isinstance(node, yaml.ScalarNode):
        return
    if id(node) in seen:  # an alias: do not expand it again
        aliases[0] += 1
        if aliases[0] > MAX_ALIASES:
            raise YamlRefused(error(rel, node.start_mark.line + 1, f"more than {MAX_ALIASES} aliases; refusing to expand them"))
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        keys: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else repr(key_node.value)
            line = key_node.start_mark.line + 1
            if key in keys and key != "<<":
                out.problems.append(error(rel, line, f"duplicate key '{key}' (first at line {keys[key]})"))
            keys.setdefault(key, line)
            out.lines.setdefault((*path, key), line)
            _walk(value_node, (*path, key), out, rel, seen, aliases, depth + 1)
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            out.lines[(*path, index)] = child.start_mark.line + 1
            _walk(child, (*path, index), out, rel, seen, aliases, depth + 1)


def parse_model(model: type[M], loaded: LoadedYaml, rel: str) -> tuple[M | None, list[Problem]]:
    """Validate loaded data against a model, mapping each pydantic error to its line."""
    try:
        return model.model_validate(loaded.data), []
    except ValidationError as exc:
        return None, [error(rel, loaded.line(e["loc"]), describe_error(e)) for e in exc.errors()]


def describe_error(err: Any) -> str:
    loc = list(err["loc"])
    kind = err["type"]
    if kind == "missing":
        return f"missing required field '{loc[-1]}'" + (f" in {format_loc(loc[:-1])}" if loc[:-1] else "")
    if kind == "extra_forbidden":
        return f"unknown field '{loc[-1]}'" + (f" in {format_loc(loc[:-1])}" if loc[:-1] else "")
    message = err["msg"].removeprefix("Value error, ")
    if kind == "literal_error" and loc and loc[-1] == "schema":
        return f"unknown schema {err['input']!r}: {message}"
    where = format_loc(loc)
    return f"{where}: {message}" if where else message


def format_loc(loc: Sequence[str | int]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def dump_yaml(data: Any) -> str:
    """Stable, readable YAML for files people also edit by hand."""
    return yaml.dump(data, Dumper=SafeDumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
