"""Loading a workspace folder into models, with every problem found on the way.

This is the I/O shell around the models: it reads files, records the line of
every key, and checks what only the file system can tell (paths leaving
``evidence/``, files not on disk). Cross-reference checks are pure and live in
``rsqm.validation``.
"""

from __future__ import annotations

import functools
import gc
import json
import os
import stat
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import BinaryIO

from pydantic import BaseModel, TypeAdapter, ValidationError

from rsqm.caselist import parse_cases
from rsqm.dates import workspace_today
from rsqm.errors import InputRefused, UsageError
from rsqm.feedback import parse_feedback
from rsqm.loadcache import LoadCache, problems_from, problems_json
from rsqm.models import (
    Accreditation,
    ActionPlan,
    Audit,
    Case,
    Checklist,
    EvidenceItem,
    FeedbackResponse,
    Framework,
    Mapping,
    PrivacyReview,
    Register,
    Requests,
    Sample,
    Workforce,
    WorkspaceSettings,
)
from rsqm.paths import (
    ACCREDITATION_FILE as ACCREDITATION_FILE,
)
from rsqm.paths import (
    ACTIONS_FILE as ACTIONS_FILE,
)
from rsqm.paths import (
    AUDITS_DIR as AUDITS_DIR,
)
from rsqm.paths import (
    CASES_FILE as CASES_FILE,
)
from rsqm.paths import (
    FEEDBACK_FILE as FEEDBACK_FILE,
)
from rsqm.paths import (
    MAPPINGS_DIR as MAPPINGS_DIR,
)
from rsqm.paths import (
    NARRATIVES_DIR as NARRATIVES_DIR,
)
from rsqm.paths import (
    PRIVACY_REVIEW_FILE as PRIVACY_REVIEW_FILE,
)
from rsqm.paths import (
    REGISTER_FILE as REGISTER_FILE,
)
from rsqm.paths import (
    REQUESTS_FILE as REQUESTS_FILE,
)
from rsqm.paths import (
    SAMPLES_DIR as SAMPLES_DIR,
)
from rsqm.paths import (  # re-exported: the loader's callers import the file names from here too
    SETTINGS_FILE as SETTINGS_FILE,
)
from rsqm.paths import (
    WORKFORCE_FILE as WORKFORCE_FILE,
)
from rsqm.problems import Problem, error, sort_problems
from rsqm.uploads import type_mismatch
from rsqm.validation import check_workspace
from rsqm.yamlio import MAX_YAML_BYTES, LoadedYaml, M, YamlRefused, decode, load_yaml_text, parse_model, too_large

MAX_TEXT_BYTES = MAX_YAML_BYTES  # one cap for reading a text file and for parsing it

# Stands in while rsqm.yaml has errors, so the rest of the workspace can still be checked.
UNREADABLE_SETTINGS = WorkspaceSettings.model_validate(
    {"schema": "rsqm/workspace@1", "service": "(rsqm.yaml has errors)", "framework": "?", "checklist": "?"}
)


class NoWorkspace(UsageError):
    """The folder is not a workspace: a usage error (exit 2), not a validation error."""


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
    cases: list[Case] = field(default_factory=list)
    case_lines: dict[str, int] = field(default_factory=dict)
    samples: dict[str, Sample] = field(default_factory=dict)
    audits: dict[str, Audit] = field(default_factory=dict)  # by case_ref
    narratives: dict[str, str] = field(default_factory=dict)  # by indicator id
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


def resolve_root(directory: str | os.PathLike[str] | None) -> Path:
    """The workspace folder: the argument, else $RSQM_WORKSPACE, else the current folder."""
    chosen = directory or os.environ.get("RSQM_WORKSPACE") or "."
    root = Path(chosen).expanduser().resolve()
    if not (root / SETTINGS_FILE).exists():  # a FIFO or folder in its place is reported by the load, with its line
        raise NoWorkspace(f"no workspace at {root}: {SETTINGS_FILE} not found (use --workspace DIR or rsqm init DIR)")
    return root


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


def _load_model(ws: Workspace, rel: str, model: type[M], cache: LoadCache, loaded: LoadedYaml | None = None) -> M | None:
    """One YAML file's model, its problems added to the workspace's; from the cache when the file is unchanged."""
    if loaded is None:
        cached = _cached_model(ws, rel, (model,), cache)
        if cached is not None:
            return cached  # type: ignore[return-value]
        try:
            loaded = read_yaml(ws.root, rel)
        except YamlRefused as refused:
            ws.problems.append(refused.problem)
            return None
    ws.sources[rel] = loaded
    ws.problems.extend(loaded.problems)
    if loaded.data is None:
        ws.problems.append(error(rel, 1, "file is empty"))
        return None
    if not isinstance(loaded.data, dict):
        ws.problems.append(error(rel, 1, f"expected a mapping of keys at the top, found {type(loaded.data).__name__}"))
        return None
    parsed, problems = parse_model(model, loaded, rel)
    ws.problems.extend(problems)
    if parsed is not None and not loaded.problems:
        _keep_model(cache, rel, parsed)
    return parsed


def _cached_model(ws: Workspace, rel: str, kinds: tuple[type[BaseModel], ...], cache: LoadCache) -> BaseModel | None:
    """The model kept for an unchanged file (only files that had no problems are kept); its lines are read on demand."""
    entry = cache.recall(rel)
    if entry is None:
        return None
    kind = next((k for k in kinds if k.__name__ == entry.get("kind")), None)
    try:
        parsed = kind.model_validate_json(entry["value"]) if kind is not None else None
    except (KeyError, TypeError, ValueError):  # a damaged entry: parse the file
        parsed = None
    if parsed is not None:
        cache.reuse(rel, entry)
        ws.sources[rel] = Reparsed(ws.root, rel)
    return parsed


def _keep_model(cache: LoadCache, rel: str, parsed: BaseModel) -> None:
    """Keep a model only if it comes back equal from its JSON (every model should; a new validator might not)."""
    value = parsed.model_dump_json(by_alias=True, exclude_unset=True).encode()
    if type(parsed).model_validate_json(value) == parsed:
        cache.keep(rel, kind=type(parsed).__name__, value=value)


def _yaml_files(root: Path, rel_dir: str) -> list[str]:
    folder = root / rel_dir
    if not folder.is_dir():
        return []
    return sorted(f"{rel_dir}/{entry.name}" for entry in os.scandir(folder) if entry.name.endswith((".yaml", ".yml")))


def load_workspace(directory: str | os.PathLike[str] | None = None, today: date | None = None) -> Workspace:
    """Load and validate a workspace. Never raises for bad content, only ``NoWorkspace``."""
    root = resolve_root(directory)
    containment.cache_clear()  # links may have changed since the last load
    day = today or date.today()
    with _collector_paused():
        cache = LoadCache(root, day)
        ws = Workspace(root=root, settings=UNREADABLE_SETTINGS, settings_valid=False)
        settings = _load_model(ws, SETTINGS_FILE, WorkspaceSettings, cache)
        if settings is not None:
            ws.settings, ws.settings_valid = settings, True
            day = today or workspace_today(settings)
        _load_standards(ws, cache)
        _load_evidence(ws, cache)
        _load_feedback(ws, day, cache)
        key = cache.workspace_key([[i, f.rel, str(f.path), f.exists, f.size, f.mtime_ns, f.mismatch] for i, f in ws.files.items()])
        found = cache.problems(key)
        if found is None:
            ws.problems.extend(check_workspace(ws, day))
            found = sort_problems(ws.problems)
            cache.keep_problems(key, found)
        ws.problems = found
        if ws.valid:  # input with errors writes nothing, not even a cache; the last valid load's entries still serve
            cache.save()
    return ws


@contextmanager
def _collector_paused():
    """Loading creates many objects that all stay alive: the cyclic collector's passes over them find nothing (15-30% of a large load)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load_standards(ws: Workspace, cache: LoadCache) -> None:
    for rel in _yaml_files(ws.root, "standards"):
        parsed = _cached_model(ws, rel, (Framework, Checklist), cache)
        if parsed is not None:
            _add_standard(ws, rel, parsed)
            continue
        try:
            loaded = read_yaml(ws.root, rel)
        except YamlRefused as refused:
            ws.problems.append(refused.problem)
            continue
        schema = loaded.data.get("schema") if isinstance(loaded.data, dict) else None
        is_checklist = isinstance(schema, str) and schema.startswith("rsqm/checklist")
        kind: type[BaseModel] = Checklist if is_checklist else Framework
        parsed = _load_model(ws, rel, kind, cache, loaded)
        if parsed is None:
            raw_id = loaded.data.get("id") if isinstance(loaded.data, dict) else None
            ws.unparsed_ids.add(str(raw_id))
            continue
        _add_standard(ws, rel, parsed)
    for rel in _yaml_files(ws.root, MAPPINGS_DIR):
        mapping = _load_model(ws, rel, Mapping, cache)
        if mapping is not None:
            ws.mappings[rel] = mapping


def _add_standard(ws: Workspace, rel: str, parsed: BaseModel) -> None:
    target: dict = ws.checklists if isinstance(parsed, Checklist) else ws.frameworks
    if parsed.id in target or parsed.id in ws.framework_files:  # type: ignore[attr-defined]
        first = ws.framework_files.get(parsed.id)  # type: ignore[attr-defined]
        ws.problems.append(error(rel, ws.line(rel, "id"), f"duplicate framework or checklist id '{parsed.id}' (also in {first})"))  # type: ignore[attr-defined]
        return
    target[parsed.id] = parsed  # type: ignore[attr-defined]
    ws.framework_files[parsed.id] = rel  # type: ignore[attr-defined]


def _load_evidence(ws: Workspace, cache: LoadCache) -> None:
    root = ws.root
    if (root / REGISTER_FILE).exists():
        ws.register = _load_model(ws, REGISTER_FILE, Register, cache) or _valid_register_items(ws)
    if (root / ACTIONS_FILE).exists():
        ws.actions = _load_model(ws, ACTIONS_FILE, ActionPlan, cache) or ws.actions
    if (root / PRIVACY_REVIEW_FILE).exists():
        ws.privacy_review = _load_model(ws, PRIVACY_REVIEW_FILE, PrivacyReview, cache) or ws.privacy_review
    if (root / REQUESTS_FILE).exists():
        ws.requests = _load_model(ws, REQUESTS_FILE, Requests, cache) or ws.requests
    if (root / ACCREDITATION_FILE).exists():
        ws.accreditation = _load_model(ws, ACCREDITATION_FILE, Accreditation, cache)
    if (root / WORKFORCE_FILE).exists():
        ws.workforce = _load_model(ws, WORKFORCE_FILE, Workforce, cache)
    if (root / CASES_FILE).exists():
        _load_cases(ws, cache)
    for rel in _yaml_files(root, SAMPLES_DIR):
        sample = _load_model(ws, rel, Sample, cache)
        if sample is None:
            continue
        if rel.rsplit("/", 1)[1].rsplit(".", 1)[0] != sample.name:
            ws.problems.append(error(rel, ws.line(rel, "name"), f"sample name '{sample.name}' does not match the file name"))
        if sample.name in ws.samples:
            ws.problems.append(error(rel, ws.line(rel, "name"), f"duplicate sample name '{sample.name}'"))
            continue
        ws.samples[sample.name] = sample
    for rel in _yaml_files(root, AUDITS_DIR):
        audit = _load_model(ws, rel, Audit, cache)
        if audit is None:
            continue
        if rel.rsplit("/", 1)[1].rsplit(".", 1)[0] != audit.case_ref:
            ws.problems.append(error(rel, ws.line(rel, "case_ref"), f"case_ref '{audit.case_ref}' does not match the file name"))
            continue
        ws.audits[audit.case_ref] = audit
    _load_narratives(ws, cache)
    evidence = containment(root / "evidence")
    ws.files = {item.id: evidence_file(root, item.file, evidence) for item in ws.register.items}


def _valid_register_items(ws: Workspace) -> Register:
    """When the register has errors, keep the items that are valid so their references are still checked."""
    loaded = ws.sources.get(REGISTER_FILE)
    raw_items = loaded.data.get("items") if loaded and isinstance(loaded.data, dict) else None
    items = []
    for position, raw in enumerate(raw_items if isinstance(raw_items, list) else []):
        try:
            items.append(EvidenceItem.model_validate(raw))
        except ValidationError:
            continue
        ws.register_positions.append(position)
    return Register.model_validate({"schema": "rsqm/register@1", "items": items})


def _read_reported(ws: Workspace, rel: str) -> str | None:
    """A text file's content, its problems added to the workspace's; None when it cannot be read."""
    try:
        text, problems = read_text(ws.root, rel)
    except YamlRefused as refused:
        ws.problems.append(refused.problem)
        return None
    ws.problems.extend(problems)
    return text


CASES = TypeAdapter(list[Case])
FEEDBACK = TypeAdapter(list[FeedbackResponse])
CASE_LINES = TypeAdapter(dict[str, int])


def _load_cases(ws: Workspace, cache: LoadCache) -> None:
    params = ws.settings.case_ref_pattern
    entry = cache.recall(CASES_FILE, params)
    if entry is not None:
        try:
            cases, lines, problems = CASES.validate_json(entry["value"]), CASE_LINES.validate_json(entry["lines"]), problems_from(entry["problems"])
        except (KeyError, TypeError, ValueError):
            pass  # a damaged entry: read the file
        else:
            ws.cases, ws.case_lines = cases, lines
            ws.problems.extend(problems)
            cache.reuse(CASES_FILE, entry)
            return
    start = len(ws.problems)
    text = _read_reported(ws, CASES_FILE)
    if text is None:
        return
    ws.cases, ws.case_lines, problems = parse_cases(text, CASES_FILE, params)
    ws.problems.extend(problems)
    value = CASES.dump_json(ws.cases, by_alias=True, exclude_unset=True)
    if CASES.validate_json(value) == ws.cases:
        cache.keep(CASES_FILE, params, value=value, lines=json.dumps(ws.case_lines).encode(), problems=problems_json(ws.problems[start:]))


def _load_feedback(ws: Workspace, today: date, cache: LoadCache) -> None:
    if not (ws.root / FEEDBACK_FILE).exists():
        return
    questions, pattern = ws.settings.feedback_questions, ws.settings.case_ref_pattern
    params = json.dumps([questions, pattern, today.isoformat()])
    entry = cache.recall(FEEDBACK_FILE, params)
    if entry is not None:
        try:
            feedback, problems = FEEDBACK.validate_json(entry["value"]), problems_from(entry["problems"])
        except (KeyError, TypeError, ValueError):
            pass  # a damaged entry: read the file
        else:
            ws.feedback = feedback
            ws.problems.extend(problems)
            cache.reuse(FEEDBACK_FILE, entry)
            return
    start = len(ws.problems)
    text = _read_reported(ws, FEEDBACK_FILE)
    if text is None:
        return
    ws.feedback, problems = parse_feedback(text, FEEDBACK_FILE, questions, pattern, today)
    ws.problems.extend(problems)
    value = FEEDBACK.dump_json(ws.feedback, by_alias=True, exclude_unset=True)
    if FEEDBACK.validate_json(value) == ws.feedback:
        cache.keep(FEEDBACK_FILE, params, value=value, problems=problems_json(ws.problems[start:]))


def _load_narratives(ws: Workspace, cache: LoadCache) -> None:
    folder = ws.root / NARRATIVES_DIR
    if not folder.is_dir():
        return
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        rel = f"{NARRATIVES_DIR}/{entry.name}"
        if not entry.name.endswith(".md") or not entry.is_file():
            continue
        cache.note(rel)  # read every time (small), but part of what the workspace's problems depend on
        try:
            text, problems = read_text(ws.root, rel)
        except YamlRefused as refused:
            ws.problems.append(refused.problem)
            continue
        ws.problems.extend(problems)
        ws.narratives[entry.name.removesuffix(".md")] = text


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


def evidence_file(root: Path, rel: str, evidence: Containment | None = None) -> EvidenceFile:
    """Resolve a register path; ``path`` is None when it leaves evidence/ (.., absolute, symlink)."""
    target = (evidence or Containment(root / "evidence")).resolve(rel)
    if target is None:
        return EvidenceFile(rel=rel, path=None, exists=False)
    try:
        info = os.stat(target)
        if not stat.S_ISREG(info.st_mode):
            return EvidenceFile(rel=rel, path=target, exists=False)
        with open(target, "rb") as handle:
            head = handle.read(64)
    except OSError:
        return EvidenceFile(rel=rel, path=target, exists=False)
    return EvidenceFile(rel=rel, path=target, exists=True, size=info.st_size, mtime_ns=info.st_mtime_ns, mismatch=type_mismatch(rel, head))
