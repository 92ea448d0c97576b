"""Every framework a workspace is assessed against, and the one overall verdict.

The primary framework (``framework:`` in rsqm.yaml) comes first, then the
further ones (``frameworks:``); the service is ready overall only when it is
ready against every one of them.
"""

from __future__ import annotations

from datetime import date

from rsqm.assess.gaps import Assessment, assess_workspace
from rsqm.files.folder import Workspace


def assessed_ids(ws: Workspace) -> list[str]:
    """The primary framework, then the further ones present in the workspace, each once."""
    ids = [ws.settings.framework, *ws.settings.frameworks]
    return [fid for fid in dict.fromkeys(ids) if fid in ws.frameworks]


def assess_frameworks(ws: Workspace, as_of: date | None = None) -> list[Assessment]:
    return [assess_workspace(ws, as_of, fid) for fid in assessed_ids(ws)]


def overall_ready(assessments: list[Assessment]) -> bool:
    return bool(assessments) and all(a.ready for a in assessments)
