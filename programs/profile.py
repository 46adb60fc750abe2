"""The programs section of a person's profile page (alumni's profile_detail), registered in ProgramsConfig.ready()."""

from __future__ import annotations

from alumni.scope import scope_for

from .models import Participation, Program
from .selectors import involvement_of

TEMPLATE = "programs/profile_involvement.html"  # shown by alumni's profile page beside the section's data


def involvement_section(profile, viewer) -> dict:
    """The person's part in programs: all of it for themselves and the staff of their study program; for others
    only their registered part in programs the viewer may see (no waitlists, no attendance). One query."""
    if profile.user_id is None:
        return {"involvement": [], "involvement_full": False}
    scope = scope_for(viewer)
    full = scope.is_superuser or profile.user_id == scope.user_id or profile.study_program_id in scope.staff_program_ids
    qs = involvement_of(user=profile.user)
    if not full:
        qs = qs.filter(program__in=Program.objects.visible_to(viewer), status=Participation.Status.REGISTERED)
    involvement = list(qs.select_related("program__study_program")[:50])
    return {"involvement": involvement, "involvement_full": full}
