"""rsqm measures: every measure of every framework in the workspace, k of n on the as-of date."""

from __future__ import annotations

import argparse
from datetime import date

from rsqm.assess.measures import LOCAL, FrameworkMeasure, workspace_measures
from rsqm.base.dates import default_as_of, workspace_today
from rsqm.base.formatting import percent
from rsqm.cli import add_command, add_workspace_option
from rsqm.cli.common import add_as_of_option, open_valid_workspace
from rsqm.outputs import MeasuresOut, json_text


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "measures")
    add_workspace_option(parser)
    add_as_of_option(parser, "measure")
    parser.add_argument("--json", action="store_true", help="print the results as one JSON object")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    ws = open_valid_workspace(args)
    as_of = default_as_of(ws.settings, args.as_of)
    measured = workspace_measures(ws, as_of)
    if args.json:
        print(json_text(MeasuresOut.of(measured, as_of)))
    else:
        print(render(measured, as_of, workspace_today(ws.settings)))
    return 0


def render(measured: list[FrameworkMeasure], as_of: date, today: date) -> str:
    """One line per measure, then who or which cases fall short, indented beneath it."""
    if not measured:
        return f"No framework in the workspace lists a measure (as of {as_of})."
    lines = [f"Measures as of {as_of}", ""]
    for m in measured:
        r = m.result
        if r.n:
            numbers = f"{r.k} of {r.n} = {percent(r.rate)} (95% CI {percent(r.ci_low)}-{percent(r.ci_high)})"
        else:
            numbers = "no data" + (f" ({r.note})" if r.note else "")
        verdict = "met" if r.met else "NOT MET"
        counted = f" ({ahead})" if (ahead := r.counted_when(today)) else ""
        where = f"local target {m.indicator}" if m.framework == LOCAL else f"{m.framework} {m.indicator}"
        lines.append(f"{where}  {r.label}: {numbers}, target {percent(r.target)}: {verdict}{counted}")
        lines += [f"    - {line}" for line in r.shortfalls]
        lines += [f"    - due before {r.due_by}: {line}" for line in r.due]
    return "\n".join(lines)
