"""Receipts of verified donations: the PDF (reportlab, A5 portrait, DejaVu fonts vendored with the portal) and the
email that carries it, sent exactly once.

Through the outbox. `receipt_claim` writes the receipt's `core.models.Notification` row (key
`donations.receipt:<donation id>`) in the transaction that verifies the donation, so the receipt is owed from that
commit on, whatever happens to the task that sends it: a worker killed before or while sending leaves an unsent
row that the sweep (`core.tasks.deliver_pending_notifications`) sends. The PDF is not stored in the outbox: the row
names it (`attachment`) and the builder this app registers (`receipt_attachment`) makes it at send time.
`receipt_sent_at` is written by the sent hook (`mark_receipt_sent`), in the transaction that marks the row sent,
after the mail server accepted the message; never before.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from core.models import Notification
from core.notifications import ClaimItem, notification_deliver, notifications_claim_many
from core.pdf import FONT, FONT_BOLD, fmt_date, fmt_datetime, register_fonts

from .models import Campaign, Donation
from .money import rupiah, terbilang

PAGE = A5
MARGIN = 14 * mm
INK = colors.HexColor("#1F2933")
MUTED = colors.HexColor("#52606D")
RULE = colors.HexColor("#CBD2D9")
# Receipts are the institution's legal record and are written in Indonesian, whatever the donor's UI language.
KIND_LABELS = {
    Campaign.Kind.DONATION: "Sumbangan",
    Campaign.Kind.ENDOWMENT: "Wakaf",
    Campaign.Kind.EMERGENCY: "Penggalangan dana",
    Campaign.Kind.IN_KIND: "Barang (in-kind)",
}
METHOD_LABELS = {
    Donation.Method.BANK_TRANSFER: "Transfer bank",
    Donation.Method.EWALLET: "Dompet elektronik (e-wallet)",
    Donation.Method.CASH: "Tunai",
    Donation.Method.IN_KIND: "Barang (in-kind)",
}


def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("r-body", fontName=FONT, fontSize=9, leading=12, textColor=INK)
    return {
        "body": body,
        "institution": ParagraphStyle("r-inst", body, fontName=FONT_BOLD, fontSize=11, leading=14),
        "title": ParagraphStyle("r-title", body, fontName=FONT_BOLD, fontSize=13, leading=17, spaceBefore=6),
        "number": ParagraphStyle("r-number", body, fontSize=10, leading=13, spaceAfter=8),
        "label": ParagraphStyle("r-label", body, textColor=MUTED),
        "value": body,
        "words": ParagraphStyle("r-words", body, fontName=FONT_BOLD),
        "footer": ParagraphStyle("r-footer", body, fontSize=7.5, leading=10, textColor=MUTED),
    }


def _load(donation: Donation) -> Donation:
    return (
        Donation.objects.select_related("campaign__institution", "campaign__study_program", "donor", "decided_by")
        .prefetch_related("items__item")
        .get(pk=donation.pk)
    )


def receipt_pdf(donation: Donation) -> bytes:
    """The receipt of a verified donation as an A5 PDF. Private to the donor: it carries the real name even when
    the gift is anonymous on the public wall."""
    if donation.status != Donation.Status.VERIFIED or not donation.receipt_number:
        raise ValueError("Only a verified donation has a receipt.")
    donation = _load(donation)
    styles = _styles()
    campaign = donation.campaign
    institution = campaign.institution
    width = PAGE[0] - 2 * MARGIN - 12

    def p(text: str, style: str = "value") -> Paragraph:
        return Paragraph(escape(str(text)), styles[style])

    heading = institution.name
    if campaign.study_program:
        heading = f"{institution.name} — {campaign.study_program.name}"
    story = [
        p(heading, "institution"),
        p("KUITANSI / TANDA TERIMA DONASI", "title"),
        p(f"No. {donation.receipt_number}", "number"),
    ]
    verified_by = donation.decided_by.get_full_name() if donation.decided_by else ""
    rows = [
        ("Tanggal verifikasi", fmt_datetime(donation.decided_at) if donation.decided_at else ""),
        ("Telah diterima dari", donation.display_name),
        ("Kampanye", campaign.title),
        ("Jenis", KIND_LABELS.get(campaign.kind, campaign.kind)),
    ]
    items = list(donation.items.all())
    if donation.method == Donation.Method.IN_KIND or items:
        for gift in items:
            unit = f" {gift.item.unit}" if gift.item.unit else ""
            rows.append(("Barang", f"{gift.item.name}: {gift.quantity}{unit}"))
        if donation.amount:
            rows.append(("Perkiraan nilai", rupiah(donation.amount)))
    else:
        rows.append(("Jumlah", rupiah(donation.amount)))
    rows += [
        ("Metode", METHOD_LABELS.get(donation.method, donation.method)),
        ("Dibayar pada", fmt_date(donation.paid_on)),
        ("Diverifikasi oleh", verified_by),
    ]
    table = Table([[p(label, "label"), p(value)] for label, value in rows], colWidths=[width * 0.34, width * 0.66])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ]))
    story.append(table)
    if donation.method != Donation.Method.IN_KIND and donation.amount:
        story += [Spacer(1, 6), p("Terbilang:", "label"), p(f"{terbilang(donation.amount)} rupiah", "words")]
    story += [
        Spacer(1, 14),
        p(f"Terima kasih atas kebaikan Anda untuk {campaign.beneficiary}.", "body"),
    ]
    footer = (
        f"Kuitansi ini diterbitkan oleh {settings.SITE_NAME} ({settings.SITE_URL}). Keasliannya dapat diperiksa "
        f"pada pengelola kampanye dengan menyebutkan nomor {donation.receipt_number}."
    )

    def draw_footer(canvas, doc):
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, MARGIN + 12, PAGE[0] - MARGIN, MARGIN + 12)
        frame_width = PAGE[0] - 2 * MARGIN
        para = Paragraph(escape(footer), styles["footer"])
        _w, h = para.wrap(frame_width, MARGIN + 10)
        para.drawOn(canvas, MARGIN, MARGIN + 8 - h)
        canvas.restoreState()

    stream = io.BytesIO()
    doc = SimpleDocTemplate(
        stream, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN + 20,
        title=f"Kuitansi {donation.receipt_number}", author=institution.name, creator="Alumni portal",
        lang="id-ID", initialFontName=FONT,
    )
    doc.build(story, onFirstPage=draw_footer, onLaterPages=draw_footer)
    return stream.getvalue()


def receipt_filename(donation: Donation) -> str:
    return "kuitansi-" + (donation.receipt_number or str(donation.pk)).replace("/", "-") + ".pdf"


RECEIPT_KIND = "donation_receipt"
ATTACHMENT_PREFIX = "donations.receipt"


def receipt_key(donation_id) -> str:
    return f"donations.receipt:{donation_id}"


def receipt_attachment(reference: str) -> tuple[str, bytes, str]:
    """The receipt PDF of donation `reference`, built when its email is sent (registered in DonationsConfig)."""
    donation = Donation.objects.select_related("campaign", "donor").get(pk=reference)
    return receipt_filename(donation), receipt_pdf(donation), "application/pdf"


def mark_receipt_sent(notification: Notification) -> None:
    """The sent hook of receipts: the donation's `receipt_sent_at`, once the outbox row is sent."""
    donation_id = notification.key.removeprefix("donations.receipt:")
    Donation.objects.filter(pk=donation_id, receipt_sent_at__isnull=True).update(receipt_sent_at=timezone.now())


def receipt_unwanted(notification: Notification) -> str:
    """The send check of receipt emails (registered in DonationsConfig): "" while the donation is verified; a
    receipt still waiting in the outbox when staff void the donation is not sent (one query)."""
    donation_id = notification.key.removeprefix("donations.receipt:")
    status = Donation.objects.filter(pk=donation_id).values_list("status", flat=True).first()
    if status is None:
        return "donation deleted"
    return "" if status == Donation.Status.VERIFIED else f"donation {status}"


def _can_receive(donation: Donation | None) -> bool:
    return (
        donation is not None and donation.status == Donation.Status.VERIFIED and donation.donor is not None
        and bool(donation.donor.email) and donation.donor.is_active
    )


def receipt_claim(donation: Donation) -> Notification | None:
    """Claim the receipt email of a verified donation in the current transaction (the outbox row, rendered in the
    donor's language, its PDF named for send time). None when there is no one to send it to or it was claimed
    before. Does not schedule the send: the caller does (or the sweep will)."""
    if not _can_receive(donation):
        return None
    user = donation.donor
    item = ClaimItem(
        key=receipt_key(donation.pk), kind=RECEIPT_KIND, recipient=user, template="donations/email/receipt",
        context={
            "donation": donation, "user": user, "campaign": donation.campaign, "amount": rupiah(donation.amount),
            "link": f"{settings.SITE_URL}{reverse('donations:mine')}",
        },
        attachment=f"{ATTACHMENT_PREFIX}:{donation.pk}",
    )
    claimed = notifications_claim_many([item], deliver=False)
    return claimed[0] if claimed else None


def email_receipt(donation_id) -> bool:
    """Email the receipt of a verified donation to its donor, once: claims it if the verification did not, and sends
    the unsent outbox row. False when there is nothing to send (no account or email, not verified, already sent or
    being sent). A failed send raises (the task retries; the sweep too) and leaves the receipt unsent."""
    donation = (
        Donation.objects.select_related("donor", "campaign").filter(pk=donation_id, status=Donation.Status.VERIFIED)
        .first()
    )
    if not _can_receive(donation):
        return False
    receipt_claim(donation)
    pk = Notification.objects.unsent().filter(key=receipt_key(donation.pk)).values_list("pk", flat=True).first()
    if pk is None:
        return False
    return notification_deliver(notification_id=pk)
