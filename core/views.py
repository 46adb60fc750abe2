"""Pages every signed-in person shares, whatever their role: the language switch and their notification choices."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from .notifications import notification_preferences as preferences_of
from .notifications import notification_preferences_save
from .registry import OPTIONAL_KINDS


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language, plus: a signed-in person's choice is saved for the pages and emails they get."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in {"id", "en"} and request.user.language != language:
        request.user.language = language
        request.user.save(update_fields=["language"])
    if not isinstance(response, HttpResponseRedirect) or not url_has_allowed_host_and_scheme(
        response.url, allowed_hosts={request.get_host()}
    ):
        return HttpResponseRedirect("/")
    return response


@login_required
def notification_preferences(request: HttpRequest) -> HttpResponse:
    """Which reminders this person gets: one checkbox per optional kind (account emails are not listed)."""
    if request.method == "POST":
        notification_preferences_save(user=request.user, enabled=request.POST.getlist("enabled"))
        messages.success(request, _("Your notification settings were saved."))
        return redirect("notification_preferences")
    current = preferences_of(user=request.user)
    kinds = [
        {"code": kind.code, "label": kind.label, "help": kind.help_text, "enabled": current[kind.code]}
        for kind in OPTIONAL_KINDS.values()
    ]
    return render(request, "notifications/preferences.html", {"kinds": kinds})
