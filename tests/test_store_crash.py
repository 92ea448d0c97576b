"""Crash safety: a writer killed with SIGKILL at random moments never leaves a half-written file.

A child process saves records through the Store in a loop; it is killed 30 times.
After every kill each file parses, the workspace loads without errors, and each
file holds either the content of its last logged write or a newer one whose log
line the kill prevented (the file is moved into place first, then logged, so
the log never names content that was not in place); a file never goes back to
an older logged content.
"""

from __future__ import annotations

import hashlib
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from builders import build
from rsqm.files.yamlio import load_yaml_text
from rsqm.workspace.load import load_workspace
from rsqm.workspace.store import read_change_log

KILLS = 30
WATCHED = ("evidence/register.yaml", "evidence/actions.yaml", "evidence/narratives/A1.md")

WRITER = r'''
import sys
import yaml
from rsqm.workspace.store import Store, WriteConflict
from rsqm.files.yamlio import dump_yaml

root, start = sys.argv[1], int(sys.argv[2])
store = Store(root, "crash-test")
print("ready", flush=True)
n = start
while True:
    n += 1
    rel = "evidence/register.yaml"
    token = store.token(rel)
    with open(f"{root}/{rel}", encoding="utf-8") as handle:
        register = yaml.safe_load(handle)
    item = {"id": f"E{n}", "title": f"Minutes {n} " + "x" * 200, "type": "policy", "file": f"files/E{n}.pdf",
            "owner": "Service manager", "dated": "2026-01-01", "status": "draft",
            "links": [{"indicator": "A1", "locator": f"p. {n}", "claim": "shows it"}]}
    register["items"] = (register.get("items") or [])[-40:] + [item]
    try:
        store.write(rel, dump_yaml(register), change="add evidence", item=f"E{n}", expected=token)
    except WriteConflict:
        continue
    actions = {"schema": "rsqm/actions@1", "actions": [
        {"id": f"A{k}", "title": f"Action {k} of round {n}", "owner": "Coordinator", "status": "open"} for k in range(1, 30)]}
    store.write("evidence/actions.yaml", dump_yaml(actions), change="edit actions", item="A1")
    store.write("evidence/narratives/A1.md", f"# A1\n\nRound {n}.\n" + "Narrative text. " * 300, change="edit narrative", item="A1")
'''


def sha(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def check_consistent(root: Path, initial: dict[str, str | None], where: str) -> None:
    log = list(reversed(read_change_log(root)))  # oldest first
    for rel in WATCHED:
        path = root / rel
        if path.suffix == ".yaml":
            load_yaml_text(path.read_text(encoding="utf-8"), rel)  # raises on a torn file
        history = [initial[rel]] + [entry.sha256 for entry in log if entry.file == rel]
        assert sha(path) not in history[:-1], f"{rel} went back to an older logged content ({where})"
    ws = load_workspace(root)
    assert ws.errors == [], (where, [str(p) for p in ws.errors])


def test_a_writer_killed_at_random_moments_never_leaves_a_broken_workspace(tmp_path):
    ws = build(tmp_path / "ws")
    ws.write_yaml("evidence/actions.yaml", {"schema": "rsqm/actions@1", "actions": []})
    ws.write("evidence/narratives/A1.md", "# A1\n")
    root = ws.root
    initial = {rel: sha(root / rel) for rel in WATCHED}
    seed = random.randrange(2**32)
    rng = random.Random(seed)  # a different schedule each run; the seed is in any failure message
    for kill in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(root), str(kill * 10_000)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.01, 0.25))
        child.send_signal(signal.SIGKILL)
        child.wait(10)
        assert child.returncode == -signal.SIGKILL, child.stderr.read() if child.stderr else ""
        check_consistent(root, initial, f"seed {seed}, kill {kill}")
    writes_seen = len(read_change_log(root))
    assert writes_seen > KILLS  # the writer really was writing when it was killed
    leftovers = [p.name for p in root.rglob("*.tmp")]
    assert len(leftovers) <= len(WATCHED)  # at most the last kill's; earlier ones were cleared by the next write
