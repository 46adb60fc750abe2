"""Start-up registrations of the requests part of mentoring (called by mentoring.registrations.register_all): the
audit labels of requests. Its notification kinds (services_requests.KINDS: a new request and the one reminder to
the mentor; accepted, declined, expired to the mentee) are service messages about something the person asked for
or was asked: no consent purpose, always sent, each claimed exactly once. And the dashboard card of the requests
waiting for a mentor's answer, kept in the cache until a request moves (the MENTORING_REQUESTS generation)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alumni.extensions import register_dashboard_card
from core import fragments, registry

from .models import MentorshipRequest
from .services_requests import MENTORING_REQUESTS

DASHBOARD_LIMIT = 5

AUDIT_ACTIONS = {
    "mentoring.request.sent": _("Asked a mentor"),
    "mentoring.request.accepted": _("Accepted a mentoring request"),
    "mentoring.request.declined": _("Declined a mentoring request"),
    "mentoring.request.withdrawn": _("Withdrew a mentoring request"),
}


def request_cards(user, scope, profile) -> dict:
    """The requests waiting for this mentor's answer, oldest first (one query; none for people without a
    profile: only verified members mentor)."""
    if profile is None or not scope.is_authenticated:
        return {"mentoring_waiting": []}
    return {"mentoring_waiting": list(
        MentorshipRequest.objects.filter(mentor=user, status=MentorshipRequest.Status.OPEN,
                                         expires_at__gt=timezone.now())
        .select_related("mentee").order_by("created_at")[:DASHBOARD_LIMIT]
    )}


def requests_changed(sender=None, **_kwargs) -> None:
    fragments.forget(MENTORING_REQUESTS)


def register() -> None:
    registry.register_action_labels(AUDIT_ACTIONS)
    register_dashboard_card(request_cards, generations=[MENTORING_REQUESTS])
    for signal in (post_save, post_delete):
        signal.connect(requests_changed, sender=MentorshipRequest, weak=False,
                       dispatch_uid=f"mentoring-requests-{signal is post_save}")
