"""What a signed-in person does for themselves: propose a program, register for a session or leave it (or its
waitlist), answer a team invitation addressed to them, and their calendar page (the feed's link, and renewing it).
Every view needs a login (`login_required`) and nothing more: a session is looked up in
`Session.objects.visible_to(user)` (404 otherwise), an invitation in `TeamInvitation.objects.for_invitee(user)`
(anyone else, the inviter included, gets a 404), and `programs.services` decides whether this person may register
or propose; a ValidationError from a service is shown to them and changes nothing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_errors

from . import selectors, services
from .forms import InvitationAnswerForm, ProposeForm
from .models import Participation, Program, TeamInvitation
from .views_common import visible_session

P = Participation


# --- programs ------------------------------------------------------------------------------------------------


@login_required
def program_propose(request: HttpRequest) -> HttpResponse:
    form = ProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            program = services.program_propose(
                by=request.user, study_program=form.cleaned_data["study_program"], data=form.program_data()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Thank you! Your proposal was sent to the staff of %(prodi)s.") % {"prodi": program.study_program},
            )
            return redirect(program)
    return render(request, "programs/program_form.html", {"form": form, "mode": "propose"})


# --- team invitations ----------------------------------------------------------------------------------------


@login_required
def invitation(request: HttpRequest, pk) -> HttpResponse:
    """The invited person's page: accept or decline. Anyone else gets 404, the inviter included."""
    found = get_object_or_404(
        TeamInvitation.objects.for_invitee(request.user).select_related(
            "program__study_program", "session", "invited_by"
        ),
        pk=pk,
    )
    if request.method == "POST":
        form = InvitationAnswerForm(request.POST)
        if form.is_valid():
            try:
                if form.cleaned_data["decision"] == "accept":
                    services.team_invitation_accept(invitation=found, user=request.user)
                    messages.success(request, _("Welcome to the team of “%(title)s”.") % {"title": found.program})
                    if Program.objects.visible_to(request.user).filter(pk=found.program_id).exists():
                        return redirect(found.session or found.program)
                    return redirect(found)
                services.team_invitation_decline(invitation=found, user=request.user)
                messages.info(request, _("You declined the invitation."))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            return redirect(found)
    return render(request, "programs/invitation.html", {"invitation": found, "is_open": found.is_open()})


# --- sessions ------------------------------------------------------------------------------------------------


@login_required
@require_POST
def session_register(request: HttpRequest, pk) -> HttpResponse:
    session = visible_session(request, pk)
    try:
        participation = services.session_register(session=session, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if participation.status == P.Status.REGISTERED:
            messages.success(request, _("You are registered. See you there!"))
        else:
            messages.info(
                request, _("The session is full: you are on the waitlist and will hear from us when a seat frees up.")
            )
    return redirect(session)


@login_required
@require_POST
def session_unregister(request: HttpRequest, pk) -> HttpResponse:
    session = visible_session(request, pk)
    try:
        services.session_unregister(session=session, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your registration was cancelled."))
    return redirect(session)


# --- calendar ------------------------------------------------------------------------------------------------


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    feed = services.calendar_feed_for(user=request.user)
    url = request.build_absolute_uri(reverse("programs:calendar_feed", args=[feed.token]))
    upcoming = list(
        selectors.sessions_for_feed(user=request.user).filter(end__gte=timezone.now())[:10]
    )
    return render(
        request,
        "programs/calendar.html",
        {"feed_url": url, "webcal_url": "webcal://" + url.split("://", 1)[-1], "upcoming": upcoming},
    )


@login_required
@require_POST
def calendar_reset(request: HttpRequest) -> HttpResponse:
    services.calendar_feed_reset(user=request.user)
    messages.success(request, _("Your calendar link was renewed; the old one no longer works."))
    return redirect("programs:calendar")
