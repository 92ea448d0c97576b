"""rsqm portfolio: several services' returns for one period side by side with totals, each signature checked."""

from __future__ import annotations

import argparse
from pathlib import Path

from rsqm.cli import add_command
from rsqm.cli.common import CommandError, UsageError, output_path
from rsqm.commission.portfolio import build_portfolio, read_keyring, read_limited
from rsqm.commission.render import build_portfolio_workbook
from rsqm.commission.returns import ReturnRefused, check_return
from rsqm.workspace.store import replace_file


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers, "portfolio",
        description="Reads rsqm return .json files only (no case data crosses a service boundary). With --keys, "
        "every return must be signed by a key in the keyring; a return altered after signing is always refused.",
    )
    parser.add_argument("returns", nargs="+", metavar="RETURN.json", help="returns written by 'rsqm return --out X.json'")
    parser.add_argument("--keys", metavar="FILE", help="trusted key fingerprints, one a line (# starts a comment)")
    parser.add_argument("--period", metavar="PERIOD", help="the period every return must cover (default: the first's)")
    parser.add_argument("--out", required=True, metavar="PORTFOLIO.xlsx", help="where to write the workbook")
    parser.add_argument("--force", action="store_true", help="replace an existing file at --out")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if Path(args.out).suffix.lower() != ".xlsx":
        raise UsageError(f"{args.out}: the portfolio is a workbook; name it portfolio.xlsx")
    target = output_path(args.out, force=args.force)
    keyring = read_keyring(read_limited(Path(args.keys)).decode("utf-8", errors="replace"), args.keys) if args.keys else None
    read = []
    for path in args.returns:
        data = read_limited(Path(path))  # refused naming the file when it cannot be read
        try:
            doc, signer = check_return(data, keyring)
        except ReturnRefused as exc:
            raise CommandError(f"{path}: {exc}") from None
        read.append((path, doc, signer))
    portfolio = build_portfolio(read, args.period)  # refuses, naming the file, a return for another period
    try:
        replace_file(target, build_portfolio_workbook(portfolio))
    except OSError as exc:
        raise CommandError(f"cannot write {args.out}: {exc.strerror or exc}") from None
    signed = sum(s.fingerprint is not None for s in portfolio.services)
    print(f"wrote {args.out}: {len(read)} service{'s' * (len(read) != 1)} for {portfolio.period.label} "
          f"({signed} signed{', every key in the keyring' if keyring else ''})")
    part = [s.name for s in portfolio.services if s.covered_to]
    if part:
        print(f"part period for: {', '.join(part)} (their records end before the period does)")
    return 0
