"""The demo giving data: a Friday wakaf drive with months of instalments, an in-kind campaign partly received, a
closed emergency fundraising spent down; consistent numbers; loaded once."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Sum
from django.utils import timezone

from alumni.models import Consent
from alumni.privacy import consent_in_force
from donations.demo import EMERGENCY_TITLE, IN_KIND_TITLE, WAKAF_TITLE, seed_giving
from donations.models import (
    Campaign,
    CampaignUpdate,
    Disbursement,
    Donation,
    DonationItem,
    Instalment,
    Pledge,
    ReceiptCounter,
)
from donations.services import campaign_balance
from donations.uploads import sniff

MODELS = (Campaign, CampaignUpdate, Pledge, Instalment, Donation, DonationItem, Disbursement, Consent)


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in MODELS)


@pytest.fixture
def demo(provinces):
    call_command("seed_demo")
    return {c.title: c for c in Campaign.objects.all()}


@pytest.mark.django_db
def test_seeding_twice_creates_every_row_once_and_the_three_campaigns(demo):
    before = counts()
    assert seed_giving() == dict.fromkeys(seed_giving(), 0)
    call_command("seed_demo")
    assert counts() == before
    assert before[0] == 3
    # The three campaigns, with their kinds and statuses.
    assert {t: (c.kind, c.status) for t, c in demo.items()} == {
        WAKAF_TITLE: ("endowment", "open"),
        IN_KIND_TITLE: ("in_kind", "open"),
        EMERGENCY_TITLE: ("emergency", "closed"),
    }
    assert demo[WAKAF_TITLE].goal_amount == Decimal(75_000_000)
    assert demo[WAKAF_TITLE].study_program.code == "71201"
    assert demo[EMERGENCY_TITLE].ends_on < timezone.localdate()


@pytest.mark.django_db
def test_wakaf_has_friday_pledges_months_of_instalments_and_gap_free_receipts(demo):
    wakaf = demo[WAKAF_TITLE]
    pledges = Pledge.objects.filter(campaign=wakaf)
    weekly = pledges.filter(frequency="weekly")
    assert 12 <= pledges.count() <= 20
    assert weekly.count() >= 12 and set(weekly.values_list("weekday", flat=True)) == {4}
    assert pledges.filter(frequency="monthly").count() >= 2
    assert set(weekly.values_list("amount", flat=True)) <= {Decimal(10_000), Decimal(20_000), Decimal(50_000)}
    assert pledges.filter(status="paused").count() == 1 and pledges.filter(status="stopped").count() == 1

    instalments = Instalment.objects.filter(pledge__campaign=wakaf)
    days = instalments.order_by("due_on").values_list("due_on", flat=True)
    assert (days.last() - days.first()).days > 90
    assert all(day.weekday() == 4 for day in instalments.filter(pledge__frequency="weekly")
               .values_list("due_on", flat=True))
    by_status = dict(instalments.values_list("status").annotate(n=Count("pk")))
    assert by_status["paid"] > 150 and by_status["due"] >= 1 and by_status["cancelled"] >= 1
    # Every paid instalment is settled by a verified donation of its amount.
    paid = instalments.filter(status="paid")
    assert paid.filter(donation__status="verified").count() == paid.count()
    assert not paid.exclude(donation__amount=F("amount")).exists()
    # The stopped pledge has nothing due after it stopped; the paused one nothing in its last weeks.
    stopped = pledges.get(status="stopped")
    assert not stopped.instalments.filter(status="due").exists()
    paused = pledges.get(status="paused")
    assert paused.instalments.order_by("due_on").last().due_on < timezone.localdate() - datetime.timedelta(days=20)

    donations = Donation.objects.filter(campaign=wakaf)
    assert donations.filter(status="pending").count() >= 2
    rejected = donations.get(status="rejected")
    assert rejected.reject_reason and rejected.receipt_number is None
    assert donations.filter(anonymous=True, status="verified").exists()
    assert Disbursement.objects.filter(campaign=wakaf).count() == 2
    assert CampaignUpdate.objects.filter(campaign=wakaf).count() == 2
    # Some pledgers said yes to fundraising contact: their Friday reminders may go out.
    donors = [p.donor for p in pledges]
    assert 3 <= sum(consent_in_force(user=d, purpose="fundraising") for d in donors) < len(donors)

    # Receipt numbers run 1..N per institution and year, without gaps or duplicates.
    verified = Donation.objects.filter(status="verified")
    assert verified.count() > 200
    assert not Donation.objects.exclude(status="verified").exclude(receipt_number=None).exists()
    for counter in ReceiptCounter.objects.all():
        sequences = sorted(verified.filter(campaign__institution=counter.institution, receipt_year=counter.year)
                           .values_list("receipt_sequence", flat=True))
        assert sequences == list(range(1, counter.last_number + 1))
    assert verified.values("receipt_number").distinct().count() == verified.count()
    # Numbers follow the calendar: a later verification never has a smaller number in the same year.
    rows = list(verified.order_by("receipt_year", "receipt_sequence").values_list("receipt_year", "decided_at"))
    assert all(a[1] <= b[1] for a, b in zip(rows, rows[1:], strict=False) if a[0] == b[0])
    # Proofs are real images or PDFs.
    for donation in verified.exclude(proof="")[:20]:
        with donation.proof.open("rb") as handle:
            assert sniff(handle.read(16)) is not None


@pytest.mark.django_db
def test_emergency_is_closed_and_spent_down_and_in_kind_items_are_partly_received(demo):
    emergency = demo[EMERGENCY_TITLE]
    money = campaign_balance(emergency)
    assert Decimal(49_000_000) <= money["received"] <= Decimal(53_000_000)
    assert money["received"] == Donation.objects.filter(campaign=emergency, status="verified").aggregate(
        s=Sum("amount"))["s"]
    assert Disbursement.objects.filter(campaign=emergency).count() >= 2
    assert Decimal(0) <= money["balance"] < Decimal(2_000_000)
    donations = Donation.objects.filter(campaign=emergency)
    assert donations.exclude(status="verified").count() == 0
    assert donations.filter(donor=None, method="cash").exclude(donor_name="").count() >= 2
    assert donations.filter(anonymous=True).exists()
    assert donations.values("donor").distinct().count() > 20
    assert CampaignUpdate.objects.filter(campaign=emergency).count() >= 2

    # The in-kind campaign has received part of its items; one gift waits for staff.
    campaign = demo[IN_KIND_TITLE]
    received = dict(DonationItem.objects.filter(donation__campaign=campaign, donation__status="verified")
                    .values_list("item__name").annotate(n=Sum("quantity")))
    needed = dict(campaign.items.values_list("name", "quantity_needed"))
    assert sorted(needed.values()) == [1, 10, 20]
    assert 0 < sum(received.values()) < sum(needed.values())
    assert all(received.get(name, 0) <= quantity for name, quantity in needed.items())
    assert Donation.objects.filter(campaign=campaign, status="pending").count() == 1
    assert Donation.objects.filter(campaign=campaign, status="verified").count() >= 3
