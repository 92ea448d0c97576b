"""Regenerate rsqm/data/common-passwords.txt from zxcvbn's bundled password list.

Needs zxcvbn installed only while it runs (`pip install zxcvbn==4.5.0`);
rsqm itself reads the text file and does not depend on zxcvbn.
"""

from __future__ import annotations

from pathlib import Path

from zxcvbn.frequency_lists import FREQUENCY_LISTS

TARGET = Path(__file__).resolve().parent.parent / "rsqm" / "data" / "common-passwords.txt"


def main() -> None:
    header = [line for line in TARGET.read_text(encoding="utf-8").splitlines() if line.startswith("#")]  # keeps the recorded source
    words = FREQUENCY_LISTS["passwords"]
    TARGET.write_text("\n".join([*header, *words]) + "\n", encoding="utf-8")
    print(f"wrote {len(words)} passwords to {TARGET}")


if __name__ == "__main__":
    main()
