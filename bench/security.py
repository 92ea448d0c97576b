"""Security figures for BENCHMARKS.md: hostile packs, parallel sign-in guesses, backtracking patterns.

    .venv/bin/python -m bench.security

1. `rsqm verify` on a pack whose manifest lists one 20 MiB entry many times: the
   verifier before this change (from git `main`) against the current one.
2. 64 wrong passwords sent at once: how many reached the password check.
3. A case_ref_pattern with nested quantifiers: matching time as the input grows,
   against the time the settings check needs to refuse it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import random
import re
import subprocess
import tempfile
import time
import types
import zipfile
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from rsqm.pack.verify import verify_pack
from rsqm.patterns import backtracking_risk

REPO = Path(__file__).resolve().parent.parent


def hostile_pack(folder: Path, repeats: int) -> Path:
    data = random.Random(1).randbytes(20 * 2**20)  # 20 MiB that deflate cannot shrink
    entry = {"path": "evidence/E001-big.bin", "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    manifest = {"schema": "rsqm/pack@1", "files": [entry] * repeats}
    path = folder / f"hostile-{repeats}.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("evidence/E001-big.bin", data)
        archive.writestr("manifest.json", json.dumps(manifest))
    return path


def old_verifier() -> types.ModuleType:
    source = subprocess.run(["git", "show", "main:rsqm/pack/verify.py"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    module = types.ModuleType("old_verify")
    exec(compile(source, "main:rsqm/pack/verify.py", "exec"), module.__dict__)
    return module


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def bench_verify(folder: Path) -> None:
    old = old_verifier()
    for repeats in (20, 100):
        pack = hostile_pack(folder, repeats)
        before = timed(lambda pack=pack: old.verify_pack(pack))
        after = timed(lambda pack=pack: verify_pack(pack))
        print(f"verify, manifest lists one 20 MiB entry {repeats}x: main {before:.2f} s, now {after:.3f} s")


def bench_lockout(folder: Path) -> None:
    from rsqm.accounts import LOGIN_STATE_FILE, LoginFailed, add_user, authenticate
    from rsqm.store import read_change_log

    root = folder / "ws"
    root.mkdir()
    (root / "rsqm.yaml").write_text("schema: rsqm/workspace@1\n")
    add_user(root, "alice", "coordinator", "otter kettle window brass", actor="bench")
    now = datetime.now(UTC)

    def guess(_):
        with contextlib.suppress(LoginFailed):
            authenticate(root, "alice", "wrong password!", now, delay=0)

    wall = timed(lambda: list(ThreadPoolExecutor(max_workers=64).map(guess, range(64))))
    checked = sum(1 for e in read_change_log(root) if e["file"] == LOGIN_STATE_FILE)
    print(f"64 parallel wrong passwords: {checked} reached the password check, {64 - checked} refused as locked ({wall:.2f} s)")


def bench_pattern() -> None:
    pattern = r"^(\w+\s?)+$"
    compiled = re.compile(pattern)
    for n in (18, 20, 22):
        spent = timed(lambda n=n: compiled.fullmatch("a" * n + "!"))
        print(f"re.fullmatch({pattern!r}, 'a'*{n}+'!'): {spent:.2f} s")
    spent = timed(lambda: backtracking_risk(pattern))
    print(f"settings check refuses it in {spent * 1e6:.0f} µs: {backtracking_risk(pattern)}")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bench_verify(folder)
        bench_lockout(folder)
    bench_pattern()


if __name__ == "__main__":
    main()
