"""Start-up registrations of the alerts part of careers (called by careers.registrations.register_all): the audit
labels of alerts and closing, the digest and closing reminder as optional kinds, the digest's consent purpose,
and every piece of careers personal data (careers/privacy.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from alumni.models import Consent
from alumni.privacy import register_notification_purpose, register_personal_data
from core import registry

from . import privacy
from .digest import DIGEST_KIND
from .ticks import CLOSING_SOON_KIND, EXPIRED_ACTION

AUDIT_ACTIONS = {
    "careers.alert.saved": _("Job alert saved"),
    EXPIRED_ACTION: _("Job post closed on its closing date"),
}


def register() -> None:
    registry.register_action_labels(AUDIT_ACTIONS)
    registry.register_optional_kind(
        DIGEST_KIND, _("Weekly job digest"),
        _("Once a week, the new job posts that match your job alert (needs the \"Job alerts and introductions\" "
          "consent)."),
    )
    registry.register_optional_kind(
        CLOSING_SOON_KIND, _("My job post closes soon"),
        _("Three days before a job post of yours closes, a reminder with a link to extend it."),
    )
    # UU PDP: the digest is sent for the opt-in "career" purpose: no digest without that consent, and withdrawing
    # it stops a claimed digest not yet sent (alumni.privacy.consent_record).
    register_notification_purpose(DIGEST_KIND, Consent.Purpose.CAREER)

    register_personal_data("job_posts", label=_("the job posts you posted"), export=privacy.export_job_posts,
                           anonymise=privacy.anonymise_job_posts, audit_targets=privacy.careers_audit_targets)
    register_personal_data("job_applications", label=_("the job posts you said you applied to"),
                           export=privacy.export_applications)
    register_personal_data("job_reports", label=_("your reports on job posts"), export=privacy.export_reports,
                           anonymise=privacy.anonymise_reports)
    register_personal_data("job_alert", label=_("your job alert"), export=privacy.export_job_alert,
                           anonymise=privacy.delete_job_alert)
    register_personal_data("career_settings", label=_("your introduction settings"),
                           export=privacy.export_career_settings, anonymise=privacy.delete_career_settings)
    register_personal_data("introductions", label=_("the introductions you asked for and were asked for"),
                           export=privacy.export_introductions, anonymise=privacy.anonymise_introductions)
    register_personal_data("career_outcomes", label=_("what you told us came of applications and introductions"),
                           export=privacy.export_outcomes)
    register_personal_data("employer_contact", label=_("your employer-contact registration"),
                           export=privacy.export_employer_contact, anonymise=privacy.delete_employer_contact)
