from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DonationsConfig(AppConfig):
    """Giving: campaigns, pledges, verified donations, receipts and the public ledger."""

    name = "donations"
    verbose_name = _("Giving")

    def ready(self):
        from alumni.privacy import register_notification_purpose, register_personal_data

        from .privacy import anonymise_donations, donation_files, export_donations

        # Pledge reminders are fundraising contact: withdrawing that consent stops them at once.
        register_notification_purpose("pledge_due", "fundraising")
        register_personal_data("donations", export=export_donations, anonymise=anonymise_donations,
                               files=donation_files)
