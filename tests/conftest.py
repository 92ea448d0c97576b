from __future__ import annotations

import io
import os
import shutil
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

from builders import WorkspaceBuilder, build
from rsqm.cli import main

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "tests" / "artifacts"


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


@pytest.fixture
def artifacts() -> Path:
    """Where tests save screenshots and rendered pages for people to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
