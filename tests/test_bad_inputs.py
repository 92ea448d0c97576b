"""The bad-input corpus: every broken workspace gives exit 1, a message naming the file (and the
line where there is one), no traceback, and no change on disk.

tests/fixtures/bad/<case>/workspace/ holds files laid over a fresh valid workspace;
EXPECT lists text the output must contain, one per line. Cases that cannot be
stored as plain files (huge files, 100,000-level nesting, symlinks, ZIPs) are
built below.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from builders import WorkspaceBuilder, build
from rsqm.files.models import CASE_COLUMNS
from rsqm.files.yamlio import MAX_YAML_BYTES

CORPUS = Path(__file__).parent / "fixtures" / "bad"
REGISTER_HEAD = "schema: rsqm/register@1\nitems:\n"
ITEM = (
    "- id: E001\n  title: Policy\n  type: policy\n  file: files/E001.pdf\n  owner: Service manager\n"
    "  dated: 2026-01-01\n  status: approved\n  links:\n  - indicator: A1\n    locator: p. 1\n"
)


def snapshot(*roots: Path) -> dict[str, bytes]:
    """Every file's bytes (links recorded by target), so a refusal can be shown to change nothing."""
    found: dict[str, bytes] = {}
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_symlink():
                found[str(path)] = os.readlink(path).encode()
            elif path.is_file():
                found[str(path)] = path.read_bytes()
            else:
                found[str(path)] = b"<dir>"
    return found


def assert_refused(cli, args: list[str], expected: list[str], *watched: Path) -> None:
    before = snapshot(*watched)
    result = cli(*args)
    assert result.code == 1, result.text
    assert "Traceback" not in result.text and "internal error" not in result.text, result.text
    for text in expected:
        assert text in result.text, f"expected {text!r} in:\n{result.text}"
    assert snapshot(*watched) == before, "a refused input changed files on disk"


# --- stored corpus -------------------------------------------------------------

STORED = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())


def test_the_corpus_has_at_least_forty_cases():
    assert len(STORED) + len(GENERATED) >= 40


@pytest.mark.parametrize("name", STORED)
def test_a_stored_bad_workspace_is_refused_cleanly(name, tmp_path, cli):
    ws = build(tmp_path / "ws")
    shutil.copytree(CORPUS / name / "workspace", ws.root, dirs_exist_ok=True)
    expected = (CORPUS / name / "EXPECT").read_text(encoding="utf-8").splitlines()
    assert_refused(cli, ["validate", "-w", str(ws.root)], expected, ws.root)


# --- generated corpus ----------------------------------------------------------


def huge_register(ws: WorkspaceBuilder, tmp: Path) -> list[str]:
    with open(ws.root / "evidence/register.yaml", "wb") as handle:
        handle.write(REGISTER_HEAD.encode())
        handle.write(b"# padding\n" * (MAX_YAML_BYTES // 10 + 1))
    return ["evidence/register.yaml:1: error: file is larger than 32 MiB; refusing to parse it"]


def huge_case_list(ws: WorkspaceBuilder, tmp: Path) -> list[str]:
    row = b"RT-2025-001,2025-06-01,2025-11-15,letter,theft,harmed_person,P01,completed\n"
    with open(ws.root / "evidence/cases.csv", "ab") as handle:
        handle.write(row * (MAX_YAML_BYTES // len(row) + 1))
    return ["evidence/cases.csv:1: error: file is larger than 32 MiB"]


def deep_block_nesting(ws: WorkspaceBuilder, tmp: Path) -> list[str]:
    """6,000 levels of block mappings (18 MB, under the size cap) are refused by indentation, unparsed."""
    lines = (" " * level + "k:\n" for level in range(6_000))
    ws.write("evidence/register.yaml", REGISTER_HEAD + "".join(lines))
    return ["evidence/register.yaml:403: error: nesting or indentation deeper than 400 columns"]


def deep_flow_nesting(ws: WorkspaceBuilder, tmp: Path) -> list[str]:
    ws.write("rsqm.yaml", "schema: rsqm/workspace@1\nservice: " + "[" * 100_000 + "]" * 100_000 + "\n")
    return ["rsqm.yaml:2: error: nesting deeper than 64 levels"]


def deep_compact_nesting(ws: WorkspaceBuilder, tmp: Path) -> list[str]:
    ws.write("evidence/register.yaml", REGISTER_HEAD + "- " * 100_000 + "x\n")
    return ["evidence/register.yaml:3: error: nesting or indentation deeper than 400 columns"]


def evidence_symlink_leaving(ws: WorkspaceBuilder, tmp: Path) -> list[str]:
    secret = tmp / "outside" / "secret.pdf"
    secret.parent.mkdir()
    secret.write_bytes(b"%PDF-1.4 not yours\n")
    (ws.root / "evidence/files").mkdir(parents=True)
    os.symlink(secret, ws.root / "evidence/files/E001.pdf")
    ws.write("evidence/register.yaml", REGISTER_HEAD + ITEM)
    return ["evidence/register.yaml:6: error: E001: file path 'files/E001.pdf' leaves the evidence/ folder"]


def evidence_folder_symlink_leaving(ws: WorkspaceBuilder, tmp: Path) -> list[str]:
    outside = tmp / "outside"
    outside.mkdir()
    (outside / "E001.pdf").write_bytes(b"%PDF-1.4\n")
    os.symlink(outside, ws.root / "evidence/files", target_is_directory=True)
    ws.write("evidence/register.yaml", REGISTER_HEAD + ITEM)
    return ["evidence/register.yaml:6: error: E001: file path 'files/E001.pdf' leaves the evidence/ folder"]


def register_symlink_leaving(ws: WorkspaceBuilder, tmp: Path) -> list[str]:
    outside = tmp / "elsewhere.yaml"
    outside.write_text(REGISTER_HEAD)
    (ws.root / "evidence/register.yaml").unlink()
    os.symlink(outside, ws.root / "evidence/register.yaml")
    return ["evidence/register.yaml:1: error: file is a link leaving the workspace"]


def fifo_in_place_of(rel: str) -> Callable[[WorkspaceBuilder, Path], list[str]]:
    def make(ws: WorkspaceBuilder, tmp: Path) -> list[str]:
        path = ws.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        os.mkfifo(path)  # nobody writes into it: reading it would wait forever
        return [f"{rel}:1: error: not a regular file (a pipe, device or folder); refusing to read it"]

    return make


def backtracking_case_ref_pattern(ws: WorkspaceBuilder, tmp: Path) -> list[str]:
    ws.settings(case_ref_pattern=r"^(\w+\s?)+$")
    ws.write("evidence/cases.csv", ",".join(CASE_COLUMNS) + "\n" + "a" * 40 + "!,2025-06-01,,letter,theft,harmed_person,P01,\n")
    return ["rsqm.yaml:6: error: form of case reference: refused: a repeat inside a repeat"]


def huge_max_age(ws: WorkspaceBuilder, tmp: Path) -> list[str]:
    path = ws.root / "standards/test-fw.yaml"
    path.write_text(path.read_text().replace("max_age_months: 12", "max_age_months: 99999999", 1))
    return ["evidence max age months: 99999999 is too large: it must be at most 1200"]


def far_assessment_date(ws: WorkspaceBuilder, tmp: Path) -> list[str]:
    ws.settings(assessment_date="9999-12-31")
    return ["rsqm.yaml:5: error: assessment date: 9999-12-31 is outside the dates rsqm accepts (1900-01-01 to 2999-12-31)"]


def pack_with(entries: dict[str, bytes]) -> Callable[[WorkspaceBuilder, Path], list[str]]:
    def make(ws: WorkspaceBuilder, tmp: Path) -> list[str]:
        with zipfile.ZipFile(tmp / "pack.zip", "w") as archive:
            archive.writestr("manifest.json", '{"schema": "rsqm/pack@1", "files": []}')
            for name, data in entries.items():
                archive.writestr(name, data)
        return ["pack.zip", *entries]

    return make


def pack_not_a_zip(ws: WorkspaceBuilder, tmp: Path) -> list[str]:
    (tmp / "pack.zip").write_bytes(b"%PDF-1.4 this is not a zip\n")
    return ["pack.zip"]


GENERATED: dict[str, Callable[[WorkspaceBuilder, Path], list[str]]] = {
    "huge-register": huge_register,
    "huge-case-list": huge_case_list,
    "deep-block-nesting-6000": deep_block_nesting,
    "deep-flow-nesting-100000": deep_flow_nesting,
    "deep-compact-nesting-100000": deep_compact_nesting,
    "evidence-symlink-leaving": evidence_symlink_leaving,
    "evidence-folder-symlink-leaving": evidence_folder_symlink_leaving,
    "register-symlink-leaving": register_symlink_leaving,
    "verify-zip-slip": pack_with({"../../evil.sh": b"#!/bin/sh\n"}),
    "verify-absolute-entry": pack_with({"/etc/cron.d/evil": b"x"}),
    "verify-not-a-zip": pack_not_a_zip,
    "register-fifo": fifo_in_place_of("evidence/register.yaml"),
    "settings-fifo": fifo_in_place_of("rsqm.yaml"),
    "standards-fifo": fifo_in_place_of("standards/extra.yaml"),
    "case-ref-pattern-backtracking": backtracking_case_ref_pattern,
    "max-age-months-99999999": huge_max_age,
    "assessment-date-9999-12-31": far_assessment_date,
}


@pytest.mark.timeout(60)  # a FIFO read or a backtracking pattern would hang here
@pytest.mark.parametrize("name", sorted(GENERATED))
def test_a_generated_bad_input_is_refused_cleanly(name, tmp_path, cli):
    ws = build(tmp_path / "ws")
    expected = GENERATED[name](ws, tmp_path)
    args = ["verify", str(tmp_path / "pack.zip")] if name.startswith("verify-") else ["validate", "-w", str(ws.root)]
    assert_refused(cli, args, expected, tmp_path)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("command", [["gaps"], ["export", "--check"], ["validate"]])
def test_every_command_refuses_a_fifo_register_instead_of_waiting(command, tmp_path, cli):
    ws = build(tmp_path / "ws")
    fifo_in_place_of("evidence/register.yaml")(ws, tmp_path)
    result = cli(*command, "-w", str(ws.root))
    assert result.code == 1
    assert "evidence/register.yaml:1: error: not a regular file" in result.text


@pytest.mark.parametrize("command", ["gaps", "export"])
@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_an_as_of_date_out_of_range_is_a_usage_error_not_an_internal_error(command, day, tmp_path, cli):
    ws = build(tmp_path / "ws")
    result = cli(command, "-w", str(ws.root), "--as-of", day, *(["--check"] if command == "export" else []))
    assert result.code == 2
    assert f"{day} is outside the dates rsqm accepts" in result.err
    assert "internal error" not in result.text
