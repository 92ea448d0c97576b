"""Where each file lives in a workspace, relative to its root: named once, imported everywhere.

A module of plain names with no rsqm imports, so any module may use it without
pulling in the loader (the loader and the checks over it both need these).
"""

from pathlib import Path

SETTINGS_FILE = "rsqm.yaml"
REGISTER_FILE = "evidence/register.yaml"
CASES_FILE = "evidence/cases.csv"
ACTIONS_FILE = "evidence/actions.yaml"
PRIVACY_REVIEW_FILE = "evidence/privacy-review.yaml"
WORKFORCE_FILE = "evidence/workforce.yaml"
REQUESTS_FILE = "evidence/requests.yaml"
ACCREDITATION_FILE = "evidence/accreditation.yaml"
FEEDBACK_FILE = "evidence/feedback.csv"
SAMPLES_DIR = "evidence/samples"
AUDITS_DIR = "evidence/audits"
SECOND_MARKING_SUFFIX = ".second.yaml"  # evidence/audits/<case_ref>.second.yaml: the second marker's own file
NARRATIVES_DIR = "evidence/narratives"
MAPPINGS_DIR = "standards/mappings"
PORTFOLIO_DIR = "portfolio"  # services' returns (rsqm return --out X.json) and keys.txt, read by the Portfolio page


def narrative_file(framework: str, indicator: str) -> str:
    """Where the service writes its account of an indicator: one folder per framework, names any file system accepts."""
    return f"{NARRATIVES_DIR}/{framework}/{indicator}.md"

STATE_DIR = ".rsqm"  # private to the service: never exported
CHANGE_LOG = f"{STATE_DIR}/changes.jsonl"
LOCK_FILE = f"{STATE_DIR}/workspace.lock"
KNOWN_NAMES_FILE = f"{STATE_DIR}/known-names.txt"  # participants' names from the case export's name columns: the pre-flight's
WORKSPACE_FOLDERS = ("standards", MAPPINGS_DIR, "evidence/files", NARRATIVES_DIR, SAMPLES_DIR, AUDITS_DIR)
PRIVATE_DIR_MODE = 0o700  # the state folder holds accounts, sessions and the change log: its owner only
PRIVATE_FILE_MODE = 0o600


def state_dir(root: Path) -> Path:
    """The workspace's private folder, owner-only when rsqm makes it (an existing one is left for `rsqm doctor` to judge)."""
    folder = Path(root) / STATE_DIR
    folder.mkdir(mode=PRIVATE_DIR_MODE, exist_ok=True)
    return folder
