"""Careers views: employer contacts. Someone signed in with no alumni record and no staff role asks a study program
to approve them as a contact of an organisation, and follows their request on their own page; the study program's
staff decide in a queue (approve, or refuse with a reason the person reads)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alumni.scope import require_staff

from .forms_employers import EmployerApplyForm, EmployerDecisionForm
from .models import EmployerContact
from .selectors_organisations import employer_contacts_managed_by
from .services_employers import employer_apply as apply_service
from .services_employers import employer_approve, employer_may_apply, employer_refuse

RECENT_DECISIONS = 20


def _not_for_you() -> PermissionDenied:
    return PermissionDenied(_("Employer contacts are people outside the study programs: alumni and staff post "
                              "vacancies as themselves."))


@login_required
@require_http_methods(["GET", "POST"])
def employer_apply(request: HttpRequest) -> HttpResponse:
    contact = EmployerContact.objects.filter(user=request.user).first()
    if contact is not None and contact.status != EmployerContact.Status.REFUSED:
        return redirect("careers:employer_status")
    if not employer_may_apply(request.user):
        raise _not_for_you()
    initial = {}
    if contact is not None:  # asking again after a refusal: start from the refused request
        initial = {"organisation": contact.organisation.name, "position": contact.position, "phone": contact.phone,
                   "study_program": contact.study_program_id}
    form = EmployerApplyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            apply_service(user=request.user, organisation_name=data["organisation"], position=data["position"],
                          phone=data["phone"], study_program=data["study_program"])
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Your request was sent. The study program's staff will decide on it."))
            return redirect("careers:employer_status")
    return render(request, "careers/employer_apply.html", {"form": form, "refused": contact})


@login_required
def employer_status(request: HttpRequest) -> HttpResponse:
    contact = (
        EmployerContact.objects.filter(user=request.user).select_related("organisation", "study_program").first()
    )
    if contact is None:
        if employer_may_apply(request.user):
            return redirect("careers:employer_apply")
        raise _not_for_you()
    return render(request, "careers/employer_status.html", {"contact": contact})


@login_required
def employer_queue(request: HttpRequest) -> HttpResponse:
    """Requests waiting for the study programs one runs, oldest first, and the latest decisions. Three queries."""
    require_staff(request.user, admins_too=True)
    managed = employer_contacts_managed_by(request.user).select_related("user", "organisation", "study_program")
    return render(request, "careers/employer_queue.html", {
        "pending": list(managed.filter(status=EmployerContact.Status.PENDING).order_by("created_at", "pk")),
        "decided": list(managed.exclude(status=EmployerContact.Status.PENDING)
                        .select_related("decided_by").order_by("-decided_at", "-pk")[:RECENT_DECISIONS]),
    })


@login_required
@require_POST
def employer_decide(request: HttpRequest, pk) -> HttpResponse:
    require_staff(request.user, admins_too=True)
    contact = get_object_or_404(employer_contacts_managed_by(request.user), pk=pk)
    form = EmployerDecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("careers:employer_queue")
    try:
        if form.cleaned_data["decision"] == EmployerDecisionForm.APPROVE:
            employer_approve(contact=contact, by=request.user)
            messages.success(request, _("%(person)s may now post vacancies for %(organisation)s.") % {
                "person": contact.user.full_name or contact.user.email, "organisation": contact.organisation.name})
        else:
            employer_refuse(contact=contact, by=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("The request was refused; the person was told why."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("careers:employer_queue")


urlpatterns = [
    path("employers/apply/", employer_apply, name="employer_apply"),
    path("employers/me/", employer_status, name="employer_status"),
    path("employers/queue/", employer_queue, name="employer_queue"),
    path("employers/<uuid:pk>/decide/", employer_decide, name="employer_decide"),
]
