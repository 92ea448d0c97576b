"""The load cache (rsqm/workspace/loadcache.py, docs/design.md "The load cache"): a load that finds files unchanged
takes them from .rsqm/load-cache.json, and gives exactly what a full load gives, whatever changed.

Files written by a test are seconds old, and the cache never trusts a file modified in the last
seconds (RACY_NS); ``age`` dates every file an hour back, as a workspace's files usually are.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from builders import item
from rsqm.backup.manifest import is_backed_up
from rsqm.base.paths import AUDITS_DIR, CASES_FILE, REGISTER_FILE, SETTINGS_FILE
from rsqm.files.folder import Workspace
from rsqm.files.yamlio import LoadedYaml
from rsqm.synth import generate
from rsqm.workspace import loadcache
from rsqm.workspace.load import load_workspace
from rsqm.workspace.loadcache import CACHE_FILE, TALLY
from rsqm.workspace.store import Store

HOUR_NS = 3600 * 10**9


def age(root: Path, by_ns: int = HOUR_NS) -> None:
    """Date every workspace file ``by_ns`` back (an edit made now is then the only recent change), by the file
    system's clock, which the cache trusts, not the test's fixed one."""
    probe = root / ".now"
    probe.touch()
    when = probe.stat().st_mtime_ns - by_ns
    probe.unlink()
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink() and ".rsqm" not in path.parts:
            os.utime(path, ns=(when, when))


def full_load(root: Path) -> Workspace:
    """A load that cannot use the cache (it is removed first); the reference every cached load must equal."""
    (root / CACHE_FILE).unlink(missing_ok=True)
    return load_workspace(root)


def cached_load(root: Path) -> tuple[Workspace, int]:
    """A load and how many files it took from the cache."""
    before = TALLY["files"]
    ws = load_workspace(root)
    return ws, TALLY["files"] - before


def assert_same(cached: Workspace, full: Workspace) -> None:
    """Every model, every problem as printed, and the line of every key of every file."""
    for kept in dataclasses.fields(Workspace):
        name = "cases" if kept.name == "deferred_cases" else kept.name  # the models, however they were made
        if name not in ("sources", "problems"):
            assert getattr(cached, name) == getattr(full, name), name
    assert [str(p) for p in cached.problems] == [str(p) for p in full.problems]
    assert set(cached.sources) == set(full.sources)
    for rel, source in full.sources.items():
        assert isinstance(source, LoadedYaml)
        for loc, line in source.lines.items():
            assert cached.line(rel, *loc) == line, (rel, loc)


@pytest.fixture(scope="module")
def synth_m(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("synth") / "m", "M", seed=3)


@pytest.fixture
def m_copy(synth_m: Path, tmp_path: Path) -> Path:
    target = tmp_path / "m"
    shutil.copytree(synth_m, target, ignore=shutil.ignore_patterns(".rsqm"))
    age(target)
    return target


@pytest.fixture
def demo(demo_copy: Path) -> Path:
    age(demo_copy)
    return demo_copy


# --- the same result ---------------------------------------------------------------


@pytest.mark.parametrize("which", ["demo", "m_copy"])
def test_a_second_load_takes_every_file_from_the_cache_and_equals_a_full_load(which, request):
    root = request.getfixturevalue(which)
    full = full_load(root)
    assert full.valid and (root / CACHE_FILE).is_file()
    problems_reused = TALLY["problems"]
    cached, served = cached_load(root)
    csv_files = sum((root / rel).is_file() for rel in (CASES_FILE, "evidence/feedback.csv"))
    assert served == len(full.sources) + csv_files
    assert TALLY["problems"] == problems_reused + 1, "nothing changed: the workspace's problems are reused too"
    assert_same(cached, full)


def test_a_workspace_with_warnings_reports_them_at_the_same_lines_from_the_cache(ws, cli):
    ws.evidence(item("E001", file="files/E001.txt"), item("E009", file="files/E009.txt"))
    ws.file("files/E001.txt")
    ws.file("files/E009.txt")
    age(ws.root)
    first = cli("validate", "-w", str(ws.root))
    assert first.code == 0 and "evidence/register.yaml:" in first.text and "warning" in first.text
    second = cli("validate", "-w", str(ws.root))
    assert (second.code, second.text) == (first.code, first.text)
    (ws.root / "evidence" / "files" / "E009.txt").unlink()  # checked again; the lines come from the file itself
    third = cli("validate", "-w", str(ws.root))
    (ws.root / CACHE_FILE).unlink()
    assert third.text != first.text
    without_cache = cli("validate", "-w", str(ws.root))
    assert (third.code, third.text) == (without_cache.code, without_cache.text)


# --- every kind of change is seen -------------------------------------------------------


def _first_audit(root: Path) -> Path:
    return sorted((root / AUDITS_DIR).glob("*.yaml"))[0]


def _same_size_edit(path: Path) -> None:
    """Another auditor of the same length, size and modification time kept: only the inode's ctime tells."""
    info = path.stat()
    text = path.read_text(encoding="utf-8")
    changed = re.sub(r"auditor: \w+", lambda m: "auditor: " + "P" + "9" * (len(m.group()) - len("auditor: P")), text, count=1)
    assert changed != text and len(changed) == len(text)
    path.write_text(changed, encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


def _store_write_same_stamp(path: Path, root: Path) -> None:
    """A write through the store, then size and mtime put back as they were: the new inode tells."""
    info = path.stat()
    text = path.read_text(encoding="utf-8")
    changed = re.sub(r"auditor: \w+", lambda m: "auditor: " + "Q" * (len(m.group()) - len("auditor: ")), text, count=1)
    Store(root, "P07").write(str(path.relative_to(root)), changed, change="test")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


EDITS: dict[str, Callable[[Path], None]] = {
    "content, same size and mtime": lambda root: _same_size_edit(_first_audit(root)),
    "through the store, same size and mtime": lambda root: _store_write_same_stamp(_first_audit(root), root),
    "appended to": lambda root: _first_audit(root).write_text(_first_audit(root).read_text() + "unknown_key: 1\n"),
    "removed": lambda root: _first_audit(root).unlink(),
    "renamed": lambda root: _first_audit(root).rename(_first_audit(root).with_name("ZZ-2099-0001.yaml")),
    "added": lambda root: shutil.copy(_first_audit(root), _first_audit(root).with_name("AA-2000-0001.yaml")),
    "a case changed": lambda root: (root / CASES_FILE).write_text((root / CASES_FILE).read_text().replace(",no\n", ",yes\n", 1)),
    "the case pattern changed": lambda root: (root / SETTINGS_FILE).write_text(
        (root / SETTINGS_FILE).read_text() + 'case_ref_pattern: "^X-\\\\d+$"\n'),
    "an evidence file deleted": lambda root: next(p for p in (root / "evidence" / "files").rglob("*") if p.is_file()).unlink(),
    "the register made a link leaving the workspace": lambda root: _replace_by_link(root / REGISTER_FILE),
}


def _replace_by_link(path: Path) -> None:
    outside = path.parents[2] / "outside.yaml"
    path.rename(outside)
    path.symlink_to(outside)


@pytest.mark.parametrize("edit", list(EDITS))
def test_every_kind_of_change_gives_exactly_a_full_loads_result(edit, m_copy):
    before = full_load(m_copy)
    cached_load(m_copy)  # the cache now holds every file
    EDITS[edit](m_copy)
    after, _ = cached_load(m_copy)
    assert_same(after, full_load(m_copy))
    assert (after.audits, after.cases, after.settings, after.register, after.files, [str(p) for p in after.problems]) != (
        before.audits, before.cases, before.settings, before.register, before.files, [str(p) for p in before.problems]
    ), "the edit changed nothing a load shows: the test would prove nothing"


def test_a_file_touched_but_unchanged_is_read_again_and_gives_the_same(m_copy):
    full = full_load(m_copy)
    cached_load(m_copy)
    os.utime(_first_audit(m_copy))
    after, served = cached_load(m_copy)
    assert served == len(full.sources) + 2 - 1  # all but the audit (the case list and feedback count too)
    assert_same(after, full)


def test_a_file_modified_seconds_ago_is_read_again_on_every_load(m_copy):
    full_load(m_copy)
    audit = _first_audit(m_copy)
    audit.write_text(audit.read_text())  # same content, modified now
    _, first = cached_load(m_copy)
    _, second = cached_load(m_copy)
    every = len(load_workspace(m_copy).sources) + 2  # the YAML files, the case list and the feedback
    assert first == second == every - 1


# --- a cache that cannot be trusted or written ------------------------------------------------


DAMAGE: dict[str, Callable[[Path], None]] = {
    "truncated": lambda f: f.write_bytes(f.read_bytes()[: f.stat().st_size // 2]),
    "not JSON": lambda f: f.write_bytes(b"\x00\xff garbage"),
    "another format": lambda f: _edit_header(f, lambda head: {**head, "format": "rsqm/load-cache@0"}),
    "made by other code": lambda f: _edit_header(f, lambda head: {**head, "code": "0" * 64}),
    "entries of the wrong shape": lambda f: _edit_header(f, lambda head: {**head, "files": {k: [1, 2] for k in head["files"]}}),
    "values that are not models": lambda f: f.write_bytes(_spoil_values(f.read_bytes())),
    "deeply nested": lambda f: f.write_text("[" * 100_000),
}


def _edit_header(cache: Path, change: Callable[[dict], dict]) -> None:
    """The cache is one line of JSON (the entries) and then the models' JSON back to back."""
    head, blob = cache.read_bytes().split(b"\n", 1)
    cache.write_bytes(json.dumps(change(json.loads(head))).encode() + b"\n" + blob)


def _spoil_values(raw: bytes) -> bytes:
    head, blob = raw.split(b"\n", 1)
    found = json.loads(head)
    for entry in found["files"].values():
        entry["value"] = [0, 1]  # the first byte of the first model: not a model
        entry.pop("lines", None)
    found["problems"]["problems"] = "not a list"
    return json.dumps(found).encode() + b"\n" + blob


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_cache_is_ignored_and_rebuilt(damage, m_copy):
    full = full_load(m_copy)
    DAMAGE[damage](m_copy / CACHE_FILE)
    damaged, served = cached_load(m_copy)
    assert served == 0
    assert_same(damaged, full)
    rebuilt, served = cached_load(m_copy)
    assert served > 0
    assert_same(rebuilt, full)


@pytest.mark.timeout(60)
def test_a_pipe_in_the_caches_place_does_not_hang_the_load_and_is_replaced(m_copy, cli):
    (m_copy / ".rsqm").mkdir()
    os.mkfifo(m_copy / CACHE_FILE)
    result = cli("validate", "-w", str(m_copy))
    assert (result.code, result.text.strip()) == (0, "workspace is valid: no problems found")
    assert (m_copy / CACHE_FILE).is_file()


@pytest.mark.parametrize("blocker", ["the cache file is a folder", "the state folder is a file"])
def test_a_cache_that_cannot_be_written_never_fails_the_load(blocker, m_copy, cli):
    if blocker == "the state folder is a file":
        (m_copy / ".rsqm").write_text("not a folder")
    else:
        (m_copy / CACHE_FILE).mkdir(parents=True)
    result = cli("validate", "-w", str(m_copy))
    assert (result.code, result.text.strip()) == (0, "workspace is valid: no problems found")
    ws, served = cached_load(m_copy)
    assert ws.valid and served == 0


def test_a_workspace_with_errors_writes_no_cache(m_copy, cli):
    (m_copy / REGISTER_FILE).write_text("schema: rsqm/register@1\nitems: 3\n")
    result = cli("validate", "-w", str(m_copy))
    assert result.code == 1 and "evidence/register.yaml:2" in result.text
    assert not (m_copy / ".rsqm" / "load-cache.json").exists()


def test_a_cache_over_the_size_bound_is_not_written(m_copy, monkeypatch):
    monkeypatch.setattr(loadcache, "MAX_CACHE_BYTES", 10_000)
    assert full_load(m_copy).valid
    assert not (m_copy / CACHE_FILE).exists()


def test_the_cache_is_private_and_never_in_a_backup(m_copy):
    full_load(m_copy)
    assert stat.S_IMODE((m_copy / CACHE_FILE).stat().st_mode) == 0o600
    assert stat.S_IMODE((m_copy / ".rsqm").stat().st_mode) == 0o700
    assert not is_backed_up(CACHE_FILE)


# --- unchanged at a glance: rsqm validate from the stamps alone ----------------------------------------------


def age_all(root: Path) -> None:
    """Date every file and folder an hour back, as a workspace left since yesterday is."""
    age(root)
    probe = root / ".now"
    probe.touch()
    when = probe.stat().st_mtime_ns - HOUR_NS
    probe.unlink()
    for path in [root, *root.rglob("*")]:
        if path.is_dir() and not path.is_symlink() and ".rsqm" not in path.parts:
            os.utime(path, ns=(when, when))


def validate_in_a_fresh_process(root: Path) -> tuple[str, bool]:
    """``rsqm validate`` in a new interpreter (the computer's clock, as a person runs it): its output, and whether it
    imported pydantic (the models and the rules)."""
    script = ("import sys\nfrom rsqm.cli import main\ncode = main(['validate', '-w', sys.argv[1]])\n"
              "print('pydantic' in sys.modules, code)")
    done = subprocess.run([sys.executable, "-c", script, str(root)], capture_output=True, text=True, check=True)
    *lines, last = done.stdout.splitlines()
    return "\n".join(lines) + f"\nexit {last.split()[1]}", last.split()[0] == "True"


def validated_and_left(root: Path) -> str:
    """Validate, then leave the workspace an hour (its first cache made .rsqm/, a change to the workspace's folder),
    then validate again: the run a person makes the next day. Its output."""
    validate_in_a_fresh_process(root)
    age_all(root)
    return validate_in_a_fresh_process(root)[0]


def full_validate(root: Path) -> str:
    (root / CACHE_FILE).unlink(missing_ok=True)
    return validate_in_a_fresh_process(root)[0]


def test_validate_on_an_unchanged_workspace_answers_from_the_stamps_with_a_full_loads_words(ws):
    ws.evidence(item("E001", file="files/E001.txt"), item("E009", file="files/E009.txt"))
    ws.file("files/E001.txt")
    ws.file("files/E009.txt")
    first = validated_and_left(ws.root)
    assert "warning" in first
    again, loaded_again = validate_in_a_fresh_process(ws.root)
    assert (again, loaded_again) == (first, False), "nothing changed: no model is needed to say so"
    assert again == full_validate(ws.root)


GLANCE_EDITS: dict[str, Callable[[Path], None]] = {
    **EDITS,
    "an audit added to a folder read before": lambda root: shutil.copy(_first_audit(root), root / AUDITS_DIR / "AA-2000-0002.yaml"),
    "a narrative in a new framework's folder": lambda root: (
        (root / "evidence" / "narratives" / "other").mkdir(parents=True),
        (root / "evidence" / "narratives" / "other" / "1.1.md").write_text("A narrative.\n")),
    "a settings file made a folder's neighbour": lambda root: (root / "evidence" / "requests.yaml").write_text("schema: nonsense\n"),
}


@pytest.mark.parametrize("edit", list(GLANCE_EDITS))
def test_after_any_change_validate_loads_the_workspace_and_says_what_a_full_load_says(edit, m_copy):
    validated_and_left(m_copy)
    _, loaded = validate_in_a_fresh_process(m_copy)
    assert not loaded
    GLANCE_EDITS[edit](m_copy)
    after, loaded = validate_in_a_fresh_process(m_copy)
    assert loaded, "a change must be loaded, never answered from the stamps"
    assert after == full_validate(m_copy)


def test_a_folder_changed_seconds_before_the_cache_was_written_is_not_trusted_at_a_glance(m_copy):
    validate_in_a_fresh_process(m_copy)  # the copy's folders are brand new
    _, loaded = validate_in_a_fresh_process(m_copy)
    assert loaded


def test_a_case_list_spoilt_inside_the_cache_is_read_from_its_file_when_first_used(m_copy):
    full = full_load(m_copy)
    cache = m_copy / CACHE_FILE
    cache.write_bytes(cache.read_bytes().replace(b'"referred_on":"2', b'"referred_on":"X', 1))  # same length: still a list
    cached, served = cached_load(m_copy)
    assert served > 0
    assert cached.case_count == len(full.cases)  # known without making a model
    assert_same(cached, full)  # the models, made from the file when the kept JSON was refused
