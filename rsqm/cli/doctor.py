"""rsqm doctor: versions, workspace, .rsqm/ permissions, accounts, bind address, last backup, disk space."""

from __future__ import annotations

import argparse
import platform
import shutil
import stat
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from rsqm import __version__
from rsqm.backup.archive import last_backup, leftovers, workspace_files
from rsqm.backup.manifest import BadArchive
from rsqm.base.paths import STATE_DIR
from rsqm.base.root import resolve_root
from rsqm.cli import add_command, add_workspace_option
from rsqm.cli.common import CommandError
from rsqm.cli.serve import workspace_access
from rsqm.server import doctor
from rsqm.server.serving import DEFAULT_HOST
from rsqm.workspace.load import load_workspace


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "doctor")
    add_workspace_option(parser)
    parser.add_argument("--host", default=DEFAULT_HOST, metavar="H", help=f"the address rsqm serve is given (default {DEFAULT_HOST})")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    root = resolve_root(args.workspace)
    ws = load_workspace(root)
    try:
        access, error = workspace_access(ws), None
    except CommandError as broken:
        access, error = None, str(broken)
    try:
        last, damaged = last_backup(root), False
    except BadArchive:
        last, damaged = None, True
    findings = [
        doctor.versions(__version__, platform.python_version(), version("streamlit")),
        doctor.workspace(ws),
        _state_dir(root / STATE_DIR),
        doctor.accounts(access, error),
        doctor.bind(args.host, access),
        doctor.backup(last, datetime.now(UTC), damaged),
        doctor.leftovers([str(p) for p in leftovers(root, [Path(last.file).parent] if last else [])]),
        doctor.disk(shutil.disk_usage(root).free, sum(path.stat().st_size for _, path in workspace_files(root, []))),
    ]
    for finding in findings:
        print(finding)
    return 1 if any(f.status is doctor.Status.fail for f in findings) else 0


def _state_dir(path: Path) -> doctor.Finding:
    if not path.is_dir():
        return doctor.state_dir(str(path), None, [])
    loose = [str(p.relative_to(path)) for p in sorted(path.rglob("*")) if p.is_file() and p.stat().st_mode & 0o077]
    return doctor.state_dir(str(path), stat.S_IMODE(path.stat().st_mode), loose)
