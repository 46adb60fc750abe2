"""What giving's audit actions and optional notification kinds are called: registered with core in
DonationsConfig.ready() (core.registry), so that the shared activity lists and preferences page can show them."""

from django.utils.translation import gettext_lazy as _

# {dotted action: label} of every audit entry this app writes.
AUDIT_ACTIONS = {
    "donations.proof.viewed": _("transfer slip viewed"),
    "donations.receipt.downloaded": _("receipt downloaded"),
    "donations.campaign.created": _("campaign created"),
    "donations.campaign.edited": _("campaign edited"),
    "donations.campaign.status_changed": _("campaign opened or closed"),
    "donations.campaign.payment_changed": _("campaign payment instructions changed"),
    "donations.campaign.update_posted": _("campaign update posted"),
    "donations.pledge.created": _("pledge made"),
    "donations.pledge.paused": _("pledge paused"),
    "donations.pledge.resumed": _("pledge resumed"),
    "donations.pledge.stopped": _("pledge stopped"),
    "donations.donation.submitted": _("donation submitted"),
    "donations.donation.verified": _("donation verified"),
    "donations.donation.rejected": _("donation rejected"),
    "donations.donation.voided": _("donation voided (receipt cancelled)"),
    "donations.disbursement.recorded": _("disbursement recorded"),
}

# {kind: (label, help text)}: the reminders of this app a person may turn off on the preferences page.
OPTIONAL_NOTIFICATIONS = {
    "pledge_due": (
        _("Pledge instalment due"),
        _("On the morning an instalment of your pledge is due (for example every Friday for a weekly wakaf). "
          "Sent only while you agree to fundraising contact."),
    ),
}
