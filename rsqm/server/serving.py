"""How ``rsqm serve`` runs the dashboard: production settings and who may be let in (pure)."""

from __future__ import annotations

import ipaddress
import tomllib
from dataclasses import dataclass
from pathlib import Path

from rsqm.workspace.uploads import MAX_UPLOAD_BYTES

# Streamlit's ASGI server (st.App) running ui/entry/app.py, with the session-cookie route (rsqm.server.cookie)
ENTRY = Path(__file__).parent.parent / "ui" / "entry" / "serve.py"
DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8501
HEALTH_PATH = "/_stcore/health"
SECRETS_FILE = ".streamlit/secrets.toml"  # read by Streamlit from the folder it runs in: rsqm serve runs in the workspace
# Streamlit's own names. server.enableCORS=true is the *protection*: false would send
# Access-Control-Allow-Origin: * and accept WebSockets from any origin.
PRODUCTION = {
    "server.headless": "true",
    "server.enableXsrfProtection": "true",
    "server.enableCORS": "true",
    "server.maxUploadSize": str(MAX_UPLOAD_BYTES // 2**20),
    "server.fileWatcherType": "none",
    "server.runOnSave": "false",
    "browser.gatherUsageStats": "false",
    "client.toolbarMode": "minimal",
    "client.showErrorDetails": "none",
    "global.developmentMode": "false",
}
# The dashboard's colours and heading sizes (WCAG 2.2 AA: rsqm/base/palette.py, docs/accessibility.md), given to
# Streamlit as options: Streamlit reads a theme only from .streamlit/config.toml in the folder it runs in, and a team's
# workspace has none (the repository's, which `streamlit run app.py` reads, holds the same values: a test compares).
THEME = {
    "base": "light",
    "textColor": "#000000",
    "backgroundColor": "#ffffff",
    "secondaryBackgroundColor": "#f0f2f6",
    "primaryColor": "#0d47a1",
    "linkColor": "#0d47a1",
    "codeTextColor": "#000000",
    "greenTextColor": "#2e7d32",
    "orangeTextColor": "#8a5300",
    "redTextColor": "#c62828",
    "grayTextColor": "#616161",
    "blueTextColor": "#1565c0",
    "headingFontSizes": '["2.75rem", "1.75rem", "1.5rem", "1.25rem"]',  # a list, written as Streamlit reads one from its options
}
SETTINGS_SUMMARY = (
    f"headless, XSRF protection on, cross-origin requests refused, uploads up to {MAX_UPLOAD_BYTES // 2**20} MB, "
    "no usage statistics, no code reloading"
)


@dataclass(frozen=True)
class Access:
    """Who can sign in to a workspace's dashboard."""

    accounts: int
    sso_roles: int
    local_mode: bool = False  # `local_mode: true` in rsqm.yaml: no sign-in while nobody has an account

    @property
    def mode(self) -> str:
        people = f"{self.sso_roles} {'person' if self.sso_roles == 1 else 'people'} with a role"
        if self.sso_roles and self.accounts:
            return f"sign-in required: single sign-on ({people}) or a local account"
        if self.sso_roles:
            return f"sign-in required: single sign-on ({people})"
        if self.accounts:
            return "sign-in required: local accounts"
        if self.local_mode:
            return "local: no sign-in, for this computer only"
        return ("closed: no accounts yet and local_mode is off, so nobody can sign in; "
                "add one (rsqm users add NAME --role coordinator) or set local_mode: true in rsqm.yaml")

    @property
    def protected(self) -> bool:
        return bool(self.accounts or self.sso_roles)


def provider_configured(root: Path) -> bool:
    """Single sign-on is set up: Streamlit will find an [auth] table in the workspace's secrets file."""
    try:
        return "auth" in tomllib.loads((root / SECRETS_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False


def is_loopback(host: str) -> bool:
    """True only for addresses that other computers cannot reach."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to any interface


def refusal(host: str, access: Access) -> str | None:
    """Why the dashboard must not listen on ``host``, or None when it may."""
    if is_loopback(host) or access.protected:
        return None
    return (
        f"refusing to listen on {host}: the workspace has no accounts and no single sign-on (sso_roles in rsqm.yaml), "
        "so anyone who can reach this computer would see and change case records without signing in. "
        "Add accounts first (rsqm users add NAME --role coordinator), or serve on 127.0.0.1 for this computer only"
    )


def streamlit_args(host: str, port: int) -> list[str]:
    """``streamlit run`` arguments for the dashboard with production settings."""
    options = PRODUCTION | {f"theme.{name}": value for name, value in THEME.items()} | {"server.address": host, "server.port": str(port)}
    return ["run", str(ENTRY), *(f"--{name}={value}" for name, value in options.items())]


def url(host: str, port: int, hostname: str) -> str:
    """Where people open the dashboard; a wildcard bind is reached by this computer's name."""
    shown = hostname if host in ("0.0.0.0", "::", "") else host
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"
