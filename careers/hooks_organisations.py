"""Start-up registrations of the organisations part of careers (called by careers.registrations.register_all): the
words of its audit actions, and the receivers that keep each job on a profile (alumni.Employment, a lower layer
that knows nothing of careers) linked to the organisation its employer name means."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _

from alumni.models import Employment
from core.registry import register_action_labels, register_optional_kind

from .organisations import employment_link
from .services_employers import REQUESTED_KIND

AUDIT_ACTIONS = {
    "careers.organisation.updated": _("Organisation edited"),
    "careers.organisation.alias_added": _("Organisation alias added"),
    "careers.organisation.alias_removed": _("Organisation alias removed"),
    "careers.organisation.merged": _("Duplicate organisation merged"),
    "careers.employer_contact.requested": _("Employer contact requested approval"),
    "careers.employer_contact.approved": _("Employer contact approved"),
    "careers.employer_contact.refused": _("Employer contact refused"),
}


def _employment_saved(sender, instance: Employment, raw: bool = False, update_fields=None, **kwargs) -> None:
    if raw:  # loaddata: the links come with the data, or link_employments makes them
        return
    if update_fields is not None and "employer" not in update_fields:
        return
    employment_link(instance)


def register() -> None:
    register_action_labels(AUDIT_ACTIONS)
    register_optional_kind(
        REQUESTED_KIND, _("Employer asks to recruit"),
        _("When someone outside the university asks your study program to approve them as an employer contact."),
    )
    post_save.connect(_employment_saved, sender=Employment, dispatch_uid="careers.employment_link")
    # No post_delete receiver: the link row goes with its job (EmploymentOrganisation.employment is CASCADE), and a
    # receiver would cost a query per deleted job and keep Django from fast-deleting a person's jobs.
