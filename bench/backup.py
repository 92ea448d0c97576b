"""`python -m bench.backup [--sizes S,M] [--repeat N]`: how long a backup takes, how big it is, how long saves wait.

For each workspace size (S is the demo): the median time and archive size of a
backup as .tar.zst, .zip and encrypted .tar.zst.enc, of `--verify` and of a
restore, and the longest a save (``Store.write`` in another thread) waited
while a backup ran: the snapshot holds the workspace lock.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

from bench.run import workspace
from rsqm.backup.archive import restore_backup, take_backup, verify_backup
from rsqm.backup.crypto import _derive
from rsqm.base.formatting import file_size
from rsqm.workspace.store import Store

PASSPHRASE = "benchmark passphrase, not a secret"
FORMATS = ("tar.zst", "zip", "tar.zst.enc")


def _median(values: list[float]) -> str:
    seconds = statistics.median(values)
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _longest_wait_during(root: Path, action) -> tuple[float, float]:
    """Run ``action`` while another thread saves a file in a loop: the slowest save overlapping it, and a typical save."""
    store, stop, saves = Store(root, "bench"), threading.Event(), []

    def saver() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            start = time.perf_counter()
            store.write("evidence/narratives/bench.md", f"draft {n}\n", change="bench save")
            saves.append((start, time.perf_counter()))

    thread = threading.Thread(target=saver)
    thread.start()
    while len(saves) < 5:
        time.sleep(0.01)
    began = time.perf_counter()
    try:
        action()
    finally:
        ended = time.perf_counter()
        time.sleep(0.2)
        stop.set()
        thread.join()
    during = [end - start for start, end in saves if start < ended and end > began]
    apart = [end - start for start, end in saves if not (start < ended and end > began)]
    return max(during), statistics.median(apart)


def measure(size: str, repeat: int) -> list[str]:
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch)
        root = shutil.copytree(workspace(size, seed=1)[0], out / "workspace")  # backups record themselves in it
        for fmt in FORMATS:
            times, archive = [], None
            secret = PASSPHRASE if fmt.endswith(".enc") else None
            for i in range(repeat):
                archive = out / f"{size}-{i}.{fmt}"
                result = take_backup(root, archive, user="bench", passphrase=secret)
                times.append(result.seconds)
            assert archive is not None
            verify = []
            for _ in range(repeat):
                _derive.cache_clear()  # each run pays for the key, as a command does
                start = time.perf_counter()
                verify_backup(archive, lambda: PASSPHRASE)
                verify.append(time.perf_counter() - start)
            restore = []
            for i in range(repeat):
                target = out / f"restored-{fmt}-{i}"
                _derive.cache_clear()
                start = time.perf_counter()
                restore_backup(archive, target, lambda: PASSPHRASE)
                restore.append(time.perf_counter() - start)
                shutil.rmtree(target)
            total = result.manifest.total_bytes
            rows.append(f"| {size} | .{fmt} | {len(result.manifest.files)} files, {file_size(total)} | {_median(times)} | "
                        f"{file_size(archive.stat().st_size)} | {_median(verify)} | {_median(restore)} |")
        wait, typical = _longest_wait_during(root, lambda: take_backup(root, out / f"{size}-busy.tar.zst", user="bench"))
        rows.append(f"| {size} | slowest save during a .tar.zst backup: {wait * 1000:.0f} ms (typical save {typical * 1000:.0f} ms) | | | | | |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="S,M")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print("| Size | Format | Workspace | Backup (median) | Archive | Verify | Restore |")
    print("|---|---|---|---|---|---|---|")
    for size in args.sizes.split(","):
        for row in measure(size.strip(), args.repeat):
            print(row, flush=True)


if __name__ == "__main__":
    main()
