"""rsqm schema FORMAT | --markdown: JSON Schema of a workspace file for editors, or the formats page."""

from __future__ import annotations

import argparse
import json

from rsqm.cli import add_command
from rsqm.cli.common import UsageError
from rsqm.commission.returns import Return
from rsqm.files.formats_doc import BY_NAME, formats_markdown, json_schema

# what rsqm writes for others to read, beside the workspace's own formats
OUTPUTS = {"return": (Return, "the commissioner's monitoring return, as 'rsqm return --out RETURN.json' writes it")}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "schema")
    parser.add_argument("format", nargs="?", metavar="FORMAT", help=f"one of: {', '.join([*BY_NAME, *OUTPUTS])}")
    parser.add_argument("--markdown", action="store_true", help="print docs/formats.md, generated from the models")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.markdown:
        if args.format:
            raise UsageError("give either FORMAT or --markdown, not both")
        print(formats_markdown(), end="")
        return 0
    names = ", ".join([*BY_NAME, *OUTPUTS])
    if args.format is None:
        raise UsageError(f"name a format ({names}) or use --markdown")
    if args.format in OUTPUTS:
        model, purpose = OUTPUTS[args.format]
        schema = model.model_json_schema(by_alias=True, mode="serialization")
        schema |= {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": f"rsqm {args.format}", "description": purpose}
        print(json.dumps(schema, indent=2))
        return 0
    if args.format not in BY_NAME:
        raise UsageError(f"unknown format '{args.format}' (formats: {names})")
    print(json.dumps(json_schema(args.format), indent=2))
    return 0
