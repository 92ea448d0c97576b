"""rsqm schema FORMAT | --markdown: JSON Schema of a workspace file for editors, or the formats page."""

from __future__ import annotations

import argparse
import json

from rsqm.cli import add_command
from rsqm.cli.common import UsageError
from rsqm.files.formats_doc import BY_NAME, formats_markdown, json_schema


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "schema")
    parser.add_argument("format", nargs="?", metavar="FORMAT", help=f"one of: {', '.join(BY_NAME)}")
    parser.add_argument("--markdown", action="store_true", help="print docs/formats.md, generated from the models")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.markdown:
        if args.format:
            raise UsageError("give either FORMAT or --markdown, not both")
        print(formats_markdown(), end="")
        return 0
    if args.format is None:
        raise UsageError(f"name a format ({', '.join(BY_NAME)}) or use --markdown")
    if args.format not in BY_NAME:
        raise UsageError(f"unknown format '{args.format}' (formats: {', '.join(BY_NAME)})")
    print(json.dumps(json_schema(args.format), indent=2))
    return 0
