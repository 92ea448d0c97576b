"""One cold measurement in a fresh process: `python -m bench.probe load|parse DIR` prints JSON.

``load`` times rsqm's load-and-validate (and says how many files came from the load
cache in ``.rsqm/``); ``parse`` times the bare reference over the same files: PyYAML's
C loader on every YAML file and the csv module on the case list. Imports happen
before the clock starts in both, so only the work is timed: wall-clock and the
process's CPU time (on a busy machine the CPU time is the steadier figure).
"""

from __future__ import annotations

import csv
import io
import json
import sys
import time
from pathlib import Path

import yaml

from rsqm.base.paths import ACTIONS_FILE, AUDITS_DIR, CASES_FILE, PRIVACY_REVIEW_FILE, REGISTER_FILE, SAMPLES_DIR, SETTINGS_FILE
from rsqm.workspace.load import load_workspace
from rsqm.workspace.loadcache import TALLY


def yaml_files(root: Path) -> list[Path]:
    """The YAML files load_workspace reads."""
    fixed = [root / SETTINGS_FILE, root / REGISTER_FILE, root / ACTIONS_FILE, root / PRIVACY_REVIEW_FILE]
    found = [p for p in fixed if p.is_file()]
    for folder in ("standards", SAMPLES_DIR, AUDITS_DIR):
        found += sorted((root / folder).glob("*.yaml"))
    return found


def bare_parse(root: Path) -> int:
    count = 0
    for path in yaml_files(root):
        yaml.load(path.read_bytes().decode("utf-8"), Loader=yaml.CSafeLoader)
        count += 1
    cases = root / CASES_FILE
    if cases.is_file():
        count += sum(1 for _ in csv.reader(io.StringIO(cases.read_bytes().decode("utf-8"), newline="")))
    return count


def main(argv: list[str]) -> int:
    kind, root = argv[0], Path(argv[1])
    start, cpu = time.perf_counter(), time.process_time()
    if kind == "load":
        ws = load_workspace(root)
        len(ws.cases)  # the case models made too, as every load made them before they were deferred to first use
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        print(json.dumps({"seconds": seconds, "cpu": cpu, "valid": ws.valid, "errors": [str(p) for p in ws.errors[:5]],
                          "cached files": TALLY["files"]}))
    else:
        bare_parse(root)
        print(json.dumps({"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
