"""The stop link of tracer emails: one click reaches the page, one button records the objection; no login.

The token is the credential, as on the answer pages: everyone gets the same answer for a given token, and an
unknown token is a 404. See tracer.objections."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
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


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def one_click(request: HttpRequest, token: str) -> HttpResponse:
    """RFC 8058 one-click unsubscribe: the mail client's button POSTs "List-Unsubscribe=One-Click" here, with no
    login and no cookie (hence no CSRF token: the token in the address is the credential, as on the stop page,
    and a POST here can only stop emails). The objection is recorded as from the stop page. A GET (a client that
    opens the address in a browser) goes to the stop page, which asks first."""
    invitation = Invitation.objects.select_related("profile__user").filter(token=token).first()
    if invitation is None:
        raise Http404(_("This link is not valid."))
    if request.method == "GET":
        return redirect("tracer:stop", token=token)
    if request.POST.get("List-Unsubscribe") != "One-Click":
        return HttpResponseBadRequest(_("This address takes a one-click unsubscribe request only."),
                                      content_type="text/plain; charset=utf-8")
    answered = Response.objects.filter(invitation=invitation, status=Response.Status.SUBMITTED).exists()
    if not answered and not objections.already_objected(invitation):
        objections.invitation_object(invitation=invitation)
    return HttpResponse(_("Tracer-study emails to this address are stopped."), content_type="text/plain; charset=utf-8")
