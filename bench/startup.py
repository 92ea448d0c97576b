"""Where a person waits at the command line (issue 35): how long a command takes to start, beside the bare
interpreter doing the least the command must do, timed in the same run, interleaved, median of 5 after a warm-up.

- ``rsqm --help`` beside ``python -c pass``: nothing but the list of commands should be loaded.
- ``rsqm validate`` on the demo beside ``python -c "import yaml, pydantic"``: the two libraries every workspace
  read needs; the rest is rsqm's own models and rules.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.stages import Result

RUNS = 5


def _rsqm() -> list[str]:
    """The installed ``rsqm`` command beside this interpreter (what a person types), else the module."""
    script = Path(sys.executable).with_name("rsqm")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from rsqm.cli import run; run()"]


def _wall(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def side_by_side(ours: list[str], reference: list[str], cwd: Path, runs: int = RUNS) -> tuple[float, float]:
    """(median seconds of ours, of the reference): one warm-up each, then the two alternated ``runs`` times."""
    _wall(ours, cwd), _wall(reference, cwd)
    timed = [(_wall(ours, cwd), _wall(reference, cwd)) for _ in range(runs)]
    return statistics.median(t[0] for t in timed), statistics.median(t[1] for t in timed)


def startup(demo: Path) -> list[Result]:
    python = [sys.executable]
    results = []
    for stage, ours, reference in (
        ("startup_help", [*_rsqm(), "--help"], [*python, "-c", "pass"]),
        ("startup_validate", [*_rsqm(), "validate", "-w", str(demo)], [*python, "-c", "import yaml, pydantic"]),
    ):
        mine, theirs = side_by_side(ours, reference, demo)
        results.append(Result(stage, mine, reference=theirs, ratio=mine / theirs,
                              extra={"ours": f"{mine * 1000:.0f} ms", "reference": f"{theirs * 1000:.0f} ms"}))
    return results


def copy_of_demo(source: Path, into: Path, name: str = "startup-demo") -> Path:
    """A workspace's three parts (the demo's are at the repository root) copied to ``into/name``, without its load
    cache or accounts, so the copy's cache is its own."""
    target = into / name
    shutil.rmtree(target, ignore_errors=True)
    for folder in ("standards", "evidence"):
        shutil.copytree(source / folder, target / folder)
    shutil.copy(source / "rsqm.yaml", target / "rsqm.yaml")
    return target
