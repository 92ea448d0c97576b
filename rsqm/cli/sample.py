"""rsqm sample: draw a frozen, reproducible audit sample of closed cases, or advise on its size."""

from __future__ import annotations

import argparse

from rsqm.audit.sampling import SamplingError, check_sample_name, new_sample, population
from rsqm.base.dates import workspace_today
from rsqm.base.labels import readable
from rsqm.base.stats import CONFIDENCE_LEVELS, ROUNDING, SIZE_FORMULA, sample_size, sample_size_over_n_plus_n0, z_for_confidence
from rsqm.cli import add_command, add_workspace_option
from rsqm.cli.common import CommandError, UsageError, default_user, iso_date, open_valid_workspace
from rsqm.files.yamlio import dump_model
from rsqm.workspace.store import Store

DEFAULT_EXPECTED, DEFAULT_MARGIN = 0.9, 0.1  # --advise without them: a 90% compliance target, known to ±10 points


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "sample", description="Draw a frozen audit sample from evidence/cases.csv, ranked by SHA-256 of seed and case "
        "reference: the same case list and seed give the same sample on any machine.")
    add_workspace_option(parser)
    parser.add_argument("--name", help="sample name, also its file name (e.g. 2025-Q4)")
    parser.add_argument("--size", type=int, help="number of cases to draw")
    parser.add_argument("--seed", type=int, help="whole number that fixes the draw; record it, never reuse it to redraw")
    parser.add_argument("--strata", default="", help="comma-separated case-list columns to stratify by, e.g. process")
    parser.add_argument("--closed-from", type=iso_date, metavar="DATE", help="first closing date in the period")
    parser.add_argument("--closed-to", type=iso_date, metavar="DATE", help="last closing date in the period")
    parser.add_argument("--by", metavar="USER", help="who draws it (default: $RSQM_USER, else your login name)")
    parser.add_argument("--reason", default="", help="why this sample is drawn (required practice when redrawing)")
    parser.add_argument("--advise", action="store_true", help="print the sample size needed instead of drawing")
    parser.add_argument("--expected", type=float, metavar="P",
                        help=f"with --advise: expected compliance (default: {DEFAULT_EXPECTED:g}, a common audit target)")
    parser.add_argument("--margin", type=float, metavar="E",
                        help=f"with --advise: half-width of the interval (default: {DEFAULT_MARGIN:g}, ±10 points)")
    parser.add_argument("--confidence", type=float, choices=CONFIDENCE_LEVELS, metavar="C",
                        help="with --advise: confidence level of the interval, 0.9, 0.95 or 0.99 (default: 0.95)")
    parser.set_defaults(func=run)


def _period(args: argparse.Namespace) -> str:
    if args.closed_from and args.closed_to:
        return f"closed {args.closed_from} to {args.closed_to}"
    if args.closed_from:
        return f"closed on or after {args.closed_from}"
    if args.closed_to:
        return f"closed on or before {args.closed_to}"
    return "closed at any time"


def run(args: argparse.Namespace) -> int:
    if args.advise:
        return _advise(args)
    missing = [f"--{opt}" for opt in ("name", "size", "seed") if getattr(args, opt) is None]
    if missing:
        raise UsageError(f"drawing a sample needs {', '.join(missing)} (or use --advise --expected P --margin E)")
    if args.expected is not None or args.margin is not None or args.confidence is not None:
        raise UsageError("--expected, --margin and --confidence only go with --advise")
    check_sample_name(args.name)
    ws = open_valid_workspace(args)
    rel = ws.sample_path(args.name)
    store = Store(ws.root, args.by or default_user())
    if args.name in ws.samples or store.token(rel) is not None:
        raise CommandError(
            f"sample '{args.name}' already exists ({rel}); a drawn sample is never redrawn or replaced: "
            "choose a new name and record why with --reason"
        )
    strata = [s.strip() for s in args.strata.split(",") if s.strip()]
    try:
        sample, result = new_sample(
            ws.cases,
            name=args.name,
            size=args.size,
            seed=args.seed,
            strata=strata,
            closed_from=args.closed_from,
            closed_to=args.closed_to,
            drawn_on=workspace_today(ws.settings),
            drawn_by=store.user,
            reason=args.reason,
        )
    except SamplingError as exc:
        raise CommandError(f"{exc} ({_period(args)})") from None
    text = dump_model(sample)
    store.write(rel, text, change="draw sample", item=sample.name, expected=None)

    method = f"stratified by {', '.join(strata)}" if strata else "simple random"
    print(f"Sample {sample.name}: {len(sample.cases)} of {sample.population.size} cases {_period(args)}, "
          f"seed {args.seed}, {method}")
    print(f"Population SHA-256: {sample.population.sha256}")
    print()
    width = max(len("stratum"), *(len(readable(k)) for k in result.stratum_sizes))
    print(f"{'stratum':<{width}}  population  drawn")
    for key, size in result.stratum_sizes.items():
        print(f"{readable(key):<{width}}  {size:>10}  {result.allocation[key]:>5}")
    empty = [k for k, n in result.allocation.items() if n == 0]
    if empty:
        print(f"note: {len(empty)} stratum/strata got no case: the sample is smaller than the number of strata")
    print()
    print("Cases:")
    for case_ref in sample.cases:
        print(f"  {case_ref}")
    print()
    print(f"written {rel}")
    return 0


def _advise(args: argparse.Namespace) -> int:
    drawing = [f"--{opt}" for opt in ("name", "size", "seed") if getattr(args, opt) is not None]
    if drawing:
        raise UsageError(f"--advise only advises; leave out {', '.join(drawing)} or drop --advise to draw")
    expected = DEFAULT_EXPECTED if args.expected is None else args.expected
    margin = DEFAULT_MARGIN if args.margin is None else args.margin
    confidence = args.confidence or 0.95
    z = z_for_confidence(confidence)
    try:
        unlimited = sample_size(expected, margin, z=z)
    except ValueError as exc:
        raise CommandError(f"{exc}; e.g. --expected 0.9 --margin 0.1") from None
    ws = open_valid_workspace(args)
    size = len(population(ws.cases, args.closed_from, args.closed_to))
    assumed = [f"--{name} {value:g}" for name, given, value in (("expected", args.expected, expected), ("margin", args.margin, margin))
               if given is None]
    print(f"Sample size for a {confidence:.0%} interval of ±{margin * 100:g} percentage points around "
          f"{expected:.0%} expected compliance" + (f" (assumed: {', '.join(assumed)}; give your own to change it)" if assumed else "") + ":")
    print(f"  {unlimited} cases from an unlimited population")
    if size:
        corrected = sample_size(expected, margin, size, z=z)
        print(f"  {corrected} cases from the {size} cases {_period(args)} (finite-population correction)")
    else:
        print(f"  no cases {_period(args)} in evidence/cases.csv")
    print(f"Sizes are {ROUNDING}.")
    print(f"Formula: {SIZE_FORMULA}.", end=" ")
    other = sample_size_over_n_plus_n0(expected, margin, size, z=z) if size else None
    if other is not None and other != corrected:
        print(f"Calculators that divide by N + n0 instead give {other}, one case fewer.")
    else:
        print("It can be one case above calculators that divide by N + n0.")
    return 0
