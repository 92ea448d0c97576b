"""PDF through pypdf: page text, document information and XMP metadata, annotations, form fields, attachments."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator

from rsqm.privacy.extract.base import ExtractError, Piece, Unchecked

SUFFIXES = (".pdf",)
AUTHOR_KEYS = ("/Author",)
ANNOTATION_KEYS = ("/Contents", "/T", "/Subj", "/RC", "/TU")
PICTURE_ONLY = "a page that is only a picture (a scan or a photo): what it shows cannot be checked for people, names or addresses"


def _text(value: object) -> str:
    try:
        resolved = value.get_object() if hasattr(value, "get_object") else value
    except Exception:  # a dangling reference in a damaged file: nothing to read there
        return ""
    if isinstance(resolved, bytes):
        return resolved.decode("latin-1")
    return str(resolved) if isinstance(resolved, str) else ""


def _annotations(page) -> Iterator[str]:
    annotations = page.get("/Annots")
    for reference in (annotations.get_object() if annotations is not None else []):
        annotation = reference.get_object()
        for key in ANNOTATION_KEYS:
            if key in annotation:
                yield _text(annotation[key])
        action = annotation.get("/A")
        if action is not None and "/URI" in action.get_object():
            yield _text(action.get_object()["/URI"])


def extract(data: bytes, inner: Callable[[str, bytes], Iterator[Piece | Unchecked]]) -> Iterator[Piece | Unchecked]:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ExtractError("encrypted PDF: its text cannot be read")
        metadata = reader.metadata or {}
        yield Piece("metadata", "\n".join(f"{_text(v)}" for k, v in metadata.items() if k not in AUTHOR_KEYS))
        yield from (Piece("metadata", _text(metadata[k]), author=True) for k in AUTHOR_KEYS if k in metadata)
        xmp = reader.xmp_metadata
        if xmp is not None:
            creators = xmp.dc_creator or []
            yield from (Piece("XMP metadata", creator, author=True) for creator in creators)
            yield Piece("XMP metadata", "\n".join(str(v) for v in (xmp.dc_title or {}).values()))
            yield Piece("XMP metadata", "\n".join(str(v) for v in (xmp.dc_description or {}).values()))
        for number, page in enumerate(reader.pages, start=1):
            text = page.extract_text() or ""
            if not text.strip() and len(page.images):  # a logo beside text is read with the text; a scan has no text at all
                yield Unchecked(f"page {number}", PICTURE_ONLY)
            yield Piece(f"page {number}", text, prose=True)
            annotations = "\n".join(_annotations(page))
            if annotations:
                yield Piece(f"page {number} annotations", annotations)
        fields = reader.get_fields() or {}
        values = [f"{name}: {_text(field.get('/V'))}" for name, field in fields.items() if field.get("/V") is not None]
        if values:
            yield Piece("form fields", "\n".join(values))
        outline = "\n".join(_outline(reader.outline))
        if outline:
            yield Piece("bookmarks", outline)
        attachments = dict(reader.attachments)
    except ExtractError:
        raise
    except Exception as exc:  # pypdf raises many kinds on damaged files
        raise ExtractError(f"{type(exc).__name__}: {exc}") from exc
    for name, contents in attachments.items():
        for content in contents:
            for found in inner(name, content):
                where = f"attachment {name}" + (f": {found.place}" if found.place else "")
                if isinstance(found, Piece):
                    yield Piece(where, found.text, found.prose, found.author)
                else:
                    yield Unchecked(where, found.what)


def _outline(items) -> Iterator[str]:
    for item in items:
        if isinstance(item, list):
            yield from _outline(item)
        else:
            yield str(getattr(item, "title", "") or "")
