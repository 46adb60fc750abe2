"""Team invitations in "Download my data" and "Delete my account" (registered in ProgramsConfig.ready()).

Participations, proposals and the calendar feed are handled by alumni.privacy itself; invitations to a program
team name a person by their email (even before they had an account), so they are exported to that person and
deleted with their account.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from .models import TeamInvitation


def _addressed_to(user):
    return TeamInvitation.objects.filter(
        Q(user=user) | Q(user__isnull=True, email=(user.email or "").strip().lower())
    )


def export_team_invitations(user) -> list[dict[str, Any]]:
    return [
        {
            "program": inv.program.title,
            "session": inv.session.display_title if inv.session_id else "",
            "role": inv.role,
            "email": inv.email,
            "status": inv.status,
            "sent_at": inv.created_at,
            "expires_at": inv.expires_at,
            "answered_at": inv.decided_at,
        }
        for inv in _addressed_to(user).select_related("program", "session").order_by("created_at")
    ]


def anonymise_team_invitations(user, marker: str) -> None:
    """The invitations addressed to the person go (they name them by email); what they accepted stays as their
    (anonymised) participation."""
    _addressed_to(user).delete()
