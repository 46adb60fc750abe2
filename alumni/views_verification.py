"""Verified membership pages: the staff queue of pending requests, classmates' vouches, and a pending person
correcting their request."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, verification
from .forms import ProfileCreateForm, VerificationDecisionForm
from .models import AlumniProfile, Vouch
from .scope import require_staff

QUEUE_PAGE_SIZE = 20


def _linkable(profile: AlumniProfile, user):
    """The unclaimed verified records of the request's study program that staff may link it to."""
    return AlumniProfile.objects.managed_by(user).filter(
        study_program_id=profile.study_program_id, verification=AlumniProfile.Verification.VERIFIED,
        user__isnull=True,
    )


@login_required
def verification_queue(request: HttpRequest) -> HttpResponse:
    """Requests waiting for verification in the study programs this person runs, each beside the records it may
    be (same NIM, similar name, same cohort and initial)."""
    require_staff(request.user)
    page = Paginator(selectors.pending_requests(viewer=request.user), QUEUE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    requests = list(page.object_list)
    matches = selectors.request_matches(requests, viewer=request.user)
    rows = []
    for item in requests:
        found = matches.get(item.pk, [])
        form = VerificationDecisionForm(prefix=str(item.pk))
        form.fields["imported"].choices = [("", form.fields["imported"].empty_label)] + [
            (m.record.pk, f"{m.record.full_name} ({m.record.nim}, {m.record.entry_year})")
            for m in found if m.linkable
        ]
        rows.append({"request": item, "matches": found, "form": form})
    return render(request, "alumni/verification_queue.html", {"page": page, "rows": rows})


@login_required
@require_POST
def verification_decide(request: HttpRequest, pk) -> HttpResponse:
    require_staff(request.user)
    profile = get_object_or_404(
        AlumniProfile.objects.managed_by(request.user).filter(verification=AlumniProfile.Verification.PENDING)
        .select_related("study_program", "user"),
        pk=pk,
    )
    form = VerificationDecisionForm(request.POST, prefix=str(profile.pk), linkable=_linkable(profile, request.user))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{profile.full_name}: {error}")
        return redirect("alumni:verification_queue")
    data = form.cleaned_data
    try:
        if data["decision"] == form.VERIFY:
            verification.profile_verify(profile=profile, by=request.user, imported=data["imported"])
            messages.success(request, _("%(name)s is verified and was told so.") % {"name": profile.full_name})
        else:
            verification.profile_refuse(profile=profile, by=request.user, reason=data["reason"])
            messages.success(request, _("The request of %(name)s was refused; they were told why.")
                             % {"name": profile.full_name})
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, f"{profile.full_name}: {message}")
    return redirect("alumni:verification_queue")


@login_required
@require_POST
def vouch(request: HttpRequest, pk) -> HttpResponse:
    """A verified classmate answers a pending request shown on their dashboard; anyone else gets a 404."""
    profile = get_object_or_404(AlumniProfile.objects.awaiting_vouch_by(request.user), pk=pk)
    decision = request.POST.get("decision", "")
    if decision not in Vouch.Decision.values:
        messages.error(request, _("Choose whether you know this person."))
        return redirect("dashboard")
    try:
        verification.profile_vouch(profile=profile, by=request.user, decision=decision)
    except ValidationError as exc:
        messages.info(request, " ".join(exc.messages))
    else:
        if decision == Vouch.Decision.VOUCH:
            messages.success(request, _("Thank you: you vouched for %(name)s.") % {"name": profile.full_name})
        else:
            messages.info(request, _("Thank you. You will not be asked about %(name)s again.")
                          % {"name": profile.full_name})
    return redirect("dashboard")


@login_required
def profile_resubmit(request: HttpRequest) -> HttpResponse:
    """A person whose record is pending or was refused corrects what they entered and asks again."""
    profile = selectors.own_profile(user=request.user)
    if profile is None:
        return redirect("alumni:profile_create")
    if profile.is_verified:
        return redirect("alumni:my_profile")
    initial = {
        "study_program": profile.study_program_id, "nim": profile.nim, "full_name": profile.full_name,
        "entry_year": profile.entry_year, "graduation_date": profile.graduation_date,
    }
    form = ProfileCreateForm(request.POST or None, viewer=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            verification.profile_resubmit(profile=profile, by=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your request was sent again. It waits for verification."))
            return redirect("alumni:my_profile")
    return render(request, "alumni/profile_resubmit.html", {"form": form, "profile": profile})
