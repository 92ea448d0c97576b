"""rsqm serve: refuses to put a workspace without sign-in on the network; serves it on this computer."""

from __future__ import annotations

import os
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from rsqm.server.accounts import add_user
from rsqm.server.serving import HEALTH_PATH
from servers import checked_server, free_port


@contextmanager
def served(workspace: Path, *args: str) -> Iterator[tuple[str, list[str]]]:
    """``rsqm serve`` in its own process until the health endpoint answers; yields its URL and a list that holds,
    once the block ends and the server is stopped, the lines it printed."""
    port = free_port()
    # the -w option must win; unbuffered, its lines and Streamlit's reach the log in the order a terminal shows them
    env = os.environ | {"RSQM_WORKSPACE": "/nonexistent", "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-c", "from rsqm.cli import run; run()", "serve", "-w", str(workspace), "--port", str(port), *args]
    lines: list[str] = []
    with checked_server(command, port, env=env) as server:
        try:
            yield server.url, lines
        finally:
            server.stop()
            lines.extend(server.log().splitlines())


@pytest.mark.parametrize("host", ["0.0.0.0", "rsqm.example.org"])
def test_serve_refuses_the_network_while_nobody_has_to_sign_in(demo_copy, cli, host):
    result = cli("serve", "-w", str(demo_copy), "--host", host)
    assert result.code == 2
    assert f"refusing to listen on {host}" in result.err and "no accounts and no single sign-on" in result.err
    assert "rsqm users add" in result.err and result.out == ""


def test_serve_refuses_when_the_accounts_cannot_be_read(demo_copy, cli):
    (demo_copy / ".rsqm").mkdir()
    (demo_copy / ".rsqm/users.yaml").write_text("schema: rsqm/users@1\nusers: [\n")
    result = cli("serve", "-w", str(demo_copy))
    assert result.code == 1 and "accounts cannot be read" in result.err


def test_serve_with_an_unknown_port_or_workspace_is_misuse(demo_copy, tmp_path, cli):
    assert cli("serve", "-w", str(demo_copy), "--port", "70000").code == 2
    assert cli("serve", "-w", str(tmp_path / "nowhere")).code == 2


@pytest.mark.slow
def test_serve_without_accounts_runs_on_this_computer_with_production_settings(demo_copy):
    request = {"headers": {"Origin": "https://elsewhere.example.org"}}
    with served(demo_copy) as (address, lines), urllib.request.urlopen(urllib.request.Request(f"{address}{HEALTH_PATH}", **request)) as answer:
        assert answer.headers.get("Access-Control-Allow-Origin") is None  # cross-origin requests are not let in
        assert "_streamlit_xsrf" in (answer.headers.get("Set-Cookie") or "")  # XSRF protection is on
    assert lines[0] == "rsqm dashboard: Example Restorative Service"
    assert f"  url        {address}" in lines
    assert f"  workspace  {demo_copy.resolve()}" in lines
    assert "  accounts   0" in lines
    assert "  mode       local: no sign-in, for this computer only" in lines


@pytest.mark.slow
def test_serve_on_a_new_workspace_says_nobody_can_sign_in_until_an_account_is_added(tmp_path, cli):
    assert cli("init", str(tmp_path / "ws")).code == 0
    with served(tmp_path / "ws") as (_, lines):
        pass
    assert any(line.startswith("  mode       closed: no accounts yet and local_mode is off") for line in lines), lines


@pytest.mark.slow
def test_serve_with_accounts_listens_on_the_given_host(demo_copy):
    add_user(demo_copy, "j.coordinator", "coordinator", "correct horse battery", actor="p07")
    with served(demo_copy, "--host", "0.0.0.0") as (address, lines):
        port = address.rsplit(":", 1)[1]  # it answered on the loopback address, which 0.0.0.0 includes
    assert "  accounts   1" in lines and "  mode       sign-in required: local accounts" in lines
    assert any(line.startswith("  warning    plain HTTP") for line in lines)
    # Streamlit names a network address only when it listens beyond the loopback one (on 127.0.0.1 it prints "URL:")
    assert any("Network URL: http://" in line and line.endswith(f":{port}") for line in lines), lines


@pytest.mark.slow
def test_serve_with_single_sign_on_roles_but_no_provider_says_nobody_can_use_them(demo_copy):
    with open(demo_copy / "rsqm.yaml", "a") as settings:
        settings.write('sso_roles: {"00000000-aaaa-bbbb-cccc-000000000001": coordinator}\n')
    with served(demo_copy) as (_, lines):
        pass
    assert "  mode       sign-in required: single sign-on (1 person with a role)" in lines
    assert any(".streamlit/secrets.toml has no [auth] table" in line for line in lines)


def test_serve_on_a_taken_port_says_so_before_printing_any_url(demo_copy, cli):
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as someone_else:
        someone_else.bind(("127.0.0.1", 0))
        someone_else.listen()
        port = someone_else.getsockname()[1]
        result = cli("serve", "-w", str(demo_copy), "--port", str(port))
    assert result.code == 1
    assert f"port {port} on 127.0.0.1 is in use" in result.err and "choose another with --port" in result.err
    assert result.out == ""  # no URL that someone else's server would answer
