"""Where each file lives in a workspace, relative to its root: named once, imported everywhere.

A module of plain names with no imports, so any module may use it without
pulling in the loader (the loader and the checks over it both need these).
"""

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
NARRATIVES_DIR = "evidence/narratives"
MAPPINGS_DIR = "standards/mappings"

STATE_DIR = ".rsqm"  # private to the service: never exported
CHANGE_LOG = f"{STATE_DIR}/changes.jsonl"
LOCK_FILE = f"{STATE_DIR}/workspace.lock"
