"""Creating a new, empty, valid workspace with the bundled standards packs."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from rsqm.base.paths import CASES_FILE, MAPPINGS_DIR, REGISTER_FILE, SETTINGS_FILE, WORKSPACE_FOLDERS
from rsqm.files.models import CASES_HEADER, DEFAULT_CASE_REF_PATTERN

PRIMARY_FRAMEWORK = "rjc-service-provider"
FURTHER_FRAMEWORKS = ("rjc-service-provider-code", "rjc-practitioner-code", "victims-code-2020")
DEFAULT_CHECKLIST = "rj-case-file-audit"


def bundled_demo() -> Path:
    """The invented demo workspace shipped inside the package (links to the repository root's in a checkout)."""
    return Path(str(resources.files("rsqm"))) / "demo"


def bundled_packs() -> list[Path]:
    """The standards packs shipped inside the package."""
    folder = Path(str(resources.files("rsqm"))) / "packs"
    return sorted(folder.glob("*.yaml"))


def bundled_mappings() -> list[Path]:
    """The cross-framework mappings shipped inside the package."""
    folder = Path(str(resources.files("rsqm"))) / "packs" / "mappings"
    return sorted(folder.glob("*.yaml"))


def init_workspace(target: Path, service: str) -> list[Path]:
    """Create the workspace folder layout; refuses to touch an existing workspace."""
    if (target / SETTINGS_FILE).exists():
        raise FileExistsError(f"{target / SETTINGS_FILE} already exists; not overwriting a workspace")
    created: list[Path] = []
    for folder in WORKSPACE_FOLDERS:
        (target / folder).mkdir(parents=True, exist_ok=True)
    copies = [(pack, target / "standards" / pack.name) for pack in bundled_packs()]
    copies += [(mapping, target / MAPPINGS_DIR / mapping.name) for mapping in bundled_mappings()]
    for pack, destination in copies:
        if not destination.exists():
            shutil.copyfile(pack, destination)
            created.append(destination)
    files = {
        SETTINGS_FILE: (
            "schema: rsqm/workspace@1\n"
            f"service: {_quote(service)}\n"
            f"framework: {PRIMARY_FRAMEWORK}\n"
            f"frameworks: [{', '.join(FURTHER_FRAMEWORKS)}]\n"
            f"checklist: {DEFAULT_CHECKLIST}\n"
            f"case_ref_pattern: '{DEFAULT_CASE_REF_PATTERN}'\n"
            "# The service's own published phone, e-mail and address: the privacy pre-flight lets them through.\n"
            "# public_contacts: ['020 7946 0000', 'hello@example.org']\n"
            "feedback_questions:\n"
            "  kept_informed: Were you kept informed about what was happening with your case?\n"
        ),
        REGISTER_FILE: "schema: rsqm/register@1\nitems: []\n",
        CASES_FILE: CASES_HEADER + "\n",
    }
    for rel, text in files.items():
        path = target / rel
        if not path.exists():
            path.write_text(text, encoding="utf-8")
            created.append(path)
    return created


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
