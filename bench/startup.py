"""Where a person waits at the command line (issue 35): how long a command takes to start, beside the bare
interpreter doing the least the command must do, timed in the same run, interleaved, median of 5 after a warm-up.

- ``rsqm --help`` beside ``python -c pass``: nothing but the list of commands should be loaded.
- ``rsqm validate`` on the demo beside ``python -c "import yaml, pydantic"``: the two libraries every workspace
  read needs. Timed as a person meets it, on a workspace unchanged since its last load (its files and folders
  written more than the load cache's 3 s "racy" margin before: the copy is left that long first), where the answer
  comes from the stamps of what the last load read (rsqm/workspace/loadcache.py).
- ``rsqm validate`` right after an edit (one YAML file touched before each run): every model imported and built,
  the changed file parsed, the rest from the load cache. Shown beside the same reference; no target.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.stages import Result

RUNS = 5
SETTLE_S = 3.5  # the load cache trusts a stamp taken this long before it was written (RACY_NS, and a margin)


def _rsqm() -> list[str]:
    """The installed ``rsqm`` command beside this interpreter (what a person types), else the module."""
    script = Path(sys.executable).with_name("rsqm")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from rsqm.cli import run; run()"]


def _wall(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def side_by_side(ours: list[str], reference: list[str], cwd: Path, runs: int = RUNS,
                 before: Callable[[], None] = lambda: None) -> tuple[float, float]:
    """(median seconds of ours, of the reference): one warm-up each, then the two alternated ``runs`` times;
    ``before`` runs (untimed) before each of ours."""
    before(), _wall(ours, cwd), _wall(reference, cwd)
    timed = []
    for _ in range(runs):
        before()
        timed.append((_wall(ours, cwd), _wall(reference, cwd)))
    return statistics.median(t[0] for t in timed), statistics.median(t[1] for t in timed)


def _touch(path: Path) -> Callable[[], None]:
    return lambda: os.utime(path)


def startup(demo: Path) -> list[Result]:
    python = [sys.executable]
    validate = [*_rsqm(), "validate", "-w", str(demo)]
    _wall(validate, demo)  # the first load writes the cache; a workspace is then left as a person leaves it
    time.sleep(SETTLE_S)
    _wall(validate, demo)
    results = []
    for stage, ours, reference, before in (
        ("startup_help", [*_rsqm(), "--help"], [*python, "-c", "pass"], lambda: None),
        ("startup_validate", validate, [*python, "-c", "import yaml, pydantic"], lambda: None),
        ("startup_validate_edited", validate, [*python, "-c", "import yaml, pydantic"], _touch(demo / "evidence" / "actions.yaml")),
    ):
        mine, theirs = side_by_side(ours, reference, demo, before=before)
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
