"""Careers views: introductions (ask, list, answer, withdraw), career settings, outcome questions, and the staff
figures (careers.reports).

Doors: an introduction is looked up in `Introduction.objects.involving(user)` (its two people, nobody else: 404),
an outcome among the person's own (404 for anyone else), an organisation by pk and the person asked among
`alumni_at(organisation, viewer)` (404 when not there). Only verified members ask (403 for others); the staff
figures are for staff (403 for others), and each drill-down cell only for a unit the reader runs."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alumni.scope import scope_for

from . import reports, selectors_introductions, services_introductions
from .forms_introductions import CareerSettingsForm, IntroductionForm, OutcomeForm
from .models import Introduction, JobPost, Organisation, Outcome
from .selectors_organisations import alumni_at
from .services_introductions import IntroductionRefused


def _post_from_query(request: HttpRequest) -> JobPost | None:
    raw = request.GET.get("post") or request.POST.get("post") or ""
    if not raw:
        return None
    try:
        pk = uuid.UUID(raw)
    except ValueError as exc:
        raise Http404 from exc
    return get_object_or_404(JobPost.objects.visible_to(request.user).select_related("organisation"), pk=pk)


@login_required
def introduction_ask(request: HttpRequest, organisation_id, profile_id) -> HttpResponse:
    """GET: the note form (or why this person cannot be asked now); POST: send the request."""
    if not scope_for(request.user).is_member:
        raise PermissionDenied
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    person = next((p for p in alumni_at(organisation=organisation, viewer=request.user,
                                        limit=services_introductions.RECIPIENT_LOOKUP_LIMIT)
                   if p.profile_id == profile_id), None)
    own = request.user.alumni_profile.pk == profile_id if hasattr(request.user, "alumni_profile") else False
    if person is None and not own:
        raise Http404
    post = _post_from_query(request)
    form = IntroductionForm(request.POST or None)
    refusal = services_introductions.introduction_ask_refusal(
        requester=request.user, organisation=organisation, profile_id=profile_id
    )
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            introduction = services_introductions.introduction_ask(
                requester=request.user, organisation=organisation, profile_id=profile_id,
                note=form.cleaned_data["note"], post=post,
            )
        except IntroductionRefused as refused:
            refusal = refused.message
        else:
            messages.success(request, _("Your request was sent. You will get an email when they answer."))
            return redirect("careers:introduction_detail", introduction.pk)
    return render(request, "careers/introduction_ask.html", {
        "organisation": organisation, "person": person, "post": post, "form": form, "refusal": refusal,
    }, status=200)


@login_required
def introductions(request: HttpRequest) -> HttpResponse:
    """The requests this person received and the ones they sent."""
    lists = selectors_introductions.introductions_for(user=request.user)
    return render(request, "careers/introductions.html", {**lists, "outcomes": selectors_introductions
                  .outcomes_unanswered(user=request.user)})


@login_required
def introduction_detail(request: HttpRequest, pk) -> HttpResponse:
    introduction = selectors_introductions.introduction_for(user=request.user, pk=pk)
    if introduction is None:
        raise Http404
    return render(request, "careers/introduction_detail.html", {
        "introduction": introduction,
        "is_recipient": introduction.recipient_id == request.user.pk,
        "is_open": introduction.status == Introduction.Status.REQUESTED,
    })


@login_required
@require_POST
def introduction_answer(request: HttpRequest, pk) -> HttpResponse:
    """The recipient's Accept / Decline buttons (POST)."""
    introduction = get_object_or_404(Introduction.objects.involving(request.user), pk=pk)
    if introduction.recipient_id != request.user.pk:
        raise PermissionDenied
    decision = request.POST.get("decision")
    if decision not in ("accept", "decline"):
        messages.error(request, _("Choose Accept or Decline."))
        return redirect("careers:introduction_detail", pk)
    try:
        if decision == "accept":
            services_introductions.introduction_accept(introduction=introduction, by=request.user)
            messages.success(request, _("Accepted. You and the person who asked each got the other's contact "
                                        "by email."))
        else:
            services_introductions.introduction_decline(introduction=introduction, by=request.user)
            messages.success(request, _("Declined. Nobody's contact was shared."))
    except IntroductionRefused as refused:
        messages.error(request, refused.message)
    return redirect("careers:introduction_detail", pk)


@login_required
@require_POST
def introduction_withdraw(request: HttpRequest, pk) -> HttpResponse:
    introduction = get_object_or_404(Introduction.objects.involving(request.user), pk=pk)
    if introduction.requester_id != request.user.pk:
        raise PermissionDenied
    try:
        services_introductions.introduction_withdraw(introduction=introduction, by=request.user)
        messages.success(request, _("Your request was withdrawn."))
    except IntroductionRefused as refused:
        messages.error(request, refused.message)
    return redirect("careers:introduction_detail", pk)


@login_required
def career_settings(request: HttpRequest) -> HttpResponse:
    if not scope_for(request.user).is_member:
        raise PermissionDenied
    current = services_introductions.career_settings_for(user=request.user)
    form = CareerSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        services_introductions.career_settings_save(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your introduction settings were saved."))
        return redirect("careers:career_settings")
    return render(request, "careers/introduction_settings.html", {"form": form})


def _tri_initial(value: bool | None) -> str:
    return {True: "yes", False: "no"}.get(value, "")


@login_required
def outcome(request: HttpRequest, pk) -> HttpResponse:
    """The member says what came of an application or an introduction (owner only: 404 for anyone else)."""
    item = get_object_or_404(
        Outcome.objects.filter(user=request.user).select_related(
            "application__post__organisation", "introduction__organisation", "introduction__recipient"
        ),
        pk=pk,
    )
    initial = {name: _tri_initial(getattr(item, name)) for name in ("applied", "interviewed", "hired")}
    form = OutcomeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services_introductions.outcome_answer(outcome=item, by=request.user, **form.cleaned_data)
        messages.success(request, _("Thank you: your answer helps your study program show what the network does."))
        return redirect("careers:introductions")
    return render(request, "careers/outcome.html", {"outcome": item, "form": form})


@login_required
def report(request: HttpRequest) -> HttpResponse:
    """Staff figures per year for the units this person runs, as a chart and a table."""
    if not scope_for(request.user).is_staff:
        raise PermissionDenied
    figures = reports.careers_figures(viewer=request.user, program_id=request.GET.get("program"))
    return render(request, "careers/careers_report.html", {"figures": figures, "chart": reports.chart_data(figures)})


@login_required
def report_cell(request: HttpRequest) -> HttpResponse:
    """What is behind one count of the report (query: metric, year, program), for staff of that unit only."""
    scope = scope_for(request.user)
    if not scope.is_staff:
        raise PermissionDenied
    try:
        cell = reports.cell_from_query(viewer=request.user, query=request.GET)
    except reports.CellNotAllowed as exc:
        raise PermissionDenied from exc
    except ValueError as exc:
        raise Http404 from exc
    return render(request, "careers/careers_report_cell.html", {"cell": cell})


urlpatterns = [
    path("introductions/", introductions, name="introductions"),
    path("introductions/ask/<uuid:organisation_id>/<uuid:profile_id>/", introduction_ask, name="introduction_ask"),
    path("introductions/settings/", career_settings, name="career_settings"),
    path("introductions/<uuid:pk>/", introduction_detail, name="introduction_detail"),
    path("introductions/<uuid:pk>/answer/", introduction_answer, name="introduction_answer"),
    path("introductions/<uuid:pk>/withdraw/", introduction_withdraw, name="introduction_withdraw"),
    path("outcomes/<uuid:pk>/", outcome, name="outcome"),
    path("report/", report, name="report"),
    path("report/cell/", report_cell, name="report_cell"),
]
