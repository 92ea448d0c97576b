"""rsqm audit-summary: compliance per checklist item and per sample, second marking, concerns; --by-sample: rounds."""

from __future__ import annotations

import argparse

from rsqm.audit.audits import AuditSummary, summarise
from rsqm.audit.rates import ItemVerdict
from rsqm.audit.rounds import ItemTrend, SampleProgress, item_trends, progress
from rsqm.base.formatting import percent
from rsqm.base.labels import ANSWER, CHANGE_VERDICT, ITEM_VERDICT, readable
from rsqm.cli import add_command, add_workspace_option
from rsqm.cli.common import CommandError, UsageError, open_valid_workspace
from rsqm.outputs import AuditSummaryOut, BySampleOut, json_text
from rsqm.server.access import Role, allowed

ROLES = [role.value for role in Role if allowed(role, "read_audit_summary")]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "audit-summary")
    add_workspace_option(parser)
    parser.add_argument("--sample", metavar="NAME", help="only this sample (default: all samples)")
    parser.add_argument("--by-sample", action="store_true",
                        help="each item round by round, with the change between the last two samples and its 95%% interval")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--role", choices=ROLES, default=Role.coordinator.value,
        help="who reads it: leadership sees counts only, never case references (default: coordinator)",
    )
    parser.set_defaults(func=run)




def run(args: argparse.Namespace) -> int:
    if args.by_sample and args.sample:
        raise UsageError("--by-sample shows every sample; leave out --sample")
    ws = open_valid_workspace(args)
    if args.by_sample:
        if ws.checklist is None:
            raise CommandError(f"the workspace has no checklist '{ws.settings.checklist}' in standards/")
        trends = item_trends(ws.samples.values(), ws.audits.values(), ws.checklist)
        states = progress(ws.samples.values(), ws.audits.values())
        if args.json:
            print(json_text(BySampleOut.of(trends, states)))
        else:
            _print_rounds(trends, states)
        return 0
    summary = summarise(ws, args.sample)
    case_level = allowed(args.role, "read_cases")
    if args.json:
        print(json_text(AuditSummaryOut.of(summary, case_level=case_level).json_data()))
    else:
        _print_text(summary, case_level=case_level, scope=args.sample)
    return 0


def _print_text(summary: AuditSummary, *, case_level: bool, scope: str | None) -> None:
    print(f"Case-file audit summary ({f'sample {scope}' if scope else 'all samples'})")
    print()
    width = max(len("item"), *(len(_item(r.item)) for r in summary.items))
    print(f"{'item':<{width}}  appl  met  part  not  rate    95% interval     target  verdict")
    for r in summary.items:
        interval = "—" if r.ci_low is None else f"{r.ci_low:.1%}–{r.ci_high:.1%}"
        print(
            f"{_item(r.item):<{width}}  {r.applicable:>4}  {r.met:>3}  {r.partly_met:>4}  {r.not_met:>3}  "
            f"{percent(r.rate, 1, '—'):>6}  {interval:<16} {r.target:>6.0%}  {_verdict_words(r.verdict)}"
        )
    print()
    print("Compliance per sample (met / applicable over all items):")
    if not summary.samples:
        print("  no samples drawn yet")
    for s in summary.samples:
        interval = "" if s.ci_low is None else f" (95% interval {s.ci_low:.1%}–{s.ci_high:.1%})"
        state = "" if s.audited >= s.cases else " (incomplete)"
        print(f"  {s.sample} drawn {s.drawn_on}: {s.audited} of {s.cases} cases audited{state}, "
              f"{s.met}/{s.applicable} = {percent(s.rate, 1, '—')}{interval}")
    print()
    a = summary.agreement
    if a.pairs:
        print(f"Second marking: {a.pairs} answers marked twice, {a.percent:.1f}% agreement, Cohen's kappa {a.kappa:.3f}")
        if case_level:
            for case_ref, item, first, second in a.disagreements:
                print(f"  {case_ref} {_item(item)}: first {ANSWER[first].lower()}, second {ANSWER[second].lower()}")
    else:
        print("Second marking: no answers marked twice yet")
    print()
    print(f"Open safeguarding concerns: {summary.open_concerns} (raised: {summary.safeguarding_concerns})")
    if case_level:
        for case_ref in summary.concern_cases:
            print(f"  {case_ref}")


def _item(item: str) -> str:
    """A checklist item named in words (its id with spaces), short enough for a table column."""
    return readable(item).capitalize()


def _points(value: float) -> str:
    return f"{value * 100:+.1f}"


def _print_rounds(trends: list[ItemTrend], states: dict[str, SampleProgress]) -> None:
    print("Case-file audit by round (samples in the order drawn)")
    print()
    if not states:
        print("no samples drawn yet")
        return
    for state in states.values():
        print(f"  {state.sample} drawn {state.drawn_on}: {state.describe()}{'' if state.complete else ' (incomplete)'}")
    width = max(len(s) for s in states)
    for trend in trends:
        print()
        print(f"{_item(trend.item)} (target {trend.target:.0%}){' · critical' if trend.critical else ''}")
        for r in trend.rounds:
            interval = "" if r.ci_low is None else f"  95% CI {r.ci_low:.1%}–{r.ci_high:.1%}"
            mark = "" if r.complete else "  (round incomplete)"
            print(f"  {r.sample:<{width}}  {r.met:>3}/{r.applicable:<3} {percent(r.rate, 1, '—'):>6}{interval}{mark}")
        change = trend.change
        if change is None:
            print("  change: needs two samples")
        elif change.diff is None:
            print(f"  change {change.before} → {change.after}: {CHANGE_VERDICT[change.verdict]}")
        else:
            print(f"  change {change.before} → {change.after}: {_points(change.diff)} points "
                  f"(95% CI {_points(change.ci_low)} to {_points(change.ci_high)}): {CHANGE_VERDICT[change.verdict]}")
    print()
    print("A real improvement (or decline) is a change whose 95% interval (Newcombe's hybrid score method) lies wholly "
          "above (or below) zero.")


def _verdict_words(verdict: ItemVerdict) -> str:
    """The verdict's label; capitals make a judged shortfall stand out in the table."""
    label = ITEM_VERDICT[verdict]
    return label.upper() if verdict == "below_target" else label
