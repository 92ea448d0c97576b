"""A dashboard server in its own process for the browser tests, `rsqm serve`'s tests and bench/browser.py.

The server's output goes to a file, never to a pipe: a pipe read only at the end stops the server in mid-write
once 64 KB of warnings fill it, and whoever waits on a page then waits for nothing.
"""

from __future__ import annotations

import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from rsqm.server.serving import HEALTH_PATH


class DidNotStart(RuntimeError):
    """The server stopped, or its health check did not answer in time; the message ends with what it printed."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log_file: IO[bytes]

    def stop(self) -> None:
        """Ends the process (asked first, then forced) and waits for it; again does nothing."""
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log(self) -> str:
        """All it has printed so far, standard output and errors as they came."""
        self.log_file.seek(0)
        return self.log_file.read().decode(errors="replace")


@contextmanager
def running(command: list[str], port: int, *, cwd: Path | None = None, env: Mapping[str, str] | None = None,
            host: str = "127.0.0.1", seconds: float = 60) -> Iterator[Server]:
    """``command`` (which serves on ``port``) until its health check answers; stopped when the block ends (``stop``
    first to read all it printed before then)."""
    with tempfile.TemporaryFile() as log_file:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log_file, stderr=subprocess.STDOUT)
        server = Server(f"http://{host}:{port}", process, log_file)
        try:
            _wait_for_health(server, seconds)
            yield server
        finally:
            server.stop()


@contextmanager
def checked_server(command: list[str], port: int, **options: Any) -> Iterator[Server]:
    """``running`` for a test: a server that does not start fails the test, and so does one that printed a
    traceback, judged once it has stopped (``stop`` inside the block to read its whole log there)."""
    import pytest

    try:
        with running(command, port, **options) as server:
            try:
                yield server
            finally:
                server.stop()
                log = server.log()
                assert "Traceback" not in log, log[-3000:]
    except DidNotStart as failure:
        pytest.fail(str(failure))


def _wait_for_health(server: Server, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"{server.url}{HEALTH_PATH}", timeout=1) as answer:
                if answer.read() == b"ok":
                    return
        except OSError:
            pass
        if server.process.poll() is not None or time.monotonic() > deadline:
            raise DidNotStart(f"{server.url} did not start: {server.log()[-2000:]}")
        time.sleep(0.2)
