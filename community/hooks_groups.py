"""Start-up registrations of the groups part of community (called by community.registrations.register_all): the
audit labels of groups and memberships, the group emails (decided, join requested, join answered: sent to the
people concerned, for no consent purpose), the personal data of memberships, and the receiver that keeps cohort
groups in step with verified records."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _

from alumni.models import AlumniProfile
from alumni.privacy import register_personal_data
from core import registry

from . import privacy_groups

AUDIT_ACTIONS = {
    "community.group.created": _("Region group made"),
    "community.group.proposed": _("Community proposed"),
    "community.group.approved": _("Community approved"),
    "community.group.refused": _("Community refused"),
    "community.group.updated": _("Group description or joining changed"),
    "community.member.joined": _("Joined a group"),
    "community.member.requested": _("Asked to join a group"),
    "community.member.approved": _("Request to join a group approved"),
    "community.member.refused": _("Request to join a group refused"),
    "community.member.left": _("Left a group"),
    "community.member.made_admin": _("Made a group admin"),
    "community.members.read": _("Group members list read by staff"),
    "community.program.linked": _("Program linked to a group"),
    "community.program.unlinked": _("Program unlinked from a group"),
}


def _profile_saved(sender, instance: AlumniProfile, created: bool, update_fields=None, **kwargs) -> None:
    """A record verified, or its study program, entry year or account changed: its person's cohort group after
    the commit (a record saved for other reasons is left alone)."""
    if not instance.user_id:
        return
    if update_fields is not None and not ({"verification", "study_program", "entry_year", "user"}
                                          & set(update_fields)):
        return
    user_id = instance.user_id

    def sync() -> None:
        from .services_groups import cohort_groups_sync

        cohort_groups_sync(user_ids=[user_id])

    transaction.on_commit(sync)


def register() -> None:
    registry.register_action_labels(AUDIT_ACTIONS)
    register_personal_data("community_groups", label=_("your groups and the communities you proposed"),
                           export=privacy_groups.export_groups, anonymise=privacy_groups.delete_memberships)
    post_save.connect(_profile_saved, sender=AlumniProfile, weak=False, dispatch_uid="community.cohort_sync")
