"""Loading a workspace folder into models, with every problem found on the way.

This is the I/O shell around the models: it reads files, records the line of
every key, and checks what only the file system can tell (paths leaving
``evidence/``, files not on disk). Cross-reference checks are pure and live in
``rsqm.workspace.validation``.
"""

from __future__ import annotations

import gc
import json
import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from pydantic import BaseModel, TypeAdapter, ValidationError

from rsqm.base.dates import workspace_today
from rsqm.base.paths import (
    ACCREDITATION_FILE,
    ACTIONS_FILE,
    AUDITS_DIR,
    CASES_FILE,
    FEEDBACK_FILE,
    MAPPINGS_DIR,
    NARRATIVES_DIR,
    PRIVACY_REVIEW_FILE,
    REGISTER_FILE,
    REQUESTS_FILE,
    SAMPLES_DIR,
    SECOND_MARKING_SUFFIX,
    SETTINGS_FILE,
    WORKFORCE_FILE,
)
from rsqm.base.problems import Problem, error, sort_problems
from rsqm.base.root import resolve_root
from rsqm.files.folder import Containment, Deferred, EvidenceFile, Reparsed, Workspace, containment, read_text, read_yaml
from rsqm.files.models import (
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
    SecondMarking,
    Workforce,
    WorkspaceSettings,
)
from rsqm.files.yamlio import LoadedYaml, M, YamlRefused, parse_model
from rsqm.imports.caselist import parse_cases
from rsqm.imports.feedback import parse_feedback
from rsqm.workspace.loadcache import LoadCache, problems_from, problems_json
from rsqm.workspace.uploads import type_mismatch
from rsqm.workspace.validation import check_workspace

# Stands in while rsqm.yaml has errors, so the rest of the workspace can still be checked.
UNREADABLE_SETTINGS = WorkspaceSettings.model_validate(
    {"schema": "rsqm/workspace@1", "service": "(rsqm.yaml has errors)", "framework": "?", "checklist": "?"}
)


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


def _yaml_files(root: Path, rel_dir: str, cache: LoadCache) -> list[str]:
    cache.note_folder(rel_dir)
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
        cache.note_folder("")
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


# Objects a load may make before they are frozen when it ends (an L workspace makes about 200,000, XL 1.8 million).
FREEZE_AFTER = 100_000


@contextmanager
def _collector_paused():
    """Loading creates many objects that all stay alive and hold no reference cycles (a model is freed by its count
    when the workspace is): the cyclic collector's passes over them find nothing (15-30% of a large load). So it is
    paused while they are made, and after a large load they are frozen (``gc.freeze``): no later pass reads them,
    where the first pass after the load read every one (half a second on XL)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_count()[0] > FREEZE_AFTER:
            gc.freeze()
        if enabled:
            gc.enable()


def _load_standards(ws: Workspace, cache: LoadCache) -> None:
    for rel in _yaml_files(ws.root, "standards", cache):
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
    for rel in _yaml_files(ws.root, MAPPINGS_DIR, cache):
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
    cache.note_folder("evidence")  # the files below are read only when they exist
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
    for rel, name, sample in _named_models(ws, cache, SAMPLES_DIR, Sample, "name", "sample name"):
        if name in ws.samples:
            ws.problems.append(error(rel, ws.line(rel, "name"), f"duplicate sample name '{name}'"))
            continue
        ws.samples[name] = sample
    for _, case_ref, audit in _named_models(ws, cache, AUDITS_DIR, Audit, "case_ref", "case_ref", skip=SECOND_MARKING_SUFFIX):
        ws.audits[case_ref] = audit
    for rel, case_ref, second in _named_models(ws, cache, AUDITS_DIR, SecondMarking, "case_ref", "case_ref", suffix=SECOND_MARKING_SUFFIX):
        _add_second_marking(ws, rel, case_ref, second)
    _load_narratives(ws, cache)
    evidence = containment(root / "evidence")
    ws.files = {item.id: evidence_file(root, item.file, evidence) for item in ws.register.items}
    top = str(root)
    cache.note_linked([_plain(top, f) for f in ws.files.values()])


def _plain(root: str, linked: EvidenceFile) -> str | None:
    """A linked evidence file's path in the workspace when it is its own (no link on the way), else None."""
    rel = os.path.normpath(os.path.join("evidence", linked.rel))
    return rel if linked.path is not None and str(linked.path) == os.path.join(root, rel) else None


def _named_models(ws: Workspace, cache: LoadCache, folder: str, model: type[M], key: str, what: str, *,
                  suffix: str = "", skip: str | None = None) -> Iterator[tuple[str, str, M]]:
    """(file, name, model) of each YAML file in ``folder`` whose ``key`` is its file name; a file named otherwise is an
    error at that key and is not used. ``suffix``: only files ending so, named without it; ``skip``: files ending so."""
    for rel in _yaml_files(ws.root, folder, cache):
        if not rel.endswith(suffix) or (skip is not None and rel.endswith(skip)):
            continue
        found = _load_model(ws, rel, model, cache)
        if found is None:
            continue
        name = getattr(found, key)
        if (rel.rsplit("/", 1)[1][: -len(suffix)] if suffix else rel.rsplit("/", 1)[1].rsplit(".", 1)[0]) != name:
            ws.problems.append(error(rel, ws.line(rel, key), f"{what} '{name}' does not match the file name"))
            continue
        yield rel, name, found


def _add_second_marking(ws: Workspace, rel: str, case_ref: str, second: SecondMarking) -> None:
    """The second marker's own file joins its audit as its ``moderation`` (one second marking per audit)."""
    audit = ws.audits.get(case_ref)
    if audit is None:
        ws.problems.append(error(rel, ws.line(rel, "case_ref"), f"a second marking of {case_ref}, which has no audit record "
                                 f"({ws.audit_path(case_ref)})"))
    elif audit.moderation is not None:
        ws.problems.append(error(rel, ws.line(rel, "case_ref"), f"{ws.audit_path(case_ref)} holds a second marking too; keep one of them"))
    else:
        ws.audits[case_ref] = audit.model_copy(update={"moderation": second.moderation()})


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


def _cached_table(ws: Workspace, cache: LoadCache, rel: str, params: str, adapter: TypeAdapter,
                  parse: Callable[[str], tuple[list, dict[str, int] | None, list[Problem]]],
                  defer: bool = False) -> tuple[list | Deferred, dict[str, int] | None] | None:
    """A CSV table (the case list, the feedback) from the load cache when its file and ``params`` are unchanged, else
    parsed and kept for the next load: (rows, line of each case reference or None). None when the file cannot be read.
    ``defer``: rows from the cache are validated on first use (``Deferred``), their count known at once."""
    entry = cache.recall(rel, params)
    if entry is not None:
        try:
            value, count, problems = entry["value"], entry["rows"], problems_from(entry["problems"])
            lines = CASE_LINES.validate_json(entry["lines"]) if "lines" in entry else None
            if type(count) is not int or count < 0 or value[:1] != b"[" or value[-1:] != b"]":
                raise ValueError("not a list of rows")
            rows = Deferred(count, _validated(ws.root, rel, value, adapter, parse)) if defer else adapter.validate_json(value)
        except (KeyError, TypeError, ValueError):
            pass  # a damaged entry: read the file
        else:
            ws.problems.extend(problems)
            cache.reuse(rel, entry)
            return rows, lines
    start = len(ws.problems)
    text = _read_reported(ws, rel)
    if text is None:
        return None
    rows, lines, problems = parse(text)
    ws.problems.extend(problems)
    value = adapter.dump_json(rows, by_alias=True, exclude_unset=True)
    if adapter.validate_json(value) == rows:
        kept_lines = {} if lines is None else {"lines": json.dumps(lines).encode()}
        cache.keep(rel, params, value=value, rows=len(rows), problems=problems_json(ws.problems[start:]), **kept_lines)
    return rows, lines


def _validated(root: Path, rel: str, value: bytes, adapter: TypeAdapter,
               parse: Callable[[str], tuple[list, dict[str, int] | None, list[Problem]]]) -> Callable[[], list]:
    """The models of a cached table, made when first asked for (the collector paused, as in the load). Should the
    kept JSON be refused then (a damaged cache), the file is parsed again; its problems were the cache's already."""
    def make() -> list:
        with _collector_paused():
            try:
                return adapter.validate_json(value)
            except ValueError:
                try:
                    return parse(read_text(root, rel)[0])[0]
                except YamlRefused:
                    return []
    return make


def _load_cases(ws: Workspace, cache: LoadCache) -> None:
    pattern = ws.settings.case_ref_pattern
    found = _cached_table(ws, cache, CASES_FILE, pattern, CASES, lambda text: parse_cases(text, CASES_FILE, pattern), defer=True)
    if found is not None:
        ws.deferred_cases, ws.case_lines = found[0], found[1] or {}


def _load_feedback(ws: Workspace, today: date, cache: LoadCache) -> None:
    if not (ws.root / FEEDBACK_FILE).exists():
        return
    questions, pattern = ws.settings.feedback_questions, ws.settings.case_ref_pattern

    def parse(text: str) -> tuple[list[FeedbackResponse], None, list[Problem]]:
        feedback, problems = parse_feedback(text, FEEDBACK_FILE, questions, pattern, today)
        return feedback, None, problems

    found = _cached_table(ws, cache, FEEDBACK_FILE, json.dumps([questions, pattern, today.isoformat()]), FEEDBACK, parse)
    if found is not None:
        ws.feedback = found[0]


def _load_narratives(ws: Workspace, cache: LoadCache) -> None:
    """``narratives/<framework>/<id>.md``, and the older ``narratives/<id>.md`` and ``narratives/<framework>:<id>.md``.

    Keys: the indicator id for the main framework, ``framework:id`` for a further one. Where an older file and a
    folder file give the same indicator, the older file is read (the dashboard edits the file it was read from).
    """
    folder = ws.root / NARRATIVES_DIR
    cache.note_folder(NARRATIVES_DIR)
    if not folder.is_dir():
        return
    found: list[tuple[str, str]] = []  # (key, rel): folders first, so the older flat files win
    flat: list[tuple[str, str]] = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.is_dir(follow_symlinks=False) and not entry.name.startswith("."):
            cache.note_folder(f"{NARRATIVES_DIR}/{entry.name}")
            for inner in sorted(os.scandir(entry.path), key=lambda e: e.name):
                if inner.name.endswith(".md") and not inner.name.startswith("."):  # anything else there is refused when read
                    indicator = inner.name.removesuffix(".md")
                    key = indicator if entry.name == ws.settings.framework else f"{entry.name}:{indicator}"
                    found.append((key, f"{NARRATIVES_DIR}/{entry.name}/{inner.name}"))
        elif entry.name.endswith(".md"):  # a link to a device, a pipe: refused, with its name, when read
            flat.append((entry.name.removesuffix(".md"), f"{NARRATIVES_DIR}/{entry.name}"))
    for key, rel in [*found, *flat]:
        cache.note(rel)  # read every time (small), but part of what the workspace's problems depend on
        try:
            text, problems = read_text(ws.root, rel)
        except YamlRefused as refused:
            ws.problems.append(refused.problem)
            continue
        ws.problems.extend(problems)
        ws.narratives[key] = text
        ws.narrative_files[key] = rel


def evidence_file(root: Path, rel: str, evidence: Containment | None = None) -> EvidenceFile:
    """Resolve a register path; ``path`` is None when it leaves evidence/ (.., absolute, symlink)."""
    target = (evidence or Containment(root / "evidence")).resolve(rel)
    if target is None:
        return EvidenceFile(rel=rel, path=None, exists=False)
    try:
        info = os.stat(target)
        if not stat.S_ISREG(info.st_mode):
            return EvidenceFile(rel=rel, path=target, exists=False)
        fd = os.open(target, os.O_RDONLY | os.O_NONBLOCK)  # unbuffered: its 64 bytes, not a buffer's 8 KB (10,000 files on XL)
        try:
            head = os.read(fd, 64)
        finally:
            os.close(fd)
    except OSError:
        return EvidenceFile(rel=rel, path=target, exists=False)
    return EvidenceFile(rel=rel, path=target, exists=True, size=info.st_size, mtime_ns=info.st_mtime_ns, mismatch=type_mismatch(rel, head))
