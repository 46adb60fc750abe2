"""Pages of the academic record: staff edit a record; a graduate asks for a correction; staff decide the requests.

Writes go through alumni.records (audited with field names only)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.forms import add_service_errors

from . import records, selectors
from .forms_records import CorrectionDecisionForm, CorrectionForm, RecordForm
from .models import AlumniProfile, RecordCorrection
from .scope import require_staff

STAFF_ONLY = gettext_lazy("Only study-program staff can change academic records.")
QUEUE_PAGE_SIZE = 50


# --- Staff edit a record ---------------------------------------------------------------------------------------


@login_required
def record_edit(request: HttpRequest, pk) -> HttpResponse:
    require_staff(request.user, message=STAFF_ONLY)
    profile = get_object_or_404(
        AlumniProfile.objects.managed_by(request.user).select_related("study_program", "user"), pk=pk
    )
    form = RecordForm(request.POST or None, instance=profile, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            changed = records.record_update(
                profile=profile, by=request.user,
                data={name: form.cleaned_data[name] for name in records.RECORD_FIELDS if name in form.fields},
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if changed:
                messages.success(request, _("The academic record was saved."))
            else:
                messages.info(request, _("Nothing changed."))
            return redirect("alumni:profile", pk=profile.pk)
    # What the record held before this request's form changed the instance in memory.
    saved = AlumniProfile.objects.select_related("study_program").get(pk=profile.pk)
    return render(request, "alumni/record_edit.html", {"form": form, "profile": saved})


# --- The graduate's request -----------------------------------------------------------------------------------


@login_required
def correction(request: HttpRequest) -> HttpResponse:
    """Ask for a correction of one's name, cohort or graduation date; see the requests made and their answers."""
    profile = selectors.own_profile(user=request.user)
    if profile is None:
        return redirect("alumni:profile_create")
    # This person's own requests: a record detached from an account that claimed it (alumni.records.profile_detach)
    # keeps that person's requests, their reasons and the staff's answers, which are not the next holder's to read.
    history = list(
        RecordCorrection.objects.filter(profile=profile, requested_by=request.user).select_related("decided_by")[:20]
    )
    pending = next((c for c in history if c.status == RecordCorrection.Status.PENDING), None)
    form = None if pending else CorrectionForm(request.POST or None, profile=profile)
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            records.correction_request(profile=profile, by=request.user, requested=form.requested(),
                                       reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your request was sent to the study program's staff."))
            return redirect("alumni:correction")
    return render(request, "alumni/correction.html", {
        "profile": profile, "form": form, "pending": pending, "history": [(c, _rows(c)) for c in history],
    })


@login_required
@require_POST
def correction_withdraw(request: HttpRequest) -> HttpResponse:
    pending = get_object_or_404(
        RecordCorrection.objects.filter(profile__user=request.user, status=RecordCorrection.Status.PENDING)
        .select_related("profile__study_program")
    )
    if records.correction_withdraw(correction=pending, by=request.user):
        messages.success(request, _("Your request was withdrawn."))
    return redirect("alumni:correction")


# --- Staff decide ----------------------------------------------------------------------------------------------


def _field_labels() -> dict[str, str]:
    return {field: AlumniProfile._meta.get_field(field).verbose_name for field in records.RECORD_FIELDS}


def _rows(item: RecordCorrection) -> list[tuple]:
    """(label, the record's value then, the requested value) for each field of the request."""
    return [
        (label, item.current.get(field, ""), item.requested[field])
        for field, label in _field_labels().items() if field in item.requested
    ]


@login_required
def corrections(request: HttpRequest) -> HttpResponse:
    """The requests waiting for this person's study programs, oldest first; the last decisions below."""
    require_staff(request.user, message=STAFF_ONLY)
    mine = RecordCorrection.objects.managed_by(request.user).select_related("profile__study_program", "decided_by")
    waiting = Paginator(
        mine.filter(status=RecordCorrection.Status.PENDING).order_by("created_at"), QUEUE_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    decided = list(
        mine.filter(status__in=[RecordCorrection.Status.ACCEPTED, RecordCorrection.Status.REFUSED])
        .order_by("-decided_at")[:20]
    )
    return render(request, "alumni/corrections.html", {
        "page": waiting, "waiting": [(c, _rows(c)) for c in waiting.object_list],
        "decided": [(c, _rows(c)) for c in decided],
    })


@login_required
def correction_decide(request: HttpRequest, pk) -> HttpResponse:
    require_staff(request.user, message=STAFF_ONLY)
    item = get_object_or_404(
        RecordCorrection.objects.managed_by(request.user).select_related("profile__study_program", "requested_by"),
        pk=pk,
    )
    form = CorrectionDecisionForm(request.POST or None)
    if request.method == "POST" and item.status == RecordCorrection.Status.PENDING and form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        try:
            records.correction_decide(correction=item, by=request.user, accept=accept, note=form.cleaned_data["note"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if accept:
                messages.success(request, _("The correction was accepted and written to the record."))
            else:
                messages.success(request, _("The request was refused."))
            return redirect("alumni:corrections")
    return render(request, "alumni/correction_decide.html", {"item": item, "form": form, "rows": _rows(item)})
