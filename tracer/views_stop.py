"""The stop link of tracer emails: one click reaches the page, one button records the objection; no login.

The token is the credential, as on the answer pages: everyone gets the same answer for a given token, and an
unknown token is a 404. See tracer.objections."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import objections
from .models import Invitation, Response


@never_cache
@require_http_methods(["GET", "POST"])
def stop(request: HttpRequest, token: str) -> HttpResponse:
    invitation = (
        Invitation.objects.select_related("version__survey", "wave", "profile__user", "profile__study_program")
        .filter(token=token).first()
    )
    if invitation is None:
        raise Http404(_("This link is not valid."))
    answered = Response.objects.filter(invitation=invitation, status=Response.Status.SUBMITTED).exists()
    context = {"invitation": invitation, "survey": invitation.version.survey, "token": token,
               "employer": invitation.respondent == Invitation.Respondent.EMPLOYER}
    if answered:
        return render(request, "tracer/stop.html", {**context, "state": "answered"})
    if objections.already_objected(invitation):
        return render(request, "tracer/stop.html", {**context, "state": "stopped"})
    if request.method == "POST":
        objections.invitation_object(invitation=invitation)
        return render(request, "tracer/stop.html", {**context, "state": "stopped", "just_now": True})
    return render(request, "tracer/stop.html", {**context, "state": "ask"})
