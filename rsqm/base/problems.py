"""Problems found in a workspace, printed as ``PATH:LINE: severity: MESSAGE``."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    error = "error"
    warning = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding at one place (a plain dataclass: printing a workspace's problems needs no validation library)."""

    path: str  # relative to the workspace, always with forward slashes
    line: int | None
    severity: Severity
    message: str

    def __str__(self) -> str:
        """``PATH:LINE: severity: MESSAGE``; a problem with the file as a whole points at its first line."""
        return f"{self.path}:{self.line or 1}: {self.severity.value}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.error


def error(path: str, line: int | None, message: str) -> Problem:
    return Problem(path=path, line=line, severity=Severity.error, message=message)


def warning(path: str, line: int | None, message: str) -> Problem:
    return Problem(path=path, line=line, severity=Severity.warning, message=message)


def sort_problems(problems: list[Problem]) -> list[Problem]:
    unique = {(p.path, p.line or 0, p.severity, p.message): p for p in problems}
    return [unique[k] for k in sorted(unique)]


def summary(problems: list[Problem]) -> str:
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    if not problems:
        return "workspace is valid: no problems found"
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
