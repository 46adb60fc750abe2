"""The dashboard shows a donor their unpaid instalments and staff the donations waiting for them."""

from decimal import Decimal

import pytest
from django.urls import reverse

from donations import services
from donations.services import Gift, PledgeTerms
from tests.conftest import client_for

from .test_services import campaign_for

pytestmark = pytest.mark.django_db


def test_dashboard_lists_due_instalments_and_pending_donations(prodi_x, alumnus_a, alumnus_b, staff_x, staff_y):
    import datetime

    wakaf = campaign_for(prodi_x, starts_on=datetime.date(2025, 1, 1))
    today = datetime.date.today()
    pledge = services.pledge_create(donor=alumnus_a, campaign=wakaf, terms=PledgeTerms(
        amount=Decimal(10_000), frequency="once", starts_on=today))
    instalment = pledge.instalments.get()
    services.donation_submit(campaign=wakaf, donor=alumnus_b, gift=Gift(
        amount=Decimal(25_000), method="cash", paid_on=today))

    mine = client_for(alumnus_a).get(reverse("dashboard"))
    assert mine.context["instalments_due"] == [instalment]
    assert f"?instalment={instalment.pk}" in mine.content.decode()
    assert "donations_pending" not in mine.context
    assert client_for(alumnus_b).get(reverse("dashboard")).context["instalments_due"] == []
    assert client_for(staff_x).get(reverse("dashboard")).context["donations_pending"] == 1
    assert client_for(staff_y).get(reverse("dashboard")).context["donations_pending"] == 0
