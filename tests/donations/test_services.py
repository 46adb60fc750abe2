"""Giving services: due dates across month ends and weekdays, pledge lifecycle, verification with gap-free receipt
numbers, rejection, and the ledger balance. Every expected date and amount is written out by hand."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import AuditLog
from donations import services
from donations.models import Campaign, Donation, Instalment, Pledge, ReceiptCounter
from donations.services import Gift, PledgeTerms
from tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 1, 28)  # a Wednesday


def campaign_for(program, **extra):
    return CampaignFactory(study_program=program, **{"starts_on": D(2025, 12, 1), **extra})


@pytest.fixture
def wakaf(prodi_x):
    prodi_x.faculty.institution.short_name = "UDM"
    prodi_x.faculty.institution.save()
    return campaign_for(prodi_x)


def pledge(campaign, donor, **terms):
    base = {"amount": Decimal(10_000), "frequency": Pledge.Frequency.WEEKLY, "starts_on": TODAY,
            "weekday": Pledge.Weekday.FRIDAY}
    return services.pledge_create(donor=donor, campaign=campaign, terms=PledgeTerms(**{**base, **terms}), today=TODAY)


def gift(amount, **extra):
    return Gift(**{"amount": Decimal(amount), "method": "bank_transfer", "paid_on": TODAY, **extra})


def test_weekly_due_dates_fall_on_the_weekday_across_a_month_end(wakaf, alumnus_a):
    p = pledge(wakaf, alumnus_a)
    assert p.next_due_on == D(2026, 1, 30)  # the first Friday on or after Wednesday 28 January
    assert services.due_dates(p, D(2026, 1, 28), D(2026, 3, 2)) == [
        D(2026, 1, 30), D(2026, 2, 6), D(2026, 2, 13), D(2026, 2, 20), D(2026, 2, 27),
    ]
    # Starting on the weekday itself: that day is the first instalment.
    assert services.next_occurrence(p, D(2026, 2, 6)) == D(2026, 2, 6)
    assert not Instalment.objects.filter(pledge=p).exists()  # nothing is due yet on the 28th


def test_monthly_on_the_31st_clamps_to_shorter_months(wakaf, alumnus_a):
    p = pledge(wakaf, alumnus_a, frequency=Pledge.Frequency.MONTHLY, weekday=None, day_of_month=31,
               starts_on=D(2026, 1, 15), ends_on=D(2026, 6, 30))
    assert services.due_dates(p, D(2026, 1, 1), D(2026, 12, 31)) == [
        D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 31), D(2026, 4, 30), D(2026, 5, 31), D(2026, 6, 30),
    ]
    leap = pledge(wakaf, alumnus_a, frequency=Pledge.Frequency.MONTHLY, weekday=None, day_of_month=30,
                  starts_on=D(2028, 1, 31))
    assert services.due_dates(leap, D(2028, 1, 1), D(2028, 3, 31)) == [D(2028, 2, 29), D(2028, 3, 30)]
    december = pledge(wakaf, alumnus_a, frequency=Pledge.Frequency.MONTHLY, weekday=None, day_of_month=5,
                      starts_on=D(2026, 12, 6))
    assert december.next_due_on == D(2027, 1, 5)  # past this month's 5th: the next year's January


def test_the_tick_catches_up_and_ends_with_the_end_date(wakaf, alumnus_a):
    p = pledge(wakaf, alumnus_a, starts_on=D(2026, 1, 1), ends_on=D(2026, 2, 14))
    # pledge_create already made the instalments due by the 28th: Fridays 2, 9, 16, 23 January.
    assert list(p.instalments.values_list("due_on", flat=True)) == [
        D(2026, 1, 2), D(2026, 1, 9), D(2026, 1, 16), D(2026, 1, 23)]
    assert services.instalments_generate(today=D(2026, 2, 10)) == 2  # 30 Jan and 6 Feb (a beat that was down)
    assert services.instalments_generate(today=D(2026, 2, 10)) == 0  # again: nothing twice
    services.instalments_generate(today=D(2026, 3, 1))
    p.refresh_from_db()
    assert p.instalments.count() == 7 and p.instalments.last().due_on == D(2026, 2, 13)
    assert (p.status, p.next_due_on) == (Pledge.Status.COMPLETED, None)


def test_a_one_off_pledge_has_one_instalment(wakaf, alumnus_a):
    p = pledge(wakaf, alumnus_a, frequency=Pledge.Frequency.ONCE, weekday=None, amount=Decimal(500_000),
               starts_on=D(2026, 2, 10))
    assert list(p.instalments.values_list("due_on", "amount")) == [(D(2026, 2, 10), Decimal(500_000))]
    assert p.status == Pledge.Status.COMPLETED and p.ends_on is None


def test_pledges_are_refused_when_the_campaign_does_not_take_them(prodi_x, alumnus_a):
    for campaign in (campaign_for(prodi_x, status=Campaign.Status.DRAFT),
                     campaign_for(prodi_x, ends_on=D(2026, 1, 1)),
                     campaign_for(prodi_x, kind=Campaign.Kind.IN_KIND, goal_amount=None)):
        with pytest.raises(ValidationError):
            pledge(campaign, alumnus_a)
    with pytest.raises(ValidationError):  # no Friday between Monday 2 and Thursday 5 February
        pledge(campaign_for(prodi_x), alumnus_a, starts_on=D(2026, 2, 2), ends_on=D(2026, 2, 5))
    assert not Pledge.objects.exists()


def test_pause_resume_and_stop(wakaf, alumnus_a, alumnus_b):
    p = pledge(wakaf, alumnus_a, starts_on=D(2026, 1, 1))
    with pytest.raises(PermissionDenied):
        services.pledge_pause(pledge=p, user=alumnus_b)
    services.pledge_pause(pledge=p, user=alumnus_a)
    assert services.instalments_generate(today=D(2026, 2, 20)) == 0  # paused: 30 Jan … 20 Feb never fall due
    services.pledge_resume(pledge=p, user=alumnus_a, today=D(2026, 2, 24))
    p.refresh_from_db()
    assert p.next_due_on == D(2026, 2, 27)
    assert services.instalments_generate(today=D(2026, 2, 27)) == 1
    services.pledge_stop(pledge=p, user=alumnus_a)
    statuses = dict(p.instalments.values_list("due_on", "status"))
    assert statuses[D(2026, 2, 27)] == Instalment.Status.CANCELLED
    assert services.instalments_generate(today=D(2026, 3, 31)) == 0
    with pytest.raises(ValidationError):
        services.pledge_resume(pledge=p, user=alumnus_a)
    assert [log.action for log in AuditLog.objects.order_by("pk")][-3:] == [
        "donations.pledge.paused", "donations.pledge.resumed", "donations.pledge.stopped"]


def test_verification_numbers_receipts_per_institution_and_year_and_settles_the_instalment(
    wakaf, prodi_y, alumnus_a, staff_x, django_capture_on_commit_callbacks
):
    p = pledge(wakaf, alumnus_a, starts_on=D(2026, 1, 1))
    due = p.instalments.first()
    first = services.donation_submit(campaign=wakaf, donor=alumnus_a, gift=gift(10_000), instalment=due)
    second = services.donation_submit(campaign=wakaf, donor=alumnus_a, gift=gift(250_000))
    with django_capture_on_commit_callbacks():
        services.donation_verify(donation_id=first.pk, user=staff_x, today=D(2026, 12, 31))
        services.donation_verify(donation_id=second.pk, user=staff_x, today=D(2027, 1, 1))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.receipt_number == "UDM/KW/2026/000001"
    assert second.receipt_number == "UDM/KW/2027/000001"  # a new year starts again at 1
    due.refresh_from_db()
    assert due.status == Instalment.Status.PAID
    with pytest.raises(ValidationError):  # already decided
        services.donation_verify(donation_id=first.pk, user=staff_x)
    assert list(ReceiptCounter.objects.order_by("year").values_list("year", "last_number")) == [(2026, 1), (2027, 1)]


def test_only_staff_of_the_campaign_decide(wakaf, alumnus_a, staff_y):
    donation = services.donation_submit(campaign=wakaf, donor=alumnus_a, gift=gift(10_000))
    with pytest.raises(PermissionDenied):
        services.donation_verify(donation_id=donation.pk, user=staff_y)
    with pytest.raises(PermissionDenied):
        services.donation_reject(donation_id=donation.pk, user=alumnus_a, reason="x")
    donation.refresh_from_db()
    assert donation.status == Donation.Status.PENDING and not ReceiptCounter.objects.exists()


def test_rejection_needs_a_reason_and_issues_no_number(wakaf, alumnus_a, staff_x, django_capture_on_commit_callbacks):
    donation = services.donation_submit(campaign=wakaf, donor=alumnus_a, gift=gift(10_000))
    with pytest.raises(ValidationError):
        services.donation_reject(donation_id=donation.pk, user=staff_x, reason="  ")
    with django_capture_on_commit_callbacks():
        services.donation_reject(donation_id=donation.pk, user=staff_x, reason="Transfer tidak ditemukan di rekening")
    donation.refresh_from_db()
    assert (donation.status, donation.receipt_number) == (Donation.Status.REJECTED, None)
    assert donation.reject_reason == "Transfer tidak ditemukan di rekening"
    later = services.donation_submit(campaign=wakaf, donor=alumnus_a, gift=gift(20_000))
    with django_capture_on_commit_callbacks():
        services.donation_verify(donation_id=later.pk, user=staff_x, today=TODAY)
    later.refresh_from_db()
    assert later.receipt_sequence == 1  # a rejection takes no number: no gap


def test_balance_counts_verified_money_in_minus_money_out(wakaf, alumnus_a, alumnus_b, staff_x,
                                                          django_capture_on_commit_callbacks):
    amounts = {150_000: "verify", 250_000: "verify", 70_000: "reject", 30_000: "pending"}
    with django_capture_on_commit_callbacks():
        for amount, decision in amounts.items():
            donation = services.donation_submit(campaign=wakaf, donor=alumnus_a, gift=gift(amount))
            if decision == "verify":
                services.donation_verify(donation_id=donation.pk, user=staff_x, today=TODAY)
            elif decision == "reject":
                services.donation_reject(donation_id=donation.pk, user=staff_x, reason="Bukti palsu")
    assert services.campaign_balance(wakaf) == {
        "received": Decimal(400_000), "disbursed": Decimal(0), "balance": Decimal(400_000)}
    services.disbursement_record(campaign=wakaf, user=staff_x, amount=Decimal(100_000), paid_on=TODAY,
                                 purpose="Uang muka pengeboran sumur")
    assert services.campaign_balance(wakaf)["balance"] == Decimal(300_000)
    with pytest.raises(ValidationError):  # more than is left
        services.disbursement_record(campaign=wakaf, user=staff_x, amount=Decimal(300_001), paid_on=TODAY,
                                     purpose="Pompa")
    with pytest.raises(PermissionDenied):
        services.disbursement_record(campaign=wakaf, user=alumnus_b, amount=Decimal(1), paid_on=TODAY, purpose="x")
    services.disbursement_record(campaign=wakaf, user=staff_x, amount=Decimal(300_000), paid_on=TODAY,
                                 purpose="Pelunasan")
    assert services.campaign_balance(wakaf) == {
        "received": Decimal(400_000), "disbursed": Decimal(400_000), "balance": Decimal(0)}


def test_in_kind_gifts_name_their_items(prodi_x, alumnus_a):
    lab = campaign_for(prodi_x, kind=Campaign.Kind.IN_KIND, goal_amount=None, title="Komputer lab")
    desks = lab.items.create(name="Meja", quantity_needed=20, unit="buah")
    with pytest.raises(ValidationError):
        services.donation_submit(campaign=lab, donor=alumnus_a, gift=gift(0, method="in_kind"))
    donation = services.donation_submit(campaign=lab, donor=alumnus_a, gift=gift(0, method="in_kind",
                                                                                 items={desks: 4}))
    assert list(donation.items.values_list("item__name", "quantity")) == [("Meja", 4)]
    other = campaign_for(prodi_x, kind=Campaign.Kind.IN_KIND, goal_amount=None, title="Lain")
    with pytest.raises(PermissionDenied):  # an item of another campaign
        services.donation_submit(campaign=other, donor=alumnus_a, gift=gift(0, method="in_kind", items={desks: 1}))


def test_a_rejected_payment_frees_its_instalment_for_another_transfer(wakaf, alumnus_a, staff_x):
    p = pledge(wakaf, alumnus_a, starts_on=D(2026, 1, 1))
    due = p.instalments.first()
    first = services.donation_submit(campaign=wakaf, donor=alumnus_a, gift=gift(10_000), instalment=due)
    assert not Instalment.objects.unpaid().filter(pk=due.pk).exists()
    services.donation_reject(donation_id=first.pk, user=staff_x, reason="Bukti buram")
    assert Instalment.objects.unpaid().filter(pk=due.pk).exists()
    again = services.donation_submit(campaign=wakaf, donor=alumnus_a, gift=gift(10_000), instalment=due)
    assert again.instalment == due
    log = AuditLog.objects.get(action="donations.donation.rejected")
    assert log.data["instalment"] == str(due.pk)


def test_deleting_an_account_deletes_its_transfer_slips(wakaf, alumnus_a, settings, tmp_path,
                                                          django_capture_on_commit_callbacks):
    from django.core.files.base import ContentFile

    from donations.privacy import anonymise_donations

    settings.MEDIA_ROOT = str(tmp_path)
    donation = services.donation_submit(campaign=wakaf, donor=alumnus_a, gift=gift(
        10_000, proof=ContentFile(b"%PDF-1.4 slip", name="slip.pdf")))
    path = donation.proof.path
    with django_capture_on_commit_callbacks(execute=True):
        anonymise_donations(alumnus_a, "ANON-1")
    donation.refresh_from_db()
    assert (donation.donor, donation.donor_name, donation.proof.name, donation.amount) == (None, "ANON-1", "",
                                                                                           Decimal(10_000))
    import os

    assert not os.path.exists(path)
