"""A program's page, kept in the cache (core.fragments) until the program's data, a person's name or a study
program changes.

One fragment per program and language holds what the page is built from: the program row itself (with its study
program and faculty, its PIC, its proposer and its team) and the parts everyone who may see it sees alike (its
sessions with seat counts, the status history, the rhythm card). So the page runs no query of its own: who may
see the program is decided in Python by `Program.is_visible_to` (the twin of `Program.objects.visible_to`), and a
program that does not exist or that the viewer may not see is a 404 as before.

Viewers with nothing of their own on the page (no tools: `services.can_manage` false and no status move to make)
see a page that differs only by language; its whole content is rendered once into a second fragment
(`ProgramPage.body`). Staff, the PIC and those who have a move to make get the page rendered live, with their
buttons, the team's remove links and the open invitations.

The users kept in the cache carry only their names (no password hash, no email). Upcoming and past sessions are
split at the time the fragment was built: a session that started less than PROGRAM_PAGE_SECONDS ago may still be
listed as upcoming.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from alumni.scope import PEOPLE, ROLES
from core import fragments

from . import selectors
from .models import Participation, Program

# The generation of programs, their sessions, participations and status changes.
PROGRAMS = "programs:programs"
PROGRAM_PAGE_SECONDS = 60


def programs_changed(sender=None, **_kwargs) -> None:
    """post_save / post_delete receiver of the models a program's page shows; services that write with update()
    call it too."""
    fragments.forget(PROGRAMS)


def _user_fields_but_name(prefix: str) -> list[str]:
    """The user fields a cached page never shows (everything but the pk and the name), to defer under `prefix`."""
    return [
        f"{prefix}__{field.attname}"
        for field in get_user_model()._meta.concrete_fields
        if field.attname not in ("id", "full_name")
    ]


def load_program(pk) -> Program:
    """The program with what its page shows of it, whoever may see it (the caller decides): raises
    Program.DoesNotExist."""
    team = (
        Participation.objects.current().filter(session__isnull=True).select_related("user")
        .defer(*_user_fields_but_name("user"))
    )
    return (
        Program.objects.select_related("study_program__faculty", "pic", "proposed_by")
        .defer(*_user_fields_but_name("pic"), *_user_fields_but_name("proposed_by"))
        .prefetch_related(Prefetch("participations", queryset=team, to_attr="program_team"))
        .get(pk=pk)
    )


def _build(pk) -> tuple[Program, str, str]:
    program = load_program(pk)
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
    return (program,
            render_to_string("programs/_program_sessions.html", context),
            render_to_string("programs/_program_rhythm.html", context))


class ProgramPage:
    """What program `pk`'s page is built from, in the current language: from the cache (one round trip), or
    loaded and stored for the next request. Raises Program.DoesNotExist. Says nothing about who may see it."""

    def __init__(self, pk):
        language = get_language()
        self._key = f"programs:program:{pk}:{language}"
        self._body_key = f"programs:program-body:{pk}:{language}"
        found, self._generations = fragments.fetch_many([self._key, self._body_key], [PROGRAMS, PEOPLE, ROLES])
        parts = found.get(self._key)
        if parts is None:
            parts = _build(pk)
            fragments.store(self._key, self._generations, parts, PROGRAM_PAGE_SECONDS)
        self.program, sessions_html, rhythm_html = parts
        # Our own templates' output, escaped where they render data.
        self.sessions_html = mark_safe(sessions_html)  # noqa: S308
        self.rhythm_html = mark_safe(rhythm_html)  # noqa: S308
        self._body = found.get(self._body_key)

    def body(self, render: Callable[[], str]) -> SafeString:
        """The page's whole content as a viewer without tools sees it: stored, or `render()` stored now (under the
        generations the program was read with)."""
        if self._body is None:
            self._body = render()
            fragments.store(self._body_key, self._generations, self._body, PROGRAM_PAGE_SECONDS)
        return mark_safe(self._body)  # noqa: S308
