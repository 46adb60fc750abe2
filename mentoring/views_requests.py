"""Pages of the requests part of mentoring: ask a mentor, a request's page, and the answers (POST).

Doors: asking is for verified members and students (403 for others; a paused or unknown mentor is 404); a request
is seen by its two people only (404 for anyone else, staff included); accept and decline by the mentor, withdraw
by the mentee (403 for the other side)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors_profiles, services_requests
from .forms_requests import AcceptForm, DeclineForm, RequestForm, errors_to_form
from .models import MentorshipRequest
from .services_requests import RequestRefused
from .views_profiles import require_member


def _request_for(user, pk) -> MentorshipRequest:
    found = (
        MentorshipRequest.objects.filter(Q(mentee=user) | Q(mentor=user), pk=pk)
        .select_related("mentee__alumni_profile__study_program", "mentor__alumni_profile__study_program")
        .prefetch_related("topics").first()
    )
    if found is None:
        raise Http404
    return found


@login_required
def request_new(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the form (or why this mentor cannot be asked now); POST: send the request."""
    require_member(request.user)
    card = selectors_profiles.mentor_card(pk)
    if card is None:
        raise Http404
    topics = list(selectors_profiles.active_topics())
    initial = {"help_with": request.GET.get("text", ""), "format": request.GET.get("format", ""),
               "topics": [int(t) for t in request.GET.getlist("topics") if t.isdigit()]}
    form = RequestForm(request.POST or None, initial=initial, topics=topics)
    refusal = services_requests.request_refusal(mentee=request.user, profile=card.profile)
    if request.method == "POST" and refusal is None and form.is_valid():
        data = form.cleaned_data
        try:
            req = services_requests.request_create(
                mentee=request.user, profile=card.profile, help_with=data["help_with"], note=data["note"],
                format=data["format"], topics=data["topics"],
            )
        except RequestRefused as refused:
            refusal = " ".join(refused.messages)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Your request was sent. The mentor answers within 14 days; you get an "
                                        "email either way."))
            return redirect("mentoring:request_detail", req.pk)
    return render(request, "mentoring/requests_new.html", {"card": card, "form": form, "refusal": refusal})


@login_required
def request_detail(request: HttpRequest, pk) -> HttpResponse:
    req = _request_for(request.user, pk)
    is_mentor = req.mentor_id == request.user.pk
    is_open = req.status == MentorshipRequest.Status.OPEN
    mentorship = getattr(req, "mentorship", None) if req.status == MentorshipRequest.Status.ACCEPTED else None
    return render(request, "mentoring/requests_detail.html", {
        "req": req, "is_mentor": is_mentor, "is_open": is_open, "mentorship": mentorship,
        "mentee_name": selectors_profiles.person_name(req.mentee),
        "mentor_name": selectors_profiles.person_name(req.mentor),
        "accept_form": AcceptForm(), "decline_form": DeclineForm(),
    })


def _answer(request: HttpRequest, pk, *, mentor: bool) -> MentorshipRequest:
    req = _request_for(request.user, pk)
    if (req.mentor_id if mentor else req.mentee_id) != request.user.pk:
        raise PermissionDenied
    return req


@login_required
@require_POST
def request_accept(request: HttpRequest, pk) -> HttpResponse:
    req = _answer(request, pk, mentor=True)
    form = AcceptForm(request.POST)
    if form.is_valid():
        try:
            mentorship = services_requests.request_accept(request=req, by=request.user,
                                                          goals=form.cleaned_data["goals"],
                                                          ends_on=form.cleaned_data["ends_on"])
        except RequestRefused as refused:
            messages.error(request, " ".join(refused.messages))
            return redirect("mentoring:request_detail", pk)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Accepted. Your mentorship has begun: you now see each other's email on "
                                        "its page."))
            return redirect("mentoring:mentorship_detail", mentorship.pk)
    return render(request, "mentoring/requests_detail.html", {
        "req": req, "is_mentor": True, "is_open": True, "mentorship": None,
        "mentee_name": selectors_profiles.person_name(req.mentee),
        "mentor_name": selectors_profiles.person_name(req.mentor),
        "accept_form": form, "decline_form": DeclineForm(),
    })


@login_required
@require_POST
def request_decline(request: HttpRequest, pk) -> HttpResponse:
    req = _answer(request, pk, mentor=True)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            services_requests.request_decline(request=req, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Declined. Nobody's contact was shared."))
        return redirect("mentoring:request_detail", pk)
    return render(request, "mentoring/requests_detail.html", {
        "req": req, "is_mentor": True, "is_open": True, "mentorship": None,
        "mentee_name": selectors_profiles.person_name(req.mentee),
        "mentor_name": selectors_profiles.person_name(req.mentor),
        "accept_form": AcceptForm(), "decline_form": form,
    })


@login_required
@require_POST
def request_withdraw(request: HttpRequest, pk) -> HttpResponse:
    req = _answer(request, pk, mentor=False)
    try:
        services_requests.request_withdraw(request=req, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your request was withdrawn."))
    return redirect("mentoring:request_detail", pk)


urlpatterns = [
    path("mentors/<int:pk>/ask/", request_new, name="request_new"),
    path("requests/<uuid:pk>/", request_detail, name="request_detail"),
    path("requests/<uuid:pk>/accept/", request_accept, name="request_accept"),
    path("requests/<uuid:pk>/decline/", request_decline, name="request_decline"),
    path("requests/<uuid:pk>/withdraw/", request_withdraw, name="request_withdraw"),
]
