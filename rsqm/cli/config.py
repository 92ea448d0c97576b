"""rsqm config get KEY / rsqm config set KEY VALUE: the workspace's settings (rsqm.yaml) without an editor.

A setting inside a group is named KEY.ID (``feedback_questions.felt_safe``); a list
is given as comma-separated text. ``set`` checks the whole file through the
settings model before writing, so a bad value writes nothing; the store keeps
the comments a person wrote in rsqm.yaml.
"""

from __future__ import annotations

import argparse
from datetime import date
from enum import Enum
from typing import Any

from pydantic import ValidationError

from rsqm.base.labels import readable
from rsqm.base.paths import SETTINGS_FILE
from rsqm.cli.common import CommandError, UsageError, default_user, workspace_action
from rsqm.files.folder import resolve_root
from rsqm.files.models import WorkspaceSettings
from rsqm.files.yamlio import YamlRefused, describe_error, dump_yaml, load_yaml_text, plain_data
from rsqm.workspace.store import Store

FIELDS = {name: info for name, info in WorkspaceSettings.model_fields.items() if name != "schema_"}
YES, NO = ("yes", "true", "on", "y"), ("no", "false", "off", "n")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("config", help="read or change a setting in rsqm.yaml (no editor needed)")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    get = workspace_action(actions, "get", "print one setting")
    get.add_argument("key", metavar="KEY", help="a setting, e.g. assessment_date or feedback_questions.felt_safe")
    get.set_defaults(func=run_get)
    put = workspace_action(actions, "set", "change one setting; checked before anything is written")
    put.add_argument("key", metavar="KEY", help="a setting, e.g. local_mode, public_contacts or feedback_questions.felt_safe")
    put.add_argument("value", metavar="VALUE", help="the new value; a list as comma-separated text; empty to clear an optional setting")
    put.add_argument("--by", default=None, help="who changes it (default: $RSQM_USER, else your login name)")
    put.set_defaults(func=run_set)


def _split(key: str, *, whole_group: bool = False) -> tuple[str, str | None]:
    name, _, sub = key.partition(".")
    if name not in FIELDS or name == "schema":
        known = ", ".join(sorted(FIELDS))
        raise UsageError(f"'{key}' is not a setting of rsqm.yaml; settings: {known}")
    kind = _kind(name)
    if sub and kind != "group":
        raise UsageError(f"'{name}' is a single setting, not a group: use '{name}' alone")
    if not sub and kind == "group" and not whole_group:
        raise UsageError(f"'{name}' is a group of settings: name one as {name}.ID")
    return name, sub or None


def _kind(name: str) -> str:
    default = FIELDS[name].get_default(call_default_factory=True)
    annotation = str(FIELDS[name].annotation)
    if isinstance(default, dict) or annotation.startswith("dict"):
        return "group"
    if isinstance(default, list) or annotation.startswith("list"):
        return "list"
    if isinstance(default, bool) or annotation == "<class 'bool'>":
        return "yes/no"
    return "text"


def _read(root) -> tuple[dict[str, Any], str | None]:
    store = Store(root, "")
    token = store.token(SETTINGS_FILE)
    path = store.path(SETTINGS_FILE)
    if token is None:
        raise UsageError(f"no {SETTINGS_FILE} in {root}: not a workspace (create one with 'rsqm init')")
    try:
        data = load_yaml_text(path.read_text(encoding="utf-8"), SETTINGS_FILE).data
    except (YamlRefused, UnicodeDecodeError) as exc:
        raise CommandError(f"{SETTINGS_FILE} cannot be read; fix it first ('rsqm validate' says where)") from exc
    if not isinstance(data, dict):
        raise CommandError(f"{SETTINGS_FILE} is not a set of 'key: value' lines; fix it first")
    return data, token


def _words(value: Any) -> str:
    if value is None:
        return "not set"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(map(_words, value)) or "none"
    if isinstance(value, dict):
        return "\n".join(f"{k}: {_words(v)}" for k, v in value.items()) or "none"
    if isinstance(value, Enum):
        return str(value.value)
    return value.isoformat() if isinstance(value, date) else str(value)


def _setting(name: str, sub: str | None) -> str:
    """A setting named in words: 'assessment date', 'feedback questions: felt safe'."""
    return readable(name) + (f": {readable(sub)}" if sub else "")


def _settings(data: dict[str, Any]) -> WorkspaceSettings:
    try:
        return WorkspaceSettings.model_validate(data)
    except ValidationError as exc:
        raise CommandError("; ".join(describe_error(e, WorkspaceSettings) for e in exc.errors())) from None


def run_get(args: argparse.Namespace) -> int:
    name, sub = _split(args.key, whole_group=True)
    data, _ = _read(resolve_root(args.workspace))
    value = getattr(_settings(data), name)
    if sub is not None:
        if sub not in value:
            raise CommandError(f"{name} has no '{sub}'; it has: {', '.join(value) or 'none'}")
        value = value[sub]
    print(_words(value))
    return 0


def _parsed(name: str, text: str) -> Any:
    kind = _kind(name)
    text = text.strip()
    if kind == "list":
        return [part.strip() for part in text.split(",") if part.strip()]
    if kind == "yes/no":
        if text.lower() not in YES + NO:
            raise CommandError(f"{name}: '{text}' is not yes or no")
        return text.lower() in YES
    return text if text else None


def run_set(args: argparse.Namespace) -> int:
    name, sub = _split(args.key)
    root = resolve_root(args.workspace)
    data, token = _read(root)
    before = _settings(data)  # a file that is already wrong is said so before anything else
    new = dict(data)
    if sub is not None:
        group = dict(new.get(name) or {})
        if args.value.strip():
            group[sub] = args.value.strip()
        elif sub in group:
            del group[sub]
        else:
            raise CommandError(f"{name} has no '{sub}' to clear")
        new[name] = group
    else:
        value = _parsed(name, args.value)
        if value is None and FIELDS[name].is_required():
            raise CommandError(f"{name} cannot be empty")
        if value is None:
            new.pop(name, None)
        else:
            new[name] = value
    after = _settings(new)  # the whole file checked before anything is written
    if name in new:
        new[name] = plain_data(getattr(after, name))
    old_value, new_value = getattr(before, name), getattr(after, name)
    if sub is not None:
        old_value, new_value = old_value.get(sub), new_value.get(sub)
    if old_value == new_value:
        print(f"{_setting(name, sub)} is already {_words(new_value)}; nothing changed")
        return 0
    Store(root, args.by or default_user()).write(SETTINGS_FILE, dump_yaml(new), change=f"set {_setting(name, sub)}", expected=token)
    print(f"{SETTINGS_FILE}: {_setting(name, sub)} set to {_words(new_value)} (before: {_words(old_value)})")
    return 0
