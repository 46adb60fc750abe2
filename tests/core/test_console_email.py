"""The console email backend of the embedded default (issue 14 §6): headers, subject and text body as a person
reads them; HTML copies and attachments as one line each with their size, never base64."""

import io
from email.mime.application import MIMEApplication

from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection

from core.mail import SEPARATOR, ConsoleEmailBackend, human_size, readable
from core.notifications import send_mail

PDF = b"%PDF-1.4\n" + b"\x00\x01\x02\x03" * 3084  # 12,345 bytes


def receipt_email() -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        "Kuitansi donasi Anda — Wakaf sumur desa",
        "Terima kasih, Ani.\nDonasi Anda sebesar Rp500.000 sudah kami terima.\n\nhttp://127.0.0.1:8101/giving/mine/\n",
        "Portal Alumni <noreply@localhost>",
        ["ani@example.org"],
        bcc=["arsip@example.org"],
        headers={"Message-ID": "<abc123@localhost>", "List-Unsubscribe": "<http://127.0.0.1:8101/notifications/>"},
    )
    message.attach_alternative("<p>" + "Terima kasih " * 200 + "</p>", "text/html")
    message.attach("kuitansi-2026-0001.pdf", PDF, "application/pdf")
    return message


def test_a_receipt_prints_headers_body_and_the_pdf_by_name_and_size():
    stream = io.StringIO()
    sent = ConsoleEmailBackend(stream=stream).send_messages([receipt_email()])
    assert sent == 1
    out = stream.getvalue()
    lines = out.splitlines()
    # The decoded subject (an em dash, which the raw message carries as an encoded word), the addresses, the
    # extra headers, the date.
    assert "Subject: Kuitansi donasi Anda — Wakaf sumur desa" in lines
    assert "From: Portal Alumni <noreply@localhost>" in lines
    assert "To: ani@example.org" in lines
    assert "Bcc: arsip@example.org" in lines
    assert "Message-ID: <abc123@localhost>" in lines
    assert "List-Unsubscribe: <http://127.0.0.1:8101/notifications/>" in lines
    assert any(line.startswith("Date: ") for line in lines)
    # The text body as written, its link whole.
    assert "Donasi Anda sebesar Rp500.000 sudah kami terima." in lines
    assert "http://127.0.0.1:8101/giving/mine/" in lines
    # One line for the HTML copy (2,607 bytes) and one for the PDF (12,345 bytes); no MIME plumbing, no base64.
    assert "[text/html alternative (2.6 kB, not shown)]" in lines
    assert lines[lines.index("Attachments (1):") + 1] == "  kuitansi-2026-0001.pdf (application/pdf, 12.3 kB)"
    assert "Content-Transfer-Encoding" not in out
    assert "base64" not in out
    assert "<p>" not in out
    assert lines[-1] == SEPARATOR
    assert len(lines) < 25  # Django's own console backend prints this email in over 200 lines


def test_attachments_given_as_mime_parts_or_text_and_without_type_are_listed():
    message = EmailMessage("Ekspor", "Terlampir.", "noreply@localhost", ["staf@example.org"])
    part = MIMEApplication(b"x" * 2_500_000, _subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    part.add_header("Content-Disposition", "attachment", filename="direktori.xlsx")
    message.attach(part)
    message.attach("catatan.txt", "Semua data 140 orang.\n")  # type guessed from the name, text counted in UTF-8
    message.attach("data.bin", b"\x00" * 999, None)
    assert readable(message).splitlines()[-4:] == [
        "Attachments (3):",
        "  direktori.xlsx (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, 2.5 MB)",
        "  catatan.txt (text/plain, 22 B)",
        "  data.bin (application/octet-stream, 999 B)",
    ]


def test_a_plain_email_has_no_attachment_section():
    message = EmailMessage("Halo", "Isi pesan.", "noreply@localhost", ["a@example.org"])
    text = readable(message)
    assert text.endswith("\n\nIsi pesan.")
    assert "Attachments" not in text and "alternative" not in text


def test_sizes_read_in_decimal_units():
    assert [human_size(n) for n in (0, 999, 1000, 12_345, 999_949, 1_000_000, 2_500_000)] == [
        "0 B", "999 B", "1.0 kB", "12.3 kB", "999.9 kB", "1.0 MB", "2.5 MB",
    ]


def test_the_portals_send_mail_through_the_console_backend_prints_the_readable_form(settings, capsys):
    settings.EMAIL_BACKEND = "core.mail.ConsoleEmailBackend"
    assert isinstance(get_connection(), ConsoleEmailBackend)
    send_mail("Sesi besok", "Sampai jumpa besok pukul 19.00 WIB.", "noreply@localhost", ["ani@example.org"],
              html="<p>Sampai jumpa besok pukul 19.00 WIB.</p>")
    out = capsys.readouterr().out.splitlines()
    assert "Subject: Sesi besok" in out
    assert "Sampai jumpa besok pukul 19.00 WIB." in out
    assert "[text/html alternative (42 B, not shown)]" in out
    assert out[-1] == SEPARATOR
