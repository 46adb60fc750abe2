"""Pages of the mentorships part of mentoring: a mentorship's page for its pair (contacts, goals and end,
meetings, ending, feedback) and the staff overview.

Doors: a mentorship, its meetings and notes are its pair's only (404 for anyone else, staff included); the staff
overview is for staff of a study program and institution admins (403 for others), about the study programs they run
only, and each reading of it is in the audit trail (it names mentors)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alumni.scope import scope_for
from core.audit import audit_reads

from . import selectors_mentorships, selectors_profiles, services_mentorships
from .forms_mentorships import FeedbackForm, MeetingForm, MentorshipForm
from .forms_requests import errors_to_form
from .models import Feedback, Mentorship


def _mentorship(request: HttpRequest, pk) -> Mentorship:
    found = selectors_mentorships.mentorship_for(user=request.user, pk=pk)
    if found is None:
        raise Http404
    return found


def _page(request: HttpRequest, mentorship: Mentorship, *, status: int = 200, **forms) -> HttpResponse:
    side = services_mentorships.side_of(mentorship, request.user)
    feedback = {f.side: f for f in mentorship.feedback.all()}
    active = mentorship.status == Mentorship.Status.ACTIVE
    context = {
        "m": mentorship, "side": side, "active": active,
        "mentor_name": selectors_profiles.person_name(mentorship.mentor),
        "mentee_name": selectors_profiles.person_name(mentorship.mentee),
        "meetings": list(mentorship.meetings.select_related("logged_by__alumni_profile")),
        "my_feedback": feedback.get(side), "feedback_open": not active and side not in feedback,
        "mentorship_form": forms.get("mentorship_form") or MentorshipForm(
            initial={"goals": mentorship.goals, "ends_on": mentorship.ends_on}),
        "meeting_form": forms.get("meeting_form") or MeetingForm(),
        "feedback_form": forms.get("feedback_form") or FeedbackForm(),
    }
    context["total_minutes"] = sum(m.minutes for m in context["meetings"])
    return render(request, "mentoring/mentorships_detail.html", context, status=status)


@login_required
def mentorship_detail(request: HttpRequest, pk) -> HttpResponse:
    return _page(request, _mentorship(request, pk))


def _pair_form(request: HttpRequest, pk, form_class, service, saved: str, context_name: str) -> HttpResponse:
    """One of the pair's forms on the mentorship page: valid and accepted by the service, back to the page with
    `saved`; otherwise the page again with the form's errors."""
    mentorship = _mentorship(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            service(mentorship=mentorship, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, saved)
            return redirect("mentoring:mentorship_detail", pk)
    return _page(request, mentorship, **{context_name: form})


@login_required
@require_POST
def mentorship_update(request: HttpRequest, pk) -> HttpResponse:
    return _pair_form(request, pk, MentorshipForm, services_mentorships.mentorship_update,
                      _("Goals and agreed end saved."), "mentorship_form")


@login_required
@require_POST
def meeting_add(request: HttpRequest, pk) -> HttpResponse:
    return _pair_form(request, pk, MeetingForm, services_mentorships.meeting_add, _("Meeting logged."),
                      "meeting_form")


@login_required
@require_POST
def mentorship_end(request: HttpRequest, pk) -> HttpResponse:
    mentorship = _mentorship(request, pk)
    try:
        services_mentorships.mentorship_end(mentorship=mentorship, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The mentorship has ended. Please give your feedback below."))
    return redirect("mentoring:mentorship_detail", pk)


@login_required
@require_POST
def feedback_give(request: HttpRequest, pk) -> HttpResponse:
    return _pair_form(request, pk, FeedbackForm, services_mentorships.feedback_give,
                      _("Thank you for your feedback."), "feedback_form")


@login_required
def staff(request: HttpRequest) -> HttpResponse:
    """Staff overview of the study programs the reader runs: counts, mentors, a chart per year."""
    scope = scope_for(request.user)
    if not (scope.is_staff or scope.is_admin):
        raise PermissionDenied(_("This page is for study-program staff."))
    overview = selectors_mentorships.staff_overview(viewer=request.user, program_id=request.GET.get("program"))
    target = overview.program or (overview.programs[0] if overview.programs else None)
    if target is not None and (overview.rows or overview.mentorships):
        audit_reads(actor=request.user, action="mentoring.staff.viewed", target=target,
                    subject_ids=[r.user_id for r in overview.rows]
                    + [m.mentee_id for m in overview.mentorships],
                    study_program=overview.program, data={"mentors": len(overview.rows)})
    return render(request, "mentoring/mentorships_staff.html", {"o": overview, "feedback_side": Feedback.Side})


urlpatterns = [
    path("mentorships/<uuid:pk>/", mentorship_detail, name="mentorship_detail"),
    path("mentorships/<uuid:pk>/update/", mentorship_update, name="mentorship_update"),
    path("mentorships/<uuid:pk>/meetings/", meeting_add, name="meeting_add"),
    path("mentorships/<uuid:pk>/end/", mentorship_end, name="mentorship_end"),
    path("mentorships/<uuid:pk>/feedback/", feedback_give, name="feedback_give"),
    path("staff/", staff, name="staff"),
]
