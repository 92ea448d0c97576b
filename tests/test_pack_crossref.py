"""crossref.xlsx as an assessor uses it: one sheet per framework named by its title, the file of each item with a
link that opens it inside the unzipped pack, why an item is not in the pack, and mappings in their own column."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from builders import FRAMEWORK
from pack_fixtures import filled
from rsqm.pack.crossref import sheet_title

SECOND = {**FRAMEWORK, "id": "second-fw", "title": "Second framework: the code [2020] for services / practitioners?"}


@pytest.fixture
def two(ws):
    ws.write_yaml("standards/second-fw.yaml", SECOND)
    ws.settings(frameworks=["second-fw"])
    ws.write("standards/mappings/test-fw--second-fw.yaml",
             "schema: rsqm/mapping@1\nfrom: test-fw\nto: second-fw\nrelations:\n  - {from: A1, to: A1, relation: equal}\n")
    return filled(ws)


def exported(cli, root, tmp_path):
    out = tmp_path / "p.zip"
    result = cli("export", "-w", str(root), "--out", str(out), "--as-of", "2026-06-30")
    assert result.code == 0, result.text
    with zipfile.ZipFile(out) as pack:
        return openpyxl.load_workbook(io.BytesIO(pack.read("crossref.xlsx"))), set(pack.namelist())


def rows(sheet) -> list[dict[str, object]]:
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def test_one_sheet_per_framework_named_by_its_title_as_excel_allows(cli, two, tmp_path):
    book, _ = exported(cli, two.root, tmp_path)
    assert book.sheetnames == ["Test framework", "Second framework- the code"]
    assert all(len(name) <= 31 and not set(name) & set("[]:*?/\\") for name in book.sheetnames)


def test_sheet_names_are_unique_short_and_never_a_reserved_name():
    taken: set[str] = set()
    names = [sheet_title(t, taken) for t in ("A very long framework title that goes on and on",
                                              "A very long framework title that goes on and on", "History", "'Quoted'")]
    assert names[0] == "A very long framework title"
    assert names[1] == "A very long framework title (2)"
    assert names[2] != "History" and names[3] == "Quoted"
    assert len({n.lower() for n in names}) == 4 and all(len(n) <= 31 for n in names)


def test_each_packed_item_gives_its_file_with_a_link_that_opens_it_inside_the_unzipped_pack(cli, two, tmp_path):
    book, members = exported(cli, two.root, tmp_path)
    sheet = book["Test framework"]
    linked = [row[5] for row in sheet.iter_rows(min_row=2) if row[3].value == "E001"]
    assert linked
    for cell in linked:
        assert cell.value.startswith("evidence/E001-") and cell.value in members
        assert cell.hyperlink.target == cell.value  # relative to the workbook, at the pack's root


def test_an_item_not_in_the_pack_says_why(cli, two, tmp_path):
    book, _ = exported(cli, two.root, tmp_path)
    expired = next(r for r in rows(book["Test framework"]) if r["Evidence"] == "E006")
    assert expired["File in this pack"] is None
    assert expired["In this pack"].startswith("no: E006 ")
    assert len(expired["In this pack"]) > len("no: E006 ")


def test_a_link_counted_through_a_mapping_names_the_mapping_in_its_own_column(cli, two, tmp_path):
    book, _ = exported(cli, two.root, tmp_path)
    main = next(r for r in rows(book["Test framework"]) if r["Indicator"] == "A1" and r["Evidence"] == "E001")
    assert main["Claim"] == "offer made to every harmed person" and main["Counted through a mapping"] is None
    mapped = next(r for r in rows(book["Second framework- the code"]) if r["Indicator"] == "A1" and r["Evidence"] == "E001")
    assert mapped["Claim"] == "offer made to every harmed person"
    assert mapped["Counted through a mapping"] == "Test framework A1, mapped as equal"
