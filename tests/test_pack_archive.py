"""Deterministic ZIPs and pack file names."""

from __future__ import annotations

import io
import zipfile
from datetime import date

from rsqm.pack.archive import Entry, normalise_zip, write_zip, zip_time
from rsqm.pack.plan import slug


def test_slug_is_lowercase_ascii_with_hyphens_cut_at_a_word():
    assert slug("Restorative Justice Policy & Procedure") == "restorative-justice-policy-procedure"
    assert slug("Café supervision — Q1") == "cafe-supervision-q1"
    long = slug("A very long title about supervision arrangements for every practitioner")
    assert len(long) <= 40 and not long.endswith("-")
    assert slug("!!!") == "document"


def test_zip_entries_are_sorted_with_fixed_time_and_permissions():
    out = io.BytesIO()
    write_zip(out, [Entry("b.txt", b"2"), Entry("a.txt", b"1")], zip_time(date(2026, 6, 30)))
    with zipfile.ZipFile(out) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == ["a.txt", "b.txt"]
    assert {i.date_time for i in infos} == {(2026, 6, 30, 0, 0, 0)}
    assert {i.external_attr >> 16 for i in infos} == {0o100644}


def test_normalising_a_zip_removes_timestamps_and_order():
    first, second = io.BytesIO(), io.BytesIO()
    with zipfile.ZipFile(first, "w") as a:
        a.writestr(zipfile.ZipInfo("x", (2020, 1, 1, 1, 2, 3)), "x")
        a.writestr(zipfile.ZipInfo("y", (2021, 5, 5, 5, 5, 5)), "y")
    with zipfile.ZipFile(second, "w") as b:
        b.writestr(zipfile.ZipInfo("y", (2024, 2, 2, 2, 2, 2)), "y")
        b.writestr(zipfile.ZipInfo("x", (2025, 3, 3, 3, 3, 3)), "x")
    when = zip_time(date(2026, 1, 1))
    assert normalise_zip(first.getvalue(), when) == normalise_zip(second.getvalue(), when)


def test_formats_compressed_already_are_stored_and_everything_else_deflated():
    names = ["scan.pdf", "minutes.DOCX", "rota.xlsx", "slides.pptx", "photo.jpg", "chart.png", "bundle.zip", "policy.md", "log.csv"]
    out = io.BytesIO()
    write_zip(out, [Entry(name, b"same words " * 200) for name in names], zip_time(date(2026, 6, 30)))
    with zipfile.ZipFile(out) as archive:
        methods = {i.filename: i.compress_type for i in archive.infolist()}
        assert archive.testzip() is None
    assert {n for n, m in methods.items() if m == zipfile.ZIP_STORED} == set(names[:7])
    assert {n for n, m in methods.items() if m == zipfile.ZIP_DEFLATED} == {"policy.md", "log.csv"}


def test_a_stored_file_read_from_disk_gives_the_same_bytes_every_time(tmp_path):
    (tmp_path / "scan.pdf").write_bytes(bytes(range(256)) * 5000)
    packs = []
    for _ in range(2):
        out = io.BytesIO()
        write_zip(out, [Entry("evidence/E001-scan.pdf", source=tmp_path / "scan.pdf"), Entry("notes.md", b"text")],
                  zip_time(date(2026, 6, 30)))
        packs.append(out.getvalue())
    assert packs[0] == packs[1]
    with zipfile.ZipFile(io.BytesIO(packs[0])) as archive:
        assert archive.read("evidence/E001-scan.pdf") == (tmp_path / "scan.pdf").read_bytes()
