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
import sys
import tempfile
import time
import types
import zipfile
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from rsqm.files.patterns import backtracking_risk
from rsqm.pack.verify import verify_pack

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


def from_main(rel: str) -> types.ModuleType:
    """A module as it is on git ``main``, before this change, loaded beside the current one."""
    source = subprocess.run(["git", "show", f"main:{rel}"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    name = "main_" + rel.replace("/", "_").removesuffix(".py")
    module = types.ModuleType(name)
    sys.modules[name] = module  # dataclasses look their module up while the class is made
    exec(compile(source, f"main:{rel}", "exec"), module.__dict__)
    return module


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def bench_verify(folder: Path) -> None:
    old = from_main("rsqm/pack/verify.py")
    for repeats in (20, 100):
        pack = hostile_pack(folder, repeats)
        before = timed(lambda pack=pack: old.verify_pack(pack))
        after = timed(lambda pack=pack: verify_pack(pack))
        print(f"verify, manifest lists one 20 MiB entry {repeats}x: main {before:.2f} s, now {after:.3f} s")


def counting_checks(module: types.ModuleType) -> list[int]:
    """Count the password checks (Argon2 verifications) a module makes."""
    checks: list[int] = []
    real = module._verify
    module._verify = lambda stored, password: checks.append(1) or real(stored, password)
    return checks


def bench_lockout(folder: Path) -> None:
    import rsqm.server.accounts as now_module

    main = from_main("rsqm/server/accounts.py")
    for label, module in (("main", main), ("now", now_module)):
        checks = counting_checks(module)
        add, sign_in = module.add_user, module.authenticate
        root = folder / label
        root.mkdir()
        (root / "rsqm.yaml").write_text("schema: rsqm/workspace@1\n")
        add(root, "alice", "coordinator", "otter kettle window brass", actor="bench")
        now = datetime.now(UTC)

        def guess(_, sign_in=sign_in, root=root, now=now):
            with contextlib.suppress(Exception):  # wrong password, locked, or (main) the state file busy
                sign_in(root, "alice", "wrong password!", now)

        wall = timed(lambda guess=guess: list(ThreadPoolExecutor(max_workers=64).map(guess, range(64))))
        print(f"64 parallel wrong passwords, {label}: {len(checks)} reached the password check ({wall:.2f} s, "
              f"{'with' if label == 'now' else 'no'} 1 s delay per failure)")


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
