"""YAML in and out, keeping the line of every key so problems can point at it.

The node tree is composed once with the C parser where available, walked to
record lines, catch duplicate keys (PyYAML silently keeps the last) and count
aliases, and then constructed into plain Python data.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any, TypeVar, get_args

import yaml
from pydantic import BaseModel, ValidationError

from rsqm.base.errors import InputRefused
from rsqm.base.labels import field as field_words
from rsqm.base.problems import Problem, error, warning

try:  # the C loader is about three times faster
    from yaml import CSafeDumper as SafeDumper
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper, SafeLoader  # type: ignore[assignment]

MAX_YAML_BYTES = 32 * 1024 * 1024
MAX_ALIASES = 100
MAX_ALIAS_VALUES = 10_000  # values aliases may add when expanded (billion laughs)
MAX_DEPTH = 64
# Block nesting needs indentation (or compact "- - -" indicators); the C composer
# recurses once per level and overflows the C stack somewhere past 60,000 levels,
# before any Python check can run. Lines indented this far are refused unparsed.
MAX_INDENT = 400
_DEEP_INDENT = re.compile(rf"^(?:[ \t]|[-?:][ \t]){{{MAX_INDENT}}}", re.MULTILINE)

Path = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)


class _Loader(SafeLoader):  # type: ignore[misc,valid-type]
    """The safe loader, with every bad scalar reported at its own line.

    PyYAML raises plain ``ValueError`` for ``2025-13-45`` or ``!!int x``; here an
    impossible timestamp stays a string (the model then says it is not a real
    date) and any other conversion failure becomes a marked error.
    """

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, OverflowError) as exc:
            raise yaml.constructor.ConstructorError(None, None, f"cannot read value {node.value!r}: {exc}"[:200], node.start_mark) from None

    def construct_lenient_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return self.construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_lenient_timestamp)


class YamlRefused(InputRefused):
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
        raise YamlRefused(error(rel, 1, "file is UTF-16 encoded; save it as UTF-8"))
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(warning(rel, 1, "file starts with a byte-order mark; save it as UTF-8 without BOM"))
        raw = raw[3:]
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise YamlRefused(error(rel, line, "file contains NUL bytes; it is not a text file"))
    try:
        return raw.decode("utf-8"), problems
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlRefused(error(rel, line, "file is not valid UTF-8 text; save it as UTF-8")) from None


def _too_deep_flow(text: str) -> int | None:
    """Offset where bracket depth first passes ``MAX_DEPTH``, checked before parsing: deep nesting can crash the C parser."""
    depth = 0
    for offset, char in enumerate(text):
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return offset
        elif char in "]}":
            depth = max(0, depth - 1)
    return None


def too_large(rel: str, limit: int = MAX_YAML_BYTES) -> YamlRefused:
    """The refusal of a file over the size cap, in the same words wherever the cap is checked."""
    return YamlRefused(error(rel, 1, f"file is larger than {limit // 2**20} MiB; refusing to parse it"))


def load_yaml_text(text: str, rel: str) -> LoadedYaml:
    """Parse one YAML document; raise ``YamlRefused`` for anything unusable."""
    if len(text) > MAX_YAML_BYTES:
        raise too_large(rel)
    deep_at = _too_deep_flow(text) if ("[" in text or "{" in text) else None
    if deep_at is not None:
        raise YamlRefused(error(rel, text.count("\n", 0, deep_at) + 1, f"nesting deeper than {MAX_DEPTH} levels; refusing to parse it"))
    deep = _DEEP_INDENT.search(text)
    if deep:
        line = text.count("\n", 0, deep.start()) + 1
        raise YamlRefused(error(rel, line, f"nesting or indentation deeper than {MAX_INDENT} columns; refusing to parse it"))
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        loaded = LoadedYaml(data=None)
        if node is not None:
            loaded.lines[()] = node.start_mark.line + 1
            walk = _Walk(rel, loaded, loader)
            data, _size = _walk(node, (), walk, 0, set())
            loaded.data = loader.construct_document(node) if walk.fallback else data
        return loaded
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        if exc.context_mark and line and exc.context_mark.line + 1 != line:
            what += f" (it starts at line {exc.context_mark.line + 1})"
        raise YamlRefused(error(rel, line, f"YAML syntax error: {what}")) from None
    except yaml.YAMLError as exc:
        raise YamlRefused(error(rel, None, f"YAML error: {exc}")) from None
    except RecursionError:
        raise YamlRefused(error(rel, None, "nesting too deep; refusing to parse it")) from None
    finally:
        loader.dispose()


@dataclass
class _Walk:
    """State of one walk over a node tree."""

    rel: str
    out: LoadedYaml
    loader: _Loader
    sizes: dict[int, int] = field(default_factory=dict)  # node id -> values it expands to
    aliases: int = 0
    expanded: int = 0  # values added by expanding aliases
    fallback: bool = False  # something unusual (alias, merge key, explicit tag): let PyYAML construct

    def scalar(self, node: yaml.ScalarNode) -> Any:
        return node.value if node.tag == _STR else self.loader.construct_object(node)


_STR, _MAP, _SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"


def _walk(node: yaml.Node, path: Path, walk: _Walk, depth: int, above: set[int]) -> tuple[Any, int]:
    """Record lines and duplicate keys, and build the data in the same pass.

    Returns the value (meaningless once ``walk.fallback`` is set) and how many
    values ``node`` expands to. Building here saves PyYAML's second traversal,
    about a third of the load time; tags were already resolved when composing.
    """
    rel = walk.rel
    if depth > MAX_DEPTH:
        raise YamlRefused(error(rel, node.start_mark.line + 1, f"nesting deeper than {MAX_DEPTH} levels"))
    if isinstance(node, yaml.ScalarNode):
        return (None if walk.fallback else walk.scalar(node)), 1
    if id(node) in above:
        raise YamlRefused(error(rel, node.start_mark.line + 1, "an alias refers to a node that contains it; refusing a recursive structure"))
    if id(node) in walk.sizes:  # an alias: count what it would expand to, do not walk it again
        walk.aliases += 1
        walk.expanded += walk.sizes[id(node)]
        if walk.aliases > MAX_ALIASES:
            raise YamlRefused(error(rel, node.start_mark.line + 1, f"more than {MAX_ALIASES} aliases; refusing to expand them"))
        if walk.expanded > MAX_ALIAS_VALUES:
            raise YamlRefused(error(rel, node.start_mark.line + 1, f"aliases expand to more than {MAX_ALIAS_VALUES:,} values; refusing to expand them"))
        walk.fallback = True
        return None, walk.sizes[id(node)]
    above.add(id(node))  # the collections on the way down, to refuse an alias to an ancestor
    size = 1
    data: Any = None
    if isinstance(node, yaml.MappingNode):
        walk.fallback = walk.fallback or node.tag != _MAP
        data = {}
        keys: dict[str, int] = {}
        for key_node, value_node in node.value:
            plain = isinstance(key_node, yaml.ScalarNode)
            key = key_node.value if plain else repr(key_node.value)
            walk.fallback = walk.fallback or not plain or key == "<<"
            line = key_node.start_mark.line + 1
            if key in keys and key != "<<":
                walk.out.problems.append(error(rel, line, f"duplicate key '{key}' (first at line {keys[key]})"))
            keys.setdefault(key, line)
            walk.out.lines.setdefault((*path, key), line)
            value, count = _walk(value_node, (*path, key), walk, depth + 1, above)
            size += 1 + count
            if not walk.fallback:
                data[walk.scalar(key_node)] = value
    elif isinstance(node, yaml.SequenceNode):
        walk.fallback = walk.fallback or node.tag != _SEQ
        data = []
        for index, child in enumerate(node.value):
            walk.out.lines[(*path, index)] = child.start_mark.line + 1
            value, count = _walk(child, (*path, index), walk, depth + 1, above)
            size += count
            data.append(value)
    above.discard(id(node))
    walk.sizes[id(node)] = size
    return data, size


def parse_model(model: type[M], loaded: LoadedYaml, rel: str) -> tuple[M | None, list[Problem]]:
    """Validate loaded data against a model, mapping each pydantic error to its line."""
    try:
        return model.model_validate(loaded.data), []
    except ValidationError as exc:
        return None, [error(rel, loaded.line(e["loc"]), describe_error(e, model, in_words=True)) for e in exc.errors()]


def describe_error(err: Any, model: type[BaseModel] | None = None, *, in_words: bool = False) -> str:
    """The one translator of pydantic's messages into the user's terms, prefixed with where the value is.

    ``model`` (the model validated) lets a message use the field's own
    description, such as "a staff code such as P07", instead of a regular expression.
    ``in_words`` says where in words ('review date: ...', not 'items[0].review_by: ...'): for a
    workspace file, whose line already says which entry; an import keeps the keys, to name each by
    the export's own header. A missing or unknown key is named as it is typed either way.
    """
    loc = list(err["loc"])
    kind = err["type"]
    where = _loc_words(loc) if in_words else format_loc(loc)
    within = f" in {format_loc(loc[:-1])}" if loc[:-1] else ""
    if kind == "missing":
        return f"missing required field '{loc[-1]}'{within}"
    if kind == "extra_forbidden":
        return f"unknown field '{loc[-1]}'{within}"
    if kind == "literal_error" and loc and loc[-1] == "schema":
        return f"unknown schema {err['input']!r}: expected {err['ctx']['expected']}"
    meaning = _field_description(model, loc) if model is not None else None
    message = _translate(kind, err, meaning)
    return f"{where}: {message}" if where else message


def _loc_words(loc: Sequence[str | int]) -> str:
    """The keys within the innermost entry of a list, in words: ('items', 0, 'review_by') -> 'review date'."""
    while loc and isinstance(loc[-1], int):
        loc = loc[:-1]
    inner = [i for i, part in enumerate(loc) if isinstance(part, int)]
    return " ".join(field_words(str(part)) for part in loc[inner[-1] + 1 if inner else 0:])


def _shown(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _translate(kind: str, err: Any, meaning: str | None) -> str:
    value, ctx = err.get("input"), err.get("ctx") or {}
    if kind == "string_type" and isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value} is read as a number, but this is text; write it in quotes: \"{value}\""
    if kind == "string_type":
        return f"expected text, found {_kind_of(value)}"
    if kind == "string_pattern_mismatch":
        return f"{_shown(value)} is not {meaning}" if meaning else f"{_shown(value)} does not have the expected form ({ctx.get('pattern')})"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "enum" or kind == "literal_error":
        return f"{_shown(value)} is not allowed; use one of {ctx.get('expected')}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"expected a whole number, found {_shown(value)}"
    if kind in ("float_parsing", "float_type"):
        return f"expected a number, found {_shown(value)}"
    if kind in ("bool_parsing", "bool_type"):
        return f"expected true or false, found {_shown(value)}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a set of 'key: value' lines, found {_kind_of(value)}"
    if kind == "list_type":
        return f"expected a list (lines starting with '- '), found {_kind_of(value)}"
    bounds = {"greater_than_equal": "at least", "greater_than": "more than", "less_than_equal": "at most", "less_than": "less than"}
    if kind in bounds:
        limit = next(iter(ctx.values()), "?")
        limit = f"{limit:g}" if isinstance(limit, int | float) else limit
        return f"{_shown(value)} is too {'small' if 'greater' in kind else 'large'}: it must be {bounds[kind]} {limit}"
    return str(err["msg"]).removeprefix("Value error, ")


def _kind_of(value: Any) -> str:
    if isinstance(value, dict):
        return "a set of 'key: value' lines"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {_shown(value)}"
    return f"{_shown(value)}"


def _field_description(model: type[BaseModel], loc: Sequence[str | int]) -> str | None:
    """The description of the field at ``loc``; list indexes and mapping keys are stepped over."""
    current: type[BaseModel] | None = model
    description = None
    for part in loc:
        if current is None or isinstance(part, int):
            continue
        fields = {info.alias or name: info for name, info in current.model_fields.items()}
        info = fields.get(part)
        if info is None:  # a mapping key such as a checklist item id
            description = None
            continue
        description = info.description
        current = _inner_model(info.annotation)
    return description


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def format_loc(loc: Sequence[str | int]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def dump_model(model: BaseModel) -> str:
    """A model as the file it came from: aliased keys (``schema``), no empty optional fields."""
    return dump_yaml(model.model_dump(mode="json", by_alias=True, exclude_none=True))


def plain_data(value: Any) -> Any:
    """Dumped model data as a file holds it: enums as their words, dates as bare dates, nothing of pydantic's."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: plain_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain_data(v) for v in value]
    return value


class _Dumper(SafeDumper):
    """Writes a date in full wherever it appears. Validated dates are shared objects (a parse is cached), and YAML
    would write an object met twice once, with an anchor, and then as aliases ("*id001") nobody can read."""

    def ignore_aliases(self, data: Any) -> bool:
        return isinstance(data, date) or super().ignore_aliases(data)


def dump_yaml(data: Any) -> str:
    """Stable, readable YAML for files people also edit by hand."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
