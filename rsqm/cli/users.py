"""rsqm users: the workspace's local accounts (add, list, remove, set-role, set-password, reset).

Passwords are read without echo from a terminal, or as the first line of
standard input when it is not one (for scripts). They are never printed.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from rsqm.base.root import resolve_root
from rsqm.cli import add_command, add_workspace_option
from rsqm.cli.common import CommandError
from rsqm.cli.common import default_user as acting_user
from rsqm.server.access import Role
from rsqm.server.accounts import MIN_PASSWORD_LENGTH, AccountError, add_user, check_name, list_accounts, remove_user, set_password, set_role

ROLES = [role.value for role in Role]


def _username(text: str) -> str:
    try:
        return check_name(text)
    except AccountError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "users")
    commands = parser.add_subparsers(dest="users_command", metavar="ACTION", required=True)

    add = commands.add_parser("add", help="add an account (password from the terminal or the first line of standard input)")
    add.add_argument("name", type=_username, metavar="NAME", help="a username, not a person's name")
    add.add_argument("--role", required=True, choices=ROLES)
    add.set_defaults(func=_add)

    listing = commands.add_parser("list", help="usernames and roles")
    listing.set_defaults(func=_list)

    remove = commands.add_parser("remove", help="remove an account")
    remove.add_argument("name", type=_username, metavar="NAME")
    remove.set_defaults(func=_remove)

    role = commands.add_parser("set-role", help="change an account's role")
    role.add_argument("name", type=_username, metavar="NAME")
    role.add_argument("role", choices=ROLES, metavar="ROLE", help=f"one of {', '.join(ROLES)}")
    role.set_defaults(func=_set_role)

    password = commands.add_parser("set-password", help="set a new password (same input rules as add)")
    password.add_argument("name", type=_username, metavar="NAME")
    password.set_defaults(func=_set_password)

    reset = commands.add_parser(
        "reset", help="give an account a temporary password it must change at its next sign-in; ends its open sessions",
    )
    reset.add_argument("name", type=_username, metavar="NAME")
    reset.set_defaults(func=_reset)

    for sub in (add, listing, remove, role, password, reset):
        add_workspace_option(sub)


MAX_PASSWORD_LINE = 1024


def read_password() -> str:
    """Without echo from a terminal (asked twice), else the first line of standard input."""
    if sys.stdin is not None and sys.stdin.isatty():
        first = getpass.getpass(f"Password (at least {MIN_PASSWORD_LENGTH} characters, not a common one): ")
        if getpass.getpass("Same password again: ") != first:
            raise CommandError("the two passwords differ; nothing changed")
        return first
    line = sys.stdin.readline(MAX_PASSWORD_LINE + 1) if sys.stdin is not None else ""  # /dev/zero must not fill memory
    if len(line) > MAX_PASSWORD_LINE:
        raise CommandError(f"standard input's first line is longer than {MAX_PASSWORD_LINE} characters: send the password alone on it")
    password = line.removesuffix("\n").removesuffix("\r")
    if not password:
        raise CommandError("no password given: type it at the prompt, or send it as the first line of standard input")
    return password


def _add(args: argparse.Namespace) -> int:
    root = resolve_root(args.workspace)
    password = read_password()
    add_user(root, args.name, args.role, password, actor=acting_user())
    print(f"added {args.name} ({args.role})")
    return 0


def _list(args: argparse.Namespace) -> int:
    root = resolve_root(args.workspace)
    accounts = list_accounts(root)
    if not accounts:
        print("no accounts: nobody can sign in to the dashboard; add the first coordinator with "
              "'rsqm users add NAME --role coordinator' (local mode needs local_mode: true in rsqm.yaml)")
        return 0
    width = max(len(account.name) for account in accounts)
    for account in accounts:
        print(f"{account.name:<{width}}  {account.role}")
    return 0


def _remove(args: argparse.Namespace) -> int:
    root = resolve_root(args.workspace)
    remove_user(root, args.name, actor=acting_user())
    print(f"removed {args.name}")
    return 0


def _set_role(args: argparse.Namespace) -> int:
    root = resolve_root(args.workspace)
    set_role(root, args.name, args.role, actor=acting_user())
    print(f"{args.name} is now {args.role}")
    return 0


def _set_password(args: argparse.Namespace) -> int:
    root = resolve_root(args.workspace)
    password = read_password()
    set_password(root, args.name, password, actor=acting_user())
    print(f"password of {args.name} changed")
    return 0


def _reset(args: argparse.Namespace) -> int:
    root = resolve_root(args.workspace)
    password = read_password()
    set_password(root, args.name, password, actor=acting_user(), must_change=True)
    print(f"password of {args.name} reset: give them the temporary password; they must choose their own at the next sign-in")
    return 0
