"""Images: the pixels cannot be read as text (a photo, a scanned letter), so an image is a picture a person reviews
once, by its hash; its EXIF metadata (author, description, GPS position) is read with Pillow and scanned too."""

from __future__ import annotations

import io
from collections.abc import Iterator

from rsqm.privacy.extract.base import ExtractError, Piece, Unchecked, picture

SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".gif", ".bmp", ".webp", ".heic", ".heif")
AUTHOR_TAGS = frozenset({"Artist", "XPAuthor", "CameraOwnerName", "OwnerName"})
GPS_IFD = 0x8825


def extract(data: bytes) -> Iterator[Piece | Unchecked]:
    from PIL import ExifTags, Image, UnidentifiedImageError

    yield picture("", data)
    try:
        with Image.open(io.BytesIO(data)) as opened:
            exif = opened.getexif()
            info = {k: v for k, v in opened.info.items() if isinstance(v, str)}  # PNG text chunks
    except UnidentifiedImageError:
        return  # a format Pillow cannot open (HEIC): the refusal above stands
    except Exception as exc:  # Pillow raises many kinds on damaged files
        raise ExtractError(f"{type(exc).__name__}: {exc}") from exc
    lines = []
    for tag, value in exif.items():
        name = ExifTags.TAGS.get(tag, str(tag))
        text = value.decode("utf-16-le", errors="ignore").rstrip("\x00") if name.startswith("XP") and isinstance(value, bytes) \
            else value.decode("latin-1", errors="ignore") if isinstance(value, bytes) else str(value)
        if name in AUTHOR_TAGS:
            yield Piece("EXIF", text.strip("\x00 "), author=True)
        elif isinstance(value, str | bytes):
            lines.append(text)
    if exif.get_ifd(GPS_IFD):
        yield Unchecked("EXIF", "a GPS position (where the picture was taken)")
    lines += [f"{key}: {value}" for key, value in info.items()]
    if lines:
        yield Piece("EXIF", "\n".join(lines))
