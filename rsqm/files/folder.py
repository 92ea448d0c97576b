"""The workspace folder as models (``Workspace``), and the safe reads every loader uses.

``Workspace`` is what a load hands to every other module: the models of each
file, what the file system says about each evidence file, and every problem
with its line. Reading a file here refuses links that leave the workspace,
special files and files over the size cap. Filling a ``Workspace`` from the
folder is ``rsqm.workspace.load``.
"""

from __future__ import annotations

import functools
import os
import stat
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Generic, TypeVar

from rsqm.base.errors import InputRefused
from rsqm.base.paths import AUDITS_DIR, SAMPLES_DIR, SECOND_MARKING_SUFFIX
from rsqm.base.problems import Problem, error
from rsqm.files.models import ActionPlan, PrivacyReview, Register, Requests
from rsqm.files.yamlio import MAX_YAML_BYTES, LoadedYaml, YamlRefused, decode, load_yaml_text, too_large

if TYPE_CHECKING:  # only named in annotations
    from rsqm.files.models import (
        Accreditation,
        Audit,
        Case,
        Checklist,
        FeedbackResponse,
        Framework,
        Mapping,
        Sample,
        Workforce,
        WorkspaceSettings,
    )

MAX_TEXT_BYTES = MAX_YAML_BYTES  # one cap for reading a text file and for parsing it


class Reparsed:
    """The lines of a file whose model came from the load cache: parsed again only if a line is asked for."""

    def __init__(self, root: Path, rel: str):
        self.root, self.rel = root, rel
        self.loaded: LoadedYaml | None = None

    def line(self, loc: tuple[str | int, ...] | list[str | int]) -> int | None:
        if self.loaded is None:
            try:
                self.loaded = read_yaml(self.root, self.rel)
            except YamlRefused:
                self.loaded = LoadedYaml(data=None)
        return self.loaded.line(loc)


R = TypeVar("R")


class Deferred(Generic[R]):
    """Rows whose count is known and whose models are made on first use, once, whichever thread asks first.

    The load cache keeps the case list as JSON: a page that shows only how many cases there are (the Overview)
    does not pay for validating 100,000 of them (about 0.6 s on XL)."""

    def __init__(self, count: int, make: Callable[[], list[R]]):
        self.count = count
        self._make: Callable[[], list[R]] | None = make
        self._rows: list[R] = []
        self._lock = threading.Lock()

    def rows(self) -> list[R]:
        with self._lock:
            if self._make is not None:
                self._rows, self._make = self._make(), None  # the JSON it holds is let go
            return self._rows


@dataclass(frozen=True)
class EvidenceFile:
    """What the file system says about one registered evidence file."""

    rel: str  # as written in the register, relative to evidence/
    path: Path | None  # resolved absolute path; None when it leaves evidence/
    exists: bool
    size: int = 0
    mtime_ns: int = 0
    mismatch: tuple[bool, str] | None = None  # (blocking, why) when the bytes do not match the extension


@dataclass
class Workspace:
    root: Path
    settings: WorkspaceSettings
    settings_valid: bool = True  # False when rsqm.yaml has errors and UNREADABLE_SETTINGS stand in
    frameworks: dict[str, Framework] = field(default_factory=dict)
    checklists: dict[str, Checklist] = field(default_factory=dict)
    framework_files: dict[str, str] = field(default_factory=dict)  # id -> relative path
    mappings: dict[str, Mapping] = field(default_factory=dict)  # by relative path (standards/mappings/<a>--<b>.yaml)
    register_positions: list[int] = field(default_factory=list)  # file index of each item, when some were dropped
    unparsed_ids: set[str] = field(default_factory=set)  # frameworks and checklists whose file has errors
    register: Register = field(default_factory=lambda: Register.model_validate({"schema": "rsqm/register@1"}))
    deferred_cases: list[Case] | Deferred[Case] = field(default_factory=list, repr=False)  # read as ``cases``
    case_lines: dict[str, int] = field(default_factory=dict)
    samples: dict[str, Sample] = field(default_factory=dict)
    audits: dict[str, Audit] = field(default_factory=dict)  # by case_ref
    narratives: dict[str, str] = field(default_factory=dict)  # by indicator id; "framework:id" for a further framework
    narrative_files: dict[str, str] = field(default_factory=dict)  # the same keys -> the file each was read from
    actions: ActionPlan = field(default_factory=lambda: ActionPlan.model_validate({"schema": "rsqm/actions@1"}))
    privacy_review: PrivacyReview = field(
        default_factory=lambda: PrivacyReview.model_validate({"schema": "rsqm/privacy-review@1"})
    )
    workforce: Workforce | None = None  # None: the workspace keeps no workforce register
    requests: Requests = field(default_factory=lambda: Requests.model_validate({"schema": "rsqm/requests@1"}))
    accreditation: Accreditation | None = None  # None: nothing recorded yet
    feedback: list[FeedbackResponse] = field(default_factory=list)
    files: dict[str, EvidenceFile] = field(default_factory=dict)  # by evidence id
    sources: dict[str, LoadedYaml | Reparsed] = field(default_factory=dict)  # by relative path
    problems: list[Problem] = field(default_factory=list)

    @property
    def cases(self) -> list[Case]:
        if isinstance(self.deferred_cases, Deferred):
            self.deferred_cases = self.deferred_cases.rows()
        return self.deferred_cases

    @cases.setter
    def cases(self, rows: list[Case]) -> None:
        self.deferred_cases = rows

    @property
    def case_count(self) -> int:
        """How many rows the case list has, without making their models when they are still deferred."""
        found = self.deferred_cases
        return found.count if isinstance(found, Deferred) else len(found)

    @property
    def framework(self) -> Framework | None:
        return self.frameworks.get(self.settings.framework)

    @property
    def checklist(self) -> Checklist | None:
        return self.checklists.get(self.settings.checklist)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def valid(self) -> bool:
        return not self.errors

    def line(self, rel: str, *loc: str | int) -> int | None:
        source = self.sources.get(rel)
        return source.line(loc) if source else None

    def register_loc(self, index: int) -> tuple[str, int]:
        """Location of the index-th loaded register item in the file."""
        return ("items", self.register_positions[index] if self.register_positions else index)

    def sample_path(self, name: str) -> str:
        return f"{SAMPLES_DIR}/{name}.yaml"

    def audit_path(self, case_ref: str) -> str:
        return f"{AUDITS_DIR}/{case_ref}.yaml"

    def second_marking_path(self, case_ref: str) -> str:
        """The second marker's own file: the first answers are not in it (blind second marking)."""
        return f"{AUDITS_DIR}/{case_ref}{SECOND_MARKING_SUFFIX}"


def read_text(root: Path, rel: str) -> tuple[str, list[Problem]]:
    """Read one UTF-8 text file under the size cap; raises ``YamlRefused`` with the problem."""
    if containment(root).resolve(rel) is None:
        raise YamlRefused(error(rel, 1, "file is a link leaving the workspace; refusing to read it"))
    return decode(read_regular(root / rel, rel, MAX_TEXT_BYTES), rel)


def _size(limit: int) -> str:
    return f"{limit // 2**20} MB" if limit >= 2**20 else f"{limit // 1024} KB"


def open_input(path: Path, what: str, limit: int | None = None) -> BinaryIO:
    """Open a file the user named, for reading: a regular file of at most ``limit`` bytes, else ``InputRefused``.

    Opened without blocking and checked on the open handle (no window between a
    check and the open), so a folder, FIFO, device or socket is refused at once
    instead of hanging the command or being read until memory runs out.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise InputRefused(f"{path}: no such file; give the path of {what}") from None
    except OSError as exc:
        raise InputRefused(f"{path}: cannot be read ({exc.strerror or exc}); give the path of {what}") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file (a pipe, device or socket)"
        raise InputRefused(f"{path}: {kind}, not {what}; give the path of a file saved on disk")
    if limit is not None and info.st_size > limit:
        os.close(fd)
        raise InputRefused(f"{path}: {info.st_size:,} bytes, more than the {_size(limit)} rsqm reads for {what}; check it is the right file")
    return os.fdopen(fd, "rb")


def read_input(path: Path, what: str, limit: int) -> bytes:
    """The bytes of a file the user named, through ``open_input``; also refused if it grows past ``limit`` while read."""
    with open_input(path, what, limit) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise InputRefused(f"{path}: more than the {_size(limit)} rsqm reads for {what}; check it is the right file")
    return data


def read_regular(path: Path, rel: str, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; raises ``YamlRefused`` for anything else.

    Opened without blocking and checked on the open handle, so a FIFO or a
    device put in a file's place is refused instead of hanging every command.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise YamlRefused(error(rel, 1, f"cannot read file: {exc.strerror or exc}")) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):  # before fdopen, which raises on a folder
        os.close(fd)
        raise YamlRefused(error(rel, 1, "not a regular file (a pipe, device or folder); refusing to read it"))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if info.st_size > limit:
            raise too_large(rel, limit)
        try:
            raw = handle.read(limit + 1)
        except OSError as exc:
            raise YamlRefused(error(rel, 1, f"cannot read file: {exc.strerror or exc}")) from None
    if len(raw) > limit:
        raise too_large(rel, limit)
    return raw


def read_yaml(root: Path, rel: str) -> LoadedYaml:
    """Read and parse one YAML file; raises ``YamlRefused`` with the problem."""
    text, problems = read_text(root, rel)
    loaded = load_yaml_text(text, rel)
    loaded.problems[:0] = problems
    return loaded


class Containment:
    """Whether paths under a folder stay inside it once links are followed.

    Resolving every path component of every file (``Path.resolve``) was a fifth
    of a large workspace's load time; folders are resolved once here, and a file
    only when it is itself a link.
    """

    def __init__(self, base: Path):
        self.base = os.path.realpath(base)
        self.folders: dict[str, bool] = {}

    def inside(self, path: str) -> bool:
        return path == self.base or path.startswith(self.base + os.sep)

    def resolve(self, rel: str) -> Path | None:
        """The path of ``rel`` under the folder, or None when it leaves it (.., absolute, link)."""
        if os.path.isabs(rel) or rel.startswith(("/", "\\")) or ":" in rel[:3]:
            return None
        target = os.path.normpath(os.path.join(self.base, rel))
        if not self.inside(target):
            return None
        folder = os.path.dirname(target)
        if folder not in self.folders:
            self.folders[folder] = self.inside(os.path.realpath(folder))
        if not self.folders[folder]:
            return None
        if os.path.islink(target):
            real = os.path.realpath(target)
            return Path(real) if self.inside(real) else None
        return Path(target)


@functools.lru_cache(maxsize=8)
def containment(base: Path) -> Containment:
    return Containment(base)
