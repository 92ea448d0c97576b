"""rsqm serve: the dashboard for a team, with production settings; refuses to expose a workspace without sign-in."""

from __future__ import annotations

import argparse
import os
import socket
import sys

from rsqm.base.problems import summary
from rsqm.base.root import resolve_root
from rsqm.cli import add_command, add_workspace_option
from rsqm.cli.common import CommandError, UsageError
from rsqm.files.folder import Workspace
from rsqm.server.accounts import AccountError, list_accounts
from rsqm.server.serving import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    SECRETS_FILE,
    SETTINGS_SUMMARY,
    Access,
    is_loopback,
    provider_configured,
    refusal,
    streamlit_args,
    url,
)
from rsqm.workspace.load import load_workspace


def port_number(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number (1-65535)")
    return int(text)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "serve")
    add_workspace_option(parser)
    parser.add_argument("--host", default=DEFAULT_HOST, metavar="H",
                        help=f"address to listen on (default {DEFAULT_HOST}: this computer only, e.g. behind a reverse proxy)")
    parser.add_argument("--port", type=port_number, default=DEFAULT_PORT, metavar="P", help=f"port (default {DEFAULT_PORT})")
    parser.set_defaults(func=run)


def workspace_access(ws: Workspace) -> Access:
    """Accounts and single sign-on of a workspace; CommandError when the accounts file cannot be read."""
    try:
        accounts = len(list_accounts(ws.root))
    except AccountError as broken:
        raise CommandError(f"the accounts cannot be read, so nobody could sign in: {broken}") from None
    return Access(accounts=accounts, sso_roles=len(ws.settings.sso_roles), local_mode=ws.settings.local_mode)


def port_taken(host: str, port: int) -> str:
    """Why ``host:port`` cannot be listened on, or '' when it is free: checked before the URL is printed."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will: a port in TIME_WAIT is free
        try:
            probe.bind((host, port))
        except OSError as exc:
            return exc.strerror or str(exc)
    return ""


def run(args: argparse.Namespace) -> int:
    root = resolve_root(args.workspace)
    ws = load_workspace(root)
    access = workspace_access(ws)
    reason = refusal(args.host, access)
    if reason:
        raise UsageError(reason)
    taken = port_taken(args.host, args.port)
    if taken:
        raise CommandError(f"port {args.port} on {args.host} is in use ({taken}): something else answers there; "
                           f"choose another with --port, e.g. --port {args.port + 1}")
    print(f"rsqm dashboard: {ws.settings.service}")
    print(f"  url        {url(args.host, args.port, socket.gethostname())}")
    print(f"  workspace  {root}")
    print(f"  accounts   {access.accounts}")
    print(f"  mode       {access.mode}")
    print(f"  settings   {SETTINGS_SUMMARY}")
    if not ws.valid:
        print(f"  warning    the workspace has problems ({summary(ws.problems)}); the dashboard lists them, so does rsqm validate")
    if access.sso_roles and not provider_configured(root):
        print(f"  warning    sso_roles are set, but {SECRETS_FILE} has no [auth] table: nobody can sign in with a work account "
              "until the provider is set up (docs/deploy.md)")
    if not is_loopback(args.host):
        print("  warning    plain HTTP: put a reverse proxy with TLS in front before people sign in (docs/deploy.md)")
    sys.stdout.flush()
    env = os.environ | {"RSQM_WORKSPACE": str(root)}
    os.chdir(root)  # Streamlit reads .streamlit/secrets.toml (single sign-on) from here
    try:
        os.execve(sys.executable, [sys.executable, "-m", "streamlit", *streamlit_args(args.host, args.port)], env)
    except OSError as exc:
        raise CommandError(f"cannot start Streamlit: {exc}") from None
    return 0  # not reached: the process is Streamlit now
