"""BENCHMARKS.md from the results of one run: machine, figures beside references, targets met or missed."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.stages import Result

NOTES = Path(__file__).with_name("notes.md")

# stage -> (label, reference label)
STAGES = {
    "generate": ("Generate the workspace (once, reused later)", ""),
    "cold_load": ("Cold load + validate (fresh process, load cache present: every run after the first)",
                  "PyYAML CSafeLoader + csv, same files"),
    "cold_load_first": ("… first load ever (no `.rsqm/` load cache): shown, not judged", "PyYAML CSafeLoader + csv, same files"),
    "validate_command": ("`rsqm validate`, whole command", ""),
    "warm_load": ("Warm load, nothing changed (dashboard cache)", ""),
    "hash_cold": ("Hashing evidence, cache cleared", "`sha256sum`, same files (ratio: our MB/s ÷ theirs)"),
    "hash_warm": ("Hashing evidence, second run", ""),
    "gaps": ("Gap analysis (`assess`)", ""),
    "audit_summary": ("Audit summary (`summarise`)", ""),
    "audit_rounds": ("Audit rounds (`item_trends`, each item round by round)", ""),
    "measures": ("All measures (`workspace_measures`), CPU time", ""),
    "export": ("Export: document + ZIP (`rsqm export`)", "`zip -q -r`, same evidence files"),
    "export_plan": ("… of which: plan (hashes, gaps, document and workbook rendered, privacy pre-flight)", ""),
    "export_document": ("… of which: the document (docx)", ""),
    "export_zip": ("… of which: writing the ZIP (PDF and Office files stored, text deflated; SHA-256 check)", ""),
    "privacy_extracted": ("… the pre-flight's scan of all the text extracted from it, CPU (MB/s of text)", ""),
    "verify": ("Verify the pack (`rsqm verify`)", "`unzip -tqq`, same ZIP"),
    "overview_first": ("Overview page, first run (AppTest, caches cleared)", ""),
    "overview_rerun": ("Overview page, rerun (AppTest)", ""),
}
NO_GROWTH = {"generate"}  # not a product stage
# judged on MB/s: how much text an export holds does not follow the workspace's size (L's evidence files are binary)
BY_VOLUME = {"privacy_extracted"}
UNJUDGED = {"cold_load_first"}  # shown for the reader; what users meet on every run after the first is judged
ONCE = "once"  # results of the stages measured once per run, not per size (bench/records.py)


def fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    if seconds < 1:
        return f"{seconds * 1000:.1f} ms" if seconds < 0.1 else f"{seconds * 1000:.0f} ms"
    return f"{seconds:.2f} s"


def cell(result: Result | None) -> str:
    if result is None:
        return ""
    if result.status != "ok":
        return result.status.split(" (")[0]
    if result.stage == "generate" and result.extra.get("reused"):
        return "reused"
    text = fmt_time(result.seconds)
    if result.stage == "hash_cold":
        text += f" ({result.extra['MB/s']:.0f} MB/s)"
    if result.stage == "privacy_extracted":
        text += f" ({result.extra['MB/s']:.0f} MB/s)"
    if "hashed" in result.extra and result.stage == "hash_warm":
        text += f", {result.extra['hashed']} hashed"
    return text


def _versus(result: Result | None) -> str:
    if result is None or result.reference is None or result.ratio is None:
        return "–"
    return f"{fmt_time(result.seconds)} / {fmt_time(result.reference)} = {result.ratio:.2f}×"


@dataclass
class Target:
    what: str
    measure: Callable[[dict[str, dict[str, Result]]], tuple[str, bool | None] | None]  # None: not judged


def _get(results: dict[str, dict[str, Result]], size: str, stage: str) -> Result | None:
    found = results.get(size, {}).get(stage)
    return found if found is not None and found.status == "ok" else None


def _ratio_target(stage: str, limit: float, at_least: bool = False) -> Callable:
    def measure(results):
        r = _get(results, "L", stage)
        if r is None or r.ratio is None:
            return None
        return f"{r.ratio:.2f}×", (r.ratio >= limit) if at_least else (r.ratio <= limit)

    return measure


def _time_target(stage: str, limit: float) -> Callable:
    def measure(results):
        r = _get(results, "L", stage)
        return None if r is None else (fmt_time(r.seconds), r.seconds < limit)

    return measure


def _xl_time(stage: str, limit: float) -> Callable:
    def measure(results):
        r = _get(results, "XL", stage)
        return None if r is None else (fmt_time(r.seconds), r.seconds < limit)

    return measure


def _once(stage: str, key: str | None, text: Callable[[float], str], met: Callable[[float], bool]) -> Callable:
    """A target on a stage measured once per run (bench/records.py): its seconds, or one of its extra figures."""
    def measure(results):
        r = results.get(ONCE, {}).get(stage)
        if r is None or r.status != "ok":
            return None
        value = r.seconds if key is None else r.extra[key]
        return text(value), met(value)

    return measure


def _xl_rate(stage: str, least: float) -> Callable:
    def measure(results):
        r = _get(results, "XL", stage)
        return None if r is None else (f"{r.extra['MB/s']:.1f} MB/s ({r.extra['MB']:.1f} MB in {fmt_time(r.seconds)})",
                                       r.extra["MB/s"] >= least)

    return measure


def _second_export(results):
    r = _get(results, "L", "export")
    if r is None:
        return None
    hashed = r.extra["hashed_on_repeat"]
    return f"{hashed} files hashed", hashed == 0


def _startup(stage: str, limit: float) -> Callable:
    """A command's start-up beside the bare interpreter (bench/startup.py): the ratio, with both times."""
    def measure(results):
        r = results.get(ONCE, {}).get(stage)
        if r is None or r.status != "ok":
            return None
        return f"{r.ratio:.2f}× ({fmt_time(r.seconds)} / {fmt_time(r.reference)})", r.ratio <= limit

    return measure


def _browser(stage: str, limit: float, size: str = "S", key: str | None = None) -> Callable:
    """A browser timing (bench/browser.py) on the demo (S) or on L: the median, or one of its extra figures."""
    def measure(results):
        r = results.get(ONCE, {}).get(f"browser_{stage}_{size}")
        if r is None or r.status != "ok":
            return None
        value = r.seconds if key is None else r.extra[key]
        shown = fmt_time(value) + (f" ({r.extra['slowest']})" if key == "slowest_s" else "")
        return shown, value <= limit

    return measure


# (stage in bench/browser.py, what a person waits for)
BROWSER = {
    "sign_in": "Sign in to the Overview drawn",
    "page_switch": "Page switch, every coordinator page (median of all; slowest page beside)",
    "export_preview": "Export: pre-flight to its preview after a file changed (run afresh)",
    "export_again": "Export: pre-flight to its preview, nothing changed since its last run",
    "board_report": "Board report downloaded (.docx)",
}


GROWTH_FLOOR = 0.01  # seconds: below this on L, fixed costs and CPU-cache effects decide the ratio (bench/notes.md)


def _growth(stage: str) -> Callable:
    def measure(results):
        large, huge = _get(results, "L", stage), _get(results, "XL", stage)
        if large is None or huge is None or not large.seconds:
            return None
        growth = huge.seconds / large.seconds
        calls = (large.extra.get("calls"), huge.extra.get("calls"))
        if all(calls):  # work over data in memory or in the kernel's caches: judged on the work (bench/notes.md)
            work = calls[1] / calls[0]
            return (f"{work:.1f} in function calls ({calls[0]:,} → {calls[1]:,}); {growth:.1f} in time "
                    f"({fmt_time(large.seconds)} → {fmt_time(huge.seconds)})"), work <= 12
        if large.seconds < GROWTH_FLOOR and huge.seconds < 0.1:
            return f"{growth:.1f} ({fmt_time(large.seconds)} → {fmt_time(huge.seconds)})", None
        return f"{growth:.1f}", growth <= 12

    return measure


TARGETS = [
    Target("L cold load + validate (fresh process, load cache present) within 1.25× the bare C-loader parse",
           _ratio_target("cold_load", 1.25)),
    Target("Warm load (nothing changed) < 50 ms on L", _time_target("warm_load", 0.05)),
    Target("L gap analysis < 200 ms", _time_target("gaps", 0.2)),
    Target("L audit summary < 200 ms", _time_target("audit_summary", 0.2)),
    Target("Hashing ≥ 0.8× `sha256sum` throughput (L)", _ratio_target("hash_cold", 0.8, at_least=True)),
    Target("Second export hashes nothing (L)", _second_export),
    Target("L export within 0.5× `zip -q -r`", _ratio_target("export", 0.5)),
    Target("Overview rerun on L < 1 s", _time_target("overview_rerun", 1.0)),
    Target("XL document (docx) < 10 s", _xl_time("export_document", 10.0)),
    Target("XL Overview first run < 5 s", _xl_time("overview_first", 5.0)),
    Target("All measures on XL < 300 ms (CPU)", _xl_time("measures", 0.3)),
    Target("`rsqm cases import` of 100,000 rows < 5 s (CPU)", _once("case_import", None, fmt_time, lambda s: s < 5)),
    Target("Privacy scan ≥ 20 MB/s of extracted text: all the text of the XL export (CPU)", _xl_rate("privacy_extracted", 20)),
    Target("Privacy scan ≥ 20 MB/s on every generated input (issue 35; the slowest, CPU, 200 KB)",
           _once("privacy_throughput", "MB/s", lambda v: f"{v:.1f} MB/s", lambda v: v >= 20)),
    Target("Privacy scan linear: 10× the text ≤ 12× the time, every input",
           _once("privacy_linearity", "ratio", lambda v: f"{v:.1f}×", lambda v: v <= 12)),
    Target("`rsqm --help` ≤ 3× `python -c pass` (start-up, median of 5, same run)",
           _startup("startup_help", 3)),
    Target("`rsqm validate` on the demo ≤ 2× `python -c \"import yaml, pydantic\"` (same run)", _startup("startup_validate", 2)),
    Target("Sign-in to the first page drawn ≤ 1.5 s (Chromium, demo)", _browser("sign_in", 1.5)),
    Target("Any page switch ≤ 1 s on the demo (Chromium, the slowest page's median)",
           _browser("page_switch", 1.0, key="slowest_s")),
    Target("Any page switch ≤ 2 s on L (Chromium, the slowest page's median)", _browser("page_switch", 2.0, "L", "slowest_s")),
    Target("Export page's preview ≤ 2 s on the demo, the pre-flight reusing what has not changed since its last run (Chromium)",
           _browser("export_again", 2.0)),
    Target("Board report ≤ 1 s on the demo (Chromium)", _browser("board_report", 1.0)),
    Target("Board report ≤ 1 s on L (Chromium)", _browser("board_report", 1.0, "L")),
    *[Target(f"XL/L ≤ 12: {STAGES[s][0]}", _growth(s)) for s in STAGES if s not in NO_GROWTH | UNJUDGED | BY_VOLUME],
]


def write_report(path: Path, info: dict[str, str], runs: dict[str, list[Result]], args: argparse.Namespace,
                 once: list[Result] = ()) -> None:
    results = {size: {r.stage: r for r in rs} for size, rs in runs.items()}
    sizes = list(results)
    results[ONCE] = {r.stage: r for r in once}
    lines = [
        "# Benchmarks",
        "",
        "Generated by `make bench` (`python -m bench.run`); do not edit by hand: the analysis lives in `bench/notes.md`.",
        "Every figure is the median of several runs; references were timed in the same run on the same files.",
        "",
        "## Machine",
        "",
        *[f"- {key}: {value}" for key, value in info.items()],
        f"- Runs per figure: {args.repeat} (at most 3 for the heavy stages on L and XL: cold load, hashing, export, verify, "
        "dashboard page; `rsqm validate` and the export's parts once on L and XL)",
    ]
    if args.note:
        lines += [f"- Conditions: {args.note}"]
    lines += [
        "",
        "## Workspaces",
        "",
        "Synthetic, from `rsqm synth DIR --size SIZE --seed 1` (all data invented):",
        "",
        "- S: a copy of the demo workspace at the repository root",
        "- M: a real service: 300 evidence items (small files), 300 audits, 2,000 cases",
        "- L: a large service: 1,000 evidence items with 1 GB of scanned PDFs, 2,000 audits, 10,000 cases",
        "- XL: a national roll-up: 10,000 evidence items (small files), 20,000 audits, 100,000 cases",
        "",
        "## Results",
        "",
        "| Stage | " + " | ".join(sizes) + " | Reference (L) | L ÷ reference | XL ÷ L |",
        "|---|" + "---|" * len(sizes) + "---|---|---|",
    ]
    for stage, (label, reference_label) in STAGES.items():
        large, huge = _get(results, "L", stage), _get(results, "XL", stage)
        reference = f"{fmt_time(large.reference)} ({reference_label})" if large and large.reference else ""
        ratio = f"{large.ratio:.2f}×" if large and large.ratio else ""
        growth = f"{huge.seconds / large.seconds:.1f}" if large and huge and large.seconds and huge.seconds and stage not in NO_GROWTH | BY_VOLUME else ""
        row = [label, *[cell(results[size].get(stage)) for size in sizes], reference, ratio, growth]
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", "## Beside the references, every size", "", "ours / reference = ratio (hashing: MB/s ours / MB/s theirs)", "",
              "| Stage | " + " | ".join(sizes) + " |", "|---|" + "---|" * len(sizes)]
    for stage, (label, reference_label) in STAGES.items():
        if reference_label:
            row = [f"{label} vs {reference_label.split(' (')[0]}", *[_versus(_get(results, size, stage)) for size in sizes]]
            lines.append("| " + " | ".join(row) + " |")
    lines += ["", "## Targets", "", "| Target | Measured | Result |", "|---|---|---|"]
    for target in TARGETS:
        measured = target.measure(results)
        if measured is None:
            lines.append(f"| {target.what} | – | not measured |")
        else:
            verdict = "not judged: under 10 ms on L" if measured[1] is None else "met" if measured[1] else "**missed**"
            lines.append(f"| {target.what} | {measured[0]} | {verdict} |")
    scan, corpus = results[ONCE].get("privacy_throughput"), results[ONCE].get("privacy_corpus")
    if scan and scan.status == "ok" and corpus and corpus.status == "ok":
        lines += ["", "## Privacy pre-flight", "",
                  "The target is judged on the text of an export (the XL row above). Here, `scan_text` over the "
                  "repository's own Markdown and over generated worst cases (CPU, 200 KB each; `python -m bench.privacy` "
                  "for the 10× runs that judge linearity), the test corpus (tests/privacy_corpus.py: leak vectors in text "
                  "and in files, legitimate strings and files) through the pre-flight's scanner, and the whole "
                  "`rsqm export --check` of the demo with a 2 MB one-line narrative.", "",
                  "| Input or check | Measured |", "|---|---|"]
        lines += [f"| {k} | {v} |" for k, v in scan.extra.items() if k not in ("MB/s", "input")]
        lines += [f"| {k} | {v} |" for k, v in corpus.extra.items()]
    lines += _where_a_person_waits(results[ONCE])
    every = {**runs, ONCE: list(once)}  # the stages measured once appear in the problems and details as "once"
    problems = [(size, r) for size, rs in every.items() for r in rs if r.status != "ok"]
    if problems:
        lines += ["", "## Stages not measured", ""]
        lines += [f"- {size} {r.stage}: {r.status}" for size, r in problems]
    details = [
        f"- {size} {r.stage}: " + ", ".join(f"{k} {v:.1f}" if isinstance(v, float) else f"{k} {v}" for k, v in r.extra.items())
        for size, rs in every.items() for r in rs if r.extra and r.status == "ok"
    ]
    lines += ["", "## Details", "", *details]
    if NOTES.exists():
        lines += ["", NOTES.read_text(encoding="utf-8").rstrip()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _where_a_person_waits(once: dict[str, Result]) -> list[str]:
    """Command start-up beside the bare interpreter, and the dashboard in Chromium per size (bench/browser.py)."""
    rows = [f"| {label} | {_startup(stage, limit)({ONCE: once})[0]} |"
            for stage, label, limit in (("startup_help", "`rsqm --help` ÷ `python -c pass`", 3),
                                        ("startup_validate", "`rsqm validate` on the demo ÷ `python -c \"import yaml, pydantic\"`", 2),
                                        ("startup_validate_edited", "… right after an edit (no target: models built, one file parsed)",
                                         float("inf")))
            if _startup(stage, limit)({ONCE: once})]
    for size, name in (("S", "demo"), ("L", "L")):
        for stage, label in BROWSER.items():
            r = once.get(f"browser_{stage}_{size}")
            if r is None:
                continue
            if r.status != "ok":
                rows.append(f"| {label} ({name}) | {r.status.split(' (')[0]} |")
                continue
            beside = f"max {r.extra['max']}; the run's end after the element was drawn: {r.extra['settle (median)']}"
            if "slowest" in r.extra:
                beside += f"; slowest page {r.extra['slowest']} {fmt_time(r.extra['slowest_s'])}"
            rows.append(f"| {label} ({name}) | {fmt_time(r.seconds)} (median of {r.extra['runs']}; {beside}) |")
    memory = once.get("serve_memory_XL")
    if memory is not None:
        rows.append("| `rsqm serve`'s memory with XL loaded (one sign-in, the Overview drawn) | " + (
            f"{memory.extra['resident MB']} MB resident, {memory.extra['peak MB']} MB at its peak; the first sign-in, the "
            f"load included, took {memory.extra['first sign-in (load included)']} |" if memory.status == "ok" else f"{memory.status} |"))
    if not rows:
        return []
    return ["", "## Where a person waits", "",
            "Start-up: median of 5 after a warm-up, both commands alternated in the same run. The dashboard: `rsqm serve` "
            "with an account, Chromium driven by Playwright, from the click to the page complete (the awaited element "
            "drawn and the script's run over, as the server reports it; no fixed delay). Per page: the Details below.", "",
            "| What | Measured |", "|---|---|", *rows]
