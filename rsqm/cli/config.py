"""rsqm config get KEY / rsqm config set KEY VALUE: the workspace's settings (rsqm.yaml) without an editor.

A thin shell over ``rsqm.workspace.settings_edits`` (the Settings page uses the
same functions): a setting inside a group is named KEY.ID
(``feedback_questions.felt_safe``); a list is given as comma-separated text; a
bad value writes nothing; comments a person wrote in rsqm.yaml are kept.
"""

from __future__ import annotations

import argparse

from rsqm.base.root import resolve_root
from rsqm.cli import add_command
from rsqm.cli.common import default_user, workspace_action
from rsqm.workspace.settings_edits import get_setting, set_setting, setting_words
from rsqm.workspace.store import Store


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "config")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    get = workspace_action(actions, "get", "print one setting")
    get.add_argument("key", metavar="KEY", help="a setting, e.g. assessment_date or feedback_questions.felt_safe")
    get.set_defaults(func=run_get)
    put = workspace_action(actions, "set", "change one setting; checked before anything is written")
    put.add_argument("key", metavar="KEY", help="a setting, e.g. local_mode, public_contacts or feedback_questions.felt_safe")
    put.add_argument("value", metavar="VALUE", help="the new value; a list as comma-separated text; empty to clear an optional setting")
    put.add_argument("--by", default=None, help="who changes it (default: $RSQM_USER, else your login name)")
    put.set_defaults(func=run_set)


def run_get(args: argparse.Namespace) -> int:
    print(setting_words(get_setting(resolve_root(args.workspace), args.key)))
    return 0


def run_set(args: argparse.Namespace) -> int:
    change = set_setting(Store(resolve_root(args.workspace), args.by or default_user()), args.key, args.value)
    print(change.said())
    return 0
