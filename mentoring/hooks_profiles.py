"""Start-up registrations of the profiles part of mentoring (called by mentoring.registrations.register_all): the
audit labels of mentor profiles and the staff's topic list."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core import registry

AUDIT_ACTIONS = {
    "mentoring.profile.saved": _("Saved a mentor profile"),
    "mentoring.profile.paused": _("Paused a mentor profile"),
    "mentoring.profile.resumed": _("Resumed a mentor profile"),
    "mentoring.topic.added": _("Added a mentoring topic"),
    "mentoring.topic.deactivated": _("Stopped offering a mentoring topic"),
    "mentoring.topic.activated": _("Offered a mentoring topic again"),
}


def register() -> None:
    registry.register_action_labels(AUDIT_ACTIONS)
