"""Proof uploads (transfer slips, receipts, invoices): an image or a PDF, checked by content, not by name, and
capped in size. A picture is re-encoded by Pillow (`core.images.reencode_image`: named by its detected
format, at most 4,000 × 4,000 pixels, no metadata). Files are never served from /media/: views stream them after
checking who may see them, a PDF always as a download (`Content-Disposition: attachment`), never shown inline."""

from __future__ import annotations

import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.images import reencode_image

DEFAULT_MAX_PROOF_BYTES = 5 * 1024 * 1024
# Signature → (extension, content type). WebP is RIFF....WEBP.
SIGNATURES = (
    (b"%PDF-", "pdf", "application/pdf"),
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
)


def max_proof_bytes() -> int:
    return int(getattr(settings, "DONATION_PROOF_MAX_BYTES", DEFAULT_MAX_PROOF_BYTES))


def sniff(head: bytes) -> tuple[str, str] | None:
    """(extension, content type) of a proof file from its first bytes, or None if it is not an accepted type."""
    for signature, extension, content_type in SIGNATURES:
        if head.startswith(signature):
            return extension, content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp", "image/webp"
    return None


def content_type_of(field_file) -> str:
    """The content type of a stored proof, from its first bytes. The file is left open at its start, so a view
    can hand the same file to FileResponse afterwards (FieldFile.open() returns one shared file object)."""
    handle = field_file.open("rb")
    found = sniff(handle.read(16))
    handle.seek(0)
    return found[1] if found else "application/octet-stream"


def stream(field_file, *, cache: str, download_name: str = "proof"):
    """A stored proof or picture as a response, after the caller has checked who may see it: the content type
    from the file's own bytes (never its name), no sniffing by the browser, and 404 if the file went missing.
    A PDF is always a download (`attachment`): a browser's PDF viewer runs the file's scripts and forms, so it is
    never opened inline on the portal's origin; anything that is not a known picture is a download too."""
    from django.http import FileResponse, Http404

    try:
        content_type = content_type_of(field_file)
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type)
    if not content_type.startswith("image/"):
        extension = "pdf" if content_type == "application/pdf" else "bin"
        response["Content-Disposition"] = f'attachment; filename="{download_name}.{extension}"'
    response["Cache-Control"] = cache
    response["X-Content-Type-Options"] = "nosniff"
    return response


def clean_proof(upload, *, required: bool = False):
    """The upload as it will be stored, or ValidationError: a picture re-encoded by Pillow, a PDF renamed to a
    random name ending in .pdf."""
    if not upload:
        if required:
            raise ValidationError(_("Attach the proof: a photo or screenshot of the transfer, or a PDF."))
        return upload
    limit = max_proof_bytes()
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB. Send a smaller photo or PDF."),
            params={"size": f"{upload.size / 1048576:.1f}", "limit": f"{limit / 1048576:.0f}"},
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    upload.seek(0)
    found = sniff(upload.read(16))
    upload.seek(0)
    if found is None:
        raise ValidationError(_("Only a photo (JPEG, PNG, WebP) or a PDF can be attached as proof."))
    if found[1].startswith("image/"):
        return reencode_image(upload)
    upload.name = f"{uuid.uuid4().hex}.{found[0]}"
    return upload


class ProofField(forms.FileField):
    """A file input that accepts images and PDFs only, checked by content and size."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("accept", "image/jpeg,image/png,image/webp,application/pdf")

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload is False or upload is None or upload == initial:
            return upload
        return clean_proof(upload)
