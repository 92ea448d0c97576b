"""Single sign-on in a real browser: Streamlit's OpenID Connect sign-in against a small provider run by the test.

The provider (discovery document, authorisation, token and key endpoints, an RS256-signed identity token) stands
in for Microsoft Entra ID or Google Workspace; the dashboard gives the person the role ``sso_roles`` names for
their subject id, and takes it away at the next click once the entry is removed (docs/accounts.md).
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from joserfc import jwt  # installed with Authlib, which single sign-on needs
from joserfc.jwk import RSAKey
from test_ui_browser import ARGS, running_dashboard

from script_runs import settle, watch
from servers import free_port

pytestmark = [pytest.mark.browser, pytest.mark.real_clock]  # the provider signs tokens the server checks against its clock
playwright = pytest.importorskip("playwright.sync_api")

SUBJECT = "00000000-aaaa-bbbb-cccc-000000000001"
CLIENT = "rsqm-test"


class Provider(ThreadingHTTPServer):
    """An OpenID Connect provider that signs in one person, without asking, as ``SUBJECT``."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", free_port()), ProviderHandler)
        self.base = f"http://127.0.0.1:{self.server_address[1]}"
        self.key = RSAKey.generate_key(2048, auto_kid=True)
        self.nonces: dict[str, str] = {}  # code -> nonce of the sign-in it answers


class ProviderHandler(BaseHTTPRequestHandler):
    server: Provider

    def log_message(self, *args) -> None:  # quiet
        pass

    def _json(self, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        base = self.server.base
        if url.path == "/.well-known/openid-configuration":
            self._json({"issuer": base, "authorization_endpoint": f"{base}/authorize", "token_endpoint": f"{base}/token",
                        "jwks_uri": f"{base}/jwks", "response_types_supported": ["code"], "subject_types_supported": ["public"],
                        "id_token_signing_alg_values_supported": ["RS256"]})
        elif url.path == "/jwks":
            self._json({"keys": [self.server.key.as_dict(private=False) | {"use": "sig", "alg": "RS256"}]})
        elif url.path == "/authorize":
            query = dict(urllib.parse.parse_qsl(url.query))
            code = f"code-{len(self.server.nonces)}"
            self.server.nonces[code] = query.get("nonce", "")
            target = query["redirect_uri"] + "?" + urllib.parse.urlencode({"code": code, "state": query["state"]})
            self.send_response(302)
            self.send_header("Location", target)
            self.end_headers()
        else:
            self.send_error(404)

    def do_POST(self) -> None:
        form = dict(urllib.parse.parse_qsl(self.rfile.read(int(self.headers["Content-Length"])).decode()))
        nonce = self.server.nonces.get(form.get("code", ""))
        if nonce is None:
            self.send_error(400)
            return
        now = int(time.time())
        claims = {"iss": self.server.base, "sub": SUBJECT, "aud": CLIENT, "iat": now, "exp": now + 600, "nonce": nonce}
        token = jwt.encode({"alg": "RS256", "kid": self.server.key.kid}, claims, self.server.key)
        self._json({"access_token": "opaque", "token_type": "Bearer", "expires_in": 600, "id_token": token})


@pytest.fixture
def provider() -> Iterator[Provider]:
    server = Provider()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


@pytest.fixture
def sso_app(demo_copy: Path, provider: Provider, chromium: str) -> Iterator[tuple[str, Path]]:
    """The dashboard with single sign-on set up, run from the workspace folder as `rsqm serve` does."""
    port = free_port()
    url = f"http://localhost:{port}"
    settings = demo_copy / "rsqm.yaml"
    settings.write_text(settings.read_text().replace("local_mode: true\n", "") + f'sso_roles:\n  "{SUBJECT}": coordinator\n')
    (demo_copy / ".streamlit").mkdir()
    (demo_copy / ".streamlit/secrets.toml").write_text(
        f'[auth]\nredirect_uri = "{url}/oauth2callback"\ncookie_secret = "{"x" * 48}"\nclient_id = "{CLIENT}"\n'
        f'client_secret = "not-a-secret"\nserver_metadata_url = "{provider.base}/.well-known/openid-configuration"\n')
    with running_dashboard(demo_copy, demo_copy, port, host="localhost") as running:
        yield running, demo_copy


def test_a_person_signs_in_with_the_provider_and_loses_access_when_their_role_is_removed(sso_app, chromium, artifacts) -> None:
    url, workspace = sso_app
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS, headless=True)
        tab = watch(browser.new_page(viewport={"width": 1400, "height": 1200}))
        tab.set_default_timeout(45_000)
        tab.goto(url)
        tab.get_by_role("button", name="Sign in with your work account").click()
        tab.get_by_text("Overall readiness").wait_for()  # back from the provider, on the Overview
        settle(tab)
        sidebar = tab.locator('[data-testid="stSidebar"]').inner_text()
        assert f"Signed in as {SUBJECT}" in sidebar and "Coordinator" in sidebar
        tab.screenshot(path=artifacts / "sso-signed-in.png", full_page=True)

        settings = workspace / "rsqm.yaml"
        settings.write_text(settings.read_text().replace(f'  "{SUBJECT}": coordinator\n', '  "someone-else": leadership\n'))
        tab.reload()
        tab.get_by_text("No role in this workspace").wait_for()
        settle(tab)  # the heading is drawn first, the words that name the person after it
        assert SUBJECT in tab.locator('[data-testid="stMain"]').inner_text()
        assert not tab.get_by_text("Overall readiness").count()
        tab.screenshot(path=artifacts / "sso-role-removed.png", full_page=True)
        browser.close()
