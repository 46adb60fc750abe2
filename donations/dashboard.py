"""The giving card of the dashboard (alumni/views_home.py), registered in DonationsConfig.ready()."""

from __future__ import annotations

from .models import Donation, Instalment, Pledge


def giving_card(user, scope, profile) -> dict:
    """Giving at a glance: the person's unpaid instalments, and for those who run campaigns the donations waiting
    for verification (2 queries)."""
    card = {
        "instalments_due": list(
            Instalment.objects.unpaid().filter(pledge__donor=user)
            .exclude(pledge__status=Pledge.Status.PAUSED)
            .select_related("pledge__campaign").order_by("due_on")[:3]
        ),
    }
    if scope.is_staff or scope.is_admin:  # as the giving pages: admins alone run institution-wide campaigns
        card["donations_pending"] = Donation.objects.managed_by(user).filter(status=Donation.Status.PENDING).count()
    return card
