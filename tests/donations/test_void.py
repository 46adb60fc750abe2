"""Voiding a donation verified by mistake: only staff who run the campaign, with a reason, after a confirmation page
that says what will happen. The receipt number stays used (never issued again: numbering stays gap-free and goes
on), shows as void on the public ledger, the staff queue and the donor's pages; the campaign's totals drop it; the
donor is emailed once through the outbox; a receipt still unsent is not sent; the instalment it paid is due again."""

import csv
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext

from core.models import AuditLog, Notification
from core.notifications import notifications_deliver
from donations import selectors, services
from donations.models import Donation, Instalment, ReceiptCounter
from donations.reminders import notify_void
from tests.conftest import client_for

from .test_giving import make_pledge, submit, today

pytestmark = pytest.mark.django_db


def void_url(donation):
    return reverse("donations:donation_void", args=[donation.pk])


def verified(campaign, donor, staff, amount=50_000, capture=None):
    donation = submit(campaign, donor, amount=amount)
    if capture is None:
        return services.donation_verify(donation_id=donation.pk, user=staff)
    with capture(execute=True):
        return services.donation_verify(donation_id=donation.pk, user=staff)


def number(sequence: int) -> str:
    return f"UUC/KW/{today().year}/{sequence:06d}"


def test_the_void_page_says_what_will_happen_and_a_post_without_the_flag_changes_nothing(
    wakaf, alumnus_a, alumnus_b, staff_x
):
    verified(wakaf, alumnus_b, staff_x, amount=30_000)
    donation = verified(wakaf, alumnus_a, staff_x, amount=50_000)
    client = client_for(staff_x)
    page = client.get(void_url(donation))
    assert page.status_code == 200
    html = page.content.decode()
    assert number(2) in html
    assert "Rp 80.000" in html and "Rp 30.000" in html  # the campaign's total before and after
    assert "ani@example.org" in html  # who is emailed
    response = client.post(void_url(donation), {"reason": "Salah klik"})  # no confirmation flag
    assert response.status_code == 200
    donation.refresh_from_db()
    assert donation.status == Donation.Status.VERIFIED
    assert not AuditLog.objects.filter(action="donations.donation.voided").exists()


def test_a_reason_is_required(wakaf, alumnus_a, staff_x):
    donation = verified(wakaf, alumnus_a, staff_x)
    client = client_for(staff_x)
    for reason in ("", "   "):
        response = client.post(void_url(donation), {"confirm": "1", "reason": reason})
        assert response.status_code == 400
        assert response.context["form"].errors["reason"]
    donation.refresh_from_db()
    assert (donation.status, donation.void_reason) == (Donation.Status.VERIFIED, "")
    with pytest.raises(ValidationError):
        services.donation_void(donation_id=donation.pk, user=staff_x, reason=" ")


def test_void_keeps_the_number_used_and_numbering_goes_on_without_reuse(
    wakaf, alumnus_a, alumnus_b, staff_x, django_capture_on_commit_callbacks
):
    first = verified(wakaf, alumnus_a, staff_x, amount=50_000)
    second = verified(wakaf, alumnus_b, staff_x, amount=70_000)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff_x).post(void_url(first), {"confirm": "1", "reason": " Transfer tidak masuk "})
    assert response.status_code == 302 and response["Location"] == reverse("donations:verify_queue")
    first.refresh_from_db()
    assert (first.status, first.receipt_number, first.void_reason, first.voided_by) == (
        Donation.Status.VOID, number(1), "Transfer tidak masuk", staff_x)
    assert first.voided_at is not None
    # The next verification gets the next number: the voided one is never issued again, and none is skipped.
    third = verified(wakaf, alumnus_a, staff_x, amount=20_000)
    assert [second.receipt_number, third.receipt_number] == [number(2), number(3)]
    assert ReceiptCounter.objects.get().last_number == 3
    assert sorted(Donation.objects.exclude(receipt_number=None).values_list("receipt_sequence", flat=True)) == [
        1, 2, 3]
    # Voided once: a second void (or a verification) of it is refused.
    with pytest.raises(ValidationError):
        services.donation_void(donation_id=first.pk, user=staff_x, reason="lagi")
    with pytest.raises(ValidationError):
        services.donation_verify(donation_id=first.pk, user=staff_x)
    entry = AuditLog.objects.get(action="donations.donation.voided")
    assert entry.data["receipt"] == number(1) and entry.data["reason"] == "Transfer tidak masuk"


def test_totals_drop_the_voided_gift_and_the_ledger_shows_it_as_void(wakaf, alumnus_a, alumnus_b, staff_x):
    kept = verified(wakaf, alumnus_a, staff_x, amount=50_000)
    wrong = verified(wakaf, alumnus_b, staff_x, amount=70_000)
    assert selectors.campaign_progress([wakaf])[wakaf.pk].received == Decimal(120_000)
    services.donation_void(donation_id=wrong.pk, user=staff_x, reason="Salah kampanye")
    progress = selectors.campaign_progress([wakaf])[wakaf.pk]
    assert (progress.received, progress.donations, progress.donors) == (Decimal(50_000), 1, 1)
    assert services.campaign_balance(wakaf)["received"] == Decimal(50_000)
    assert [d.pk for d in selectors.donor_wall(wakaf).object_list] == [kept.pk]
    books = selectors.ledger(wakaf)
    assert books.received == Decimal(50_000) and books.balance == Decimal(50_000)
    assert [(row.reference, row.void, row.amount_in, row.voided_amount) for row in books.inflows] == [
        (number(1), False, Decimal(50_000), Decimal(0)), (number(2), True, Decimal(0), Decimal(70_000))]
    assert [row.balance for row in books.rows] == [Decimal(50_000), Decimal(50_000)]

    html = client_for(None).get(reverse("donations:ledger", args=[wakaf.pk])).content.decode()
    ledger_in = html[html.index('id="ledger-in"'):]
    assert f"<del>{number(2)}</del>" in ledger_in and gettext("VOID") in ledger_in
    assert "Salah kampanye" not in html  # the reason is for the donor and staff, not the public ledger
    export_url = reverse("donations:ledger_export", args=[wakaf.pk, "csv"])
    export = client_for(None).get(export_url).content.decode("utf-8-sig")
    rows = [row for row in csv.reader(io.StringIO(export)) if number(2) in row]
    assert len(rows) == 1 and rows[0][1] == gettext("Void") and rows[0][6] == "0"


def test_the_donor_is_emailed_once_and_sees_the_void(wakaf, alumnus_a, staff_x, django_capture_on_commit_callbacks):
    donation = verified(wakaf, alumnus_a, staff_x, capture=django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1  # the receipt
    with django_capture_on_commit_callbacks(execute=True):
        services.donation_void(donation_id=donation.pk, user=staff_x, reason="Transfer tidak ada di rekening koran")
    note = Notification.objects.get(kind="donation_voided")
    assert note.key == f"donation_voided:{donation.pk}:{alumnus_a.pk}" and note.sent_at is not None
    assert len(mail.outbox) == 2
    message = mail.outbox[1]
    assert message.to == ["ani@example.org"]
    assert number(1) in message.subject
    assert "Transfer tidak ada di rekening koran" in message.body and "Rp 50.000" in message.body
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_void(donation.pk) is False  # a retried task sends nothing twice
    assert len(mail.outbox) == 2

    client = client_for(alumnus_a)
    page = client.get(reverse("donations:donation", args=[donation.pk])).content.decode()
    assert 'id="donation-void"' in page and "Transfer tidak ada di rekening koran" in page
    assert void_url(donation) not in page  # the donor cannot void
    mine = client.get(reverse("donations:mine")).content.decode()
    assert f"<del>{number(1)}</del>" in mine
    assert client.get(reverse("donations:receipt", args=[donation.pk])).status_code == 404


def test_a_receipt_still_unsent_is_not_sent_after_the_void(wakaf, alumnus_a, staff_x):
    donation = verified(wakaf, alumnus_a, staff_x)  # on_commit not run: the receipt waits in the outbox
    receipt = Notification.objects.get(key=f"donations.receipt:{donation.pk}")
    services.donation_void(donation_id=donation.pk, user=staff_x, reason="Salah klik")
    assert notifications_deliver([receipt.pk])[0] == 0
    receipt.refresh_from_db()
    assert receipt.sent_at is None and receipt.failed_at is not None
    assert receipt.last_error == "cancelled: donation void"
    assert mail.outbox == []


def test_the_instalment_it_paid_is_due_again(wakaf, alumnus_a, staff_x):
    pledge = make_pledge(wakaf, alumnus_a, amount=Decimal(10_000))
    instalment = pledge.instalments.get()
    donation = services.donation_submit(
        campaign=wakaf, donor=alumnus_a, instalment=instalment,
        gift=services.Gift(amount=Decimal(10_000), method="cash", paid_on=today()),
    )
    services.donation_verify(donation_id=donation.pk, user=staff_x)
    instalment.refresh_from_db()
    assert instalment.status == Instalment.Status.PAID
    services.donation_void(donation_id=donation.pk, user=staff_x, reason="Salah klik")
    instalment.refresh_from_db()
    donation.refresh_from_db()
    assert instalment.status == Instalment.Status.DUE and donation.instalment_id is None
    assert list(Instalment.objects.unpaid()) == [instalment]


def test_only_staff_who_run_the_campaign_void(wakaf, alumnus_a, staff_x, staff_y, admin_user, pending_person):
    donation = verified(wakaf, alumnus_a, staff_x)
    assert client_for(None).get(void_url(donation)).status_code == 302
    for user, status in ((alumnus_a, 403), (pending_person, 403), (staff_y, 404)):
        client = client_for(user)
        assert client.get(void_url(donation)).status_code == status
        assert client.post(void_url(donation), {"confirm": "1", "reason": "x"}).status_code == status
    with pytest.raises(PermissionDenied):
        services.donation_void(donation_id=donation.pk, user=staff_y, reason="x")
    donation.refresh_from_db()
    assert donation.status == Donation.Status.VERIFIED
    assert client_for(admin_user).get(void_url(donation)).status_code == 200  # the institution's admin runs it too


def test_a_pending_donation_cannot_be_voided(wakaf, alumnus_a, staff_x):
    donation = submit(wakaf, alumnus_a)
    response = client_for(staff_x).post(void_url(donation), {"confirm": "1", "reason": "x"}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    donation.refresh_from_db()
    assert donation.status == Donation.Status.PENDING


def test_the_queue_lists_the_latest_receipts_with_the_void_marked(wakaf, alumnus_a, alumnus_b, staff_x, staff_y):
    kept = verified(wakaf, alumnus_a, staff_x, amount=50_000)
    wrong = verified(wakaf, alumnus_b, staff_x, amount=70_000)
    services.donation_void(donation_id=wrong.pk, user=staff_x, reason="Salah klik")
    response = client_for(staff_x).get(reverse("donations:verify_queue"))
    assert [d.pk for d in response.context["decided"]] == [wrong.pk, kept.pk]
    html = response.content.decode()
    decided = html[html.index('id="decided-list"'):]
    assert f"<del>{number(2)}</del>" in decided and gettext("VOID") in decided
    assert void_url(kept) in decided and void_url(wrong) not in decided
    assert client_for(staff_y).get(reverse("donations:verify_queue")).context["decided"] == []
