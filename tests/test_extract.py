"""The extractors: every part read, where each piece sits, and damaged files refused rather than skipped."""

from __future__ import annotations

import io
import zipfile

import pytest

from privacy_corpus import docx_header, docx_split_runs, pdf
from rsqm.privacy.extract import ExtractError, Piece, Unchecked, extract
from rsqm.privacy.extract.pdf import PICTURE_ONLY

SHEET = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def texts(name: str, data: bytes) -> dict[str, str]:
    return {p.place: p.text for p in extract(name, data) if isinstance(p, Piece) and not p.author}


def test_a_paragraph_split_into_runs_reads_as_one_line():
    assert "Call 07700 900123" in texts("a.docx", docx_split_runs())["body (word/document.xml)"]


def test_a_header_is_read_and_named():
    assert "Prepared by Mr Thistlewood" in texts("a.docx", docx_header())["header (word/header1.xml)"]


def test_shared_string_indexes_are_not_read_as_numbers():
    cells = "".join(f'<c r="A{n}" t="s"><v>{digit}</v></c>' for n, digit in enumerate("07700900123", start=1))
    sheet = f'<worksheet xmlns="{SHEET}"><sheetData><row r="1">{cells}<c r="L1"><v>42</v></c></row></sheetData></worksheet>'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    assert texts("a.xlsx", out.getvalue())["sheet (xl/worksheets/sheet1.xml)"].strip(" |\n") == "42"


def test_pdf_pages_metadata_and_annotations_are_read():
    found = texts("a.pdf", pdf("Policy text.", metadata={"/Title": "Leaflet"}, note="see page 2"))
    assert "Policy text." in found["page 1"] and "Leaflet" in found["metadata"] and "see page 2" in found["page 1 annotations"]


def test_a_pdf_page_that_is_only_a_picture_is_refused_as_unchecked():
    found = list(extract("scan.pdf", pdf(picture=True)))
    assert [(p.place, p.what) for p in found if isinstance(p, Unchecked)] == [("page 1", PICTURE_ONLY)]


def test_a_picture_beside_text_is_read_with_the_text_not_refused():
    found = list(extract("leaflet.pdf", pdf("Our service leaflet.", picture=True)))
    assert not any(isinstance(p, Unchecked) for p in found)
    assert "Our service leaflet." in texts("leaflet.pdf", pdf("Our service leaflet.", picture=True))["page 1"]


def test_an_image_is_refused_as_unchecked():
    assert any(isinstance(p, Unchecked) for p in extract("photo.heic", b"not decodable"))


@pytest.mark.parametrize("name", ["a.docx", "a.xlsx", "a.pdf"])
def test_a_damaged_file_raises_instead_of_passing(name):
    with pytest.raises(ExtractError):
        list(extract(name, b"this is not the file its name says"))
