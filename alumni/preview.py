""""View my profile as others see it": the viewers a person may preview their own profile as.

Each preview is a stand-in viewer (core.access.StandIn) with exactly the rights of a real one, or the anonymous
user itself, handed to the same code that serves real viewers (alumni.views.profile_detail: the selector's
visible_to, AlumniProfile.can_see, the sections the apps above register). Nothing here decides what is visible:
a change to those rules shows in the preview because it is the same code.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from core.access import NOBODY, StandIn

from .models import AlumniProfile
from .scope import Scope

MEMBER, STAFF, PUBLIC = "member", "staff", "public"
# In the order the switch offers them.
KINDS = {
    MEMBER: _("a member"),
    STAFF: _("staff of your study program"),
    PUBLIC: _("the public (not signed in)"),
}


def preview_viewer(kind: str, profile: AlumniProfile):
    """A viewer of `kind` for `profile`: another verified member of the portal (of any study program), staff of the
    profile's study program (not a member themselves), or someone who is not signed in. KeyError for another
    kind."""
    if kind == PUBLIC:
        return AnonymousUser()
    if kind == MEMBER:
        return StandIn(Scope(user_id=NOBODY, is_authenticated=True, is_member=True))
    if kind == STAFF:
        return StandIn(Scope(user_id=NOBODY, is_authenticated=True,
                             staff_program_ids=frozenset({profile.study_program_id})))
    raise KeyError(kind)
