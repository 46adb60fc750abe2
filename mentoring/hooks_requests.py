"""Start-up registrations of the requests part of mentoring (called by mentoring.registrations.register_all): the
audit labels of requests. Its notification kinds (services_requests.KINDS: a new request and the one reminder to
the mentor; accepted, declined, expired to the mentee) are service messages about something the person asked for
or was asked: no consent purpose, always sent, each claimed exactly once."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core import registry

AUDIT_ACTIONS = {
    "mentoring.request.sent": _("Asked a mentor"),
    "mentoring.request.accepted": _("Accepted a mentoring request"),
    "mentoring.request.declined": _("Declined a mentoring request"),
    "mentoring.request.withdrawn": _("Withdrew a mentoring request"),
}


def register() -> None:
    registry.register_action_labels(AUDIT_ACTIONS)
