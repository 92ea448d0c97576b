"""The workspace's settings (rsqm.yaml) read and changed one at a time: the core of `rsqm config` and the Settings page.

A setting inside a group is named KEY.ID (``feedback_questions.felt_safe``); a list
is given as comma-separated text. A change is checked against the whole file
through the settings model before anything is written, so a bad value writes
nothing; the store keeps the comments a person wrote in rsqm.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from rsqm.base.errors import InputRefused, UsageError
from rsqm.base.labels import readable
from rsqm.base.paths import SETTINGS_FILE
from rsqm.files.models import WorkspaceSettings
from rsqm.files.yamlio import YamlRefused, describe_error, dump_yaml, load_yaml_text, plain_data
from rsqm.workspace.store import Store

FIELDS = {name: info for name, info in WorkspaceSettings.model_fields.items() if name != "schema_"}
YES, NO = ("yes", "true", "on", "y"), ("no", "false", "off", "n")


def split_key(key: str, *, whole_group: bool = False) -> tuple[str, str | None]:
    """(setting, id within its group); raises ``UsageError`` for a name that is no setting."""
    name, _, sub = key.partition(".")
    if name not in FIELDS or name == "schema":
        known = ", ".join(sorted(FIELDS))
        raise UsageError(f"'{key}' is not a setting of rsqm.yaml; settings: {known}")
    kind = setting_kind(name)
    if sub and kind != "group":
        raise UsageError(f"'{name}' is a single setting, not a group: use '{name}' alone")
    if not sub and kind == "group" and not whole_group:
        raise UsageError(f"'{name}' is a group of settings: name one as {name}.ID")
    return name, sub or None


def setting_kind(name: str) -> str:
    """group, list, yes/no or text: how a setting's value is typed."""
    default = FIELDS[name].get_default(call_default_factory=True)
    annotation = str(FIELDS[name].annotation)
    if isinstance(default, dict) or annotation.startswith("dict"):
        return "group"
    if isinstance(default, list) or annotation.startswith("list"):
        return "list"
    if isinstance(default, bool) or annotation == "<class 'bool'>":
        return "yes/no"
    return "text"


def setting_label(name: str, sub: str | None = None) -> str:
    """A setting named in words: 'assessment date', 'feedback questions: felt safe'."""
    return readable(name) + (f": {readable(sub)}" if sub else "")


def setting_words(value: Any) -> str:
    """A setting's value as people read it (and as ``set`` takes it back)."""
    if value is None:
        return "not set"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(map(setting_words, value)) or "none"
    if isinstance(value, dict):
        return "\n".join(f"{k}: {setting_words(v)}" for k, v in value.items()) or "none"
    if isinstance(value, Enum):
        return str(value.value)
    return value.isoformat() if isinstance(value, date) else str(value)


def read_settings(root: Path) -> tuple[dict[str, Any], str | None]:
    """rsqm.yaml as data and its content token (taken before reading); raises ``UsageError`` / ``InputRefused``."""
    store = Store(root, "")
    token = store.token(SETTINGS_FILE)
    path = store.path(SETTINGS_FILE)
    if token is None:
        raise UsageError(f"no {SETTINGS_FILE} in {root}: not a workspace (create one with 'rsqm init')")
    try:
        data = load_yaml_text(path.read_text(encoding="utf-8"), SETTINGS_FILE).data
    except (YamlRefused, UnicodeDecodeError) as exc:
        raise InputRefused(f"{SETTINGS_FILE} cannot be read; fix it first ('rsqm validate' says where)") from exc
    if not isinstance(data, dict):
        raise InputRefused(f"{SETTINGS_FILE} is not a set of 'key: value' lines; fix it first")
    return data, token


def checked_settings(data: dict[str, Any]) -> WorkspaceSettings:
    try:
        return WorkspaceSettings.model_validate(data)
    except ValidationError as exc:
        raise InputRefused("; ".join(readable(describe_error(e, WorkspaceSettings)) for e in exc.errors())) from None  # settings in words


def get_setting(root: Path, key: str) -> Any:
    """The value of ``key`` (a whole group too); raises ``UsageError`` / ``InputRefused``."""
    name, sub = split_key(key, whole_group=True)
    data, _ = read_settings(root)
    value = getattr(checked_settings(data), name)
    if sub is not None:
        if sub not in value:
            raise InputRefused(f"{name} has no '{sub}'; it has: {', '.join(value) or 'none'}")
        value = value[sub]
    return value


def _parsed(name: str, text: str) -> Any:
    kind = setting_kind(name)
    text = text.strip()
    if kind == "list":
        return [part.strip() for part in text.split(",") if part.strip()]
    if kind == "yes/no":
        if text.lower() not in YES + NO:
            raise InputRefused(f"{setting_label(name)}: '{text}' is not yes or no")
        return text.lower() in YES
    return text if text else None


@dataclass(frozen=True)
class SettingChange:
    """One setting changed: the file's new data and the value before and after."""

    name: str
    sub: str | None
    data: dict[str, Any]
    before: Any
    after: Any

    @property
    def label(self) -> str:
        return setting_label(self.name, self.sub)

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def said(self) -> str:
        """The change in words, as the command prints it and the page confirms it."""
        if not self.changed:
            return f"{self.label} is already {setting_words(self.after)}; nothing changed"
        return f"{SETTINGS_FILE}: {self.label} set to {setting_words(self.after)} (before: {setting_words(self.before)})"


def setting_change(data: dict[str, Any], key: str, text: str) -> SettingChange:
    """rsqm.yaml's data with ``key`` set to ``text`` (empty: cleared), checked as a whole; raises ``UsageError`` / ``InputRefused``."""
    name, sub = split_key(key)
    before = checked_settings(data)  # a file that is already wrong is said so before anything else
    new = dict(data)
    if sub is not None:
        group = dict(new.get(name) or {})
        if text.strip():
            group[sub] = text.strip()
        elif sub in group:
            del group[sub]
        else:
            raise InputRefused(f"{name} has no '{sub}' to clear")
        new[name] = group
    else:
        value = _parsed(name, text)
        if value is None and FIELDS[name].is_required():
            raise InputRefused(f"{setting_label(name)} cannot be empty")
        if value is None:
            new.pop(name, None)
        else:
            new[name] = value
    after = checked_settings(new)  # the whole file checked before anything is written
    if name in new:
        new[name] = plain_data(getattr(after, name))
    old_value, new_value = getattr(before, name), getattr(after, name)
    if sub is not None:
        old_value, new_value = old_value.get(sub), new_value.get(sub)
    return SettingChange(name, sub, new, old_value, new_value)


def set_setting(store: Store, key: str, text: str) -> SettingChange:
    """Change one setting in rsqm.yaml through ``store`` (comments kept, the change logged in words under the store's
    user); nothing written when the value is the same or refused."""
    data, token = read_settings(store.root)
    change = setting_change(data, key, text)
    if change.changed:
        store.write(SETTINGS_FILE, dump_yaml(change.data), change=f"set {change.label}", expected=token)
    return change
