"""Giving in the Django admin: staff list what they run; the books (donations, pledges, disbursements) are
read-only there, so verification numbers and balances only change through the services."""

import pytest
from django.urls import reverse

from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_staff_list_giving_and_cannot_add_to_the_books(staff_x, alumnus_a):
    client = client_for(staff_x)
    for name in ("pledge", "donation", "disbursement", "campaign"):
        assert client.get(reverse(f"admin:donations_{name}_changelist")).status_code == 200
    for name in ("pledge", "donation", "disbursement"):
        assert client.get(reverse(f"admin:donations_{name}_add")).status_code == 403
    assert client.get(reverse("admin:donations_campaign_add")).status_code == 200
    assert client_for(alumnus_a).get(reverse("admin:donations_donation_changelist")).status_code == 302
