from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class DonationsConfig(AppConfig):
    """Giving: campaigns, pledges, verified donations, receipts and the public ledger."""

    name = "donations"
    verbose_name = _("Giving")

    def ready(self):
        from alumni.extensions import register_dashboard_card
        from alumni.privacy import register_notification_purpose, register_personal_data
        from core import registry

        from . import audit_targets, demo, labels, page_cache, receipts
        from .dashboard import giving_card
        from .privacy import anonymise_donations, donation_files, export_donations

        registry.register_action_labels(labels.AUDIT_ACTIONS)
        for target_type, describe in audit_targets.DESCRIBERS.items():
            registry.register_target_describer(target_type, describe)
        for code, (label, help_text) in labels.OPTIONAL_NOTIFICATIONS.items():
            registry.register_optional_kind(code, label, help_text)
        registry.register_demo_seeder("donations", demo.seed_demo)
        register_dashboard_card(giving_card, generations=[page_cache.GIVING])
        # Pledge reminders are fundraising contact: withdrawing that consent stops them at once.
        register_notification_purpose("pledge_due", "fundraising")
        # Receipts go through core's outbox: the PDF is built at send time, the donation marked once it is sent.
        registry.register_attachment_builder(receipts.ATTACHMENT_PREFIX, receipts.receipt_attachment)
        registry.register_sent_hook(receipts.RECEIPT_KIND, receipts.mark_receipt_sent)
        # A receipt still unsent when its donation is voided is not sent.
        registry.register_send_check(receipts.RECEIPT_KIND, receipts.receipt_unwanted)
        register_personal_data("donations", label=_("your donations and pledges"), export=export_donations,
                               anonymise=anonymise_donations, files=donation_files)
        # A campaign's page, and a member's dashboard (instalments due), are cached until what they show changes.
        for name in ("Campaign", "CampaignImage", "CampaignItem", "CampaignUpdate", "Donation", "DonationItem",
                     "Disbursement", "Pledge", "Instalment"):
            for signal in (post_save, post_delete):
                signal.connect(page_cache.giving_changed, sender=self.get_model(name), weak=False,
                               dispatch_uid=f"donations-page-{name}")
