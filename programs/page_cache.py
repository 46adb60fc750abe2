"""What a program's page shows alike to everyone who may see it (its sessions with seat counts, the status history,
the rhythm card), rendered once and kept in the cache (core.fragments) until the program's data or a person's
name changes.

The page's own query still decides who may see the program, and the parts that depend on the viewer (the buttons,
the team's remove links, open invitations) are rendered on each request. Upcoming and past sessions are split at
the time the fragment was built: a session that started less than PROGRAM_PAGE_SECONDS ago may still be listed
as upcoming.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from alumni.scope import PEOPLE
from core import fragments

from . import selectors
from .models import Program

# The generation of programs, their sessions, participations and status changes.
PROGRAMS = "programs:programs"
PROGRAM_PAGE_SECONDS = 60


def programs_changed(sender=None, **_kwargs) -> None:
    """post_save / post_delete receiver of the models a program's page shows; services that write with update()
    call it too."""
    fragments.forget(PROGRAMS)


def program_fragments(program: Program) -> tuple[SafeString, SafeString]:
    """(the sessions and history column, the rhythm card) of the program's page."""
    def build() -> tuple[str, str]:
        now = timezone.now()
        rhythm = (
            selectors.programs_with_rhythm(Program.objects.filter(pk=program.pk), now=now)
            .values("last_held", "next_scheduled")
            .get()
        )
        sessions = list(selectors.program_sessions(program=program))
        for session in sessions:
            session.seats_left = None if session.capacity is None else max(0, session.capacity - session.registered)
        context = {
            "program": program,
            "health": program.health(today=timezone.localdate(now), **rhythm),
            "upcoming": [s for s in reversed(sessions) if s.start > now],
            "past": [s for s in sessions if s.start <= now],
            "history": list(program.transitions.select_related("by")),
        }
        return (render_to_string("programs/_program_sessions.html", context),
                render_to_string("programs/_program_rhythm.html", context))

    key = f"programs:program:{program.pk}:{get_language()}"
    parts = fragments.get_or_build(key, [PROGRAMS, PEOPLE], build, PROGRAM_PAGE_SECONDS)
    # Our own templates' output, escaped where they render data.
    return mark_safe(parts[0]), mark_safe(parts[1])  # noqa: S308
