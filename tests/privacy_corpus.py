"""The privacy corpus: leak vectors the pre-flight must find, and legitimate text it must let through.

Everything is invented: example.org/.net addresses, Ofcom's drama numbers (07700 900xxx, 020 7946 0xxx,
0161 496 0xxx), made-up surnames. ``LEAKS`` are texts; ``FILE_LEAKS`` are files built here with
python-docx, openpyxl and pypdf (or as raw parts where those libraries have no API), each hiding
personal data where real documents hide it. bench/privacy.py reports the leak and false-positive
rates of this corpus.
"""

from __future__ import annotations

import base64
import hashlib
import io
import zipfile
from collections.abc import Callable

import docx
import openpyxl
from openpyxl.comments import Comment
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Text
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, NumberObject, TextStringObject

from rsqm.files.models import PrivacyReview

KEY_NAMES = ["Ottilie Quenby", "Ottilie", "Quenby", "Li Wei"]
PUBLIC_CONTACTS = ["020 7946 0000", "hello@example-rj.org", "Example RJ, 1 High Street, Exampletown EX1 1AA"]
CASE_REF_PATTERN = r"^[A-Z]{2,5}-\d{4}-\d{3,5}$"
LOGO_PIXELS, SCAN_PIXELS = bytes(range(0, 256, 64)), bytes((0, 255, 255, 0))  # a PDF's 2 x 2 pictures: a logo, a scan
KNOWN_REFS = ["RJ-2025-001", "RJ-2026-0079"]  # the case list's references: the service's own start with RJ

LEAKS: list[tuple[str, str]] = [
    ("plain e-mail", "Contact jo.bloggs@example.net for details"),
    ("e-mail in capitals", "EMAIL: JO.BLOGGS@EXAMPLE.NET"),
    ("e-mail spelled out", "write to jo dot bloggs at example dot org"),
    ("e-mail with [at] [dot]", "jo.bloggs [at] example [dot] net"),
    ("e-mail with (at) (dot), two-part domain", "jo.bloggs(at)example(dot)co(dot)uk"),
    ("e-mail with spaces round @", "jo.bloggs @ example . org"),
    ("e-mail in full-width characters", "jo.bloggs＠example.org"),
    ("e-mail with zero-width spaces", "jo.blo\u200bggs@exa\u200bmple.org"),
    ("e-mail in a Markdown link", "[write to us](mailto:jo.bloggs@example.net)"),
    ("e-mail split by emphasis", "**jo.bloggs**@example.net"),
    ("mobile", "call 07700 900123 after 5"),
    ("mobile split across lines", "call 07700\n900123 after 5"),
    ("mobile +44", "+44 7700 900123"),
    ("mobile +44 (0)", "+44 (0)7700 900 123"),
    ("mobile digit by digit", "0 7 7 0 0 9 0 0 1 2 3"),
    ("mobile with hyphens", "07700-900-123"),
    ("mobile without spaces", "mobile 07700900123"),
    ("mobile with a non-breaking space", "07700\u00a0900123"),
    ("mobile with a soft hyphen", "07700\u00ad900123"),
    ("mobile in emphasis", "ring *07700* 900123"),
    ("mobile stored as a number", "7700900123"),
    ("landline London", "020 7946 0123"),
    ("landline Manchester with hyphens", "tel:0161-496-0123"),
    ("postcode", "Postcode SW1A 1AA"),
    ("postcode lower case", "lives at sw1a 1aa"),
    ("postcode without the space", "SW1A1AA"),
    ("postcode split across lines", "London\nSW1A\n1AA"),
    ("postcode short form", "M1 1AE"),
    ("postcode lower case, short", "cr2 6xh"),
    ("postcode with a non-breaking space", "SW1A\u00a01AA"),
    ("postcode with emphasis", "SW1A **1AA**"),
    ("postcode with two spaces", "B33  8TH"),
    ("postcode with a hyphen", "postcode: sw1a-1aa"),
    ("street address", "lives at 14 Acacia Avenue, Exampletown"),
    ("flat and street, lines joined", "Flat 2,\n7b Mill Lane"),
    ("NI number spaced", "NI AB 12 34 56 C"),
    ("NI number hyphenated", "AB-12-34-56-C"),
    ("NI number lower case", "ni ab123456c"),
    ("NI number with dots", "JK.12.34.56.D"),
    ("DOB label and slashes", "DOB: 03/04/1990"),
    ("born on, ordinal and month", "born on 1st February 1990"),
    ("date of birth, short month", "Date of birth 1 Feb 1990"),
    ("d.o.b. ISO", "d.o.b. 1990-02-01"),
    ("born, dotted two-digit year", "born 14.03.85"),
    ("born in month and year", "born in March 1990"),
    ("birthday in US order", "Birthday: February 1st, 1990"),
    ("DOB split across lines", "DOB\n03/04/1990"),
    ("titled name", "Mr Thistlewood attended"),
    ("titled name in bold", "Mr **Thistlewood** attended"),
    ("titled name in italics", "Mr *Thistlewood* attended"),
    ("titled name split across lines", "we met Mr\nThistlewood"),
    ("Mc surname", "Mrs McAllister agreed"),
    ("O' surname", "Ms O'Brennan agreed"),
    ("two-letter surname", "Dr Ng phoned"),
    ("hyphenated surname", "Mr Hartley-Vane declined"),
    ("lower-case title", "spoke to mr Thistlewood"),
    ("title and initial", "Mr J. Thistlewood"),
    ("titled name with a soft hyphen", "Mr T\u00adhistlewood"),
    ("titled name with a zero-width space", "M\u200br Thistlewood"),
    ("forename and surname", "Jane Doe attended"),
    ("forename and Mc surname", "met with Oliver McKenzie"),
    ("forename and O' surname", "Sophie O'Neillson agreed"),
    ("South Asian forename and surname", "Priya Ramasamy attended"),
    ("forename and surname in capitals", "NAME: JANE DOE"),
    ("forename and surname in capitals, with accents", "NAME: SIÂN THISTLEWOOD"),
    ("accented forename and surname in capitals", "ATTENDED: JOSÉ GARCÍA"),
    ("title and a surname with letters beyond ASCII", "Dr Łukasiewicz will attend the review"),
    ("forename and an Irish surname with its particle", "Seán Ó Briain attended the conference"),
    ("Polish forename and surname", "Wojciech Nowakowski attended"),
    ("Igbo forename and surname", "Adaeze Okonkwo agreed to meet"),
    ("Irish forename and O' surname", "we spoke to Niamh O'Sullivan"),
    ("Welsh forename and surname", "Cerys Llewelyn attended"),
    ("surname, forename", "Okonkwo, Adaeze"),
    ("surname, forename in capitals", "ATTENDED: OKONKWO, ADAEZE"),
    ("a forename on no list, a known surname", "Zephyrine Okonkwo signed"),
    ("Polish forename and surname with their accents", "Łukasz Wiśniewski attended"),
    ("key name alone", "Ottilie agreed to meet"),
    ("key name in capitals", "QUENBY signed"),
    ("two-letter key name", "Li Wei attended"),
    ("case reference", "see RJ-2025-001"),
    ("case reference lower case", "see rj-2025-001"),
    ("case reference with slashes", "file RJ/2025/001"),
    ("case reference with spaces", "file RJ 2025 001"),
    ("case reference with underscores", "rj_2025_001.docx"),
    ("letter greeting, a name not on the forename list", "Dear Siobhan Ni Bhriain,\nThank you for agreeing to read this."),
    ("letter greeting, a first name alone", "Dear Kwame, I am writing to say sorry."),
    ("letter greeting in capitals", "DEAR ROSALIND OKAFOR"),
    ("letter greeting, a name with accented letters", "Dear Élodie, thank you for meeting us"),
    ("mobile without its 0", "call 7700 900123 after 5"),
    ("mobile without its 0, three groups", "mobile: 7700 900 123"),
    ("mobile in words", "ring oh seven seven double oh nine oh oh one two three"),
    ("Welsh street address", "lives at 3 Heol y Bont, Caerdydd"),
    ("Welsh street address, Stryd", "12 Stryd Fawr"),
    ("named house and street", "Ivy Cottage, Mill Lane"),
    ("born, abbreviated", "Jo (b. 1984) attended"),
    ("born, abbreviated, no space", "b.1984"),
    ("police crime reference", "crime ref 54/12345/26"),
    ("own case reference in lower case with spaces", "see rj 2026 0079"),
]

LEGITIMATE: list[tuple[str, str]] = [
    ("national helpline", "Victim Support Supportline: 0808 168 9111, free and confidential."),
    ("helpline with +44", "Victim Support on +44 808 168 9111"),
    ("Samaritans", "Samaritans are available on 116 123."),
    ("Childline", "Childline: 0800 1111"),
    ("police non-emergency", "Call 101, or 999 in an emergency."),
    ("service switchboard from public_contacts", "Call the service on 020 7946 0000."),
    ("service e-mail from public_contacts", "Referrals to hello@example-rj.org please."),
    ("office postcode from public_contacts", "Our office is at EX1 1AA."),
    ("Ms Teams", "Supervision takes place on Ms Teams every month."),
    ("MS Word", "Templates are kept as MS Word files."),
    ("a year and a count", "In 2025 120 cases were referred."),
    ("locator", "E012, section 4.2, p. 7"),
    ("ordinals after an indicator id", "Standard B3 2nd edition; a3 3rd review"),
    ("ISO date", "Reviewed on 2026-01-15 by the board."),
    ("meeting date and time", "Meeting at 10:30 on 12/03/2026."),
    ("forename then an ordinary word", "Grace Period applies to late returns."),
    ("place named after a person", "The office is near Victoria Station and James Street."),
    ("staff code", "Staff code P07 supervised the case."),
    ("month at a sentence start", "May Board meeting approved the plan."),
    ("modal verb at a sentence start", "Will Staff be trained this year?"),
    ("first names that are ordinary words, in headings", "Case Status; Justice Strategy; Council Tax; Grant Agreement"),
    ("charities and places", "Christian Aid, the Charity Commission and our London Road office"),
    ("a language before a surname-shaped word", "Written in British English."),
    ("standard number", "ISO 27001 certified since 2019."),
    ("hash prefix", "SHA-256 e3b0c44298fc1c149afb"),
    ("hash prefix shaped like a reference", "E012 policy.pdf adf1568645"),
    ("framework name", "Victims' Code 2020 and the RJC Code of Practice"),
    ("audit method", "A sample of 20 cases, seed 7, strata: process."),
    ("born out of, far from a year", "The service was born out of a partnership in 2019."),
    ("legislation", "Data Protection Act 2018, UK GDPR Article 6(1)(e)"),
    ("money", "A budget of £1,250,000 for 2025/26."),
    ("percentages", "12 of 40 cases (30%) closed within 28 days."),
    ("public bodies", "The Home Office, the Ministry of Justice and the Police and Crime Commissioner"),
    ("version number", "Version 2.3.1, approved 2025-03-01."),
    ("ordinal", "the 3rd party and the 2nd meeting"),
    ("bank holiday", "Closed on Bank Holiday Monday."),
    ("template field without a value", "Date of birth: ________"),
    ("evidence file name", "evidence/E012-supervision-records.pdf"),
    ("crime reference wording", "Case references are pseudonymous and never leave the service."),
    ("indicator ids", "Indicators A1, B1 and C12 are met."),
    ("numbered heading then a title", "Section 4 Case File Review and 2 Supervision Records"),
    ("headings in capitals", "VICTIM SUPPORT AND JAMES STREET OFFICE: GRACE PERIOD"),
    ("office address from public_contacts", "Visit us at 1 High Street, Exampletown."),
    ("letter greeting to a role", "Dear Colleague, please find the policy attached."),
    ("letter greetings to groups", "Dear All; Dear Parent/Carer; Dear Sir or Madam"),
    ("letter template greetings", "Dear [Name], Dear ________, Dear First Name, Dear Mr/Ms ____"),
    ("dear as a word", "a dear friend of the service"),
    ("policy reference shaped like a case reference", "See POL-2026-003 for the complaints policy."),
    ("commissioner's reference", "Grant agreement PCC/2025/014 applies."),
    ("born out of, a year soon after", "The service was born out of a 2019 pilot."),
    ("a foundation named after a person", "Funded by the Joseph Rowntree Foundation."),
    ("a building named after a person", "Sessions are held at Mary Seacole House."),
    ("a financial year", "The 2024/25 return and the 2025/26 plan."),
    ("a count of seven in words", "Seven of the twelve cases closed; one was withdrawn."),
    ("a page range", "See pages 7 to 12 and section 7.7.1."),
]


# --- files -------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _saved(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def with_parts(data: bytes, parts: dict[str, str | bytes]) -> bytes:
    """A copy of an Office ZIP with parts added or replaced (raw XML where python-docx has no API)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename not in parts:
                target.writestr(info, source.read(info))
        for name, text in parts.items():
            target.writestr(name, text)
    return out.getvalue()


def docx_with(*paragraphs: str, body_xml: str = "", **parts: str) -> bytes:
    document = docx.Document()
    for text in paragraphs or ("Supervision is held monthly.",):
        document.add_paragraph(text)
    data = _saved(document)
    if body_xml:
        with zipfile.ZipFile(io.BytesIO(data)) as source:
            xml = source.read("word/document.xml").decode()
        parts["word/document.xml"] = xml.replace("<w:sectPr", body_xml + "<w:sectPr", 1)
    return with_parts(data, parts) if parts else data


def docx_header(text: str = "Prepared by Mr Thistlewood") -> bytes:
    document = docx.Document()
    document.add_paragraph("Policy text.")
    document.sections[0].header.paragraphs[0].text = text
    return _saved(document)


def docx_footer(text: str = "Queries: 07700 900123") -> bytes:
    document = docx.Document()
    document.add_paragraph("Policy text.")
    document.sections[0].footer.paragraphs[0].text = text
    return _saved(document)


def docx_author(author: str = "Ottilie Quenby") -> bytes:
    document = docx.Document()
    document.add_paragraph("Policy text.")
    document.core_properties.author = author
    document.core_properties.last_modified_by = author
    return _saved(document)


def docx_nested_table(text: str = "jo.bloggs@example.net") -> bytes:
    document = docx.Document()
    outer = document.add_table(rows=1, cols=2)
    inner = outer.rows[0].cells[1].add_table(rows=1, cols=1)
    inner.rows[0].cells[0].text = text
    return _saved(document)


def docx_comment(text: str = "Ask Mrs McAllister") -> bytes:
    document = docx.Document()
    paragraph = document.add_paragraph("Risk is reviewed.")
    document.add_comment(paragraph.runs, text=text, author="P07", initials="P7")
    return _saved(document)


def docx_split_runs() -> bytes:
    document = docx.Document()
    paragraph = document.add_paragraph("Call ")
    paragraph.add_run("07700")
    paragraph.add_run(" 900")
    paragraph.add_run("123").bold = True
    return _saved(document)


def docx_footnote() -> bytes:
    return docx_with(**{"word/footnotes.xml": f'<w:footnotes xmlns:w="{W}"><w:footnote w:id="1"><w:p><w:r>'
                                              "<w:t>Source: Mr Thistlewood</w:t></w:r></w:p></w:footnote></w:footnotes>"})


def docx_tracked_deletion() -> bytes:
    return docx_with(body_xml='<w:p><w:del w:id="9" w:author="P07"><w:r><w:delText>DOB 03/04/1990</w:delText>'
                              "</w:r></w:del></w:p>")


def docx_tracked_change_author() -> bytes:
    return docx_with(body_xml='<w:p><w:ins w:id="9" w:author="Jane Doe"><w:r><w:t>Reviewed.</w:t></w:r></w:ins></w:p>')


def docx_text_box() -> bytes:
    return docx_with(body_xml="<w:p><w:r><w:pict><w:txbxContent><w:p><w:r><w:t>NI AB 12 34 56 C</w:t></w:r></w:p>"
                              "</w:txbxContent></w:pict></w:r></w:p>")


def docx_alt_text() -> bytes:
    return docx_with(body_xml='<w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/'
                              'wordprocessingDrawing"><wp:docPr id="5" name="Picture 5" descr="Photo of Jane Doe at SW1A 1AA"/>'
                              "</wp:inline></w:drawing></w:r></w:p>")


def docx_custom_property() -> bytes:
    return docx_with(**{"docProps/custom.xml": '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
                                               'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
                                               '2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" '
                                               'pid="2" name="Victim"><vt:lpwstr>RJ-2025-004</vt:lpwstr></property></Properties>'})


def docx_mailto_link() -> bytes:
    data = docx_with()
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        rels = source.read("word/_rels/document.xml.rels").decode()
    link = ('<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" '
            'Target="mailto:jo.bloggs@example.net" TargetMode="External"/>')
    return with_parts(data, {"word/_rels/document.xml.rels": rels.replace("</Relationships>", link + "</Relationships>")})


def _docx_embedding() -> bytes:
    data = docx_with()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("word/embeddings/Microsoft_Excel_Worksheet.xlsx", xlsx_cell())
    return out.getvalue()


def _workbook_bytes(fill: Callable) -> bytes:
    book = openpyxl.Workbook()
    fill(book, book.active)
    return _saved(book)


def xlsx_cell(text: str = "Contact: jo.bloggs@example.net") -> bytes:
    return _workbook_bytes(lambda book, sheet: sheet.append(["Referral", text]))


def xlsx_number() -> bytes:
    return _workbook_bytes(lambda book, sheet: sheet.append(["Mobile", 7700900123]))


def xlsx_comment() -> bytes:
    def fill(book, sheet):
        sheet["A1"] = "Outcome"
        sheet["A1"].comment = Comment("Check with Mr Thistlewood", "P07")
    return _workbook_bytes(fill)


def xlsx_sheet_title() -> bytes:
    def fill(book, sheet):
        sheet.title = "Jane Doe"
        sheet["A1"] = "Notes"
    return _workbook_bytes(fill)


def xlsx_creator() -> bytes:
    def fill(book, sheet):
        book.properties.creator = "Thistlewood, J"
        sheet["A1"] = "Totals"
    return _workbook_bytes(fill)


def pptx_notes(notes: str = "Ring 07700 900123") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("ppt/slides/slide1.xml", '<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
                         'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:p><a:r><a:t>Outcomes</a:t></a:r></a:p></p:sld>')
        archive.writestr("ppt/notesSlides/notesSlide1.xml", '<p:notes xmlns:p="http://schemas.openxmlformats.org/presentationml/'
                         '2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:p><a:r>'
                         f"<a:t>{notes}</a:t></a:r></a:p></p:notes>")
    return out.getvalue()


def odt_body(text: str = "Mrs McAllister") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                         'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
                         f"<text:p>{text}</text:p></office:text></office:body></office:document-content>")
    return out.getvalue()


def pdf(text: str = "", *, metadata: dict[str, str] | None = None, note: str = "", attachment: tuple[str, bytes] | None = None,
        form_value: str = "", picture: bytes = b"") -> bytes:
    """A one-page PDF with Helvetica ``text`` and whatever else is asked for, written with pypdf.

    ``picture``: the page also shows a 2 x 2 greyscale image of these four pixels; with no ``text`` it shows only that (a scan)."""
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    font = writer._add_object(DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                                                NameObject("/BaseFont"): NameObject("/Helvetica")}))
    resources = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
    lines = " ".join(f"({line}) Tj 0 -14 Td" for line in (text or ("" if picture else "Policy text.")).splitlines())
    content = f"BT /F1 10 Tf 60 780 Td {lines} ET" if lines else ""
    if picture:
        image = DecodedStreamObject()
        image.set_data(picture)
        image.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Image"),
                      NameObject("/Width"): NumberObject(2), NameObject("/Height"): NumberObject(2),
                      NameObject("/ColorSpace"): NameObject("/DeviceGray"), NameObject("/BitsPerComponent"): NumberObject(8)})
        resources[NameObject("/XObject")] = DictionaryObject({NameObject("/Im1"): writer._add_object(image)})
        content += " q 200 0 0 200 60 400 cm /Im1 Do Q"
    page[NameObject("/Resources")] = resources
    stream = DecodedStreamObject()
    stream.set_data(content.encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(stream)
    if metadata:
        writer.add_metadata(metadata)
    if note:
        writer.add_annotation(0, Text(text=note, rect=(50, 550, 200, 650)))
    if attachment:
        writer.add_attachment(*attachment)
    if form_value:
        field = writer._add_object(DictionaryObject({NameObject("/FT"): NameObject("/Tx"), NameObject("/T"): TextStringObject("contact"),
                                                     NameObject("/V"): TextStringObject(form_value)}))
        writer._root_object[NameObject("/AcroForm")] = DictionaryObject({NameObject("/Fields"): ArrayObject([field])})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _stream(writer: PdfWriter, data: bytes, **entries: str):
    stream = DecodedStreamObject()
    stream.set_data(data)
    stream.update({NameObject(f"/{key}"): NameObject(f"/{value}") for key, value in entries.items()})
    return writer._add_object(stream)


def pdf_revised(before: str = "Contact Mr Thistlewood", after: str = "Policy text.") -> bytes:
    """A PDF updated incrementally (as Acrobat saves an edit): the page now shows ``after``, but the first revision,
    still in the file up to its own %%EOF, shows ``before``."""
    original = pdf(before)
    writer = PdfWriter(io.BytesIO(original), incremental=True)
    writer.pages[0][NameObject("/Contents")] = _stream(writer, f"BT /F1 10 Tf 60 780 Td ({after}) Tj ET".encode("latin-1"))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_drawing(content: bytes = b"0 0 m 120 40 l 60 90 l h f") -> bytes:
    """A page with no text layer that draws ``content`` (a name turned into outlines is such a drawing)."""
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    page[NameObject("/Contents")] = _stream(writer, content)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_picture_replaced() -> bytes:
    """A scanned page replaced by another in an incremental update: the first scan is still in the file."""
    writer = PdfWriter(io.BytesIO(pdf(picture=SCAN_PIXELS)), incremental=True)
    image = writer.pages[0]["/Resources"]["/XObject"]["/Im1"].get_object()
    replacement = DecodedStreamObject()
    replacement.set_data(LOGO_PIXELS)
    replacement.update({key: value for key, value in image.items() if key not in ("/Length", "/Filter")})
    writer.pages[0][NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): DictionaryObject(
        {NameObject("/Im1"): writer._add_object(replacement)})})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_with(**root: Callable[[PdfWriter], object]) -> bytes:
    """pdf("Policy text.") with entries added to its document catalogue, each made by a function of the writer."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf("Policy text."))))
    for key, make in root.items():
        writer._root_object[NameObject(f"/{key}")] = make(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_xfa(data: str = "<victim>Ottilie Quenby</victim><phone>07700 900123</phone>") -> bytes:
    packet = f'<xfa:datasets xmlns:xfa="http://www.xfa.org/schema/xfa-data/1.0/"><xfa:data><form>{data}</form></xfa:data></xfa:datasets>'
    return pdf_with(AcroForm=lambda w: DictionaryObject({NameObject("/Fields"): ArrayObject(), NameObject("/XFA"): ArrayObject(
        [TextStringObject("datasets"), _stream(w, packet.encode())])}))


def pdf_xmp(keywords: str = "RJ-2025-007") -> bytes:
    """XMP metadata whose only personal datum is in pdf:Keywords (no document-information twin)."""
    packet = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
              '<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">'
              f"<pdf:Keywords>{keywords}</pdf:Keywords></rdf:Description></rdf:RDF></x:xmpmeta>")
    return pdf_with(Metadata=lambda w: _stream(w, packet.encode(), Type="Metadata", Subtype="XML"))


def pdf_alt_text(alt: str = "Photo of Jane Doe at home") -> bytes:
    figure = DictionaryObject({NameObject("/S"): NameObject("/Figure"), NameObject("/Alt"): TextStringObject(alt)})
    return pdf_with(StructTreeRoot=lambda w: w._add_object(DictionaryObject(
        {NameObject("/Type"): NameObject("/StructTreeRoot"), NameObject("/K"): ArrayObject([w._add_object(figure)])})))


def pdf_annotation(subtype: str, **entries: Callable[[PdfWriter], object]) -> bytes:
    """pdf("Policy text.") with one annotation of ``subtype`` on its page, holding ``entries``."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf("Policy text."))))
    annotation = DictionaryObject({NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject(f"/{subtype}"),
                                   NameObject("/Rect"): ArrayObject([NumberObject(n) for n in (50, 50, 100, 100)])})
    annotation.update({NameObject(f"/{key}"): make(writer) for key, make in entries.items()})
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_ink() -> bytes:
    return pdf_annotation("Ink", InkList=lambda w: ArrayObject([ArrayObject([NumberObject(n) for n in (60, 60, 90, 90)])]))


def pdf_file_annotation(name: str = "contacts.txt", data: bytes = b"Mobile 07700 900123") -> bytes:
    return pdf_annotation("FileAttachment", FS=lambda w: DictionaryObject({
        NameObject("/Type"): NameObject("/Filespec"), NameObject("/F"): TextStringObject(name),
        NameObject("/EF"): DictionaryObject({NameObject("/F"): _stream(w, data, Type="EmbeddedFile")})}))


def xlsx_part(name: str, xml: str) -> bytes:
    """A workbook with a raw part added (a pivot cache, a chart, an external link: openpyxl writes none of them here)."""
    return with_parts(xlsx_cell("Totals"), {name: xml})


PIVOT = ('<pivotCacheDefinition xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cacheFields count="1">'
         '<cacheField name="Person"><sharedItems><s v="{}"/></sharedItems></cacheField></cacheFields></pivotCacheDefinition>')
CHART = ('<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:chart><c:plotArea><c:barChart><c:ser>'
         '<c:cat><c:strRef><c:strCache>{}</c:strCache></c:strRef></c:cat></c:ser></c:barChart></c:plotArea></c:chart></c:chartSpace>')
EXTERNAL_LINK = ('<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><externalBook><sheetNames>'
                 '<sheetName val="{}"/></sheetNames></externalBook></externalLink>')


def chart_labels(*labels: str) -> str:
    return CHART.format("".join(f'<c:pt idx="{n}"><c:v>{label}</c:v></c:pt>' for n, label in enumerate(labels)))


def xlsx_birth_serial() -> bytes:
    """A "Date of birth" column holding the number Excel stores for 15 November 1984 (the cell's format not a date)."""
    return _workbook_bytes(lambda book, sheet: (sheet.append(["Ref", "Date of birth"]), sheet.append(["A", 31000])))


def jpeg_with_artist(artist: str = "Ottilie Quenby") -> bytes:
    picture = Image.new("RGB", (8, 8), "white")
    exif = Image.Exif()
    exif[0x013B] = artist  # Artist
    out = io.BytesIO()
    picture.save(out, "JPEG", exif=exif)
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    picture, exif = Image.new("RGB", (8, 8), "white"), Image.Exif()
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPSInfo: latitude reference and latitude
    out = io.BytesIO()
    picture.save(out, "JPEG", exif=exif)
    return out.getvalue()


def docx_with_photo() -> bytes:
    document = docx.Document()
    document.add_paragraph("Our new meeting room.")
    document.add_picture(io.BytesIO(jpeg_with_gps()))
    return _saved(document)


def _saved_image(colour: str, kind: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(out, kind)
    return out.getvalue()


def logo() -> bytes:
    """The service's logo: a person has reviewed it once (``REVIEW``), in every file it is in."""
    return _saved_image("white")


def screenshot(colour: str = "black") -> bytes:
    """A pasted screenshot (of a case note, say): no one has looked at it."""
    return _saved_image(colour)


def docx_with_screenshot(colour: str = "black") -> bytes:
    document = docx.Document()
    document.add_paragraph("Case note, as discussed.")
    document.add_picture(io.BytesIO(screenshot(colour)))
    return _saved(document)


FILE_LEAKS: list[tuple[str, str, Callable[[], bytes]]] = [
    ("docx body", "a.docx", lambda: docx_with("Write to Mr Thistlewood.")),
    ("docx header", "a.docx", docx_header),
    ("docx footer", "a.docx", docx_footer),
    ("docx core properties author", "a.docx", docx_author),
    ("docx nested table", "a.docx", docx_nested_table),
    ("docx comment", "a.docx", docx_comment),
    ("docx number split across runs", "a.docx", docx_split_runs),
    ("docx footnote", "a.docx", docx_footnote),
    ("docx tracked deletion", "a.docx", docx_tracked_deletion),
    ("docx tracked change author", "a.docx", docx_tracked_change_author),
    ("docx text box", "a.docx", docx_text_box),
    ("docx alt text", "a.docx", docx_alt_text),
    ("docx custom property", "a.docx", docx_custom_property),
    ("docx mailto hyperlink", "a.docx", docx_mailto_link),
    ("docx embedded workbook", "a.docx", _docx_embedding),
    ("docx photo with a GPS position", "a.docx", docx_with_photo),
    ("xlsx cell", "a.xlsx", xlsx_cell),
    ("xlsx phone stored as a number", "a.xlsx", xlsx_number),
    ("xlsx cell comment", "a.xlsx", xlsx_comment),
    ("xlsx sheet title", "a.xlsx", xlsx_sheet_title),
    ("xlsx creator", "a.xlsx", xlsx_creator),
    ("xlsx pivot cache", "a.xlsx", lambda: xlsx_part("xl/pivotCache/pivotCacheDefinition1.xml", PIVOT.format("Mr Thistlewood"))),
    ("xlsx chart labels", "a.xlsx", lambda: xlsx_part("xl/charts/chart1.xml", chart_labels("Totals", "Ottilie Quenby"))),
    ("xlsx external link", "a.xlsx", lambda: xlsx_part("xl/externalLinks/externalLink1.xml", EXTERNAL_LINK.format("RJ-2025-007"))),
    ("xlsx date of birth as a number", "a.xlsx", xlsx_birth_serial),
    ("pptx speaker notes", "a.pptx", pptx_notes),
    ("odt body", "a.odt", odt_body),
    ("pdf page text", "a.pdf", lambda: pdf("Contact Mr Thistlewood")),
    ("pdf text split across lines", "a.pdf", lambda: pdf("postcode SW1A\n1AA")),
    ("pdf author", "a.pdf", lambda: pdf(metadata={"/Author": "Quenby"})),
    ("pdf subject", "a.pdf", lambda: pdf(metadata={"/Subject": "Case RJ-2025-007"})),
    ("pdf annotation", "a.pdf", lambda: pdf(note="ring 07700 900123")),
    ("pdf attachment", "a.pdf", lambda: pdf(attachment=("contacts.csv", b"name,email\nJo,jo.bloggs@example.net\n"))),
    ("pdf form field", "a.pdf", lambda: pdf(form_value="DOB 03/04/1990")),
    ("pdf page that is only a scan", "a.pdf", lambda: pdf(picture=SCAN_PIXELS)),
    ("pdf picture beside text", "a.pdf", lambda: pdf("Policy text.", picture=SCAN_PIXELS)),
    ("pdf earlier revision", "a.pdf", pdf_revised),
    ("pdf scan replaced in an incremental update", "a.pdf", pdf_picture_replaced),
    ("pdf page drawn without a text layer", "a.pdf", pdf_drawing),
    ("pdf XFA form data", "a.pdf", pdf_xfa),
    ("pdf XMP keywords only", "a.pdf", pdf_xmp),
    ("pdf structure-tree alt text", "a.pdf", pdf_alt_text),
    ("pdf ink annotation", "a.pdf", pdf_ink),
    ("pdf file-attachment annotation", "a.pdf", pdf_file_annotation),
    ("pdf annotation author", "a.pdf", lambda: pdf_annotation("Text", T=lambda w: TextStringObject("Ottilie Quenby"))),
    ("csv evidence", "a.csv", lambda: b"case,contact\n1,07700 900123\n"),
    ("tsv evidence", "a.tsv", lambda: b"case\tcontact\n1\tjo.bloggs@example.net\n"),
    ("csv in Windows-1252", "a.csv", lambda: "note\nMr Thistlewood caf\u00e9\n".encode("cp1252")),
    ("csv in UTF-16 with a byte-order mark", "a.csv", lambda: "note\nMr Thistlewood\n".encode("utf-16")),
    ("text in UTF-16 without a mark", "a.txt", lambda: "Call 07700 900123".encode("utf-16-le")),
    ("text in UTF-16, big-endian", "a.txt", lambda: "Call 07700 900123".encode("utf-16-be")),
    ("html meta author", "a.html", lambda: b'<meta name="author" content="Adaeze Okonkwo"><p>Policy</p>'),
    ("html picture as a data URI", "a.html", lambda: b'<img src="data:image/png;base64,' + base64.b64encode(screenshot()) + b'">'),
    ("markdown text as a data URI", "a.md", lambda: b"[notes](data:text/plain;base64," + base64.b64encode(b"ring 07700 900123") + b")"),
    ("rtf operator", "a.rtf", lambda: rb"{\rtf1{\info{\operator Adaeze Okonkwo}}Policy\par}"),
    ("html text", "a.html", lambda: b"<p>Mr <b>Thistlewood</b></p>"),
    ("html attribute", "a.html", lambda: b'<img src="x.png" alt="Jane Doe at home">'),
    ("html mailto", "a.html", lambda: b'<a href="mailto:jo.bloggs@example.net">write</a>'),
    ("html comment", "a.html", lambda: b"<p>Policy</p><!-- from Ottilie -->"),
    ("rtf text", "a.rtf", lambda: rb"{\rtf1\ansi{\fonttbl\f0 Arial;}\f0 Mr \b Thistlewood\b0\par}"),
    ("rtf author", "a.rtf", lambda: rb"{\rtf1{\info{\author Jane Doe}}Policy\par}"),
    ("markdown split and emphasis", "a.md", lambda: b"Contact **07700**\n900123\n"),
    ("text file", "a.txt", lambda: b"DOB: 03/04/1990\n"),
    ("image EXIF artist", "a.jpg", jpeg_with_artist),
    ("image without EXIF", "a.png", screenshot),
    ("docx pasted screenshot", "a.docx", docx_with_screenshot),
    ("xlsx picture", "a.xlsx", lambda: with_parts(xlsx_cell("Totals"), {"xl/media/image1.png": screenshot()})),
    ("pptx picture", "a.pptx", lambda: with_parts(pptx_notes("Outcomes"), {"ppt/media/image1.png": screenshot()})),
    ("odt picture", "a.odt", lambda: with_parts(odt_body("Policy"), {"Pictures/1.png": screenshot()})),
    ("docx picture as an EMF", "a.docx", lambda: with_parts(docx_with(), {"word/media/image1.emf": b"\x01\x00\x00\x00 EMF"})),
    ("legacy Word file", "a.doc", lambda: b"\xd0\xcf\x11\xe0 binary"),
    ("zip archive", "a.zip", lambda: _zip_of("notes.txt", b"nothing")),
]


def docx_with_logo() -> bytes:
    document = docx.Document()
    document.add_paragraph("Restorative justice policy, approved by the board.")
    document.add_picture(io.BytesIO(logo()))
    document.core_properties.author = "Example RJ"
    return _saved(document)


FILE_LEGITIMATE: list[tuple[str, str, Callable[[], bytes]]] = [
    ("docx with the service as author and a logo", "a.docx", docx_with_logo),
    ("docx written by python-docx", "a.docx", lambda: docx_with("Supervision is held monthly.")),
    ("xlsx of totals", "a.xlsx", lambda: xlsx_cell("12 of 40 cases (30%)")),
    ("pdf with a logo beside its text", "a.pdf", lambda: pdf("Our leaflet for people harmed by crime.", picture=LOGO_PIXELS)),
    ("pdf with helpline and service author", "a.pdf",
     lambda: pdf("Victim Support 0808 168 9111", metadata={"/Author": "Example RJ", "/Title": "Leaflet"})),
    ("csv of counts", "a.csv", lambda: b"quarter,referrals\n2025-Q3,41\n2025-Q4,38\n"),
    ("html leaflet", "a.html", lambda: b"<h1>Restorative justice</h1><p>Call 020 7946 0000.</p>"),
    ("pdf by a council", "a.pdf", lambda: pdf("Policy text.", metadata={"/Author": "Wiltshire Council"})),
    ("pdf by a role", "a.pdf", lambda: pdf("Policy text.", metadata={"/Author": "Service Manager"})),
    ("html by the service's trading name", "a.html", lambda: b'<meta name="author" content="Restorative Together"><p>Leaflet</p>'),
    ("csv in UTF-16 of counts", "a.csv", lambda: "quarter,referrals\n2025-Q3,41\n".encode("utf-16")),
    ("xlsx chart of counts by quarter", "a.xlsx", lambda: xlsx_part("xl/charts/chart1.xml", chart_labels("2025-Q3", "2025-Q4"))),
]


# the pictures of the clean files, accepted once by their hash, as a coordinator would after looking at them
REVIEW = PrivacyReview.model_validate({"schema": "rsqm/privacy-review@1", "accepted": [
    {"what": hashlib.sha256(data).hexdigest(), "everywhere": True, "reviewed_by": "coordinator", "reviewed_on": "2026-01-31",
     "why": "the service's logo"} for data in (logo(), LOGO_PIXELS)]})


def _zip_of(name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(name, data)
    return out.getvalue()
