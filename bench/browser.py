"""Where a person waits in the dashboard (issue 35): `rsqm serve` on the demo, driven by Playwright in Debian's Chromium.

Each figure is the median of several runs, from the person's action (a click) to the moment the page is complete:
its own heading or the element the action asked for is drawn and Streamlit has finished the script's run (its
running indicator gone, no element left stale from the previous run). No fixed delay is waited anywhere. The
"settle" time beside each figure is the part after the awaited element was drawn: the rest of the run.

- sign-in: the Sign in button to the Overview drawn (a fresh browser context each run: no session cookie);
- page switch: every coordinator page in turn, from the navigation link;
- Export preview: "1. Run the privacy pre-flight" to "What the document will say", in a new session after a file of
  the workspace changed (nothing can be reused), then again with nothing changed since;
- board report: the Overview's download button to the .docx saved (made on the click; the page is not run again).

`memory` serves a workspace (XL in `make bench`), signs in once so the whole workspace is loaded and assessed for the
Overview, and reads the server's resident memory from /proc: now, and at its peak (VmRSS, VmHWM).

`python -m bench.browser [--workspace DIR] [--runs N]` prints the figures; `python -m bench.run` writes them to
BENCHMARKS.md on the demo (and on L with `--browser-sizes S,L`).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.stages import NotAvailable, Result
from bench.startup import copy_of_demo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # the browser tests' helpers, shared
from script_runs import ScriptRuns  # a page's runs, read off its websocket
from servers import free_port, running  # a server process, its log in a file

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
USER, PASSWORD = "bench", "otter kettle window brass"  # an account made on a copy of the workspace, removed with it
PAGES = ["Standards and gaps", "Evidence register", "Case audits", "Outcomes", "Case data", "Actions", "Workforce", "Export",
         "Clarification requests", "Submitted packs", "Portfolio", "History", "Users", "Settings", "Overview"]
RUNS = 5
TIMEOUT_MS = 120_000  # a loaded machine with L is slow: a stall fails the stage, it does not hang the run
# The run is over: no running indicator, no element left stale from the previous run.
FINISHED = ("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
            " && !document.querySelector('[data-stale=\"true\"]')")
HEADING_CHANGED = ("prev => { const h = document.querySelector('[data-testid=\"stMain\"] h1');"
                   " return h && h.innerText.trim() && h.innerText !== prev; }")


def _rsqm() -> list[str]:
    script = Path(sys.executable).with_name("rsqm")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from rsqm.cli import run; run()"]


@contextmanager
def served(workspace: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    """`rsqm serve` over ``workspace`` until its health check answers (tests/servers.py, as the browser tests serve
    it: its log in a file); stopped when the block ends."""
    port = free_port()
    with running([*_rsqm(), "serve", "-w", str(workspace), "--port", str(port)], port, seconds=90) as server:
        yield server.url, server.process


def with_account(source: Path, into: Path) -> Path:
    """A copy of ``source``'s three parts (not its load cache) with a coordinator's account."""
    from rsqm.server.accounts import add_user

    target = copy_of_demo(source, into, "browser-workspace")
    add_user(target, USER, "coordinator", PASSWORD, actor="bench")
    return target


class Timer:
    """Times one action: from the click until the awaited element is drawn and the run it started has finished."""

    def __init__(self, tab, runs: ScriptRuns) -> None:
        self.tab, self.runs = tab, runs
        self.complete: list[float] = []
        self.settle: list[float] = []

    def time(self, act: Callable[[], None], drawn: Callable[[], None], starts_a_run: bool = True) -> None:
        """``starts_a_run`` False: an action the server answers without running the page (a download made on the
        click), timed to the awaited result alone."""
        before = self.runs.finished
        start = time.perf_counter()
        act()
        drawn()
        seen = time.perf_counter()
        if not starts_a_run:
            self.complete.append(seen - start)
            self.settle.append(0.0)
            return
        deadline = time.monotonic() + TIMEOUT_MS / 1000
        while self.runs.finished == before:  # events are delivered while Playwright waits
            if time.monotonic() > deadline:
                raise TimeoutError("the run did not finish")
            self.tab.wait_for_timeout(5)
        self.tab.wait_for_function(FINISHED, timeout=TIMEOUT_MS, polling="raf")
        finished = time.perf_counter()
        self.complete.append(finished - start)
        self.settle.append(finished - seen)

    def result(self, stage: str, **extra) -> Result:
        if not self.complete:
            return Result(stage, status="failed (nothing timed)")
        return Result(stage, statistics.median(self.complete), extra={
            "runs": len(self.complete), "max": f"{max(self.complete):.2f} s",
            "settle (median)": f"{statistics.median(self.settle) * 1000:.0f} ms", **extra})


def _sign_in(context, url: str, runs: ScriptRuns, timer: Timer | None = None):
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT_MS)
    runs.watch(tab)
    tab.goto(url)
    tab.get_by_role("button", name="Sign in").wait_for()
    tab.get_by_label("Username").fill(USER)
    tab.get_by_role("textbox", name="Password").fill(PASSWORD)
    timer = timer or Timer(tab, runs)
    timer.tab = tab
    timer.time(tab.get_by_role("button", name="Sign in").click, tab.get_by_text("Overall readiness").wait_for)
    return tab


def _switch(tab, title: str, timer: Timer) -> None:
    link = tab.locator('[data-testid="stSidebarNav"] a', has_text=title).first
    heading = tab.locator('[data-testid="stMain"] h1').first
    before = heading.inner_text() if heading.count() else ""
    timer.time(link.click, lambda: tab.wait_for_function(HEADING_CHANGED, arg=before, timeout=TIMEOUT_MS))


def measure(workspace: Path, runs: int = RUNS, label: str = "S") -> list[Result]:
    """The browser timings on ``workspace`` (a copy with an account is served)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as missing:
        raise NotAvailable(f"playwright is not installed: {missing}") from None
    if not CHROMIUM.exists():
        raise NotAvailable(f"{CHROMIUM} is missing")
    seen = ScriptRuns()
    with tempfile.TemporaryDirectory(prefix="rsqm-browser-") as folder, sync_playwright() as p:
        copy = with_account(workspace, Path(folder))
        with served(copy) as (url, _server):
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)

            def context():
                return browser.new_context(viewport={"width": 1400, "height": 1200}, accept_downloads=True)

            warm = context()
            _sign_in(warm, url, seen)  # the server's first run (imports, first load) is not what a person meets each time
            warm.close()
            sign_in = Timer(None, seen)
            for _ in range(runs):
                fresh = context()
                _sign_in(fresh, url, seen, sign_in)
                fresh.close()
            session = context()
            tab = _sign_in(session, url, seen)
            switch, per_page = Timer(tab, seen), {}
            for _ in range(max(2, runs // 2)):  # every page at least twice: the first visit and a later one
                for title in PAGES:
                    before = len(switch.complete)
                    _switch(tab, title, switch)
                    per_page.setdefault(title, []).extend(switch.complete[before:])
            board = Timer(tab, seen)
            for _ in range(runs):
                with tab.expect_download(timeout=TIMEOUT_MS) as download:
                    board.time(tab.get_by_role("button", name="Board report").click, lambda d=download: d.value.path(),
                               starts_a_run=False)
            session.close()
            first, again = Timer(None, seen), Timer(None, seen)
            narrative = copy / "evidence/narratives/1.2.md"
            for _ in range(runs):  # a file changed (the pre-flight runs afresh), then the same with nothing changed
                os.utime(narrative)  # a new modification time: the workspace is read again and nothing is reused
                fresh = context()
                tab = _sign_in(fresh, url, seen)
                _switch(tab, "Export", Timer(tab, seen))
                check, preview = tab.get_by_role("button", name="1. Run the privacy pre-flight"), tab.get_by_text("What the document will say")
                first.tab = again.tab = tab
                first.time(check.click, preview.wait_for)
                again.time(check.click, preview.wait_for)
                fresh.close()
            browser.close()
    slowest = max(per_page, key=lambda t: statistics.median(per_page[t]))
    return [
        sign_in.result(f"browser_sign_in_{label}"),
        switch.result(f"browser_page_switch_{label}", slowest=slowest, slowest_s=statistics.median(per_page[slowest]),
                      pages="; ".join(f"{t} {statistics.median(v):.2f}" for t, v in per_page.items())),
        first.result(f"browser_export_preview_{label}"),
        again.result(f"browser_export_again_{label}"),
        board.result(f"browser_board_report_{label}"),
    ]


def _memory_mb(pid: int) -> dict[str, float]:
    """The process's resident memory now and at its peak, in MB (Linux /proc)."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return {name: int(fields[name].split()[0]) / 1024 for name in ("VmRSS", "VmHWM")}


def memory(workspace: Path, label: str) -> Result:
    """``rsqm serve``'s memory once a coordinator has signed in and the Overview of ``workspace`` is drawn."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as missing:
        raise NotAvailable(f"playwright is not installed: {missing}") from None
    if not CHROMIUM.exists():
        raise NotAvailable(f"{CHROMIUM} is missing")
    with tempfile.TemporaryDirectory(prefix="rsqm-browser-") as folder, sync_playwright() as p:
        copy = with_account(workspace, Path(folder))
        with served(copy) as (url, server):
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
            context = browser.new_context(viewport={"width": 1400, "height": 1200})
            start = time.perf_counter()
            _sign_in(context, url, ScriptRuns())
            loaded = time.perf_counter() - start
            used = _memory_mb(server.pid)
            browser.close()
    return Result(f"serve_memory_{label}", loaded, extra={"resident MB": round(used["VmRSS"]), "peak MB": round(used["VmHWM"]),
                                                          "first sign-in (load included)": f"{loaded:.1f} s"})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.browser", description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", default=str(Path(__file__).resolve().parent.parent), help="default: the demo")
    parser.add_argument("--label", default="S")
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args(argv)
    os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")
    for r in measure(Path(args.workspace), args.runs, args.label):
        print(r.stage, f"{r.seconds:.3f} s" if r.seconds is not None else r.status, r.extra, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
