"""Start-up registrations of the organisations part of careers (called by careers.registrations.register_all): the
words of its audit actions, and the receivers that keep each job on a profile (alumni.Employment, a lower layer
that knows nothing of careers) linked to the organisation its employer name means."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

from alumni.models import Employment
from core.registry import register_action_labels

from .models import EmploymentOrganisation
from .organisations import employment_link

AUDIT_ACTIONS = {
    "careers.organisation.updated": _("Organisation edited"),
    "careers.organisation.alias_added": _("Organisation alias added"),
    "careers.organisation.alias_removed": _("Organisation alias removed"),
    "careers.organisation.merged": _("Duplicate organisation merged"),
    "careers.employer_contact.requested": _("Employer contact requested approval"),
    "careers.employer_contact.approved": _("Employer contact approved"),
    "careers.employer_contact.refused": _("Employer contact refused"),
}


def _employment_saved(sender, instance: Employment, raw: bool = False, **kwargs) -> None:
    if raw:  # loaddata: the links come with the data, or link_employments makes them
        return
    employment_link(instance)


def _employment_deleted(sender, instance: Employment, **kwargs) -> None:
    # The link goes with the job (CASCADE); this covers a job deleted while its link was being written.
    EmploymentOrganisation.objects.filter(employment_id=instance.pk).delete()


def register() -> None:
    register_action_labels(AUDIT_ACTIONS)
    post_save.connect(_employment_saved, sender=Employment, dispatch_uid="careers.employment_link")
    post_delete.connect(_employment_deleted, sender=Employment, dispatch_uid="careers.employment_unlink")
