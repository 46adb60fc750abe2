"""Verifications racing each other on PostgreSQL: receipt numbers stay gap-free and unique, totals stay exact, and a
donation verified by two staff at once is verified once."""

import threading
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection
from django.db.models import Sum

from donations import services, tasks
from donations.models import Campaign, Donation, ReceiptCounter
from donations.services import Gift

from ..conftest import need
from ..factories import UserFactory
from .test_services import TODAY, campaign_for

pytestmark = pytest.mark.django_db(transaction=True)
DONATIONS = 60
THREADS = 12


def race(jobs, threads=THREADS):
    """Run the jobs from `threads` threads started together, each with its own database connection."""
    barrier = threading.Barrier(threads)
    errors, results = [], []
    lock = threading.Lock()

    def worker(chunk):
        try:
            barrier.wait(timeout=10)
            for job in chunk:
                try:
                    results.append(job())
                except Exception as exc:  # noqa: BLE001 - collected and asserted by the tests
                    with lock:
                        errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    chunks = [jobs[i::threads] for i in range(threads)]
    pool = [threading.Thread(target=worker, args=(chunk,)) for chunk in chunks]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=120)
    return results, errors


@pytest.fixture
def sent(monkeypatch):
    """Receipt emails queued after commit (core.dispatch.enqueue sends the task by name with apply_async), counted
    instead of rendered (receipts have their own tests)."""
    calls = []
    monkeypatch.setattr(tasks.send_receipt, "apply_async", lambda args=(), kwargs=None: calls.append(args[0]))
    return calls


def test_concurrent_verifications_number_receipts_without_gaps_or_duplicates(prodi_x, prodi_y, staff_x, sent):
    need(connection.vendor == "postgresql", "row locks need PostgreSQL (SQLite serialises every writer anyway)")
    wakaf = campaign_for(prodi_x)
    emergency = campaign_for(prodi_y, title="Darurat", kind=Campaign.Kind.EMERGENCY)  # same institution
    staff_y = UserFactory()
    from alumni.models import Role
    from tests.factories import grant

    grant(staff_y, Role.Kind.STAFF, prodi_y)
    donor = UserFactory()
    donations = []
    for i in range(DONATIONS):
        campaign, staff = (wakaf, staff_x) if i % 2 else (emergency, staff_y)
        gift = Gift(amount=Decimal(10_000 + i * 1_001), method="bank_transfer", paid_on=TODAY)
        donations.append((services.donation_submit(campaign=campaign, donor=donor, gift=gift), staff))

    jobs = [lambda d=d, s=s: services.donation_verify(donation_id=d.pk, user=s, today=TODAY) for d, s in donations]
    results, errors = race(jobs)
    assert errors == [] and len(results) == DONATIONS

    numbers = sorted(Donation.objects.values_list("receipt_sequence", flat=True))
    assert numbers == list(range(1, DONATIONS + 1))  # no gap, no duplicate, across both campaigns
    assert ReceiptCounter.objects.get().last_number == DONATIONS
    assert len(set(Donation.objects.values_list("receipt_number", flat=True))) == DONATIONS
    expected = {c.pk: sum(Decimal(10_000 + i * 1_001) for i in range(DONATIONS) if (i % 2 == 1) == (c == wakaf))
                for c in (wakaf, emergency)}
    for campaign in (wakaf, emergency):
        total = Donation.objects.verified().filter(campaign=campaign).aggregate(t=Sum("amount"))["t"]
        assert total == expected[campaign.pk]
        assert services.campaign_balance(campaign)["received"] == expected[campaign.pk]
    assert sorted(sent) == sorted(str(d.pk) for d, _s in donations)  # one receipt email each


def test_a_donation_verified_by_several_staff_at_once_is_verified_once(prodi_x, staff_x, sent):
    need(connection.vendor == "postgresql", "row locks need PostgreSQL (SQLite serialises every writer anyway)")
    wakaf = campaign_for(prodi_x)
    colleagues = [staff_x]
    from alumni.models import Role
    from tests.factories import grant

    for _ in range(5):
        colleague = UserFactory()
        grant(colleague, Role.Kind.STAFF, prodi_x)
        colleagues.append(colleague)
    donor = UserFactory()
    donations = [services.donation_submit(campaign=wakaf, donor=donor,
                                          gift=Gift(amount=Decimal(50_000), method="ewallet", paid_on=TODAY))
                 for _ in range(10)]
    jobs = [lambda d=d, s=s: services.donation_verify(donation_id=d.pk, user=s, today=TODAY)
            for d in donations for s in colleagues]
    results, errors = race(jobs, threads=len(colleagues))
    assert len(results) == 10  # each donation once
    assert len(errors) == 50 and all("already been decided" in str(e) or "sudah" in str(e) for e in errors)
    assert sorted(Donation.objects.values_list("receipt_sequence", flat=True)) == list(range(1, 11))
    assert services.campaign_balance(wakaf)["received"] == Decimal(500_000)
    assert len(sent) == 10
