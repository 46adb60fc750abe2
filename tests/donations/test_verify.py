"""Staff verification: the queue (oldest first, real names, only the campaigns one runs), verify (receipt number,
instalment settled, one receipt email with the PDF), reject (a reason is required), second decisions refused, and
gifts recorded in person."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from donations import services
from donations.models import Campaign, Donation, DonationItem, Instalment, ReceiptCounter
from donations.receipts import email_receipt
from tests.conftest import client_for

from .test_giving import make_in_kind, make_pledge, submit, today

pytestmark = pytest.mark.django_db
QUEUE = reverse("donations:verify_queue")
CONFIRM = {"confirm": "1"}


def verify_url(donation):
    return reverse("donations:donation_verify", args=[donation.pk])


def reject_url(donation):
    return reverse("donations:donation_reject", args=[donation.pk])


def test_alumni_get_403_on_the_queue_and_the_actions(wakaf, alumnus_a, alumnus_b):
    donation = submit(wakaf, alumnus_b)
    client = client_for(alumnus_a)
    assert client.get(QUEUE).status_code == 403
    assert client.post(verify_url(donation), CONFIRM).status_code == 403
    assert client.post(reject_url(donation), {**CONFIRM, "reason": "x"}).status_code == 403
    assert client.get(reverse("donations:donation_record", args=[wakaf.pk])).status_code == 403
    # Even the donor cannot verify their own gift.
    assert client_for(alumnus_b).post(verify_url(donation), CONFIRM).status_code == 403
    donation.refresh_from_db()
    assert donation.status == Donation.Status.PENDING


def test_anonymous_visitors_are_sent_to_login(wakaf):
    assert client_for(None).get(QUEUE).status_code == 302


def test_queue_lists_pending_oldest_first_with_real_names(wakaf, alumnus_a, alumnus_b, staff_x):
    first = submit(wakaf, alumnus_a, amount=11_000, anonymous=True)
    second = submit(wakaf, alumnus_b, amount=22_000)
    decided = submit(wakaf, alumnus_b, amount=33_000)
    services.donation_verify(donation_id=decided.pk, user=staff_x)
    Donation.objects.filter(pk=first.pk).update(created_at=second.created_at - datetime.timedelta(hours=1))
    response = client_for(staff_x).get(QUEUE)
    assert response.status_code == 200
    assert [d.pk for d in response.context["pending"]] == [first.pk, second.pk]
    body = response.content.decode()
    assert "Ani Lestari" in body  # anonymous on the wall, named for staff
    pending_table = body[:body.index('id="decided-list"')]
    assert "Rp 11.000" in pending_table and "Rp 22.000" in pending_table and "Rp 33.000" not in pending_table
    # The verified one is listed below, with its receipt number, under the latest receipts.
    assert [d.pk for d in response.context["decided"]] == [decided.pk]
    assert reverse("donations:donation_proof", args=[first.pk]) in body
    assert reverse("donations:donation_record", args=[wakaf.pk]) in body


def test_staff_of_another_program_see_nothing_of_it(wakaf, alumnus_a, staff_y):
    donation = submit(wakaf, alumnus_a)
    client = client_for(staff_y)
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert response.context["pending"] == []
    assert client.post(verify_url(donation), CONFIRM).status_code == 404
    assert client.get(verify_url(donation)).status_code == 404
    assert client.post(reject_url(donation), {**CONFIRM, "reason": "Tidak ada"}).status_code == 404
    assert client.get(reverse("donations:donation", args=[donation.pk])).status_code == 404
    assert client.get(reverse("donations:donation_record", args=[wakaf.pk])).status_code == 404
    donation.refresh_from_db()
    assert donation.status == Donation.Status.PENDING


def test_admin_of_the_institution_sees_the_queue(wakaf, alumnus_a, admin_user):
    donation = submit(wakaf, alumnus_a)
    response = client_for(admin_user).get(QUEUE)
    assert [d.pk for d in response.context["pending"]] == [donation.pk]


def test_verify_numbers_settles_and_emails_the_receipt_once(wakaf, alumnus_a, staff_x,
                                                             django_capture_on_commit_callbacks):
    pledge = make_pledge(wakaf, alumnus_a, amount=Decimal(10_000))
    instalment = pledge.instalments.get()
    donation = services.donation_submit(
        campaign=wakaf, donor=alumnus_a, instalment=instalment,
        gift=services.Gift(amount=Decimal(10_000), method="cash", paid_on=today()),
    )
    client = client_for(staff_x)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(verify_url(donation), CONFIRM)
    assert response.status_code == 302 and response["Location"] == QUEUE
    donation.refresh_from_db()
    year = today().year
    assert donation.status == Donation.Status.VERIFIED
    assert donation.receipt_number == f"UUC/KW/{year}/000001"
    assert donation.decided_by == staff_x
    assert donation.receipt_sent_at is not None
    instalment.refresh_from_db()
    assert instalment.status == Instalment.Status.PAID
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ani@example.org"]
    assert donation.receipt_number in message.subject
    [(filename, content, mimetype)] = message.attachments
    assert (filename, mimetype) == (f"kuitansi-UUC-KW-{year}-000001.pdf", "application/pdf")
    assert content.startswith(b"%PDF-")

    # A second verify is refused with a message: nothing changes, no second number, no second email.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(verify_url(donation), CONFIRM, follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]][-1] == "error"
    donation.refresh_from_db()
    assert donation.receipt_number == f"UUC/KW/{year}/000001"
    assert ReceiptCounter.objects.get().last_number == 1
    assert email_receipt(donation.pk) is False  # a retried task sends nothing twice
    assert len(mail.outbox) == 1


def test_verify_asks_first_with_the_number_it_will_issue_and_who_is_emailed(wakaf, alumnus_a, alumnus_b, staff_x):
    earlier = submit(wakaf, alumnus_b, amount=30_000)
    services.donation_verify(donation_id=earlier.pk, user=staff_x)
    donation = submit(wakaf, alumnus_a, amount=50_000)
    client = client_for(staff_x)
    year = today().year
    for response in (client.get(verify_url(donation)), client.post(verify_url(donation))):  # no flag: asks again
        assert response.status_code == 200
        preview = response.context["preview"]
        assert (preview.receipt_number, preview.email_to) == (f"UUC/KW/{year}/000002", "ani@example.org")
        assert (preview.received_before, preview.received_after) == (Decimal(30_000), Decimal(80_000))
        html = response.content.decode()
        assert f'<strong id="verify-receipt-number">UUC/KW/{year}/000002</strong>' in html
        assert "ani@example.org" in html and "Rp 30.000" in html and "Rp 80.000" in html
    # Showing the number reserved nothing.
    assert ReceiptCounter.objects.get().last_number == 1
    donation.refresh_from_db()
    assert (donation.status, donation.receipt_number) == (Donation.Status.PENDING, None)
    assert client.delete(verify_url(donation)).status_code == 405


def test_verify_page_of_a_gift_without_an_account_says_no_email_goes_out(wakaf, staff_x):
    gift = services.Gift(amount=Decimal(100_000), method="cash", paid_on=today(), donor_name="Pak Harjo")
    donation = services.donation_submit(campaign=wakaf, donor=None, gift=gift, recorded_by=staff_x)
    response = client_for(staff_x).get(verify_url(donation))
    assert response.context["preview"].email_to == ""
    assert response.context["preview"].receipt_number == f"UUC/KW/{today().year}/000001"
    assert not ReceiptCounter.objects.exists()


def test_reject_without_the_flag_changes_nothing(wakaf, alumnus_a, staff_x):
    donation = submit(wakaf, alumnus_a)
    response = client_for(staff_x).post(reject_url(donation), {"reason": "Tidak ada"})
    assert response.status_code == 200
    assert "ani@example.org" in response.content.decode()  # who is told
    donation.refresh_from_db()
    assert (donation.status, donation.reject_reason) == (Donation.Status.PENDING, "")


def test_reject_needs_a_reason(wakaf, alumnus_a, staff_x):
    donation = submit(wakaf, alumnus_a)
    client = client_for(staff_x)
    assert client.get(reject_url(donation)).status_code == 200
    for reason in ("", "   "):
        response = client.post(reject_url(donation), {**CONFIRM, "reason": reason})
        assert response.status_code == 400
        assert response.context["form"].errors["reason"]
    donation.refresh_from_db()
    assert (donation.status, donation.reject_reason) == (Donation.Status.PENDING, "")
    response = client.post(reject_url(donation), {**CONFIRM, "reason": "  Transfer tidak ada di rekening koran  "})
    assert response["Location"] == QUEUE
    donation.refresh_from_db()
    assert (donation.status, donation.reject_reason, donation.receipt_number) == (
        Donation.Status.REJECTED, "Transfer tidak ada di rekening koran", None)
    # Already decided: verifying it now is refused.
    client.post(verify_url(donation), CONFIRM)
    donation.refresh_from_db()
    assert donation.status == Donation.Status.REJECTED
    assert not ReceiptCounter.objects.exists()


def test_staff_record_cash_handed_over_for_an_account(wakaf, alumnus_a, staff_x):
    url = reverse("donations:donation_record", args=[wakaf.pk])
    client = client_for(staff_x)
    form = client.get(url).context["form"]
    assert [c[0] for c in form.fields["method"].choices] == ["cash"]
    data = {"donor_name": "Ani L.", "donor_email": "ANI@example.org", "amount": "300.000", "method": "cash",
            "paid_on": today().isoformat(), "message": "Reuni 2026"}
    response = client.post(url, data)
    assert response["Location"] == QUEUE
    donation = Donation.objects.get()
    assert (donation.donor, donation.donor_name, donation.amount, donation.status) == (
        alumnus_a, "Ani L.", Decimal(300_000), "pending")
    assert [d.pk for d in client.get(QUEUE).context["pending"]] == [donation.pk]


def test_record_by_name_only_and_unknown_email_refused(wakaf, staff_x):
    url = reverse("donations:donation_record", args=[wakaf.pk])
    client = client_for(staff_x)
    base = {"donor_name": "Pak Harjo", "amount": "100000", "method": "cash", "paid_on": today().isoformat()}
    response = client.post(url, {**base, "donor_email": "nobody@example.org"})
    assert response.context["form"].errors["donor_email"]
    response = client.post(url, {**base, "amount": "0"})
    assert response.context["form"].errors["amount"]
    assert not Donation.objects.exists()
    client.post(url, base)
    donation = Donation.objects.get()
    assert (donation.donor, donation.display_name) == (None, "Pak Harjo")


def test_record_goods_for_an_in_kind_campaign(prodi_x, staff_x):
    campaign = make_in_kind(prodi_x)
    computer, desk = campaign.items.all()
    url = reverse("donations:donation_record", args=[campaign.pk])
    data = {"donor_name": "Angkatan 2010", "method": "in_kind", "paid_on": today().isoformat(),
            f"item_{desk.pk}": "5"}
    assert client_for(staff_x).post(url, data)["Location"] == QUEUE
    assert list(DonationItem.objects.values_list("item__name", "quantity")) == [("Meja", 5)]


def test_no_recording_for_a_closed_campaign(wakaf, staff_x):
    Campaign.objects.filter(pk=wakaf.pk).update(status=Campaign.Status.CLOSED)
    response = client_for(staff_x).post(reverse("donations:donation_record", args=[wakaf.pk]), {
        "donor_name": "X", "amount": "100000", "method": "cash", "paid_on": today().isoformat()})
    assert response["Location"] == QUEUE
    assert not Donation.objects.exists()


def test_queue_runs_a_fixed_number_of_queries(wakaf, prodi_x, alumnus_a, alumnus_b, staff_x,
                                              django_assert_max_num_queries):
    goods = make_in_kind(prodi_x)
    computer = goods.items.first()
    client = client_for(staff_x)
    client.get(QUEUE)  # warm: both counts below are of a page whose caches (scope) are warm
    counts = []
    for size in (2, 15):
        for n in range(size):
            submit(wakaf, alumnus_a if n % 2 else alumnus_b, amount=1_000 + n)
            services.donation_submit(
                campaign=goods, donor=alumnus_a,
                gift=services.Gift(amount=Decimal(0), method="in_kind", paid_on=today(), items={computer: 1}))
        with django_assert_max_num_queries(12) as captured:
            response = client.get(QUEUE)
        assert response.status_code == 200
        counts.append(len(captured))
    assert len(response.context["pending"]) == 34
    assert counts[0] == counts[1]


def test_staff_can_decide_from_the_donation_page_the_donor_cannot(wakaf, alumnus_a, staff_x):
    donation = submit(wakaf, alumnus_a)
    page = reverse("donations:donation", args=[donation.pk])
    assert verify_url(donation) in client_for(staff_x).get(page).content.decode()
    assert verify_url(donation) not in client_for(alumnus_a).get(page).content.decode()
    services.donation_verify(donation_id=donation.pk, user=staff_x)
    assert verify_url(donation) not in client_for(staff_x).get(page).content.decode()
