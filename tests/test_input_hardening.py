"""Files the user names are refused plainly when they are folders, pipes, devices or too large (issue 33)."""

from __future__ import annotations

import io
import os
import time
import zipfile

import pytest

from pack_fixtures import filled


def check_refused(result, *expected: str) -> None:
    assert result.code == 1, result.text
    assert "internal error" not in result.text and "Traceback" not in result.text
    for text in expected:
        assert text in result.err, result.err


@pytest.fixture
def special(tmp_path, request):
    """A folder, a FIFO nobody writes to, or an endless device, in a file's place."""
    kind = request.param
    if kind == "folder":
        path = tmp_path / "export.csv"
        path.mkdir()
        return path, "a folder"
    if kind == "fifo":
        path = tmp_path / "export.csv"
        os.mkfifo(path)
        return path, "not a regular file"
    return "/dev/zero", "not a regular file"


KINDS = ["folder", "fifo", "device"]


@pytest.mark.timeout(20)
@pytest.mark.parametrize("special", KINDS, indirect=True)
def test_cases_import_refuses_a_special_export_or_map(cli, ws, tmp_path, special):
    filled(ws)
    path, says = special
    good = tmp_path / "good.csv"
    good.write_text("ref\nRJ-1\n")
    mapping = tmp_path / "map.yaml"
    mapping.write_text("schema: rsqm/case-import@1\n")
    check_refused(cli("cases", "import", "-w", str(ws.root), str(path), "--map", str(mapping)), str(path), says,
                  "give the path of a file saved on disk")
    check_refused(cli("cases", "import", "-w", str(ws.root), str(good), "--map", str(path)), str(path), says)
    check_refused(cli("feedback", "import", "-w", str(ws.root), str(path), "--map", str(mapping)), str(path), says)
    check_refused(cli("cases", "map-template", str(path)), str(path), says)


@pytest.mark.timeout(20)
def test_an_import_map_over_its_cap_is_refused_with_the_cap_named(cli, ws, tmp_path):
    filled(ws)
    good = tmp_path / "good.csv"
    good.write_text("ref\nRJ-1\n")
    mapping = tmp_path / "map.yaml"
    mapping.write_bytes(b"#" * (2 * 1024 * 1024))
    check_refused(cli("cases", "import", "-w", str(ws.root), str(good), "--map", str(mapping)), "more than the 1 MB rsqm reads for an import map")


@pytest.mark.timeout(20)
def test_users_add_reads_one_bounded_line_from_an_endless_input(cli, ws, monkeypatch):
    filled(ws)
    with open("/dev/zero") as endless:
        monkeypatch.setattr("sys.stdin", endless)
        result = cli("users", "add", "-w", str(ws.root), "someone", "--role", "coordinator")
    check_refused(result, "longer than 1024 characters")


@pytest.mark.timeout(20)
@pytest.mark.parametrize("special", KINDS, indirect=True)
def test_evidence_add_refuses_a_special_file(cli, ws, special):
    filled(ws)
    path, _ = special
    result = cli("evidence", "add", "-w", str(ws.root), "--file", str(path), "--title", "x", "--type", "policy")
    assert result.code in (1, 2) and "internal error" not in result.text, result.text


def test_a_workbook_with_a_dtd_and_entities_is_refused_with_its_name(cli, ws, tmp_path):
    from openpyxl import Workbook

    filled(ws)
    book = Workbook()
    book.active.append(["ref", "opened"])
    book.active.append(["RJ-1", "2025-01-01"])
    plain = io.BytesIO()
    book.save(plain)
    crafted = tmp_path / "export.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(crafted, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                dtd = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
                data = data.replace(b"?>", b"?>" + dtd, 1) if data.startswith(b"<?xml") else dtd + data
            out.writestr(info, data)
    result = cli("cases", "map-template", str(crafted))
    check_refused(result, "export.xlsx", "error: ")


@pytest.mark.timeout(20)
def test_a_case_reference_pattern_with_bounded_nested_repeats_is_refused_quickly(cli, ws):
    filled(ws)
    ws.settings(case_ref_pattern=r"^RJ-(\d{1,30}){1,30}$")
    started = time.perf_counter()
    result = cli("validate", "-w", str(ws.root))
    assert time.perf_counter() - started < 10
    assert result.code == 1
    assert "rsqm.yaml:" in result.out + result.err and "a repeat inside a repeat" in result.text


def test_the_default_case_reference_pattern_still_validates(cli, ws):
    filled(ws)
    assert cli("validate", "-w", str(ws.root)).code == 0


def test_a_register_that_is_a_folder_is_a_located_error(cli, ws):
    filled(ws)
    register = ws.root / "evidence/register.yaml"
    register.unlink()
    register.mkdir()
    result = cli("validate", "-w", str(ws.root))
    assert result.code == 1
    assert "evidence/register.yaml:1: error: not a regular file" in result.text
    assert "internal error" not in result.text


@pytest.mark.timeout(20)
@pytest.mark.parametrize(("place", "make", "says"), [
    ("evidence/narratives/1.2.md", lambda path: path.symlink_to("/dev/zero"), "a link leaving the workspace"),
    ("evidence/narratives/rjc-service-provider/1.2.md", lambda path: path.symlink_to("/dev/urandom"), "a link leaving the workspace"),
    ("evidence/narratives/1.2.md", os.mkfifo, "not a regular file (a pipe, device or folder)"),
    ("evidence/narratives/rjc-service-provider/9.9.md", os.mkdir, "not a regular file (a pipe, device or folder)"),
])
def test_a_narrative_that_is_a_device_a_pipe_or_a_folder_is_a_located_error_not_skipped(cli, ws, place, make, says):
    filled(ws)
    path = ws.root / place
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    make(path)
    started = time.monotonic()
    result = cli("validate", "-w", str(ws.root))
    assert result.code == 1 and time.monotonic() - started < 10
    assert f"{place}:1: error: " in result.text and says in result.text, result.text
    assert "internal error" not in result.text
