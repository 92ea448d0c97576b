"""PDF through pypdf: everything a reader of the file could find in it.

Page text; every picture a page draws (image XObjects, in forms too, and inline images), by its hash, for a person to
review once; the document information and the whole XMP packet (authors as authors); every annotation's text and
author, a file-attachment annotation's file read as its own type, an ink drawing as a picture; form field
values and XFA form data; the structure tree's alt text and replacement text; bookmarks; attached files. An
incrementally updated PDF keeps its earlier revisions in the file, readable by anyone who cuts it at an earlier
``%%EOF``: each earlier revision's pages, information and XMP are read too, where they differ from the last.
"""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Callable, Iterator

from rsqm.privacy.extract.base import ExtractError, Piece, Unchecked, picture
from rsqm.privacy.extract.ooxml import xml_text

SUFFIXES = (".pdf",)
AUTHOR_KEYS = ("/Author",)
ANNOTATION_KEYS = ("/Contents", "/Subj", "/RC", "/TU")
STRUCTURE_KEYS = ("/Alt", "/ActualText", "/E", "/T")
END_OF_REVISION = re.compile(rb"%%EOF")
MOST_REVISIONS = 50  # an update rewrites the trailer: more than this many is not a document anyone edited by hand
MOST_STRUCTURE_ELEMENTS = 100_000
# a content-stream operator that paints: fill, stroke, shading, an XObject, or glyphs whose text pypdf cannot read
PAINTS = re.compile(rb"(?:^|[\s)\]>])(?:f\*?|F|B\*?|b\*?|S|s|sh|Do|Tj|TJ)(?=\s|$)")

Inner = Callable[[str, bytes], Iterator[Piece | Unchecked]]


def _text(value: object) -> str:
    try:
        resolved = value.get_object() if hasattr(value, "get_object") else value
    except Exception:  # a dangling reference in a damaged file: nothing to read there
        return ""
    if isinstance(resolved, bytes):
        return resolved.decode("latin-1")
    return str(resolved) if isinstance(resolved, str) else ""


def _resolved(value: object) -> object:
    try:
        return value.get_object() if hasattr(value, "get_object") else value
    except Exception:  # a dangling reference
        return None


def _annotations(page, number: int, inner: Inner) -> Iterator[Piece | Unchecked]:
    place = f"page {number} annotations"
    annotations = _resolved(page.get("/Annots"))
    texts = []
    for reference in annotations if isinstance(annotations, list) else []:
        annotation = _resolved(reference)
        if not hasattr(annotation, "get"):
            continue
        texts += [_text(annotation[key]) for key in ANNOTATION_KEYS if key in annotation]
        if "/T" in annotation and _text(annotation["/T"]).strip():  # a markup annotation's author
            yield Piece(place, _text(annotation["/T"]).strip(), author=True)
        action = _resolved(annotation.get("/A"))
        if hasattr(action, "get") and "/URI" in action:
            texts.append(_text(action["/URI"]))
        subtype = annotation.get("/Subtype")
        if subtype == "/Ink":
            yield picture(f"{place}: ink drawing", _drawing(annotation))
        elif subtype == "/FileAttachment":
            yield from _attached(_resolved(annotation.get("/FS")), place, inner)
    if any(texts):
        yield Piece(place, "\n".join(texts))


def _attached(spec: object, place: str, inner: Inner) -> Iterator[Piece | Unchecked]:
    """The file a file specification holds, read as its own type (an empty or missing one: nothing)."""
    if not hasattr(spec, "get"):
        return
    name = _text(spec.get("/UF") or spec.get("/F") or "attachment")
    embedded = _resolved(spec.get("/EF"))
    stream = _resolved(embedded.get("/F") or embedded.get("/UF")) if hasattr(embedded, "get") else None
    if hasattr(stream, "get_data"):
        for found in inner(name, stream.get_data()):
            where = f"{place}: attached {name}" + (f": {found.place}" if found.place else "")
            yield Piece(where, found.text, found.prose, found.author) if isinstance(found, Piece) else dataclasses.replace(found, place=where)


def _drawing(annotation) -> bytes:
    """An ink annotation's drawing as the reader draws it (its appearance stream), else its strokes' coordinates."""
    appearance = _resolved(annotation.get("/AP"))
    normal = _resolved(appearance.get("/N")) if hasattr(appearance, "get") else None
    if hasattr(normal, "get_data"):
        return normal.get_data()
    return repr(_resolved(annotation.get("/InkList"))).encode()


def _pictures(page, place: str) -> Iterator[Unchecked]:
    """Every image the page draws, by the hash of its stream's decoded bytes (a JPEG as stored, else its pixels: no
    compression setting changes it, and no image is converted unless a reviewer is to see it)."""
    images = page.images
    names = images.keys()  # iterating ``images`` itself would convert every image
    for key in names:
        stream = _xobject(page, key if isinstance(key, list) else [key])
        try:
            data = stream.get_data() if stream is not None else images[key].data  # an inline image is small
        except Exception:  # pypdf raises many kinds on a stream it cannot decode; the picture is refused all the same
            yield Unchecked(place, f"a picture rsqm cannot decode ({key}): what it shows cannot be checked")
            continue
        yield picture(place, data, lambda key=key: images[key].data)


def _page_pictures(page, number: int, text: str) -> list[Unchecked]:
    """A page's images; a page with no text layer and no image that still paints something (text drawn as outlines,
    glyphs with no text behind them, a drawing) is itself a picture, named by the hash of its content stream."""
    if text.strip():
        return list(_pictures(page, f"page {number}"))
    found = list(_pictures(page, f"page {number} (no text layer: a scan?)"))
    contents = page.get_contents() if not found else None
    drawn = contents.get_data() if contents is not None else b""
    return found or ([picture(f"page {number} (no text layer: a drawing?)", drawn)] if PAINTS.search(drawn) else [])


def _xobject(page, path: list[str]) -> object:
    """The image XObject at ``path`` (through the forms holding it), or None (an inline image)."""
    holder: object = page
    for name in path:
        resources = _resolved(holder.get("/Resources")) if hasattr(holder, "get") else None
        xobjects = _resolved(resources.get("/XObject")) if hasattr(resources, "get") else None
        holder = _resolved(xobjects.get(name)) if hasattr(xobjects, "get") else None
    return holder if hasattr(holder, "get_data") else None


def _structure_texts(root: object) -> Iterator[str]:
    """Alt text, replacement text, expansions and titles in the structure tree (tagged PDF), each element once."""
    stack, seen = [root], set()
    while stack and len(seen) < MOST_STRUCTURE_ELEMENTS:
        item = stack.pop()
        key = id(item) if not hasattr(item, "idnum") else (item.idnum, item.generation)
        if key in seen:
            continue
        seen.add(key)
        node = _resolved(item)
        if isinstance(node, list):
            stack.extend(node)
        elif hasattr(node, "get"):
            yield from (_text(node[k]) for k in STRUCTURE_KEYS if k in node)
            kids = node.get("/K")
            if kids is not None:
                stack.append(kids)


def _xmp(reader) -> Iterator[Piece]:
    metadata = _resolved(reader.root_object.get("/Metadata"))
    if not hasattr(metadata, "get_data"):
        return
    text, _ = xml_text(metadata.get_data())
    yield Piece("XMP metadata", text)
    xmp = reader.xmp_metadata
    yield from (Piece("XMP metadata", creator, author=True) for creator in (xmp.dc_creator or []) if xmp is not None)


def _information(reader) -> Iterator[Piece]:
    metadata = reader.metadata or {}
    yield Piece("metadata", "\n".join(f"{_text(v)}" for k, v in metadata.items() if k not in AUTHOR_KEYS))
    yield from (Piece("metadata", _text(metadata[k]), author=True) for k in AUTHOR_KEYS if k in metadata)
    yield from _xmp(reader)


def extract(data: bytes, inner: Inner) -> Iterator[Piece | Unchecked]:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ExtractError("encrypted PDF: its text cannot be read")
        yield from _information(reader)
        pages: list[str] = []
        pictures: set[str] = set()
        for number, page in enumerate(reader.pages, start=1):
            text = page.extract_text() or ""
            pages.append(text)
            found = _page_pictures(page, number, text)
            pictures.update(each.what for each in found)
            yield from found
            yield Piece(f"page {number}", text, prose=True)
            yield from _annotations(page, number, inner)
        fields = reader.get_fields() or {}
        values = [f"{name}: {_text(field.get('/V'))}" for name, field in fields.items() if field.get("/V") is not None]
        if values:
            yield Piece("form fields", "\n".join(values))
        for name, packet in (reader.xfa or {}).items():
            if isinstance(packet, bytes) and packet.strip():
                yield Piece(f"XFA form ({name})", xml_text(packet)[0])
        tree = _resolved(reader.root_object.get("/StructTreeRoot"))
        alt = "\n".join(text for text in _structure_texts(tree) if text.strip()) if tree is not None else ""
        if alt:
            yield Piece("alt text (structure tree)", alt)
        outline = "\n".join(_outline(reader.outline))
        if outline:
            yield Piece("bookmarks", outline)
        attachments = dict(reader.attachments)
        earlier = list(_earlier_revisions(data, pages, {(p.text, p.author) for p in _information(reader)}, pictures))
    except ExtractError:
        raise
    except Exception as exc:  # pypdf raises many kinds on damaged files
        raise ExtractError(f"{type(exc).__name__}: {exc}") from exc
    yield from earlier
    for name, contents in attachments.items():
        for content in contents:
            for found in inner(name, content):
                where = f"attachment {name}" + (f": {found.place}" if found.place else "")
                if isinstance(found, Piece):
                    yield Piece(where, found.text, found.prose, found.author)
                else:
                    yield dataclasses.replace(found, place=where)


def _earlier_revisions(data: bytes, last_pages: list[str], last_information: set[tuple[str, bool]],
                       pictures: set[str]) -> Iterator[Piece | Unchecked]:
    """What each earlier revision of an incrementally updated PDF shows that the last one does not: text, information
    and pictures (a scan replaced by a redacted one is still in the file); ``pictures``: the hashes already yielded."""
    from pypdf import PdfReader

    ends = [match.end() for match in END_OF_REVISION.finditer(data)][:-1][-MOST_REVISIONS:]
    for revision, end in enumerate(ends, start=1):
        if not data[end:].strip(b"\r\n "):
            continue
        try:
            reader = PdfReader(io.BytesIO(data[:end]))
            if reader.is_encrypted and not reader.decrypt(""):
                continue
            place = f"revision {revision} of {len(ends) + 1}"
            for piece in _information(reader):
                if (piece.text, piece.author) not in last_information:
                    yield Piece(f"{place}, {piece.place}", piece.text, piece.prose, piece.author)
            for number, page in enumerate(reader.pages, start=1):
                text = page.extract_text() or ""
                if number > len(last_pages) or text != last_pages[number - 1]:
                    yield Piece(f"{place}, page {number}", text, prose=True)
                for found in _pictures(page, f"{place}, page {number}"):
                    if found.what not in pictures:
                        pictures.add(found.what)
                        yield found
        except Exception:  # pypdf raises many kinds; a linearised file's first-page section is no revision of its own
            continue


def _outline(items) -> Iterator[str]:
    for item in items:
        if isinstance(item, list):
            yield from _outline(item)
        else:
            yield str(getattr(item, "title", "") or "")
