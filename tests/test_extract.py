"""The extractors: every part read, where each piece sits, and damaged files refused rather than skipped."""

from __future__ import annotations

import base64
import hashlib
import io
import zipfile

import pytest
from PIL import Image

from privacy_corpus import (
    CHART,
    LOGO_PIXELS,
    SCAN_PIXELS,
    chart_labels,
    docx_header,
    docx_split_runs,
    docx_with_screenshot,
    odt_body,
    pdf,
    pdf_drawing,
    pdf_file_annotation,
    pdf_ink,
    pdf_picture_replaced,
    pdf_revised,
    pdf_xfa,
    screenshot,
    with_parts,
    xlsx_birth_serial,
    xlsx_cell,
    xlsx_part,
)
from rsqm.privacy.extract import ExtractError, Piece, Unchecked, extract

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


def pictures(name: str, data: bytes) -> list[tuple[str, str]]:
    return [(p.place, p.what) for p in extract(name, data) if isinstance(p, Unchecked) and p.picture]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_pdf_page_that_is_only_a_picture_is_a_picture_named_by_the_hash_of_its_pixels():
    assert pictures("scan.pdf", pdf(picture=SCAN_PIXELS)) == [("page 1 (no text layer: a scan?)", sha256(SCAN_PIXELS))]


def test_a_picture_beside_text_is_a_picture_too_and_the_text_is_read():
    assert pictures("leaflet.pdf", pdf("Our service leaflet.", picture=LOGO_PIXELS)) == [("page 1", sha256(LOGO_PIXELS))]
    assert "Our service leaflet." in texts("leaflet.pdf", pdf("Our service leaflet.", picture=LOGO_PIXELS))["page 1"]


def test_a_pdf_picture_is_shown_to_the_reviewer_as_an_image_file():
    [found] = [p for p in extract("scan.pdf", pdf(picture=SCAN_PIXELS)) if isinstance(p, Unchecked)]
    with Image.open(io.BytesIO(found.shown())) as image:
        assert (image.size, image.tobytes()) == ((2, 2), SCAN_PIXELS)


def test_a_picture_an_incremental_update_replaced_is_still_a_picture_of_the_file():
    assert pictures("scan.pdf", pdf_picture_replaced()) == [
        ("page 1 (no text layer: a scan?)", sha256(LOGO_PIXELS)), ("revision 1 of 2, page 1", sha256(SCAN_PIXELS))]


def test_a_page_with_no_text_layer_that_draws_is_a_picture_and_a_blank_page_is_not():
    assert pictures("outlines.pdf", pdf_drawing()) == [("page 1 (no text layer: a drawing?)", sha256(b"0 0 m 120 40 l 60 90 l h f"))]
    glyphs = b"BT /F9 12 Tf 60 700 Td <0102>Tj ET"  # a font pypdf cannot map to text
    assert pictures("glyphs.pdf", pdf_drawing(glyphs)) == [("page 1 (no text layer: a drawing?)", sha256(glyphs))]
    assert pictures("blank.pdf", pdf_drawing(b"q Q")) == []


def test_an_image_file_is_a_picture_even_when_it_cannot_be_decoded():
    assert pictures("photo.heic", b"not decodable") == [("", sha256(b"not decodable"))]


@pytest.mark.parametrize(("name", "data", "part"), [
    ("a.docx", docx_with_screenshot(), "word/media/image1.png"),
    ("a.xlsx", with_parts(xlsx_cell("Totals"), {"xl/media/image1.png": screenshot()}), "xl/media/image1.png"),
    ("a.odt", with_parts(odt_body("Policy"), {"Pictures/1.png": screenshot()}), "Pictures/1.png"),
], ids=["docx", "xlsx", "odt"])
def test_a_picture_in_an_office_file_is_named_by_its_part_and_the_hash_of_its_bytes(name, data, part):
    assert pictures(name, data) == [(part, sha256(screenshot()))]
    [found] = [p for p in extract(name, data) if isinstance(p, Unchecked)]
    assert found.shown() == screenshot()


@pytest.mark.parametrize("name", ["a.docx", "a.xlsx", "a.pdf"])
def test_a_damaged_file_raises_instead_of_passing(name):
    with pytest.raises(ExtractError):
        list(extract(name, b"this is not the file its name says"))


def authors(name: str, data: bytes) -> list[tuple[str, str]]:
    return [(p.place, p.text) for p in extract(name, data) if isinstance(p, Piece) and p.author]


def test_authors_are_read_as_authors_in_html_and_rtf_not_as_text():
    html = b'<meta name="author" content="Adaeze Okonkwo"><meta name="description" content="Leaflet"><p>Policy</p>'
    assert authors("a.html", html) == [("meta author", "Adaeze Okonkwo")]
    assert "Adaeze" not in texts("a.html", html)[""] and "Leaflet" in texts("a.html", html)[""]
    rtf = rb"{\rtf1{\info{\title Policy}{\author Adaeze Okonkwo}{\operator Niamh O'Sullivan}}Body\par}"
    assert authors("a.rtf", rtf) == [("document properties", "Adaeze Okonkwo"), ("document properties", "Niamh O'Sullivan")]
    assert "Okonkwo" not in texts("a.rtf", rtf)[""]


def test_a_spreadsheet_comments_author_is_an_author():
    comments = ('<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><authors><author>Cerys Llewelyn'
                '</author></authors><commentList/></comments>')
    assert ("comments (xl/comments1.xml)", "Cerys Llewelyn") in authors("a.xlsx", xlsx_part("xl/comments1.xml", comments))


def test_chart_labels_are_separate_values_not_one_run_of_text():
    part = texts("a.xlsx", xlsx_part("xl/charts/chart1.xml", chart_labels("Harpreet Kaur", "Dafydd ap Rhys")))
    assert part["chart (xl/charts/chart1.xml)"].split() == ["Harpreet", "Kaur", "Dafydd", "ap", "Rhys"]
    assert CHART.count("{}") == 1


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig"])
def test_a_text_file_is_read_in_the_encoding_its_mark_or_content_says(encoding):
    assert texts("a.csv", "note\nCall 07700 900123\n".encode(encoding))[""] == "note\nCall 07700 900123"


def test_an_earlier_revision_of_a_pdf_is_read_where_it_differs():
    found = texts("a.pdf", pdf_revised("Contact Mr Thistlewood", "Policy text."))
    assert found["page 1"].strip() == "Policy text." and found["revision 1 of 2, page 1"].strip() == "Contact Mr Thistlewood"
    assert not any(place.startswith("revision") for place in texts("a.pdf", pdf("Policy text.")))


def test_xfa_form_data_ink_and_attached_files_are_read():
    assert "Ottilie Quenby" in texts("a.pdf", pdf_xfa())["XFA form (datasets)"]
    [(place, _)] = pictures("a.pdf", pdf_ink())
    assert place == "page 1 annotations: ink drawing"
    assert texts("a.pdf", pdf_file_annotation())["page 1 annotations: attached contacts.txt"] == "Mobile 07700 900123"


def test_a_picture_in_a_data_uri_is_refused_by_its_hash_and_text_in_one_is_read():
    png = _png()
    page = b'<p>Leaflet</p><img src="data:image/png;base64,' + base64.b64encode(png) + b'">'
    assert pictures("a.html", page) == [("data URI 1 (image/png)", sha256(png))]
    assert "base64" not in texts("a.html", page)[""] and "iVBOR" not in texts("a.html", page)[""]
    markdown = b"[notes](data:text/plain,ring%2007700%20900123)"
    assert texts("a.md", markdown)["data URI 1 (text/plain)"] == "ring 07700 900123"


def test_a_birth_date_stored_as_a_number_is_read_as_the_date_it_shows():
    found = texts("a.xlsx", xlsx_birth_serial())
    assert found["sheet Sheet, dates under a date-of-birth heading"] == "Date of birth (column B): 14/11/1984"


def test_an_office_part_with_a_dtd_is_refused_not_expanded():
    bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><x>&b;</x>'
    with pytest.raises(ExtractError, match="EntitiesForbidden"):
        list(extract("a.docx", xlsx_part("word/document.xml", bomb)))


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, "PNG")
    return out.getvalue()
