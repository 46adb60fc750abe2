"""What the programs app holds about a person, for "Download my data" and "Delete my account" (alumni.privacy),
registered in ProgramsConfig.ready():

- participations (registrations, waitlists, attendance, team roles): exported; kept on deletion, under the
  anonymised account, so that programs' attendance still counts; the audit entries about them are the person's;
- the programs the person proposed: exported; kept on deletion (the proposal is the study program's record);
- the calendar feed: whether it exists and since when (not its secret address); deleted with the account;
- invitations to a program team, which name a person by their email (even before they had an account):
  exported to that person and deleted with their account.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from .models import CalendarFeed, Participation, Program, TeamInvitation


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


def export_participations(user) -> list[dict[str, Any]]:
    return [
        {
            "program": p.program.title, "study_program": str(p.program.study_program),
            "session": (p.session.title or p.program.title) if p.session else None,
            "session_start": p.session.start if p.session else None,
            "role": p.role, "status": p.status, "attended": p.attended, "registered_at": p.created_at,
        }
        for p in Participation.objects.filter(user=user)
        .select_related("program__study_program", "session").order_by("created_at", "pk")
    ]


def participation_audit_targets(user) -> dict[str, set[str]]:
    return {
        Participation._meta.label_lower: {
            str(pk) for pk in Participation.objects.filter(user=user).values_list("pk", flat=True)
        }
    }


def export_proposals(user) -> list[dict[str, Any]]:
    return [
        {"title": p.title, "description": p.description, "study_program": str(p.study_program),
         "kind": p.kind, "status": p.status, "status_label": str(p.get_status_display()),
         "proposed_at": p.created_at}
        for p in Program.objects.filter(proposed_by=user).select_related("study_program").order_by("created_at")
    ]


def export_calendar_feed(user) -> dict[str, Any]:
    """Whether the person has a calendar feed and since when; never its secret address."""
    feed = CalendarFeed.objects.filter(user=user).values("created_at").first()
    return {"exists": feed is not None, "created_at": feed["created_at"] if feed else None}


def delete_calendar_feed(user, marker: str) -> None:
    CalendarFeed.objects.filter(user=user).delete()
