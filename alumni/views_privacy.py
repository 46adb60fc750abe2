"""Privacy & my data: consent per purpose, download my data, delete my account (services in alumni/privacy.py).

Every page is about the logged-in person only: no URL names anyone, so nobody can reach another person's data.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from alumni_portal.forms import BootstrapFormMixin

from . import privacy
from .models import AlumniProfile, Consent


@login_required
@require_http_methods(["GET", "POST"])
def privacy_page(request: HttpRequest) -> HttpResponse:
    """Each purpose with its state, wording and a toggle; the consent history below."""
    user = request.user
    if request.method == "POST":
        purpose = request.POST.get("purpose", "")
        granted = request.POST.get("granted") == "1"
        try:
            privacy.consent_record(
                user=user, purpose=purpose, granted=granted, wording_version=request.POST.get("wording_version", "")
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            label = Consent.Purpose(purpose).label
            if granted:
                messages.success(request, _("Consent given: %(purpose)s.") % {"purpose": label})
            else:
                messages.success(request, _("Consent withdrawn: %(purpose)s. This takes effect now.")
                                 % {"purpose": label})
        return redirect("alumni:privacy")
    latest = privacy.consent_latest(user=user)
    profile = AlumniProfile.objects.filter(user=user).only("pk", "listed_in_directory").first()
    purposes = []
    for purpose in Consent.Purpose:
        version, wording = privacy.CONSENT_WORDING[purpose]
        row = latest[purpose]
        if purpose == Consent.Purpose.DIRECTORY and profile is not None:
            in_force = profile.listed_in_directory
        else:
            in_force = row.granted if row else privacy.CONSENT_DEFAULTS[purpose]
        purposes.append({
            "code": purpose.value, "label": purpose.label, "version": version, "wording": wording,
            "in_force": in_force, "latest": row, "default": privacy.CONSENT_DEFAULTS[purpose],
            "needs_profile": purpose == Consent.Purpose.DIRECTORY and profile is None,
        })
    history = Consent.objects.filter(user=user).order_by("-at", "-pk")[:200]
    return render(request, "alumni/privacy.html", {
        "purposes": purposes, "history": history,
        "profile_form_wording": privacy.PROFILE_FORM_WORDING,
    })


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def privacy_export(request: HttpRequest) -> HttpResponse:
    """GET: what the download holds; POST: the ZIP itself, as an attachment."""
    if request.method == "POST":
        content = privacy.personal_data_export(user=request.user)
        response = HttpResponse(content, content_type="application/zip")
        filename = f"my-data-{timezone.localdate():%Y%m%d}.zip"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "alumni/privacy_export.html", {"providers": list(privacy.PROVIDERS)})


def confirm_word() -> str:
    # Translators: the word a person types to confirm deleting their account, in capitals.
    return _("DELETE")


class AccountDeleteForm(BootstrapFormMixin, forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your current password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.CharField(label=gettext_lazy("Type the confirmation word"), max_length=50)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["confirm"].help_text = _("Type %(word)s to confirm.") % {"word": confirm_word()}

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."))
        return password

    def clean_confirm(self):
        word = self.cleaned_data["confirm"].strip()
        if word.casefold() != confirm_word().casefold():
            raise forms.ValidationError(_("Type %(word)s exactly to confirm.") % {"word": confirm_word()})
        return word


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def privacy_delete(request: HttpRequest) -> HttpResponse:
    """Confirm with the current password and a typed word; then delete, log out and say goodbye."""
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            privacy.account_delete(user=request.user, by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            logout(request)
            return redirect("alumni:privacy_goodbye")
    return render(request, "alumni/privacy_delete.html", {
        "form": form, "confirm_word": confirm_word(), "is_superuser": request.user.is_superuser,
    })


def privacy_goodbye(request: HttpRequest) -> HttpResponse:
    return render(request, "alumni/privacy_goodbye.html")
