"""The console email backend of the embedded default (EMAIL_URL `consolemail://`, what `make run` uses).

Django's own console backend prints the raw MIME message: a receipt email is then ~780 lines of base64 PDF and the
HTML copy of the text, in which the verification link a newcomer looks for is hard to find. This one prints what
a person reads: the headers (decoded), the text body, and one line per HTML alternative and per attachment with
its name, type and size, e.g. `kwitansi-2026-0001.pdf (application/pdf, 12.3 kB)`.
"""

from __future__ import annotations

import mimetypes
import re
from email.header import decode_header, make_header
from email.mime.base import MIMEBase

from django.core.mail import EmailMessage
from django.core.mail.backends.console import EmailBackend

# MIME plumbing, not something a reader of the email sees.
HIDDEN_HEADERS = {"content-type", "content-transfer-encoding", "mime-version"}
SEPARATOR = "-" * 79
FOLDED = re.compile(r"\r?\n[ \t]+")


def human_size(size: int) -> str:
    """Bytes as a reader says them, in decimal units: 512 B, 12.3 kB, 1.2 MB."""
    if size < 1000:
        return f"{size} B"
    if size < 1000 * 1000:
        return f"{size / 1000:.1f} kB"
    return f"{size / 1000 / 1000:.1f} MB"


def _decoded(value: str) -> str:
    """A header value as text: folded lines joined, RFC 2047 encoded words (=?utf-8?q?...?=) decoded."""
    value = FOLDED.sub(" ", value)
    try:
        return str(make_header(decode_header(value)))
    except (UnicodeDecodeError, LookupError, ValueError):
        return value


def _size_of(content: str | bytes | None) -> int:
    if content is None:
        return 0
    return len(content.encode("utf-8")) if isinstance(content, str) else len(content)


def attachment_lines(message: EmailMessage) -> list[str]:
    """`name (type, size)` for each attachment of `message`: tuples as `attach()` stores them and MIME parts."""
    lines = []
    for attachment in message.attachments:
        if isinstance(attachment, MIMEBase):
            name = attachment.get_filename() or "(no name)"
            mimetype = attachment.get_content_type()
            size = _size_of(attachment.get_payload(decode=True))
        else:
            filename, content, mimetype = attachment
            name = filename or "(no name)"
            mimetype = mimetype or mimetypes.guess_type(name)[0] or "application/octet-stream"
            size = _size_of(content)
        lines.append(f"{name} ({mimetype}, {human_size(size)})")
    return lines


def readable(message: EmailMessage) -> str:
    """The email as the console shows it: headers, blank line, text body, then alternatives and attachments."""
    mime = message.message()
    headers = [f"{name}: {_decoded(value)}" for name, value in mime.items() if name.lower() not in HIDDEN_HEADERS]
    if message.bcc:
        headers.append(f"Bcc: {', '.join(message.bcc)}")
    parts = ["\n".join(headers), "", message.body.rstrip("\n")]
    alternatives = [
        f"{mimetype} alternative ({human_size(_size_of(content))}, not shown)"
        for content, mimetype in getattr(message, "alternatives", [])
    ]
    attachments = attachment_lines(message)
    if alternatives or attachments:
        parts.append("")
    parts.extend(f"[{line}]" for line in alternatives)
    if attachments:
        parts.append(f"Attachments ({len(attachments)}):")
        parts.extend(f"  {line}" for line in attachments)
    return "\n".join(parts)


class ConsoleEmailBackend(EmailBackend):
    """Django's console backend (same stream, lock and flushing) writing `readable(message)` per email."""

    def write_message(self, message: EmailMessage) -> None:
        self.stream.write(f"{readable(message)}\n{SEPARATOR}\n")
