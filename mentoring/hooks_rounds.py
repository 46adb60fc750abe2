"""Start-up registrations of the rounds part of mentoring (called by mentoring.registrations.register_all): the
audit labels of rounds, the accreditation evidence (mentoring.evidence: mentors of running mentorships per TS
year) and the personal data of round applications and offers (privacy_rounds). Its notification kinds
(services_rounds: the proposal to the staff member who opened the round; the match to each mentee and mentor, or
the reason to an unmatched mentee) answer something the person took part in: no consent purpose, not optional,
each claimed exactly once."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from alumni.privacy import register_personal_data
from core import registry
from tracer.evidence_sources import register_evidence_source

from . import privacy_rounds
from .evidence import mentoring_evidence

AUDIT_ACTIONS = {
    "mentoring.round.opened": _("Opened a mentoring round"),
    "mentoring.round.applied": _("Applied to a mentoring round"),
    "mentoring.round.offered": _("Offered places in a mentoring round"),
    "mentoring.round.proposed": _("Proposed the matching of a mentoring round"),
    "mentoring.round.adjusted": _("Changed a match of a mentoring round"),
    "mentoring.round.published": _("Published the matching of a mentoring round"),
    "mentoring.round.cancelled": _("Cancelled a mentoring round"),
    "mentoring.round.read": _("Read the applications of a mentoring round"),
}


def register() -> None:
    registry.register_action_labels(AUDIT_ACTIONS)
    register_evidence_source("mentoring", mentoring_evidence)
    register_personal_data("mentoring_rounds", label=_("your applications and mentor places in mentoring rounds"),
                           export=privacy_rounds.export_rounds, anonymise=privacy_rounds.anonymise_rounds)
