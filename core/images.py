"""Uploaded pictures (profile photos, transfer slips and other proofs that are images, campaign pictures): never
stored as sent. Pillow decodes the picture and writes a new file, so what lands on disk is a plain JPEG, PNG or
WebP that Pillow itself produced:

- the format is the one Pillow detects in the bytes, and the file is named after it (a random name, never the
  uploader's name or extension), so an HTML or SVG file called `photo.jpg` never comes back out;
- at most MAX_IMAGE_SIDE pixels on each side (4,000 × 4,000): the size is read from the header before anything
  is decoded, and Pillow's decompression-bomb guard is an error, not a warning, so a small file that would
  unpack to gigabytes of pixels is refused with a form error;
- EXIF and every other piece of metadata (GPS position, camera serial, comments, ICC profile) is dropped; the
  EXIF orientation is applied first, so a phone photo stays upright.
"""

from __future__ import annotations

import io
import uuid
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_IMAGE_SIDE = 4000
# Pillow format → (file extension, content type). What the portal accepts and serves.
IMAGE_FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}
# Modes each format can write as they are; anything else is converted first.
WRITABLE_MODES = {
    "JPEG": {"RGB", "L", "CMYK"},
    "PNG": {"RGB", "RGBA", "L", "LA", "P", "1", "I;16"},
    "WEBP": {"RGB", "RGBA"},
}


def reencode_image(upload, *, max_side: int = MAX_IMAGE_SIDE) -> ContentFile:
    """A new file with the picture in `upload`, written by Pillow in the format detected from its bytes (JPEG, PNG
    or WebP), named `<random>.<ext>`, without metadata. ValidationError (with a message for the form) when the file
    is not such a picture, is damaged, or is larger than `max_side` pixels on a side."""
    upload.seek(0)
    with warnings.catch_warnings():
        # DecompressionBombWarning (past Image.MAX_IMAGE_PIXELS) becomes an error: such a file is refused.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(upload)
            kind = image.format
            if kind not in IMAGE_FORMATS:
                raise ValidationError(_("Use a JPEG, PNG or WebP picture."), code="image_format")
            width, height = image.size
            if width > max_side or height > max_side:
                raise ValidationError(
                    _("The picture is %(width)s × %(height)s pixels; the limit is %(max)s × %(max)s. "
                      "Send a smaller picture."),
                    code="image_too_large",
                    params={"width": width, "height": height, "max": f"{max_side:,}"},
                )
            image.seek(0)  # an animated picture keeps its first frame
            image.load()
            image = ImageOps.exif_transpose(image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ValidationError(_("The picture is too large to open."), code="image_bomb") from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            raise ValidationError(_("The picture could not be read: it is damaged or not a picture."),
                                  code="image_invalid") from None
    extension, _content_type = IMAGE_FORMATS[kind]
    if image.mode not in WRITABLE_MODES[kind]:
        has_alpha = "A" in image.mode or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha and kind != "JPEG" else "RGB")
    clean = image.copy()
    clean.info = {}  # no EXIF, XMP, ICC profile, text chunks or comments in the new file
    output = io.BytesIO()
    options = {"quality": 90} if kind in ("JPEG", "WEBP") else {"optimize": True}
    clean.save(output, format=kind, **options)
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")



def image_content_type(field_file) -> str | None:
    """The content type of a stored picture from its first bytes (JPEG, PNG or WebP), or None. The file is left
    open at its start, so a view can hand the same file to FileResponse afterwards."""
    handle = field_file.open("rb")
    head = handle.read(16)
    handle.seek(0)
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None
