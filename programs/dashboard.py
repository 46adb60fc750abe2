"""The programs card of the dashboard (alumni/views_home.py), registered in ProgramsConfig.ready()."""

from __future__ import annotations

from django.utils import timezone

from . import selectors
from .models import Participation, Program, Session, TeamInvitation


def program_cards(user, scope, profile) -> dict:
    """Programs on the dashboard: invitations to a program team waiting for this person's answer, the sessions
    they are registered or waitlisted for, and for staff a summary of their programs' health and the proposals
    waiting (four queries at most)."""
    cards: dict = {
        "team_invitations": list(
            TeamInvitation.objects.for_invitee(user).open().select_related("program").order_by("created_at")[:5]
        ),
        "my_sessions": list(
            Participation.objects.filter(
                user=user, session__isnull=False, session__status=Session.Status.SCHEDULED,
                session__end__gte=timezone.now(),
            )
            .current()
            .select_related("session__program")
            .order_by("session__start")[:5]
        )
    }
    if scope.is_staff:
        rows = selectors.program_health(viewer=user)
        cards["program_health"] = {
            "watched": len(rows),
            "overdue": sum(1 for _p, h in rows if h.days_overdue),
            "lapsed": sum(1 for p, _h in rows if p.status == Program.Status.LAPSED),
            "due_soon": sum(1 for _p, h in rows if h.due_soon),
            "worst": [(p, h) for p, h in rows[:3] if h.days_overdue],
        }
        cards["proposals_waiting"] = (
            Program.objects.managed_by(user).filter(status=Program.Status.PROPOSED).count()
        )
    return cards
