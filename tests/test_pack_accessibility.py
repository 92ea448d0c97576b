"""submission.docx for readers with screen readers, checked in its XML (docs/accessibility.md): British English, alternative
text on every figure, real headings with no level skipped, captions in the Caption style, contents that link to their
headings. And it still converts with LibreOffice."""

from __future__ import annotations

import subprocess
import zipfile
from itertools import pairwise
from pathlib import Path

import pytest
from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"


@pytest.fixture
def demo_document(cli, demo_copy: Path, tmp_path: Path) -> Path:
    """The demo's pack exported by the command line; its submission.docx unpacked next to it."""
    pack = tmp_path / "pack.zip"
    result = cli("export", "-w", str(demo_copy), "--out", str(pack))
    assert result.code == 0, result.out
    with zipfile.ZipFile(pack) as archive:
        archive.extract("submission.docx", tmp_path)
    return tmp_path / "submission.docx"


def parts(docx: Path) -> tuple[etree._Element, etree._Element, etree._Element]:
    with zipfile.ZipFile(docx) as archive:
        return tuple(etree.fromstring(archive.read(name)) for name in ("word/document.xml", "word/styles.xml", "docProps/core.xml"))


def style_names(styles: etree._Element) -> dict[str, str]:
    return {s.get(f"{W}styleId"): s.find(f"{W}name").get(f"{W}val") for s in styles.iter(f"{W}style")}


def paragraphs(body: etree._Element, names: dict[str, str]) -> list[tuple[str, str, etree._Element]]:
    """(style name, text, element) of every paragraph, in reading order."""
    found = []
    for p in body.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        name = names.get(style.get(f"{W}val"), "") if style is not None else "Normal"
        found.append((name, "".join(t.text or "" for t in p.iter(f"{W}t")), p))
    return found


def bold(run: etree._Element) -> bool:
    mark = run.find(f"{W}rPr/{W}b")
    return mark is not None and mark.get(f"{W}val") not in ("0", "false")


def test_the_document_is_in_british_english(demo_document: Path) -> None:
    body, styles, core = parts(demo_document)
    default = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert default.get(f"{W}val") == "en-GB"
    assert not [lang.get(f"{W}val") for lang in body.iter(f"{W}lang") if lang.get(f"{W}val") not in (None, "en-GB")]
    assert core.findtext("{http://purl.org/dc/elements/1.1/}language") == "en-GB"


def test_every_figure_has_alternative_text_that_states_its_figures(demo_document: Path) -> None:
    body, _, _ = parts(demo_document)
    pictures = list(body.iter(f"{WP}docPr"))
    assert len(pictures) == 2  # readiness by standard, outcome shares
    for picture in pictures:
        alt = picture.get("descr", "")
        assert alt.startswith("Bar chart of") and "%" in alt, alt


def test_headings_are_real_heading_styles_with_no_level_skipped(demo_document: Path) -> None:
    body, styles, _ = parts(demo_document)
    listed = paragraphs(body, style_names(styles))
    levels = [int(name.lower().removeprefix("heading ")) for name, _, _ in listed if name.lower().startswith("heading ")]
    assert levels[0] == 1 and max(levels) >= 3
    jumps = [(a, b) for a, b in pairwise(levels) if b > a + 1]
    assert not jumps
    # no bold Normal paragraph stands in for a sub-heading: a paragraph all in bold is a heading
    stand_ins = [text for name, text, p in listed if name == "Normal" and text.strip()
                 and all(bold(r) for r in p.iter(f"{W}r") if "".join(t.text or "" for t in r.iter(f"{W}t")))]
    assert not stand_ins, stand_ins[:5]


def test_figure_captions_use_the_caption_style(demo_document: Path) -> None:
    body, styles, _ = parts(demo_document)
    captions = [(name, text) for name, text, _ in paragraphs(body, style_names(styles)) if text.startswith("Figure ")]
    assert [name.lower() for name, _ in captions] == ["caption", "caption"]


def test_the_contents_link_each_entry_to_its_heading(demo_document: Path) -> None:
    body, styles, _ = parts(demo_document)
    bookmarks = {b.get(f"{W}name") for b in body.iter(f"{W}bookmarkStart")}
    entries = [p for name, _, p in paragraphs(body, style_names(styles)) if name.startswith("Contents ")]
    assert len(entries) > 10
    for entry in entries:
        link = entry.find(f"{W}hyperlink")
        assert link is not None and link.get(f"{W}anchor") in bookmarks


@pytest.mark.office
def test_the_accessible_document_still_converts_with_libreoffice(demo_document: Path, soffice: str, tmp_path: Path) -> None:
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(demo_document)], check=True, capture_output=True, timeout=180)
    assert (tmp_path / "submission.pdf").stat().st_size > 10_000
