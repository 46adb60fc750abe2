"""Start-up registrations of the help part of community (called by community.registrations.register_all): the
audit labels of help requests, the skill email (optional, for the "community" consent) and the escalation email,
the "helped solve" line on profiles, and the help part's personal data (community/privacy_help.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from alumni.extensions import register_profile_section
from alumni.models import Consent
from alumni.privacy import register_notification_purpose, register_personal_data
from core import registry

from . import privacy_help
from . import services_help as s
from .selectors_help import helped_section
from .ticks_help import ESCALATED_KIND, SKILL_KIND

AUDIT_ACTIONS = {
    s.ACTION_CATEGORY_SAVED: _("Help category saved"),
    s.ACTION_SKILLS_SAVED: _("Help skills saved"),
    s.ACTION_ASKED: _("Question asked in a group"),
    s.ACTION_ANSWERED: _("Question answered"),
    s.ACTION_SOLVED: _("Question marked solved"),
    s.ACTION_CLOSED: _("Question closed by its asker"),
    s.ACTION_REOPENED: _("Question reopened by its asker"),
    s.ACTION_ESCALATED: _("Unanswered question raised to the group's admins"),
}
PROFILE_TEMPLATE = "community/help_profile_section.html"


def register() -> None:
    registry.register_action_labels(AUDIT_ACTIONS)
    registry.register_optional_kind(
        SKILL_KIND, _("Questions in my skills"),
        _("At most once a day, the new questions in your groups in the categories you listed as skills (needs the "
          "\"Group digests and help requests in my skills\" consent)."),
    )
    registry.register_optional_kind(
        ESCALATED_KIND, _("Unanswered questions in groups I run"),
        _("When a question in a group you are an admin of has had no answer for three days."),
    )
    # UU PDP: skill emails are sent for the opt-in "community" purpose; withdrawing it stops unsent ones.
    register_notification_purpose(SKILL_KIND, Consent.Purpose.COMMUNITY)
    register_profile_section(helped_section, PROFILE_TEMPLATE)
    register_personal_data("community_help", label=_("your questions and answers in groups"),
                           export=privacy_help.export_help)
    register_personal_data("community_skills", label=_("the skills you listed and your community settings"),
                           export=privacy_help.export_skills, anonymise=privacy_help.delete_skills)
