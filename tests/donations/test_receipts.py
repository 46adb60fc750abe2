"""Receipts: the PDF carries the number, the real name, the amount in figures and in words (or the goods), and the
email goes out exactly once, in the donor's language, with the PDF attached; a failed send is retried later.

pypdf is not a dependency: page compression is switched off and the text is searched in the raw bytes (DejaVu is
embedded as a subset whose ASCII characters keep their codes), as tests/tracer/test_lkps_pdf.py does."""

import datetime
import re
import smtplib
from decimal import Decimal
from unittest import mock

import pytest
from celery import current_app
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends import locmem
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError
from reportlab import rl_config

from core.models import Notification
from core.tasks import deliver_pending_notifications
from donations import services
from donations.models import Donation
from donations.receipts import email_receipt, receipt_pdf
from tests.conftest import client_for
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


# --- Through the outbox: a crash or a failed send never loses a receipt, never marks one sent ---------------------


def stale(donation):
    """The receipt's outbox row as the sweep finds it minutes later (other rows stay fresh)."""
    Notification.objects.filter(key=f"donations.receipt:{donation.pk}").update(
        created_at=timezone.now() - datetime.timedelta(minutes=10)
    )


def test_a_receipt_is_never_marked_sent_when_the_smtp_send_raised(wakaf, alumnus_a, staff_x, monkeypatch):
    donation = verified(wakaf, alumnus_a, staff_x)
    row = Notification.objects.get(key=f"donations.receipt:{donation.pk}")  # owed from the verification's commit
    assert row.attachment == f"donations.receipt:{donation.pk}" and row.sent_at is None

    def refused(self, messages):
        raise smtplib.SMTPRecipientsRefused({"ani@example.org": (451, b"try later")})

    with monkeypatch.context() as patch:
        patch.setattr(locmem.EmailBackend, "send_messages", refused)
        with pytest.raises(smtplib.SMTPException):
            email_receipt(donation.pk)
        assert deliver_pending_notifications() == 0  # the sweep's try fails too
    donation.refresh_from_db()
    row.refresh_from_db()
    assert donation.receipt_sent_at is None and row.sent_at is None and row.attempts == 2
    assert mail.outbox == []
    # The next sweep sends it, once, with its PDF; only then is the receipt marked sent.
    assert deliver_pending_notifications() == 1
    assert deliver_pending_notifications() == 0
    donation.refresh_from_db()
    assert donation.receipt_sent_at is not None
    [message] = mail.outbox
    [(name, content, content_type)] = message.attachments
    assert content_type == "application/pdf" and donation.receipt_number.encode() in pdf_text(content)


def test_a_receipt_whose_task_never_ran_is_sent_once_by_the_sweep(wakaf, alumnus_a, staff_x,
                                                                   django_capture_on_commit_callbacks):
    # The worker was killed before the receipt task ran: the verification committed its outbox row.
    with django_capture_on_commit_callbacks(execute=False):
        donation = verified(wakaf, alumnus_a, staff_x)
    stale(donation)
    assert deliver_pending_notifications() == 1
    assert email_receipt(donation.pk) is False  # the late task finds nothing left to send
    assert len(mail.outbox) == 1 and mail.outbox[0].attachments[0][2] == "application/pdf"
    donation.refresh_from_db()
    assert donation.receipt_sent_at is not None


def test_verifying_while_the_broker_is_unreachable_answers_and_the_receipt_stays_owed(
    wakaf, alumnus_a, staff_x, monkeypatch, django_capture_on_commit_callbacks
):
    donation = submit(wakaf, alumnus_a)
    task = current_app.tasks["donations.tasks.send_receipt"]
    monkeypatch.setattr(task, "apply_async", mock.Mock(side_effect=OperationalError("Error 111 connecting")))
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff_x).post(reverse("donations:donation_verify", args=[donation.pk]), {"confirm": "1"})
    assert response.status_code == 302
    assert task.apply_async.call_count == 1
    donation.refresh_from_db()
    assert donation.status == Donation.Status.VERIFIED and donation.receipt_sent_at is None
    assert Notification.objects.unsent().filter(key=f"donations.receipt:{donation.pk}").count() == 1
    stale(donation)
    assert deliver_pending_notifications() == 1
    donation.refresh_from_db()
    assert donation.receipt_sent_at is not None and len(mail.outbox) == 1
