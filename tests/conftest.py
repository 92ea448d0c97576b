from __future__ import annotations

import io
import os
import shutil
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine

from builders import WorkspaceBuilder, build
from pack_fixtures import filled
from rsqm.cli import main

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "tests" / "artifacts"


# The day the suite runs on, whatever the computer's clock says: the workspaces the tests build hold records
# around mid-2026, so a result that reads "today" must not change as the calendar moves on. Tests about the
# passing of time move the clock themselves (``time_machine.travel`` inside the test). Subprocesses (the
# dashboard's server, the installed command) keep the real clock: what they show must not depend on it.
TODAY = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fixed_clock(request: pytest.FixtureRequest):
    if request.node.get_closest_marker("real_clock"):
        yield  # the test shares times with another process (a sign-in token's issue time): both keep the real clock
        return
    with time_machine.travel(TODAY, tick=True):
        yield


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def run_cli(*args: str) -> CliResult:
    """Run the rsqm command in-process, capturing what a user would see."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exit_:  # argparse misuse
            code = int(exit_.code or 0)
    return CliResult(code, out.getvalue(), err.getvalue())


@pytest.fixture
def cli():
    return run_cli


ACCOUNT_PASSWORD = "a long enough secret"


@pytest.fixture
def no_failure_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    """The one-second pause after a failed sign-in is tested on its own; elsewhere it only slows the suite."""
    monkeypatch.setattr("rsqm.server.accounts.FAILURE_DELAY", 0)


@pytest.fixture
def with_coordinator(ws: WorkspaceBuilder, no_failure_delay: None) -> Path:
    """The test workspace with its first account: coordinator 'alice', password ``ACCOUNT_PASSWORD``."""
    from rsqm.server.accounts import add_user

    add_user(ws.root, "alice", "coordinator", ACCOUNT_PASSWORD, actor="setup")
    return ws.root


@pytest.fixture
def ws(tmp_path: Path) -> WorkspaceBuilder:
    """A small valid workspace with the test framework and checklist."""
    return build(tmp_path / "ws")


@pytest.fixture
def pack(cli, ws: WorkspaceBuilder, tmp_path: Path) -> Path:
    """A pack exported from the test workspace, filled with approved, linked evidence (the verify tests' input)."""
    filled(ws)
    out = tmp_path / "pack.zip"
    assert cli("export", "-w", str(ws.root), "--out", str(out)).code == 0
    return out


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    """A private copy of the bundled demo workspace (the repository root)."""
    target = tmp_path / "demo"
    shutil.copytree(REPO / "standards", target / "standards")
    shutil.copytree(REPO / "evidence", target / "evidence")
    shutil.copy(REPO / "rsqm.yaml", target / "rsqm.yaml")
    return target


def _require(tool: str, variable: str) -> None:
    if shutil.which(tool) is None:
        if os.environ.get(variable) == "1":
            pytest.fail(f"{tool} is required here ({variable}=1) but is not installed")
        pytest.skip(f"{tool} not installed")


@pytest.fixture
def chromium() -> str:
    _require("chromium", "RSQM_REQUIRE_BROWSER")
    return "/usr/bin/chromium"


@pytest.fixture
def soffice() -> str:
    _require("soffice", "RSQM_REQUIRE_OFFICE")
    _require("pdftoppm", "RSQM_REQUIRE_OFFICE")
    return shutil.which("soffice") or "soffice"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    """Keeps each phase's report on the test (``rep_call`` for its body), so a fixture can tell that the test failed."""
    report = (yield).get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def artifacts() -> Path:
    """Where tests save screenshots and rendered pages for people to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
