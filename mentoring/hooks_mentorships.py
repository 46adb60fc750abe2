"""Start-up registrations of the mentorships part of mentoring (called by mentoring.registrations.register_all):
audit labels, and the mentoring personal data of profiles, requests and mentorships (privacy_mentorships.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from alumni.privacy import register_personal_data
from core import registry

from . import privacy_mentorships as privacy

AUDIT_ACTIONS = {
    "mentoring.mentorship.updated": _("Changed a mentorship's goals or end"),
    "mentoring.mentorship.ended": _("Ended a mentorship"),
    "mentoring.meeting.logged": _("Logged a mentoring meeting"),
    "mentoring.feedback.given": _("Gave feedback on a mentorship"),
    "mentoring.staff.viewed": _("Viewed the mentoring overview"),
}


def register() -> None:
    registry.register_action_labels(AUDIT_ACTIONS)
    register_personal_data("mentor_profile", label=_("your mentor profile"), export=privacy.export_mentor_profile,
                           anonymise=privacy.delete_mentor_profile, audit_targets=privacy.mentoring_audit_targets)
    register_personal_data("mentoring_requests", label=_("the mentoring requests you sent and received"),
                           export=privacy.export_requests, anonymise=privacy.anonymise_requests)
    register_personal_data("mentorships", label=_("your mentorships, their meetings and your feedback"),
                           export=privacy.export_mentorships, anonymise=privacy.anonymise_mentorships)
