"""Stages over the service's records (issue 23): measures per workspace size, and, once per run, the privacy
scan's throughput and linearity and `rsqm cases import` of 100,000 rows.

All three are CPU seconds of this process (``time.process_time``), the median of the repeats: the machine these
run on is often shared, and the stages are single-threaded, so CPU time is the figure that does not move with
other people's work. The case import is also given as wall-clock seconds.
"""

from __future__ import annotations

import gc
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.stages import Result, calls_of, guarded
from rsqm.files.folder import Workspace

IMPORT_ROWS = 100_000


def cpu_median(work: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(median CPU seconds, median wall-clock seconds) of ``repeat`` runs."""
    cpu, wall = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        work()
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start)
    return statistics.median(cpu), statistics.median(wall)


def measures(ws: Workspace, repeat: int) -> Result:
    """Every measure of every framework (`workspace_measures`), on the assessment date, the workspace loaded."""
    from rsqm.assess.measures import workspace_measures

    as_of = ws.settings.assessment_date
    found = workspace_measures(ws, as_of)  # warm-up, then a collection: the stage alone, as for the gap analysis
    gc.collect()
    seconds, _ = cpu_median(lambda: workspace_measures(ws, as_of), max(repeat, 7))
    counted = sum(1 for m in found if m.result.n)
    return Result("measures", seconds, extra={"measures": len(found), "with data": counted, "clock": "CPU",
                                              "calls": calls_of(lambda: workspace_measures(ws, as_of))})


def privacy_extracted(ws: Workspace, repeat: int) -> Result:
    """The privacy pre-flight's scan of an export: every text it reads (the rendered document and workbook, the
    sources they are rendered from, the text extracted from every exported evidence file) is recorded from one
    `prepare_pack` without the pre-flight's memo, then scanned again on the clock, the memory of short texts emptied before each run. MB/s of extracted
    text; reading the files and extracting their text is not in it (it is in the export's plan)."""
    from rsqm.pack.prepare import prepare_pack
    from rsqm.privacy import detectors
    from rsqm.privacy import scan as privacy
    from rsqm.privacy.memo import MEMO_FILE

    read: list[tuple[str, detectors.Detectors, bool]] = []
    scan_text = privacy.scan_text

    def recording(text: str, found_with: detectors.Detectors = detectors.PLAIN, *, join_lines: bool = True) -> list:
        read.append((text, found_with, join_lines))
        return scan_text(text, found_with, join_lines=join_lines)

    privacy.scan_text = recording  # type: ignore[assignment]
    (ws.root / MEMO_FILE).unlink(missing_ok=True)  # every file read, as a first pre-flight reads them (rsqm.privacy.memo)
    try:
        prepare_pack(ws, ws.settings.assessment_date)
    finally:
        privacy.scan_text = scan_text

    def scan_all() -> None:
        detectors.forget_texts_read(*{id(found_with): found_with for _, found_with, _ in read}.values())  # from cold, as a pre-flight starts
        for text, found_with, join_lines in read:
            scan_text(text, found_with, join_lines=join_lines)

    seconds, _ = cpu_median(scan_all, repeat)
    megabytes = sum(len(text.encode("utf-8", "surrogatepass")) for text, _, _ in read) / 1e6
    return Result("privacy_extracted", seconds, extra={"MB": megabytes, "MB/s": megabytes / seconds if seconds else 0.0,
                                                       "texts": len(read), "clock": "CPU"})


def privacy_scan() -> list[Result]:
    """`scan_text` over bench.privacy's inputs: each one's MB/s at 1x (the slowest named), the worst time ratio 10x / 1x."""
    from bench.privacy import own_prose, throughput

    rows = throughput()
    slowest = min(rows, key=lambda row: row[1])
    worst = max(rows, key=lambda row: row[3])
    per_input = {"the repository's own Markdown (docs/, evidence/), file by file": f"{own_prose():.1f} MB/s",
                 **{f"generated: {label}": f"{small:.1f} MB/s" for label, small, _, _ in rows}}
    return [
        Result("privacy_throughput", extra={"MB/s": slowest[1], "input": slowest[0], **per_input}),
        Result("privacy_linearity", extra={"ratio": worst[3], "input": worst[0]}),
    ]


def privacy_corpus() -> Result:
    """The test corpus' leak and false-positive rates through the pre-flight's scanner, and `export --check` of the
    demo with a 2 MB one-line narrative (bench.privacy)."""
    from bench.privacy import corpus_rates, export_check_long_line

    missed, leaks, flagged, legitimate = corpus_rates()
    wall, cpu = export_check_long_line()
    return Result("privacy_corpus", cpu, extra={
        "leak rate": f"{missed}/{leaks} = {missed / leaks:.0%}", "false-positive rate": f"{flagged}/{legitimate} = {flagged / legitimate:.0%}",
        "export --check, 2 MB narrative": f"{wall:.1f} s wall-clock, {cpu:.1f} s CPU"})


def case_import(repeat: int, rows: int = IMPORT_ROWS) -> Result:
    """`rsqm cases import` of a ``rows``-row export into an empty case list (every row added), in-process."""
    import yaml

    from bench.case_import import MAP, export_rows, run, write_csv
    from rsqm.workspace.scaffold import init_workspace

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        export, mapping = folder / "export.csv", folder / "map.yaml"
        write_csv(export, export_rows(rows, seed=1))
        mapping.write_text(yaml.safe_dump(MAP, sort_keys=False), encoding="utf-8")
        made: list[Path] = []

        def fresh() -> Path:
            root = folder / f"ws-{len(made)}"
            init_workspace(root, "Benchmark Service")
            made.append(root)
            return root

        def first_import() -> None:
            root = fresh()  # made outside the clock would need a list of prepared folders; init takes milliseconds
            code, text = run("cases", "import", str(export), "--map", str(mapping), "-w", str(root), "--by", "bench")
            if code != 0 or f"{rows} added" not in text:
                raise RuntimeError(f"import exited {code}: {text[-300:]}")

        seconds, wall = cpu_median(first_import, repeat)
    return Result("case_import", seconds, extra={"rows": rows, "wall-clock s": wall, "clock": "CPU"})


def run_once(repeat: int) -> list[Result]:
    """The stages that do not depend on a workspace size."""
    print("[once] privacy scan throughput and linearity", flush=True)
    scan = guarded("privacy_throughput", privacy_scan)
    results = scan if isinstance(scan, list) else [scan, Result("privacy_linearity", status=scan.status)]
    print("[once] privacy corpus rates and export --check of a 2 MB narrative", flush=True)
    results.append(guarded("privacy_corpus", privacy_corpus))
    print(f"[once] case import of {IMPORT_ROWS:,} rows", flush=True)
    results.append(guarded("case_import", lambda: case_import(min(repeat, 3))))
    return results
