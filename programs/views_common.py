"""Small helpers shared by the programs app's view modules (`views_public`, `views_member`, `views_manage`), for
their use only: a session looked up through the permission door (`Session.objects.visible_to(user)`, 404 for what
the person may not see), whether someone is staff of a program's study program (`alumni.scope.scope_for`), and
what the button for each status move says. It imports none of the view modules; they import it and never one
another."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy

from alumni.scope import scope_for

from .models import Program, Session

S = Program.Status

# What the button for each move says on the program page.
TRANSITION_LABELS = {
    S.APPROVED: gettext_lazy("Approve"),
    S.REJECTED: gettext_lazy("Reject"),
    S.RUNNING: gettext_lazy("Mark as running"),
    S.COMPLETED: gettext_lazy("Mark as completed"),
    S.CANCELLED: gettext_lazy("Cancel the program"),
}


def visible_session(request: HttpRequest, pk) -> Session:
    return get_object_or_404(
        Session.objects.visible_to(request.user).select_related("program__study_program__faculty", "program__pic"),
        pk=pk,
    )


def is_staff_of(program: Program, user) -> bool:
    scope = scope_for(user)
    return scope.is_superuser or program.study_program_id in scope.staff_program_ids
