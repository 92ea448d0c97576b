"""rsqm.server.cookie: the session cookie comes from a server response, HttpOnly and SameSite=Strict."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from rsqm.server import cookie
from rsqm.server.cookie import COOKIE, ROUTE, hand_off, redeem, set_cookie_header


@pytest.fixture
def client() -> Iterator[TestClient]:
    yield TestClient(Starlette(routes=cookie.routes()), base_url="http://rsqm.test")
    cookie._mounted.clear()  # mounted for this test only: the dashboard tests of this process run without the route


def test_the_cookie_is_http_only_same_site_strict_and_secure_only_behind_https():
    assert set_cookie_header("tok", 3600, secure=False) == f"{COOKIE}=tok; Path=/; Max-Age=3600; HttpOnly; SameSite=Strict"
    assert set_cookie_header("tok", 3600, secure=True).endswith("; Secure")
    assert "Max-Age=0" in set_cookie_header("", 0, secure=False)


def test_a_code_is_good_for_one_use():
    code = hand_off("tok", 60)
    assert redeem(code) == ("tok", 60) and redeem(code) is None
    assert redeem("guessed") is None


def test_a_code_older_than_a_minute_opens_nothing(monkeypatch):
    code = hand_off("tok", 60)
    later = cookie.time.monotonic() + cookie.HANDOFF_SECONDS + 1
    monkeypatch.setattr(cookie.time, "monotonic", lambda: later)
    assert redeem(code) is None


def test_the_route_sets_the_cookie_in_its_answer_and_sends_the_browser_back(client):
    answer = client.get(ROUTE, params={"code": hand_off("tok", 3600)}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    assert answer.headers["set-cookie"] == f"{COOKIE}=tok; Path=/; Max-Age=3600; HttpOnly; SameSite=Strict"
    assert answer.headers["cache-control"] == "no-store"


def test_behind_an_https_proxy_the_cookie_is_secure(client):
    answer = client.get(ROUTE, params={"code": hand_off("tok", 3600)}, headers={"X-Forwarded-Proto": "https"}, follow_redirects=False)
    assert answer.headers["set-cookie"].endswith("; Secure")


def test_a_used_or_unknown_code_sets_nothing_and_sign_out_deletes_the_cookie(client):
    code = hand_off("tok", 3600)
    client.get(ROUTE, params={"code": code}, follow_redirects=False)
    assert "set-cookie" not in client.get(ROUTE, params={"code": code}, follow_redirects=False).headers
    assert "Max-Age=0" in client.get(ROUTE, params={"clear": "1"}, follow_redirects=False).headers["set-cookie"]


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "overview"])
def test_the_browser_is_sent_back_only_to_a_path_of_this_server(client, target):
    assert client.get(ROUTE, params={"next": target}, follow_redirects=False).headers["location"] == "/"


def test_the_dashboard_uses_the_route_only_where_it_is_mounted(client):
    assert cookie.mounted()  # routes() was called (rsqm serve's entry does it); `streamlit run app.py` does not
