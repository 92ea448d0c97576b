"""`python -m bench.run [--sizes S,M,L,XL] [--repeat N]`: time every stage, write BENCHMARKS.md.

Synthetic workspaces are generated once under bench/work/ (git-ignored) and
reused while their size and seed are the same. Heavy stages (cold load, hashing,
export, the dashboard page) run at most 3 times on L and XL.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")  # no "missing ScriptRunContext" noise

from bench import records, stages
from bench.report import write_report
from bench.stages import Result, guarded
from rsqm.synth import SIZES, generate

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "bench" / "work"
HEAVY_SIZES = ("L", "XL")


def workspace(size: str, seed: int) -> tuple[Path, float | None]:
    """The generated workspace for this size and seed, made now if missing (seconds taken, or None if reused)."""
    root = WORK / f"{size}-seed{seed}"
    marker = WORK / f"{size}-seed{seed}.done"
    if marker.exists() and (root / "rsqm.yaml").exists() and size != "S":
        return root, None
    if root.exists():
        shutil.rmtree(root)
    start = time.perf_counter()
    generate(root, size, seed)
    seconds = time.perf_counter() - start
    marker.write_text(json.dumps({"size": size, "seed": seed, "seconds": seconds}))
    return root, seconds


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")))
        ram = f"{mem_kb / 2**20:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        ram = "unknown"
    return {
        "CPU": cpu,
        "Cores": str(os.cpu_count()),
        "RAM": ram,
        "Python": platform.python_version(),
        "OS": platform.platform(),
        "Date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def run_size(size: str, seed: int, repeat: int) -> list[Result]:
    heavy = min(repeat, 3) if size in HEAVY_SIZES else repeat
    print(f"[{size}] preparing workspace", flush=True)
    root, made = workspace(size, seed)
    results = [Result("generate", made, extra={"reused": made is None})]
    print(f"[{size}] cold load", flush=True)
    results.append(guarded("cold_load", lambda: stages.cold_load(root, heavy)))
    once = 1 if size in HEAVY_SIZES else repeat  # informative only, and slow on XL
    results.append(guarded("validate_command", lambda: stages.validate_command(root, once)))
    try:
        ws = stages.loaded(root)
    except RuntimeError as exc:  # an invalid workspace: every later stage would measure nothing
        return [*results, Result("gaps", status=f"failed ({exc})"[:200])]
    print(f"[{size}] warm load", flush=True)
    results.append(guarded("warm_load", lambda: stages.warm_load(root, repeat)))
    print(f"[{size}] hashing, gaps, audit summary", flush=True)
    results += _many(("hash_cold", "hash_warm"), lambda: stages.hashing(ws, heavy))
    results.append(guarded("gaps", lambda: stages.gaps(ws, repeat)))
    results.append(guarded("audit_summary", lambda: stages.audit_summary(ws, repeat)))
    results.append(guarded("audit_rounds", lambda: stages.audit_rounds(ws, repeat)))
    results.append(guarded("measures", lambda: records.measures(ws, repeat)))
    print(f"[{size}] export and verify", flush=True)
    results += _many(("export", "verify"), lambda: stages.export(ws, WORK / "packs" / f"{size}.zip", heavy))
    results += _many(("export_plan", "export_document", "export_zip"), lambda: stages.export_parts(ws, once))
    print(f"[{size}] dashboard overview", flush=True)
    results += _many(("overview_first", "overview_rerun"), lambda: stages.overview(root, heavy))
    return results


def _many(names: tuple[str, ...], body) -> list[Result]:  # type: ignore[no-untyped-def]
    first = guarded(names[0], body)
    if isinstance(first, Result):  # the stage failed or is not available: say so for each name
        return [Result(name, status=first.status) for name in names]
    return first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="S,M,L,XL", help="comma-separated sizes (default S,M,L,XL)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure, the median reported (default 5; 3 for heavy L/XL stages)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default=str(REPO / "BENCHMARKS.md"))
    parser.add_argument("--note", default="", help="a sentence about the conditions of this run, printed in the report")
    args = parser.parse_args(argv)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown size(s) {', '.join(unknown)}; choose from {', '.join(SIZES)}")
    if "L" in sizes and shutil.disk_usage(REPO).free < 3 * 10**9 and not (WORK / f"L-seed{args.seed}.done").exists():
        parser.error("size L writes 1 GB of evidence files and the pack: less than 3 GB free on this disk")
    WORK.mkdir(parents=True, exist_ok=True)
    info = machine()
    info["Load average at start"] = load_average()
    started = time.perf_counter()
    results = {size: run_size(size, args.seed, args.repeat) for size in sizes}
    once = records.run_once(args.repeat)
    info["Load average at end"] = load_average()
    info["Run took"] = f"{time.perf_counter() - started:.0f} s"
    write_report(Path(args.out), info, results, args, once)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
