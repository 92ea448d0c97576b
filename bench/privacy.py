"""`python -m bench.privacy`: the privacy scan's throughput over generated worst cases and over this repository's
Markdown, its linearity, `export --check` on a 2 MB single-line narrative, and the leak and false-positive rates of
the test corpus (tests/privacy_corpus.py). (The target, MB/s of an export's text, is `bench/records.py`'s
`privacy_extracted`, run by `make bench` on each workspace size.)

Prints a Markdown section for BENCHMARKS.md. Linearity: each input is timed at 1x and 10x (the fastest of three runs
at each); a linear scan takes about ten times as long on ten times the text (a quadratic one a hundred times). Times are
CPU seconds of this process (``time.process_time``), so other work on a shared machine does not skew
them; `export --check` is given as both wall-clock and CPU seconds.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from rsqm.cli import main
from rsqm.privacy.detectors import Detectors, forget_texts_read, scan_text

REPO = Path(__file__).resolve().parent.parent
BASE = 200_000  # characters at 1x
REPEAT = 3

PROSE = ("Supervision is held monthly and risk is reviewed in each session by the practice lead (P07). "
         "Call 07700 900123 or write to jo.bloggs@example.net; Mr Thistlewood lives at SW1A 1AA. ")
HEADING = "Case File Review And Supervision Records For The Restorative Justice Service Annual Report\n"
SURNAMES = ("Thistlewood", "Okafor", "Lindqvist", "Marchetti", "Abernathy")  # invented, made distinct with LETTERS
LETTERS = str.maketrans("0123456789", "abcdefghij")


def varied_prose(n: int) -> str:
    """PROSE with a different number, address, name and postcode in every sentence, on one line: what is read once
    for each distinct text (an address's surroundings, a phone number's digits) is read for each sentence here."""
    sentences = [PROSE.replace("P07", f"P{i % 90 + 10}").replace("900123", f"{900000 + i % 100_000}")
                 .replace("jo.bloggs", f"jo.bloggs{i}").replace("Thistlewood", SURNAMES[i % 5] + str(i).translate(LETTERS))
                 .replace("SW1A 1AA", f"SW{i % 20 + 1}A {i % 9 + 1}AA") for i in range(n // len(PROSE))]
    return "".join(sentences)


INPUTS: dict[str, Callable[[int], str]] = {
    "prose with findings, short lines": lambda n: (PROSE + "\n") * (n // (len(PROSE) + 1)),
    "prose, one line": lambda n: PROSE * (n // len(PROSE)),
    "prose, every sentence different, one line": varied_prose,
    # where each finding starts is looked up in the whole text: a search for each distinct one was quadratic
    "prose, every sentence different, short lines": lambda n: varied_prose(n).replace(". Call", ".\nCall"),
    "e-mail local part, no @ (was quadratic)": lambda n: "a" * n,
    "many @": lambda n: "a@" * (n // 2),
    "digits and spaces": lambda n: "1 " * (n // 2),
    "capitalised words": lambda n: "Mr Jane Doe " * (n // 12),
    "Title Case headings (every word a name pair to look up)": lambda n: (HEADING * (n // len(HEADING))),
}


def times(action: Callable[[], object], repeat: int = REPEAT) -> list[float]:
    taken = []
    for _ in range(repeat):
        forget_texts_read()  # nothing kept from the run before: what a text repeats within itself is all that is spared
        start = time.process_time()
        action()
        taken.append(time.process_time() - start)
    return taken


def timed(action: Callable[[], object], repeat: int = REPEAT) -> float:
    return statistics.median(times(action, repeat))


def throughput() -> list[tuple[str, float, float, float]]:
    """(input, MB/s at 1x, MB/s at 10x, time ratio 10x / 1x) for each input, after one short scan that reads what every
    scan uses once per process (the name lists, the RE2 screen; about half a second). MB/s at 1x is the median of three
    runs; the ratio judges how the work grows, so it compares the fastest run at each size (a busy machine adds time to
    a run, never takes it away)."""
    detectors = Detectors.for_workspace(["Ottilie Quenby", "Ottilie", "Quenby"], r"^[A-Z]{2,5}-\d{4}-\d{3,5}$")
    scan_text(PROSE, detectors)
    rows = []
    for label, make in INPUTS.items():
        small, large = make(BASE), make(BASE * 10)
        at_1x = times(lambda text=small: scan_text(text, detectors))
        at_10x = min(times(lambda text=large: scan_text(text, detectors)))
        rows.append((label, len(small.encode()) / statistics.median(at_1x) / 1e6, len(large.encode()) / at_10x / 1e6,
                     at_10x / min(at_1x)))
    return rows


def own_prose() -> float:
    """MB/s of `scan_text` over the Markdown of this repository (docs/, evidence/), file by file as narratives are read:
    real prose, with many numbers and marks, not generated."""
    files = sorted((REPO / "docs").glob("*.md")) + sorted((REPO / "evidence").rglob("*.md"))
    texts = [path.read_text(encoding="utf-8") for path in files]
    detectors = Detectors.for_workspace(["Ottilie Quenby"], r"^[A-Z]{2,5}-\d{4}-\d{3,5}$")

    def scan_all() -> None:
        forget_texts_read(detectors)
        for text in texts:
            scan_text(text, detectors)

    return sum(len(text.encode()) for text in texts) / timed(scan_all) / 1e6


def export_check_long_line() -> tuple[float, float]:
    """(wall-clock, CPU) seconds for `rsqm export --check` on the demo workspace with a 2 MB single-line narrative."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "ws"
        shutil.copytree(REPO, root, ignore=shutil.ignore_patterns(".git", ".venv", "bench", "tests", "*.egg-info", ".rsqm"))
        line = ("The service offers restorative justice to everyone harmed, at a time that suits them. " * 24_000)[:2_000_000]
        narrative = sorted((root / "evidence/narratives").glob("*.md"))[0]  # an indicator the document prints
        narrative.write_text(line + "\n", encoding="utf-8")
        start, cpu = time.perf_counter(), time.process_time()
        code = main(["export", "-w", str(root), "--check"])
        seconds = time.perf_counter() - start, time.process_time() - cpu
    if code != 0:
        print(f"export --check exited {code}", file=sys.stderr)
    return seconds


def corpus_rates() -> tuple[int, int, int, int]:
    """(leaks missed, leak vectors, legitimate strings flagged, legitimate strings), through the pre-flight's scanner."""
    sys.path.insert(0, str(REPO / "tests"))
    import privacy_corpus as corpus
    from rsqm.privacy.scan import Allowed, Scanner, accepted

    def hits(text: str | None = None, name: str = "", data: bytes = b"") -> int:
        scanner = Scanner(Detectors.for_workspace(corpus.KEY_NAMES, corpus.CASE_REF_PATTERN, corpus.KNOWN_REFS),
                          Allowed.of(corpus.PUBLIC_CONTACTS))
        if text is not None:
            scanner.text(text, "t", 1)
        else:
            scanner.file(name, data, name)
        return sum(not accepted(corpus.REVIEW, hit) for hit in scanner.hits)  # the clean files' logos were reviewed

    missed = sum(not hits(text) for _, text in corpus.LEAKS) + sum(not hits(name=n, data=b()) for _, n, b in corpus.FILE_LEAKS)
    flagged = sum(bool(hits(text)) for _, text in corpus.LEGITIMATE) + sum(
        bool(hits(name=n, data=b())) for _, n, b in corpus.FILE_LEGITIMATE)
    return missed, len(corpus.LEAKS) + len(corpus.FILE_LEAKS), flagged, len(corpus.LEGITIMATE) + len(corpus.FILE_LEGITIMATE)


def report() -> str:
    missed, leaks, flagged, legitimate = corpus_rates()
    lines = [
        "## Privacy pre-flight (issue 14)",
        "",
        "`python -m bench.privacy`: `scan_text` over generated text, CPU time (median of 3 at 1x = 200 KB; the ratio from the fastest of 3 at 1x and at 10x = 2 MB).",
        "",
        "| Input | MB/s at 1x | MB/s at 10x | time 10x / 1x |",
        "|---|---:|---:|---:|",
    ]
    lines += [f"| {label} | {small:.2f} | {large:.2f} | {ratio:.1f} |" for label, small, large, ratio in throughput()]
    lines += ["", f"- The repository's own Markdown (docs/, evidence/), file by file: {own_prose():.1f} MB/s."]
    lines += [
        "",
        "- `rsqm export --check` on the demo workspace with a 2 MB single-line narrative: {:.1f} s wall-clock, {:.1f} s CPU "
        "(render the document, scan it, the sources and every evidence file).".format(*export_check_long_line()),
        f"- Corpus (tests/privacy_corpus.py): leak rate {missed}/{leaks} = {missed / leaks:.0%} "
        f"({leaks} vectors in text and in files); false-positive rate {flagged}/{legitimate} = {flagged / legitimate:.0%} "
        f"({legitimate} legitimate strings and files).",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(report())
