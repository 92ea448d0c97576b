"""What the pre-flight found in each file it read, kept between runs under the SHA-256 of the file's bytes.

An export reads the full content of every evidence file (a PDF's pages, an Office file's every part) and of the
document it renders. Exporting again, the same bytes hold the same things; so what a file gave is kept in the
workspace's private folder (.rsqm/preflight-memo.json, owner-only), under the hash of the bytes read and the file's
name, and reused when the bytes read now have that hash. The findings are kept before the allow-list is applied
(``public_contacts`` and the reviews change without the files changing), and a memo made with other detectors (key
names, the case-reference pattern, the service's reference letters) or other code (rsqm's, or a library that reads
files or judges text) is not used at all. Only the files of the latest run are kept: what was found in a file that
no longer leaves is dropped with it.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from rsqm.base.code import code_stamp
from rsqm.base.paths import STATE_DIR, state_dir

MEMO_FILE = f"{STATE_DIR}/preflight-memo.json"
# The libraries that read a file's content or judge its text: another version may find something else.
LIBRARIES = ("pypdf", "PIL", "openpyxl", "defusedxml", "phonenumbers", "faker", "english_words", "re2")
Found = list[tuple[str, str, int | None, str]]  # (kind, text, line, place) of each finding, in the order found


def detectors_stamp(names: Iterable[str], case_ref_pattern: str | None, prefixes: Iterable[str]) -> str:
    """What the detectors look for beyond the fixed patterns, and the code: another stamp, another memo."""
    facts = [code_stamp(*LIBRARIES), sorted(names), case_ref_pattern, sorted(prefixes)]
    return hashlib.sha256(json.dumps(facts).encode()).hexdigest()


class Memo:
    """The findings of each file read, by (SHA-256, file name), for one workspace and one detectors stamp."""

    def __init__(self, root: Path, stamp: str):
        self.file, self.stamp = Path(root) / MEMO_FILE, stamp
        self.old: dict[str, Found] = {}
        self.used: dict[str, Found] = {}
        try:
            kept = json.loads(self.file.read_text(encoding="utf-8"))
            if isinstance(kept, dict) and kept.get("stamp") == stamp and isinstance(kept.get("files"), dict):
                self.old = {key: [tuple(hit) for hit in hits] for key, hits in kept["files"].items()}
        except (OSError, ValueError, TypeError):
            self.old = {}  # none yet, or damaged: every file is read

    def recall(self, digest: str, name: str) -> Found | None:
        found = self.old.get(f"{digest} {name}")
        if found is not None:
            self.keep(digest, name, found)
        return found

    def keep(self, digest: str, name: str, found: Found) -> None:
        self.used[f"{digest} {name}"] = found

    def save(self) -> None:
        """Write the memo when this run read a file it did not hold or no longer exports one it did."""
        if self.used == self.old:
            return
        try:
            state_dir(self.file.parent.parent)
            fd, temp = tempfile.mkstemp(prefix=".preflight-memo.", suffix=".tmp", dir=self.file.parent)  # mode 0600
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    json.dump({"stamp": self.stamp, "files": self.used}, handle, separators=(",", ":"))
                os.replace(temp, self.file)
            except BaseException:
                Path(temp).unlink(missing_ok=True)
                raise
        except OSError:
            pass  # a memo that cannot be written only costs time next run
