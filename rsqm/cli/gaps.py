"""rsqm gaps: where the service stands against the framework, indicator by indicator."""

from __future__ import annotations

import argparse
from datetime import date

from rsqm.assess.frameworks import assess_frameworks, overall_ready
from rsqm.assess.gaps import Assessment, IndicatorResult, ReasonCode, assess_workspace
from rsqm.base.dates import counted_because, workspace_today
from rsqm.base.labels import FIELD, REASON, STATUS, readable, words
from rsqm.cli import add_command, add_workspace_option
from rsqm.cli.common import iso_date, open_valid_workspace
from rsqm.outputs import GapsOut, json_text


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "gaps")
    add_workspace_option(parser)
    parser.add_argument("--as-of", type=iso_date, metavar="D", default=None,
                        help="assess on this date (default: assessment_date in rsqm.yaml, else today)")
    parser.add_argument("--json", action="store_true", help="print the assessment as one JSON object")
    parser.add_argument("--framework", metavar="ID", default=None,
                        help="assess another framework of the workspace (default: the one in rsqm.yaml)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    ws = open_valid_workspace(args)
    assessment = assess_workspace(ws, args.as_of, args.framework)
    every = assess_frameworks(ws, args.as_of)
    if args.json:
        print(json_text(GapsOut.of(assessment, every)))
    else:
        print(render(assessment, ws.frameworks[assessment.framework_id].evidence_types, workspace_today(ws.settings)))
        if len(every) > 1:
            print(render_frameworks(every))
    return 0


def render_frameworks(every: list[Assessment]) -> str:
    """Readiness and the verdict per framework, then the overall verdict (ready against every one)."""
    lines = ["", f"{'Framework':<52} {'Readiness':>9}  Verdict"]
    for a in every:
        verdict = "ready" if a.ready else f"not ready: {', '.join(a.holding_back)}"
        lines.append(f"{_clip(f'{a.framework_id} ({a.framework_version})', 52):<52} {a.readiness:>9.0%}  {verdict}")
    if overall_ready(every):
        lines.append("Overall: READY against every framework.")
    else:
        lines.append(f"Overall: NOT READY - not ready against {', '.join(a.framework_id for a in every if not a.ready)}.")
    return "\n".join(lines)


def render(a: Assessment, types: dict[str, str], today: date) -> str:
    """The terminal report: standards, then indicators with their reasons, then the verdict.

    Reasons and next steps read in words: evidence types by their titles (``types``), other codes with spaces.
    """
    lines = [
        f"{a.service}: {a.framework_title} (version {a.framework_version}) as of {a.as_of}",
        *([f"Measures, lapses and overdue actions counted on {a.counted_on}, {counted_because(a.counted_on, today)}; what falls due "
           f"after that is due before {a.as_of}, not missed."] if a.counted_on else []),
        "",
        f"{'Standard':<52} {'Readiness':>9}  {'met':>4} {'partly':>6} {'not met':>7} {'n/a':>4}",
    ]
    for s in a.standards:
        readiness = "n/a" if s.readiness is None else f"{s.readiness:.0%}"
        c = s.counts
        title = _clip(f"{s.id}  {s.title}", 52)
        lines.append(f"{title:<52} {readiness:>9}  {c['met']:>4} {c['partly_met']:>6} {c['not_met']:>7} {c['not_applicable']:>4}")
    lines += ["", "Indicators (* = critical)"]
    for r in a.indicators:
        lines += _indicator_lines(r, types)
    lines.append("")
    if a.expiring:
        lines.append(f"Expiring between {a.today} and the assessment: {', '.join(a.expiring)}")
    for reason in a.lifecycle:
        word = "Lapsed" if reason.blocking else "Due before the assessment" if reason.code == ReasonCode.renewal_due else "Warning"
        lines.append(f"{word}: {readable(reason.message, types, FIELD)} - next: {readable(reason.action, types, FIELD)}")
    lines.append(f"Readiness: {a.readiness:.0%}")
    if a.ready:
        lines.append("Verdict: READY to apply - every critical indicator is met and none is not met.")
    else:
        lines.append(f"Verdict: NOT READY to apply - blocked by {', '.join(a.holding_back)}.")
    return "\n".join(lines)


def _indicator_lines(r: IndicatorResult, types: dict[str, str]) -> list[str]:
    mark = "*" if r.critical else " "
    evidence = f"  evidence: {', '.join(r.evidence)}" if r.evidence else ""
    out = [f"{mark} {r.id:<6} {_status_words(r.status):<14} {_clip(r.title, 60)}{evidence}"]
    if r.justification:
        out.append(f"      not applicable: {r.justification}")
    for m in r.measures:
        counted = f"{m.k} of {m.n} ({m.rate:.0%})" if m.n else "no data"
        out.append(f"      {m.label}: {counted}, target {m.target:.0%}: {'met' if m.met else 'not met'}")
    for reason in r.reasons:
        kind = "" if reason.blocking else "warning "
        label, said = words(reason.code.value, REASON), readable(reason.message, types, FIELD)
        out.append(f"      - {kind}{label}" + ("" if said.lower() == label.lower() else f": {said}"))
        out.append(f"        next: {readable(reason.action, types, FIELD)}")
    return out


def _status_words(status: str) -> str:
    """The status's label; capitals make an indicator not met stand out."""
    label = STATUS[status].lower()
    return label.upper() if status == "not_met" else label


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
