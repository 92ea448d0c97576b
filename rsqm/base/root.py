"""Which folder a command works on: the argument, else $RSQM_WORKSPACE, else the current folder.

Plain names and the standard library only: every command asks this before anything else is imported.
"""

from __future__ import annotations

import os
from pathlib import Path

from rsqm.base.errors import UsageError
from rsqm.base.paths import SETTINGS_FILE


class NoWorkspace(UsageError):
    """The folder is not a workspace: a usage error (exit 2), not a validation error."""


def resolve_root(directory: str | os.PathLike[str] | None) -> Path:
    """The workspace folder: the argument, else $RSQM_WORKSPACE, else the current folder."""
    chosen = directory or os.environ.get("RSQM_WORKSPACE") or "."
    root = Path(chosen).expanduser().resolve()
    if not (root / SETTINGS_FILE).exists():  # a FIFO or folder in its place is reported by the load, with its line
        raise NoWorkspace(f"no workspace at {root}: {SETTINGS_FILE} not found (use --workspace DIR or rsqm init DIR)")
    return root
