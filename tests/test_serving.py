"""Who may be let in, and the settings the dashboard runs with (rsqm/server/serving.py)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from rsqm.server.serving import ENTRY, Access, is_loopback, provider_configured, refusal, streamlit_args, url

NOBODY, ACCOUNTS, SSO = Access(accounts=0, sso_roles=0), Access(accounts=3, sso_roles=0), Access(accounts=0, sso_roles=2)
LOCAL = Access(accounts=0, sso_roles=0, local_mode=True)


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"])
def test_loopback_addresses_are_this_computer_only(host):
    assert is_loopback(host)
    assert refusal(host, NOBODY) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.10", "rsqm.example.org", ""])
def test_any_other_address_needs_accounts_or_single_sign_on(host):
    assert not is_loopback(host)
    assert "no accounts and no single sign-on" in refusal(host, NOBODY)
    assert refusal(host, ACCOUNTS) is None
    assert refusal(host, SSO) is None


def test_the_mode_says_whether_people_sign_in():
    assert LOCAL.mode.startswith("local: no sign-in")
    assert NOBODY.mode.startswith("closed: no accounts yet and local_mode is off") and "rsqm users add" in NOBODY.mode
    assert ACCOUNTS.mode == "sign-in required: local accounts"
    assert "single sign-on (2 people with a role)" in SSO.mode


def test_streamlit_runs_the_packaged_entry_with_production_settings():
    args = streamlit_args("127.0.0.1", 8600)
    assert args[:2] == ["run", str(ENTRY)] and ENTRY.is_file()
    # the ASGI entry mounts the cookie route beside the dashboard script, which is the repository's app.py again
    assert "st.App(" in ENTRY.read_text() and "routes=routes()" in ENTRY.read_text()
    assert ENTRY.with_name("app.py").read_text().endswith("from rsqm.ui.main import run\n\nrun()\n")
    for setting in ("--server.address=127.0.0.1", "--server.port=8600", "--server.headless=true",
                    "--server.enableXsrfProtection=true", "--server.enableCORS=true", "--server.maxUploadSize=25",
                    "--browser.gatherUsageStats=false", "--server.fileWatcherType=none"):
        assert setting in args


def test_the_served_dashboard_has_the_accessible_theme_of_the_repositorys_streamlit_settings():
    """A team's workspace has no .streamlit/config.toml: the theme the dashboard is checked with in development
    (WCAG 2.2 AA colours, larger headings) reaches Streamlit as options instead, the same values."""
    repository = tomllib.loads((Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml").read_text())["theme"]
    given = dict(arg.removeprefix("--theme.").split("=", 1) for arg in streamlit_args("127.0.0.1", 8600) if arg.startswith("--theme."))
    given["headingFontSizes"] = json.loads(given["headingFontSizes"])  # a list, written as JSON on the command line
    assert given == repository


def test_a_wildcard_bind_is_shown_by_the_computer_name():
    assert url("0.0.0.0", 8501, "rsqm-host") == "http://rsqm-host:8501"
    assert url("::1", 8501, "rsqm-host") == "http://[::1]:8501"
    assert url("127.0.0.1", 80, "rsqm-host") == "http://127.0.0.1:80"


def test_single_sign_on_counts_as_set_up_only_with_an_auth_table_in_the_secrets_file(tmp_path):
    assert not provider_configured(tmp_path)
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit/secrets.toml").write_text('[other]\nkey = "x"\n')
    assert not provider_configured(tmp_path)
    (tmp_path / ".streamlit/secrets.toml").write_text('[auth]\nclient_id = "rsqm"\n[broken\n')
    assert not provider_configured(tmp_path)  # a file Streamlit could not read either
    (tmp_path / ".streamlit/secrets.toml").write_text('[auth]\nclient_id = "rsqm"\n')
    assert provider_configured(tmp_path)
