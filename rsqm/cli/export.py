"""rsqm export: the submission pack (document + evidence + manifest), after the privacy pre-flight."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from rsqm.base.dates import default_as_of
from rsqm.base.formatting import file_size
from rsqm.base.root import resolve_root
from rsqm.cli import add_command, add_workspace_option
from rsqm.cli.common import CommandError, UsageError, iso_date, open_valid_workspace, output_path, print_problems
from rsqm.files.hashing import sha256_file
from rsqm.pack.build import DOCUMENT, write_pack
from rsqm.pack.citations import dead_citations
from rsqm.pack.content import draft_reasons
from rsqm.pack.crossref import CROSSREF
from rsqm.pack.omissions import left_out
from rsqm.pack.prepare import prepare_pack
from rsqm.pack.signing import fingerprint, load_private_key
from rsqm.pack.versions import read_previous


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "export")
    add_workspace_option(parser)
    parser.add_argument("--out", metavar="PACK.zip", help="where to write the pack")
    parser.add_argument("--as-of", type=iso_date, metavar="D", help="position on this date (default: the assessment date)")
    parser.add_argument("--check", action="store_true", help="run the pre-flight and list what would go in, without writing")
    parser.add_argument("--force", action="store_true", help="replace an existing file at --out")
    parser.add_argument("--final", action="store_true",
                        help="refuse to write a draft (an indicator without a narrative, or not ready to apply)")
    parser.add_argument("--sign", action="store_true", help="sign the manifest with the key from 'rsqm keys new' (adds manifest.sig)")
    parser.add_argument("--supersedes", metavar="OLD.zip", help="the pack this one replaces: records its SHA-256 and what changed since")
    parser.set_defaults(func=run)


class Progress:
    """A text progress bar on a terminal; a line at each quarter otherwise."""

    def __init__(self, label: str, total: int, stream: TextIO):
        self.label, self.total, self.stream = label, max(total, 1), stream
        self.done = 0
        self.tty = stream.isatty()
        self.shown = -1

    def step(self, amount: int = 1) -> None:
        self.done = min(self.done + amount, self.total)
        share = self.done / self.total
        if self.tty:
            filled = int(share * 30)
            self.stream.write(f"\r{self.label:<8} [{'#' * filled}{'.' * (30 - filled)}] {share:4.0%}")
            if self.done == self.total:
                self.stream.write("\n")
            self.stream.flush()
        elif int(share * 4) > self.shown:
            self.shown = int(share * 4)
            print(f"{self.label}: {share:.0%}", file=self.stream)

    def counted(self, done: int, total: int) -> None:
        self.total = max(total, 1)
        self.step(done - self.done)


def run(args: argparse.Namespace) -> int:
    if not args.out and not args.check:
        raise UsageError("--out PACK.zip is required (or --check to only run the pre-flight)")
    writing = args.out and not args.check  # --check writes nothing: only the folder must exist
    target = output_path(args.out, workspace=resolve_root(args.workspace) if writing else None,
                         force=args.force if writing else None) if args.out else None
    old = Path(args.supersedes).expanduser() if args.supersedes else None
    if old is not None and not old.is_file():
        raise UsageError(f"{args.supersedes}: no such file")
    ws = open_valid_workspace(args)
    signer = load_private_key(ws.root) if args.sign else None
    previous = read_previous(old) if old is not None else None
    as_of = default_as_of(ws.settings, args.as_of)
    hashing = Progress("hashing", len(ws.register.items), sys.stderr)
    plan = prepare_pack(ws, as_of, hashing.counted, previous)
    if plan.findings:
        print_problems(plan.findings, sys.stderr)
        count = len(plan.findings)
        raise CommandError(f"privacy pre-flight blocked the export: {count} finding{'s' * (count != 1)}; "
                           f"nothing was written{f' to {args.out}' if args.out else ''}")
    draft = draft_reasons(plan)
    dead = dead_citations(plan)
    if draft and args.final:
        for reason in draft:
            print(f"  - {reason}", file=sys.stderr)
        for citation in dead:
            print(f"  - {citation.evidence_id}, cited in {citation.where}: {citation.why}", file=sys.stderr)
        raise CommandError(f"this pack would be a draft, so --final refuses it; nothing was written{f' to {args.out}' if args.out else ''}")
    total = sum(e.size for e in plan.evidence)
    if args.check:
        print(f"privacy pre-flight passed; an export as of {as_of} would contain:")
        print(f"  {DOCUMENT}{' (a draft)' if draft else ''}")
        print(f"  {CROSSREF}")
        for evidence in plan.evidence:
            print(f"  {evidence.name}  ({file_size(evidence.size)})")
        print("  manifest.json")
        print(f"{len(plan.evidence)} evidence files, {file_size(total)}")
        omitted = left_out(ws.register.items, {e.item.id for e in plan.evidence}, plan.assessment)
        if omitted:
            print(f"left out ({len(omitted)} registered item{'s' * (len(omitted) != 1)}):")
            for _evidence_id, why in omitted:
                print(f"  {why}")
        if dead:
            count = len({d.evidence_id for d in dead})
            print(f"cited but not in the pack ({count} evidence id{'s' * (count != 1)}; --final refuses them):")
            for citation in dead:
                print(f"  {citation.evidence_id}, cited in {citation.where}: {citation.why}")
        return 0
    assert target is not None
    writing = Progress("writing", total, sys.stderr)
    size = write_pack(plan, target, writing.step, signer)
    a = plan.assessment
    signed = " and manifest.sig" if signer else ""
    print(f"wrote {args.out}: {DOCUMENT}, {CROSSREF}, {len(plan.evidence)} evidence files, manifest.json{signed} ({file_size(size)}); "
          f"readiness {a.readiness:.0%} as of {as_of}")
    print(f"pack SHA-256: {sha256_file(target)} (send it separately, so the assessor can check they received this file)")
    if signer is not None:
        print(f"signed with the key {fingerprint(signer.public_key())} (give this fingerprint in the covering letter)")
    if previous is not None:
        print(f"supersedes {previous.name} (SHA-256 {previous.sha256})")
    if draft:
        print("the pack is a draft (every page says so): " + "; ".join(draft))
    return 0
