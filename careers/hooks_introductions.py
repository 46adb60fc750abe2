"""Start-up registrations of the introductions part of careers (called by careers.registrations.register_all):
audit labels, the consent purpose of the outcome question, the dashboard card (open requests to answer, outcome
questions waiting) with its cache generation, and the accreditation evidence (tracer.evidence_sources)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

from alumni.extensions import register_dashboard_card
from core import fragments, registry
from tracer.evidence_sources import register_evidence_source

from . import reports, selectors_introductions
from .models import Introduction, Outcome
from .services_introductions import KIND_OUTCOME

# The cache generation (core.fragments) of what the introductions card of a member's dashboard shows.
INTRODUCTIONS = "careers:introductions"

AUDIT_ACTIONS = {
    "careers.introduction.asked": _("Asked for an introduction"),
    "careers.introduction.accepted": _("Accepted an introduction"),
    "careers.introduction.declined": _("Declined an introduction"),
    "careers.introduction.withdrawn": _("Withdrew an introduction request"),
    "careers.outcome.answered": _("Said what came of an application or introduction"),
    "careers.settings.updated": _("Changed introduction settings"),
}


def introduction_cards(user, scope, profile) -> dict:
    """The requests waiting for this person's answer and the outcome questions they have not answered (two
    queries, whatever the numbers; none for people without an alumni profile)."""
    if profile is None or not scope.is_authenticated:
        return {"introductions_waiting": [], "outcomes_waiting": []}
    return {
        "introductions_waiting": selectors_introductions.waiting_for_answer(user=user),
        "outcomes_waiting": selectors_introductions.outcomes_unanswered(user=user),
    }


def introductions_changed(sender=None, **_kwargs) -> None:
    fragments.forget(INTRODUCTIONS)


def register() -> None:
    registry.register_action_labels(AUDIT_ACTIONS)
    # The question "what came of it?" is sent for the career purpose (opt-in): no consent, no question.
    registry.register_notification_purpose(KIND_OUTCOME, "career")
    register_dashboard_card(introduction_cards, generations=[INTRODUCTIONS])
    for model in (Introduction, Outcome):
        for signal in (post_save, post_delete):
            signal.connect(introductions_changed, sender=model, weak=False,
                           dispatch_uid=f"careers-introductions-{model.__name__}")
    register_evidence_source("careers", reports.careers_evidence)
