"""Which code made a cache: rsqm's own files (its word lists included) and the libraries named, stamped by where they
are installed and how large and new their files are, without importing them. Other code, another stamp."""

from __future__ import annotations

import functools
import hashlib
import importlib.util
from pathlib import Path

import rsqm


@functools.cache
def code_stamp(*libraries: str) -> str:
    package = Path(rsqm.__file__).parent
    facts = [rsqm.__version__, *(fact for name in libraries for fact in library_stamp(name))]
    for path in sorted(package.rglob("*")):
        if "__pycache__" not in path.parts and path.is_file():
            info = path.stat()
            facts.append(f"{path.relative_to(package)}:{info.st_size}:{info.st_mtime_ns}")
    return hashlib.sha256("\n".join(facts).encode()).hexdigest()


def library_stamp(name: str) -> list[str]:
    """Where a library is installed and how large and new its files are: another version is another stamp (found
    without importing it, so a command that never uses the library does not pay for loading it)."""
    spec = importlib.util.find_spec(name)
    folder = Path(spec.origin).parent if spec is not None and spec.origin else None
    if folder is None:
        return [f"{name}: not installed"]
    return [f"{path}:{path.stat().st_size}:{path.stat().st_mtime_ns}" for path in sorted(folder.iterdir()) if path.is_file()]
