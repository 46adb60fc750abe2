"""Receipts: the PDF carries the number, the real name, the amount in figures and in words (or the goods), and the
email goes out exactly once, in the donor's language, with the PDF attached; a failed send is retried later.

pypdf is not a dependency: page compression is switched off and the text is searched in the raw bytes (DejaVu is
embedded as a subset whose ASCII characters keep their codes), as tests/tracer/test_lkps_pdf.py does."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from reportlab import rl_config

from donations import services
from donations.models import Donation
from donations.receipts import email_receipt, receipt_pdf
from tests.factories import UserFactory

from .test_giving import make_in_kind, submit, today

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def readable_pdf(monkeypatch):
    monkeypatch.setattr(rl_config, "pageCompression", 0)


def pdf_text(pdf: bytes) -> bytes:
    """The strings shown by text operators (Tj), joined by newlines; PDF escapes undone for parentheses."""
    shown = re.findall(rb"\(((?:[^()\\]|\\.)*)\)\s*Tj", pdf)
    return b"\n".join(s.replace(rb"\(", b"(").replace(rb"\)", b")").replace(rb"\\", b"\\") for s in shown)


def verified(campaign, donor, staff, **extra) -> Donation:
    donation = submit(campaign, donor, **extra)
    return services.donation_verify(donation_id=donation.pk, user=staff)


def test_receipt_pdf_has_the_number_name_and_amount(wakaf, alumnus_a, staff_x):
    donation = verified(wakaf, alumnus_a, staff_x, amount=1_250_000, anonymous=True)
    pdf = receipt_pdf(donation)
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    assert f"No. UUC/KW/{today().year}/000001".encode() in text
    assert b"KUITANSI / TANDA TERIMA DONASI" in text
    assert b"Universitas Uji Coba" in text
    assert b"Rp 1.250.000" in text
    assert b"satu juta dua ratus lima puluh ribu rupiah" in text
    assert b"Ani Lestari" in text  # the real name, even though anonymous on the wall
    assert b"Wakaf Jumat" in text and b"Wakaf" in text
    assert b"Transfer bank" in text
    assert b"Staf X" in text
    assert today().strftime("%Y").encode() in text


def test_receipt_of_goods_lists_items_instead_of_an_amount(prodi_x, alumnus_a, staff_x):
    campaign = make_in_kind(prodi_x)
    computer, desk = campaign.items.all()
    donation = services.donation_submit(campaign=campaign, donor=alumnus_a, gift=services.Gift(
        amount=Decimal(0), method="in_kind", paid_on=today(), items={computer: 3, desk: 4}))
    donation = services.donation_verify(donation_id=donation.pk, user=staff_x)
    text = pdf_text(receipt_pdf(donation))
    assert b"Komputer: 3 unit" in text and b"Meja: 4 buah" in text
    assert b"Rp 0" not in text and b"rupiah" not in text


def test_no_receipt_for_a_pending_donation(wakaf, alumnus_a):
    with pytest.raises(ValueError):
        receipt_pdf(submit(wakaf, alumnus_a))


def test_email_goes_once_in_the_donors_language_with_the_pdf(wakaf, alumnus_a, staff_x):
    alumnus_a.language = "en"
    alumnus_a.save()
    donation = verified(wakaf, alumnus_a, staff_x, amount=75_000)
    assert email_receipt(donation.pk) is True
    assert email_receipt(str(donation.pk)) is False
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ani@example.org"]
    assert message.subject.startswith("Receipt UUC/KW/")
    assert "Rp 75.000" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "Rp 75.000" in html
    [(name, content, content_type)] = message.attachments
    assert content_type == "application/pdf"
    assert b"Rp 75.000" in pdf_text(content)
    donation.refresh_from_db()
    assert donation.receipt_sent_at is not None


def test_a_failed_send_is_released_for_the_retry(wakaf, alumnus_a, staff_x, monkeypatch):
    donation = verified(wakaf, alumnus_a, staff_x)

    def broken(self, *args, **kwargs):
        raise OSError("mail server down")

    with monkeypatch.context() as patch:
        patch.setattr(EmailMultiAlternatives, "send", broken)
        with pytest.raises(OSError):
            email_receipt(donation.pk)
    donation.refresh_from_db()
    assert donation.receipt_sent_at is None
    assert email_receipt(donation.pk) is True
    assert len(mail.outbox) == 1


def test_nothing_to_send_without_an_account_or_before_verification(wakaf, alumnus_a, staff_x):
    pending = submit(wakaf, alumnus_a)
    assert email_receipt(pending.pk) is False
    by_name = services.donation_submit(campaign=wakaf, donor=None, recorded_by=staff_x, gift=services.Gift(
        amount=Decimal(20_000), method="cash", paid_on=today(), donor_name="Pak Harjo"))
    by_name = services.donation_verify(donation_id=by_name.pk, user=staff_x)
    assert email_receipt(by_name.pk) is False
    assert b"Pak Harjo" in pdf_text(receipt_pdf(by_name))
    no_email = UserFactory(email="", full_name="Tanpa Surel", verified=False)
    donation = verified(wakaf, no_email, staff_x)
    assert email_receipt(donation.pk) is False
    assert mail.outbox == []
    Donation.objects.filter(pk=donation.pk).update(receipt_sent_at=None)
