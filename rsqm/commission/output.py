"""A return as the file that leaves: rendered in the kind its name asks for, signed when asked, and read by the
privacy pre-flight exactly as written. One path for ``rsqm return`` and the dashboard's download."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from rsqm.base.errors import UsageError
from rsqm.base.problems import Problem
from rsqm.commission.period import Period
from rsqm.commission.render import build_report, build_workbook
from rsqm.commission.returns import Return, build_return, return_data, return_json, sign_return
from rsqm.pack.signing import fingerprint, load_private_key
from rsqm.privacy.scan import scan_outputs

if TYPE_CHECKING:
    from rsqm.files.folder import Workspace

KINDS = (".xlsx", ".json", ".docx")


@dataclass(frozen=True)
class Written:
    content: bytes
    problems: list[Problem]  # the pre-flight's findings, against ``name``: empty when the file may leave
    figures: Return
    signer: str | None  # the fingerprint of the key that signed it


def kind_of(name: str) -> str:
    kind = Path(name).suffix.lower()
    if kind not in KINDS:
        raise UsageError(f"{name}: name the return .xlsx (workbook), .docx (covering report) or .json")
    return kind


def render_return(ws: Workspace, period: Period, name: str, *, sign: bool = False) -> Written:
    """The return for ``period`` as the file ``name`` (its suffix says the kind), and what the pre-flight found in it."""
    kind = kind_of(name)
    if sign and kind != ".json":
        raise UsageError("--sign signs a .json return; name it return.json")
    found = build_return(ws, period)
    signer = None
    if kind == ".json":
        data = return_data(found)
        # the pre-flight reads the return as written, less the signature block: a public key and a signature in
        # base64 are random letters and digits (now and then one reads as a postcode), never personal data
        checked = content = return_json(data)
        if sign:
            key = load_private_key(ws.root)
            data, signer = sign_return(data, key), fingerprint(key.public_key())
            content = return_json(data)
    else:
        checked = content = build_workbook(found) if kind == ".xlsx" else build_report(found)
    scanned = name + (".txt" if kind == ".json" else "")  # JSON is read as the plain text it is
    problems = [replace(p, path=name) if p.path == scanned else p
                for p in scan_outputs(ws, {scanned: checked}).problems]
    return Written(content, problems, found, signer)
