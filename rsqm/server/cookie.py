"""The session cookie, set by a server response: HttpOnly, SameSite=Strict, and Secure behind HTTPS.

Streamlit's script cannot answer an HTTP request, so after a sign-in the page asks ``ROUTE`` once, in the
background (rsqm/ui/session.py), with a one-time code (``hand_off``: random, kept only in this process's memory,
good for one use within a minute); the route exchanges it for the session token and answers with a redirect that
sets the cookie. Script in the page never sees the token. Signing out asks the same route with ``clear=1``, which
answers with the cookie deleted.

``rsqm serve`` mounts the route (``routes``) on Streamlit's ASGI server (``st.App``, rsqm/ui/entry/serve.py). Run
any other way (``streamlit run app.py`` while developing, AppTest) the route is not there: the session then lives in
the tab's server-side state only, and a reload asks for the sign-in again.
"""

from __future__ import annotations

import secrets
import threading
import time
from typing import Any

COOKIE = "rsqm_session"
ROUTE = "/_rsqm/session"
HANDOFF_SECONDS = 60
_handoffs: dict[str, tuple[str, int, float]] = {}  # code -> (token, max_age, expires on the monotonic clock)
_lock = threading.Lock()
_mounted = threading.Event()


def hand_off(token: str, max_age: int) -> str:
    """A one-time code the route exchanges for ``token`` (and sets it as a cookie for ``max_age`` seconds)."""
    code = secrets.token_urlsafe(32)
    now = time.monotonic()
    with _lock:
        for stale in [c for c, (_, _, expires) in _handoffs.items() if expires <= now]:
            del _handoffs[stale]
        _handoffs[code] = (token, max_age, now + HANDOFF_SECONDS)
    return code


def redeem(code: str) -> tuple[str, int] | None:
    """The token and lifetime a code stands for, once: a second use, or one after a minute, gives None."""
    with _lock:
        found = _handoffs.pop(code, None)
    if found is None or found[2] <= time.monotonic():
        return None
    return found[0], found[1]


def set_cookie_header(token: str, max_age: int, secure: bool) -> str:
    """The Set-Cookie value for the session token (an empty token with max_age 0 deletes it)."""
    return f"{COOKIE}={token}; Path=/; Max-Age={max(0, max_age)}; HttpOnly; SameSite=Strict" + ("; Secure" if secure else "")


def _safe_next(target: str | None) -> str:
    """Where to send the browser after the cookie is set: a path on this server, never another site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _secure(scheme: str, forwarded_proto: str | None) -> bool:
    return scheme == "https" or (forwarded_proto or "").split(",")[0].strip().lower() == "https"


async def _session(request: Any) -> Any:
    from starlette.responses import RedirectResponse

    response = RedirectResponse(_safe_next(request.query_params.get("next")), status_code=303)
    response.headers["Cache-Control"] = "no-store"
    secure = _secure(request.url.scheme, request.headers.get("x-forwarded-proto"))
    if request.query_params.get("clear"):
        response.headers.append("Set-Cookie", set_cookie_header("", 0, secure))
    elif (found := redeem(request.query_params.get("code", ""))) is not None:
        response.headers.append("Set-Cookie", set_cookie_header(found[0], found[1], secure))
    return response


def routes() -> list[Any]:
    """The route to mount beside Streamlit's own; mounting it is what tells the dashboard it may use it."""
    from starlette.routing import Route

    _mounted.set()
    return [Route(ROUTE, _session, methods=["GET"])]


def mounted() -> bool:
    """Whether this process serves ``ROUTE`` (started by ``rsqm serve``)."""
    return _mounted.is_set()
