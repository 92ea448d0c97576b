"""rsqm return: the commissioner's monitoring return for a period (.xlsx, .docx or .json), after the privacy pre-flight."""

from __future__ import annotations

import argparse
from pathlib import Path

from rsqm.cli.common import CommandError, UsageError, add_workspace_option, open_valid_workspace, output_path, print_problems
from rsqm.commission.period import parse_period
from rsqm.commission.render import build_report, build_workbook
from rsqm.commission.returns import build_return, return_data, return_json, sign_return
from rsqm.pack.content import long_date
from rsqm.pack.signing import fingerprint, load_private_key
from rsqm.privacy.scan import scan_outputs
from rsqm.workspace.store import replace_file

KINDS = (".xlsx", ".json", ".docx")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "return", help="the commissioner's monitoring return for a period: .xlsx, .docx (covering report) or .json",
        description="Counts only, from the same rules as rsqm outcomes and rsqm measures, beside the period before. "
        "PERIOD: a quarter (2026Q3), a financial year (2026-27) or a run of months (2026-10..2026-12).",
    )
    add_workspace_option(parser)
    parser.add_argument("--period", required=True, metavar="PERIOD", help="2026Q3, 2026-27 or 2026-10..2026-12")
    parser.add_argument("--out", required=True, metavar="RETURN", help="where to write it; its kind follows its name: "
                        "return.xlsx, return.docx or return.json")
    parser.add_argument("--sign", action="store_true", help="sign a .json return with the key from 'rsqm keys new'")
    parser.add_argument("--force", action="store_true", help="replace an existing file at --out")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    kind = Path(args.out).suffix.lower()
    if kind not in KINDS:
        raise UsageError(f"{args.out}: name the return .xlsx (workbook), .docx (covering report) or .json")
    if args.sign and kind != ".json":
        raise UsageError("--sign signs a .json return; name it return.json")
    period = parse_period(args.period)
    target = output_path(args.out, force=args.force)
    ws = open_valid_workspace(args)
    found = build_return(ws, period)
    signer = None
    if kind == ".json":
        data = return_data(found)
        if args.sign:
            key = load_private_key(ws.root)
            data, signer = sign_return(data, key), fingerprint(key.public_key())
        content = return_json(data)
    else:
        content = build_workbook(found) if kind == ".xlsx" else build_report(found)
    # exactly what leaves is scanned; JSON is read as the plain text it is
    scanned = target.name + (".txt" if kind == ".json" else "")
    problems = [p.model_copy(update={"path": target.name}) if p.path == scanned else p
                for p in scan_outputs(ws, {scanned: content}).problems]
    if problems:
        print_problems(problems)
        raise CommandError(f"privacy pre-flight blocked the return: {len(problems)} finding(s); nothing was written")
    try:
        replace_file(target, content)
    except OSError as exc:
        raise CommandError(f"cannot write {args.out}: {exc.strerror or exc}") from None
    now, was = found.current, found.previous
    print(f"wrote {args.out}: return {now.period.label}, {long_date(now.period.start)} to {long_date(now.period.end)}, "
          f"beside {was.period.label}")
    if now.covered_to:
        print(f"a part period: the records end on {long_date(now.covered_to)}; its figures run to that day")
    if signer:
        print(f"signed with the key {signer}")
    return 0
