"""Each benchmark stage on one workspace, timed beside its reference.

A stage whose module is not there yet (or still raises NotImplementedError)
is reported as not available; a stage that fails says how. Nothing is faked.
"""

from __future__ import annotations

import contextlib
import cProfile
import gc
import io
import json
import logging
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rsqm.files.folder import Workspace
from rsqm.workspace.load import load_workspace

REPO = Path(__file__).resolve().parent.parent


class NotAvailable(Exception):
    """The module a stage needs is not written yet."""


@dataclass
class Result:
    stage: str
    seconds: float | None = None  # median
    reference: float | None = None  # median of the reference, same run
    ratio: float | None = None  # seconds / reference (hashing: throughput ours / theirs)
    extra: dict[str, Any] = field(default_factory=dict)
    status: str = "ok"  # ok | not available: ... | failed: ...


def fmt(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def median_time(work: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        value = work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), value


def guarded(stage: str, body: Callable[[], Result]) -> Result:
    try:
        return body()
    except (ImportError, NotImplementedError, NotAvailable) as exc:
        return Result(stage, status=f"not available ({type(exc).__name__}: {exc})"[:160])
    except Exception as exc:  # a benchmark reports a failure instead of stopping the run
        return Result(stage, status=f"failed ({type(exc).__name__}: {exc})"[:200])


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        yield


def _probe(kind: str, root: Path) -> dict:
    out = subprocess.run([sys.executable, "-m", "bench.probe", kind, str(root)], cwd=REPO, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def cli(*args: str) -> int:
    from rsqm.cli import main

    with quiet():
        return main(list(args))


# --- stages --------------------------------------------------------------------


def cold_load(root: Path, repeat: int) -> list[Result]:
    """load_workspace in a fresh process, against PyYAML's C loader + csv over the same files.

    Judged: the load cache in ``.rsqm/`` present and the files unchanged, as on every
    run after the first (a CLI command, a dashboard restart). Shown beside it: the
    first load ever, with the cache removed before each run (it is rebuilt by that run).
    """
    from rsqm.workspace.loadcache import CACHE_FILE

    first = _probe("load", root)  # writes the cache if there is none yet
    if not first["valid"]:
        raise RuntimeError(f"workspace not valid: {first['errors'][:2]}")
    cached, reference, uncached = [], [], []
    for _ in range(repeat):
        cached.append(_probe("load", root))
        reference.append(_probe("parse", root))
        (root / CACHE_FILE).unlink(missing_ok=True)
        uncached.append(_probe("load", root))
    if min(run["cached files"] for run in cached) == 0 or max(run["cached files"] for run in uncached) != 0:
        raise RuntimeError("the load cache was not used as intended (see bench.probe's 'cached files')")
    return [_versus_reference("cold_load", cached, reference), _versus_reference("cold_load_first", uncached, reference)]


def _versus_reference(stage: str, ours: list[dict], theirs: list[dict]) -> Result:
    """Wall-clock medians as the figure and ratio; the CPU-time medians beside them."""
    seconds, reference = statistics.median(r["seconds"] for r in ours), statistics.median(r["seconds"] for r in theirs)
    cpu, reference_cpu = statistics.median(r["cpu"] for r in ours), statistics.median(r["cpu"] for r in theirs)
    return Result(stage, seconds, reference, seconds / reference,
                  extra={"CPU s": cpu, "reference CPU s": reference_cpu, "CPU ratio": cpu / reference_cpu,
                         "files from the cache": ours[0]["cached files"]})


def validate_command(root: Path, repeat: int) -> Result:
    """`rsqm validate` as a user runs it: interpreter start and imports included."""
    command = [str(Path(sys.executable).parent / "rsqm"), "validate", "-w", str(root)]
    seconds, _ = median_time(lambda: subprocess.run(command, capture_output=True, check=True), repeat)
    return Result("validate_command", seconds)


def warm_load(root: Path, repeat: int) -> Result:
    """The dashboard's cached loader with nothing changed since the last run."""
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    try:
        from rsqm.ui.data import Snapshot
    except ImportError:
        from rsqm.workspace_cache import Snapshot  # type: ignore[no-redef]
    with quiet():
        Snapshot(root)  # fills the cache
        seconds, _ = median_time(lambda: Snapshot(root), max(repeat, 5))
        calls = calls_of(lambda: Snapshot(root))
    return Result("warm_load", seconds, extra={"loader": Snapshot.__module__, "calls": calls})


def calls_of(work: Callable[[], Any]) -> int:
    """The Python function calls one run of ``work`` makes (cProfile): the same at every repeat, so their XL/L growth
    is the growth of the work itself, free of the CPU caches that decide a stage of a few milliseconds (bench/notes.md)."""
    profile = cProfile.Profile()
    profile.runcall(work)
    return pstats.Stats(profile).total_calls


def gaps(ws: Workspace, repeat: int) -> Result:
    from rsqm.assess.gaps import assess
    from rsqm.files.hashing import evidence_digests

    digests = evidence_digests(ws)
    as_of = ws.settings.assessment_date
    assess(ws, as_of, digests)  # the stage alone: not the collector's deferred walk over a fresh load (bench/notes.md)
    gc.collect()
    seconds, assessment = median_time(lambda: assess(ws, as_of, digests), max(repeat, 7))
    return Result("gaps", seconds, extra={"readiness": assessment.readiness, "indicators": len(assessment.indicators),
                                          "calls": calls_of(lambda: assess(ws, as_of, digests))})


def audit_summary(ws: Workspace, repeat: int) -> Result:
    from rsqm.audit.audits import summarise

    summarise(ws)  # the stage alone, as for the gap analysis
    gc.collect()
    seconds, summary = median_time(lambda: summarise(ws), max(repeat, 7))
    return Result("audit_summary", seconds, extra={"items": len(summary.items), "calls": calls_of(lambda: summarise(ws))})


def audit_rounds(ws: Workspace, repeat: int) -> Result:
    from rsqm.audit.rounds import item_trends

    def trends_now():
        return item_trends(ws.samples.values(), ws.audits.values(), ws.checklist)

    trends_now()
    gc.collect()
    seconds, trends = median_time(trends_now, max(repeat, 7))
    return Result("audit_rounds", seconds, extra={"items": len(trends), "rounds": len(ws.samples), "calls": calls_of(trends_now)})


def evidence_paths(ws: Workspace) -> list[Path]:
    return [f.path for f in ws.files.values() if f.path is not None and f.exists]


@contextlib.contextmanager
def counting_hash_caches() -> Iterator[list]:
    """Every HashCache made inside the block; their ``hashed`` counts say how many files were read."""
    from rsqm.files.hashing import HashCache

    made: list = []
    original = HashCache.__init__

    def init(self, root):  # type: ignore[no-untyped-def]
        original(self, root)
        made.append(self)

    HashCache.__init__ = init  # type: ignore[method-assign]
    try:
        yield made
    finally:
        HashCache.__init__ = original  # type: ignore[method-assign]


def hashing(ws: Workspace, repeat: int) -> list[Result]:
    """Cold: cache removed, every file read; reference sha256sum over the same files. Warm: nothing read."""
    from rsqm.files.hashing import CACHE_FILE, evidence_digests

    paths = evidence_paths(ws)
    if not paths:
        raise NotAvailable("no evidence files in this workspace")
    total = sum(p.stat().st_size for p in paths)
    listing = b"\0".join(str(p).encode() for p in paths) + b"\0"

    def sha256sum() -> None:
        subprocess.run(["xargs", "-0", "sha256sum", "--"], input=listing, capture_output=True, check=True)

    def cold() -> int:
        (ws.root / CACHE_FILE).unlink(missing_ok=True)
        with counting_hash_caches() as made:
            evidence_digests(ws)
        return sum(c.hashed for c in made)

    sha256sum()  # both sides read from the page cache
    ours, theirs, hashed = [], [], 0
    for _ in range(repeat):
        seconds, hashed = median_time(cold, 1)
        ours.append(seconds)
        theirs.append(median_time(sha256sum, 1)[0])
    seconds, reference = statistics.median(ours), statistics.median(theirs)
    mb = total / 1e6
    cold_result = Result("hash_cold", seconds, reference, (mb / seconds) / (mb / reference),
                         extra={"files": len(paths), "MB": mb, "MB/s": mb / seconds, "sha256sum MB/s": mb / reference, "hashed": hashed})

    def warm() -> int:
        with counting_hash_caches() as made:
            evidence_digests(ws)
        return sum(c.hashed for c in made)

    warm_seconds, warm_hashed = median_time(warm, max(repeat, 3))
    return [cold_result, Result("hash_warm", warm_seconds, extra={"hashed": warm_hashed})]


def export(ws: Workspace, pack: Path, repeat: int) -> list[Result]:
    """`rsqm export` (document + ZIP), against `zip -q -r` of the same evidence files; then verify."""
    if not (REPO / "rsqm" / "cli" / "export.py").exists():
        raise NotAvailable("rsqm/cli/export.py is not written yet")
    pack.parent.mkdir(parents=True, exist_ok=True)
    args = ("export", "-w", str(ws.root), "--out", str(pack), "--force")  # each run replaces the last one's pack

    def run() -> None:
        code = cli(*args)
        if code != 0:
            with contextlib.redirect_stdout(io.StringIO()) as out, contextlib.redirect_stderr(out):
                from rsqm.cli import main

                main(list(args))
            raise RuntimeError(f"rsqm export exited {code}: {out.getvalue().strip()[-300:]}")

    run()  # first export: hashes what the cache lacks
    with counting_hash_caches() as made:
        seconds, _ = median_time(run, repeat)
    hashed_again = sum(c.hashed for c in made)

    with zipfile.ZipFile(pack) as archive:
        names = archive.namelist()
        size = sum(info.file_size for info in archive.infolist())
    sources = [ws.files[n.split("/", 1)[1].split("-", 1)[0]].path for n in names if n.startswith("evidence/")]
    if not sources:
        raise NotAvailable(f"the pack holds no evidence files (export took {fmt(seconds)}), so there is nothing to compare with zip")
    evidence = ws.root / "evidence"
    listing = "\n".join(str(p.relative_to(evidence)) for p in sources) + "\n"

    def reference() -> None:
        with tempfile.TemporaryDirectory(dir=pack.parent) as scratch:
            subprocess.run(["zip", "-q", "-r", str(Path(scratch) / "ref.zip"), "-@"], cwd=evidence, input=listing.encode(), check=True)

    ref_seconds, _ = median_time(reference, repeat)
    results = [Result("export", seconds, ref_seconds, seconds / ref_seconds,
                      extra={"files": len(sources), "MB": size / 1e6, "hashed_on_repeat": hashed_again})]

    def verify() -> None:
        if cli("verify", str(pack)) != 0:
            raise RuntimeError("rsqm verify says the fresh pack is not intact")

    def unzip_test() -> None:
        subprocess.run(["unzip", "-tqq", str(pack)], capture_output=True, check=True)

    results.append(guarded("verify", lambda: _verify(verify, unzip_test, repeat)))
    return results


def export_parts(ws: Workspace, repeat: int) -> list[Result]:
    """Where the export's time goes: plan (hashes + gaps + privacy pre-flight), document, ZIP writing."""
    from rsqm.pack.archive import write_zip, zip_time
    from rsqm.pack.build import pack_entries
    from rsqm.pack.crossref import build_crossref
    from rsqm.pack.document import build_document
    from rsqm.pack.prepare import prepare_pack

    as_of = ws.settings.assessment_date
    plan_seconds, plan = median_time(lambda: prepare_pack(ws, as_of), repeat)
    document_seconds, document = median_time(lambda: build_document(plan), repeat)
    entries, expected = pack_entries(plan, document, build_crossref(plan))

    def write() -> None:
        with tempfile.TemporaryFile(dir=ws.root.parent) as out:
            write_zip(out, entries, zip_time(as_of), expected)

    zip_seconds, _ = median_time(write, repeat)
    return [
        Result("export_plan", plan_seconds, extra={"findings": len(plan.findings)}),
        Result("export_document", document_seconds, extra={"docx MB": len(document) / 1e6}),
        Result("export_zip", zip_seconds),
    ]


def _verify(verify: Callable[[], None], unzip_test: Callable[[], None], repeat: int) -> Result:
    seconds, _ = median_time(verify, repeat)
    if shutil.which("unzip") is None:
        return Result("verify", seconds)
    reference, _ = median_time(unzip_test, repeat)
    return Result("verify", seconds, reference, seconds / reference)


def overview(root: Path, repeat: int) -> list[Result]:
    """The Overview page through AppTest: the first run with empty caches, then reruns.

    The first run starts as in the process `rsqm serve` starts, with nothing frozen: the loads of the earlier stages
    froze their workspaces (one of them still held by the caller), and the dashboard's first load would otherwise
    unfreeze and collect them (rsqm/ui/data.py), about 0.5 s on XL that no dashboard pays on its first page."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["RSQM_WORKSPACE"] = str(root)
    st.cache_resource.clear()
    st.cache_data.clear()
    gc.unfreeze()
    gc.collect()
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=600)
    with quiet():
        first, _ = median_time(at.run, 1)
    if at.exception:
        raise RuntimeError(f"the page raised: {at.exception[0].message}")
    if at.error:
        raise RuntimeError(f"the page shows an error: {at.error[0].value}")
    with quiet():
        rerun, _ = median_time(at.run, repeat)
    if at.exception:
        raise RuntimeError(f"the page raised on rerun: {at.exception[0].message}")
    title = at.title[0].value if at.title else ""
    return [Result("overview_first", first, extra={"title": title}), Result("overview_rerun", rerun)]


def loaded(root: Path) -> Workspace:
    ws = load_workspace(root)
    if not ws.valid:
        raise RuntimeError(f"{root} is not a valid workspace: {[str(p) for p in ws.errors[:3]]}")
    return ws
