"""Giving in the Django admin, which only superusers open: they look the books up there, read-only (verification,
receipt numbers and balances change only through the services); staff run campaigns on the portal's pages."""

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_operators_list_giving_read_only_and_staff_use_the_portal(staff_x, alumnus_a):
    root = client_for(UserFactory(email="root@example.org", is_superuser=True))
    for name in ("pledge", "donation", "disbursement", "campaign"):
        assert root.get(reverse(f"admin:donations_{name}_changelist")).status_code == 200
        assert root.get(reverse(f"admin:donations_{name}_add")).status_code == 403
    for user in (staff_x, alumnus_a):
        assert client_for(user).get(reverse("admin:donations_campaign_changelist")).status_code == 403
