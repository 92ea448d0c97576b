"""`python -m bench.case_import [--rows N] [--repeat R] [--xlsx] [--big N]`: time `rsqm cases import` on a large export.

The export is what a case-management system writes: a byte-order mark, Windows
line endings, day-first dates, its own words for process and initiator, and a
personal column the map ignores. Timed through the command itself (in-process,
so interpreter start-up is left out): a first import into an empty case list
(every row added), a re-import (every row unchanged, nothing written), a dry
run, and `rsqm outcomes` on the result. `--big N` instead writes an N-row .xlsx
export and imports it once as its own process, for its peak memory (1,000,000
rows: issue 33). All data is invented.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import date, timedelta
from pathlib import Path

import yaml

from rsqm.cli import main
from rsqm.workspace.scaffold import init_workspace

HEADER = ["Case Reference", "Referral Date", "Date Closed", "Process Type", "Offence", "Initiated By", "Facilitator Code",
          "First Contact", "Referral Source", "Accepted", "Victim Name"]
PROCESSES = {"Direct - Face to Face": "face_to_face", "Indirect - Letter": "letter", "Shuttle": "shuttle", "Conference": "conference"}
INITIATORS = {"Victim": "harmed_person", "Offender": "person_responsible"}
MAP = {
    "schema": "rsqm/case-import@1",
    "columns": {"case_ref": "Case Reference", "referred_on": "Referral Date", "closed_on": "Date Closed", "process": "Process Type",
                "offence_category": "Offence", "initiator": "Initiated By", "practitioner": "Facilitator Code",
                "first_contact_on": "First Contact", "referral_source": "Referral Source", "offer_accepted": "Accepted"},
    "dates": "dayfirst",
    "values": {"process": PROCESSES, "initiator": INITIATORS, "offer_accepted": {"Y": "yes", "N": "no"}},
    "ignore": ["Victim Name"],
}


def _prefix(n: int) -> str:
    """CMS for the first 100,000 rows, then CMA, CMB, ...: a reference keeps the five digits the default pattern allows."""
    return "CMS" if n < 100_000 else f"CM{chr(ord('A') + n // 100_000 - 1)}"


def export_rows(count: int, seed: int) -> Iterator[list[str]]:
    """The rows one at a time: a million of them held at once would take gigabytes of the benchmark's own."""
    rng = random.Random(seed)
    for n in range(count):
        referred = date(2021, 1, 1) + timedelta(days=rng.randrange(1800))
        closed = referred + timedelta(days=rng.randint(20, 200))
        contact = referred + timedelta(days=rng.randint(0, 9))
        yield [
            f"{_prefix(n)}-{referred.year}-{n % 100_000:05d}", f"{referred:%d/%m/%Y}", f"{closed:%d/%m/%Y}" if closed < date(2026, 6, 1) else "",
            rng.choice(list(PROCESSES)), rng.choice(("theft", "burglary", "criminal_damage", "violence_against_person")),
            rng.choice(list(INITIATORS)), f"P{rng.randint(1, 60):02d}", f"{contact:%d/%m/%Y}",
            rng.choice(("police", "probation", "victim_services", "self")), rng.choice(("Y", "N", "")), f"Invented Person {n}",
        ]


def write_csv(path: Path, rows: Iterable[list[str]]) -> None:
    lines = [",".join(HEADER), *(",".join(row) for row in rows)]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))


def write_xlsx(path: Path, rows: Iterable[list[str]]) -> None:
    """Written as openpyxl's write-only mode does: inline strings, and no <dimension> in the sheet."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(list(args))
    return code, out.getvalue()


def timed(label: str, action: Callable[[], tuple[int, str]], repeat: int, expect: str) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        code, text = action()
        times.append(time.perf_counter() - start)
        if code != 0 or expect not in text:
            raise SystemExit(f"{label}: unexpected result (exit {code}):\n{text[-2000:]}")
    median = statistics.median(times)
    print(f"{label:<48} {median:8.2f} s  (median of {repeat}; {', '.join(f'{t:.2f}' for t in times)})")
    return median


def big_xlsx(rows: int) -> None:
    """Peak memory and time of one `rsqm cases import` of a ``rows``-row .xlsx export, run as its own process."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        book, mapping, root = folder / "export.xlsx", folder / "map.yaml", folder / "ws"
        start = time.perf_counter()
        write_xlsx(book, export_rows(rows, seed=1))
        mapping.write_text(yaml.safe_dump(MAP, sort_keys=False), encoding="utf-8")
        init_workspace(root, "Benchmark Service")
        print(f"{rows:,} rows, export {book.stat().st_size / 2**20:.1f} MiB (.xlsx, written in {time.perf_counter() - start:.0f} s)")
        command = [sys.executable, "-c", "from rsqm.cli import run; run()",
                   "cases", "import", str(book), "--map", str(mapping), "-w", str(root), "--by", "bench"]
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        output = child.stdout.read().decode() if child.stdout else ""
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0 or f"{rows} added" not in output:
            raise SystemExit(f"import failed (status {status}):\n{output[-2000:]}")
        lines = (root / "evidence" / "cases.csv").read_text(encoding="utf-8").count("\n") - 1
        print(f"import from .xlsx into an empty case list: {wall:.1f} s wall, {usage.ru_utime + usage.ru_stime:.1f} s CPU, "
              f"peak {usage.ru_maxrss / 1024:.0f} MiB resident; {lines:,} cases written")


def main_bench(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--xlsx", action="store_true", help="also time the same rows from an .xlsx export")
    parser.add_argument("--big", type=int, metavar="N", help="only: peak memory and time of one import of an N-row .xlsx export")
    args = parser.parse_args(argv)
    if args.big:
        big_xlsx(args.big)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        export, mapping = folder / "export.csv", folder / "map.yaml"
        write_csv(export, export_rows(args.rows, seed=1))
        mapping.write_text(yaml.safe_dump(MAP, sort_keys=False), encoding="utf-8")
        print(f"{args.rows:,} rows, export {export.stat().st_size / 2**20:.1f} MiB (CSV, BOM, CRLF, day-first dates)")

        def fresh() -> Path:
            root = folder / f"ws-{time.perf_counter_ns()}"
            init_workspace(root, "Benchmark Service")
            return root

        def first_import() -> tuple[int, str]:
            return run("cases", "import", str(export), "--map", str(mapping), "-w", str(fresh()), "--by", "bench")

        timed("import into an empty case list (all added)", first_import, args.repeat, f"{args.rows} added")
        root = fresh()
        run("cases", "import", str(export), "--map", str(mapping), "-w", str(root), "--by", "bench")
        again = ("cases", "import", str(export), "--map", str(mapping), "-w", str(root), "--by", "bench")
        timed("re-import (all unchanged, nothing written)", lambda: run(*again), args.repeat, f"{args.rows} unchanged")
        timed("dry run of the re-import", lambda: run(*again, "--dry-run"), args.repeat, "dry run")
        timed("rsqm validate on the imported workspace", lambda: run("validate", "-w", str(root)), args.repeat, "valid")
        timed("rsqm outcomes --period 2025 --json", lambda: run("outcomes", "--period", "2025", "--json", "-w", str(root)),
              args.repeat, '"referrals"')
        if args.xlsx:
            book = folder / "export.xlsx"
            write_xlsx(book, export_rows(args.rows, seed=1))
            print(f"export as .xlsx: {book.stat().st_size / 2**20:.1f} MiB")
            timed("import from .xlsx into an empty case list", lambda: run(
                "cases", "import", str(book), "--map", str(mapping), "-w", str(fresh()), "--by", "bench"), args.repeat, f"{args.rows} added")


if __name__ == "__main__":
    main_bench()
