"""Careers views: the job alerts page (a member's fields, provinces, kinds and delivery of the weekly digest)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .forms_alerts import JobAlertForm
from .models import JobAlert
from .services_alerts import alert_allowed, alert_for, digest_consent_granted, job_alert_save


@login_required
@require_http_methods(["GET", "POST"])
def alerts(request: HttpRequest) -> HttpResponse:
    """Verified members (alumni and students) only: pending people, staff-only accounts and employer contacts get
    403 (the digest lists the posts of one's own study program)."""
    user = request.user
    if not alert_allowed(user):
        raise PermissionDenied(_("Job alerts are for verified alumni and students."))
    alert = alert_for(user=user)
    if request.method == "POST":
        form = JobAlertForm(request.POST)
        if form.is_valid():
            job_alert_save(user=user, **form.cleaned_data)
            messages.success(request, _("Your job alert is saved."))
            return redirect("careers:alerts")
    else:
        form = JobAlertForm(initial=JobAlertForm.initial_for(alert))
    return render(request, "careers/alerts.html", {
        "form": form, "alert": alert, "consent_granted": digest_consent_granted(user=user),
        "weekly": JobAlert.Frequency.WEEKLY,
    })


urlpatterns = [
    path("jobs/alerts/", alerts, name="alerts"),
]
