"""Pages of the rounds part of mentoring: the list of rounds, a new round (staff), a round's page (staff: the
applications, mentors, the proposed matching with reasons, moves, publish, cancel; a member: the round, their own
application or offer and, once published, their match), applying (mentee), offering places (mentor).

Doors: every page is for verified members and students, staff and institution admins (403 for pending members,
employer contacts); a round is looked up among `selectors_rounds.rounds_visible_to(user)` (404 otherwise); the
staff actions need `scope.manages_program(round.study_program_id)` (403 for members who see the round); applying
needs `services_rounds.may_apply` and offering a verified member (403 otherwise). The staff page is a read of
the mentees' personal data: audited (core.audit.audit_reads), once per view."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alumni.scope import scope_for
from core.audit import audit_reads
from programs.models import Program

from . import selectors_rounds, services_rounds
from .forms_rounds import AdjustForm, ApplyForm, CancelForm, OfferForm, RoundForm
from .models import MatchingRound, MentorProfile, RoundApplication

R = MatchingRound.Status


def _require_portal_person(user):
    scope = scope_for(user)
    if not (scope.is_member or scope.is_staff or scope.is_admin):
        raise PermissionDenied(_("Mentoring rounds are for verified members and students, and staff."))
    return scope


def _round(request: HttpRequest, pk) -> MatchingRound:
    _require_portal_person(request.user)
    return get_object_or_404(
        selectors_rounds.rounds_visible_to(request.user).select_related("program", "study_program"), pk=pk
    )


def _managed_round(request: HttpRequest, pk) -> MatchingRound:
    round_ = _round(request, pk)
    if not scope_for(request.user).manages_program(round_.study_program_id):
        raise PermissionDenied(_("Only staff of this study program can run its mentoring rounds."))
    return round_


def _errors(form, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


def _flash(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
def rounds(request: HttpRequest) -> HttpResponse:
    scope = _require_portal_person(request.user)
    items = selectors_rounds.rounds_list(request.user)
    return render(request, "mentoring/rounds_list.html", {
        "rounds": items, "can_open": scope.is_staff or scope.is_admin,
    })


def _programs_for(user):
    scope = scope_for(user)
    qs = Program.objects.filter(category=Program.Category.MENTORING).select_related("study_program")
    if not scope.is_superuser:
        qs = qs.filter(study_program_id__in=scope.staff_program_ids)
    return qs.order_by("study_program__name", "title")


@login_required
def round_new(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not (scope.is_staff or scope.is_admin):
        raise PermissionDenied(_("Only staff can open a mentoring round."))
    programs = _programs_for(request.user)
    form = RoundForm(request.POST or None, programs=programs)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            round_ = services_rounds.round_create(
                by=request.user, program=d["program"], title=d["title"], description=d["description"],
                topic_ids=[t.pk for t in d["topics"]], deadline=d["deadline"],
                mentorship_months=d["mentorship_months"],
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("The round is open. Mentees and mentors can now apply."))
            return redirect("mentoring:round_detail", round_.pk)
    return render(request, "mentoring/rounds_new.html", {"form": form, "has_programs": programs.exists()})


@login_required
def round_detail(request: HttpRequest, pk) -> HttpResponse:
    round_ = _round(request, pk)
    scope = scope_for(request.user)
    context = {"round": round_, "topics": list(round_.topics.all())}
    if scope.manages_program(round_.study_program_id):
        view = selectors_rounds.staff_view(round_)
        audit_reads(actor=request.user, action="mentoring.round.read", target=round_,
                    subject_ids=[a.mentee_id for a in view.applications], study_program=round_.study_program)
        choices = [(m.offer.mentor_id, f"{m.name} ({m.taken}/{m.offer.capacity})") for m in view.mentors]
        context.update({"staff": view, "manages": True, "mentor_choices": choices, "cancel_form": CancelForm()})
    else:
        own = selectors_rounds.own_view(round_, request.user)
        context.update({
            "own": own, "manages": False,
            "may_apply": round_.status == R.OPEN and own.application is None and own.offer is None
            and services_rounds.may_apply(request.user, round_),
            "may_offer": round_.status == R.OPEN and own.application is None and scope.is_member,
        })
    return render(request, "mentoring/rounds_detail.html", context)


@login_required
def round_apply(request: HttpRequest, pk) -> HttpResponse:
    round_ = _round(request, pk)
    if not services_rounds.may_apply(request.user, round_):
        raise PermissionDenied(_("Only verified members and students of this study program can apply."))
    topics = round_.topics.all() if round_.topics.exists() else None
    form = ApplyForm(request.POST or None, topics=topics)
    refusal = None
    if RoundApplication.objects.filter(round=round_, mentee=request.user).exists():
        refusal = _("You have already applied to this round.")
    elif round_.status != R.OPEN:
        refusal = _("This round no longer takes applications or offers.")
    if request.method == "POST" and refusal is None and form.is_valid():
        d = form.cleaned_data
        try:
            services_rounds.round_apply(round_=round_, mentee=request.user, topic_ids=[t.pk for t in d["topics"]],
                                        help_with=d["help_with"], format=d["format"])
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("You applied. You will hear by email when the matching is published."))
            return redirect("mentoring:round_detail", round_.pk)
    return render(request, "mentoring/rounds_apply.html", {"round": round_, "form": form, "refusal": refusal})


@login_required
def round_offer(request: HttpRequest, pk) -> HttpResponse:
    round_ = _round(request, pk)
    if not scope_for(request.user).is_member:
        raise PermissionDenied(_("Only verified members can mentor."))
    profile = MentorProfile.objects.filter(user=request.user).first()
    offer = round_.mentors.filter(mentor=request.user).first()
    form = OfferForm(request.POST or None, initial={"capacity": offer.capacity if offer else
                                                    (profile.capacity if profile else 2)})
    if request.method == "POST" and form.is_valid():
        try:
            services_rounds.round_offer(round_=round_, mentor=request.user, capacity=form.cleaned_data["capacity"])
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("Thank you: your places in this round are saved."))
            return redirect("mentoring:round_detail", round_.pk)
    return render(request, "mentoring/rounds_offer.html", {
        "round": round_, "form": form, "profile": profile, "offer": offer,
    })


@login_required
@require_POST
def round_propose(request: HttpRequest, pk) -> HttpResponse:
    round_ = _managed_round(request, pk)
    try:
        proposal = services_rounds.round_propose(round_=round_, by=request.user)
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("Matching proposed: %(matched)d matched, %(unmatched)d unmatched.")
                         % {"matched": len(proposal.matched), "unmatched": len(proposal.unmatched)})
    return redirect("mentoring:round_detail", round_.pk)


@login_required
@require_POST
def round_adjust(request: HttpRequest, pk) -> HttpResponse:
    round_ = _managed_round(request, pk)
    mentors = list(round_.mentors.values_list("mentor_id", "mentor_id"))
    form = AdjustForm(request.POST, mentors=mentors)
    if not form.is_valid():
        messages.error(request, _("Choose a mentor of this round, or nobody."))
        return redirect("mentoring:round_detail", round_.pk)
    application = round_.applications.filter(pk=form.cleaned_data["application"]).first()
    if application is None:
        messages.error(request, _("This application is not part of this round."))
        return redirect("mentoring:round_detail", round_.pk)
    try:
        services_rounds.round_adjust(round_=round_, application=application, mentor_id=form.cleaned_data["mentor"],
                                     by=request.user)
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("The matching was changed."))
    return redirect("mentoring:round_detail", round_.pk)


@login_required
@require_POST
def round_publish(request: HttpRequest, pk) -> HttpResponse:
    round_ = _managed_round(request, pk)
    was_published = round_.status == R.PUBLISHED
    try:
        created = services_rounds.round_publish(round_=round_, by=request.user)
    except ValidationError as exc:
        _flash(request, exc)
    else:
        if was_published:
            messages.info(request, _("This round was already published."))
        else:
            messages.success(request, _("Published: %(n)d mentorships began; everyone was told by email.")
                             % {"n": created})
    return redirect("mentoring:round_detail", round_.pk)


@login_required
@require_POST
def round_cancel(request: HttpRequest, pk) -> HttpResponse:
    round_ = _managed_round(request, pk)
    form = CancelForm(request.POST)
    form.is_valid()
    try:
        services_rounds.round_cancel(round_=round_, by=request.user, reason=form.cleaned_data.get("reason", ""))
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("The round was cancelled."))
    return redirect("mentoring:round_detail", round_.pk)


urlpatterns = [
    path("rounds/", rounds, name="rounds"),
    path("rounds/new/", round_new, name="round_new"),
    path("rounds/<uuid:pk>/", round_detail, name="round_detail"),
    path("rounds/<uuid:pk>/apply/", round_apply, name="round_apply"),
    path("rounds/<uuid:pk>/offer/", round_offer, name="round_offer"),
    path("rounds/<uuid:pk>/propose/", round_propose, name="round_propose"),
    path("rounds/<uuid:pk>/adjust/", round_adjust, name="round_adjust"),
    path("rounds/<uuid:pk>/publish/", round_publish, name="round_publish"),
    path("rounds/<uuid:pk>/cancel/", round_cancel, name="round_cancel"),
]
