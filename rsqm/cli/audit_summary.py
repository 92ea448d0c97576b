"""rsqm audit-summary: compliance per checklist item and per sample, second marking, concerns."""

from __future__ import annotations

import argparse
import json

from rsqm.audits import AuditSummary, summarise, summary_json
from rsqm.cli.common import add_workspace_option, open_valid_workspace
from rsqm.formatting import percent

ROLES = ("coordinator", "supervisor", "leadership")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("audit-summary", help="case-file audit results: items, samples over time, agreement")
    add_workspace_option(parser)
    parser.add_argument("--sample", metavar="NAME", help="only this sample (default: all samples)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--role", choices=ROLES, default="coordinator",
        help="who reads it: leadership sees counts only, never case references (default: coordinator)",
    )
    parser.set_defaults(func=run)


def _verdict(rate: float | None, target: float, enough: bool) -> str:
    if rate is None:
        return "no answers"
    if rate < target:
        return "BELOW TARGET" if enough else "below target (too few audits)"
    return "meets target" if enough else "too few audits"


def run(args: argparse.Namespace) -> int:
    ws = open_valid_workspace(args)
    if ws is None:
        return 1
    summary = summarise(ws, args.sample)
    case_level = args.role != "leadership"
    if args.json:
        print(json.dumps(summary_json(summary, case_level=case_level), indent=2))
    else:
        _print_text(summary, case_level=case_level, scope=args.sample)
    return 0


def _print_text(summary: AuditSummary, *, case_level: bool, scope: str | None) -> None:
    print(f"Case-file audit summary ({f'sample {scope}' if scope else 'all samples'})")
    print()
    width = max(len("item"), *(len(r.item) for r in summary.items))
    print(f"{'item':<{width}}  appl  met  part  not  rate    95% interval     target  verdict")
    for r in summary.items:
        interval = "—" if r.ci_low is None else f"{r.ci_low:.1%}–{r.ci_high:.1%}"
        print(
            f"{r.item:<{width}}  {r.applicable:>4}  {r.met:>3}  {r.partly_met:>4}  {r.not_met:>3}  "
            f"{percent(r.rate, 1, '—'):>6}  {interval:<16} {r.target:>6.0%}  {_verdict(r.rate, r.target, r.enough)}"
        )
    print()
    print("Compliance per sample (met / applicable over all items):")
    if not summary.samples:
        print("  no samples drawn yet")
    for s in summary.samples:
        interval = "" if s.ci_low is None else f" (95% interval {s.ci_low:.1%}–{s.ci_high:.1%})"
        print(f"  {s.sample} drawn {s.drawn_on}: {s.audited} of {s.cases} cases audited, "
              f"{s.met}/{s.applicable} = {percent(s.rate, 1, '—')}{interval}")
    print()
    a = summary.agreement
    if a.pairs:
        print(f"Second marking: {a.pairs} answers marked twice, {a.percent:.1f}% agreement, Cohen's kappa {a.kappa:.3f}")
        if case_level:
            for case_ref, item, first, second in a.disagreements:
                print(f"  {case_ref} {item}: first {first}, second {second}")
    else:
        print("Second marking: no answers marked twice yet")
    print()
    print(f"Open safeguarding concerns: {summary.open_concerns} (raised: {summary.safeguarding_concerns})")
    if case_level:
        for case_ref in summary.concern_cases:
            print(f"  {case_ref}")
