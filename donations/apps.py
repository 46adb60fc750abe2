from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DonationsConfig(AppConfig):
    """Giving: campaigns, pledges, verified donations, receipts and the public ledger."""

    name = "donations"
    verbose_name = _("Giving")
