"""Privacy & my data: consent per purpose, download my data, delete my account (services in alumni/privacy.py).

Every page is about the logged-in person only: no URL names anyone, so nobody can reach another person's data.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.forms import BootstrapFormMixin

from . import privacy
from .models import AlumniProfile, Consent

# The latest reads of one's data by staff listed on the privacy page; "Download my data" holds them all.
READS_SHOWN = 50


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
        basis, basis_text = privacy.LEGAL_BASES[purpose]
        purposes.append({
            "code": purpose.value, "label": purpose.label, "version": version, "wording": wording,
            "in_force": in_force, "latest": row, "default": privacy.CONSENT_DEFAULTS[purpose],
            "needs_profile": purpose in privacy.PROFILE_PURPOSES and profile is None,
            "basis": basis, "basis_text": basis_text, "objection": basis != privacy.LegalBasis.CONSENT,
        })
    history = Consent.objects.filter(user=user).order_by("-at", "-pk")[:200]
    return render(request, "alumni/privacy.html", {
        "purposes": purposes, "history": history,
        "profile_form_wording": privacy.PROFILE_FORM_WORDING,
        "reads": privacy.reads_of_my_data(user=user, limit=READS_SHOWN),
        "reads_shown": READS_SHOWN,
    })


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return reverse("dashboard")


@login_required
@require_http_methods(["GET", "POST"])
def privacy_choices(request: HttpRequest) -> HttpResponse:
    """The consent screen after sign-up or claim: every purpose the person can decide, with its wording, version
    and legal basis, on one page. Directory and fundraising start unticked (consent is asked, not presumed); the
    tracer study is ticked because it rests on the accreditation duty, and unticking it is an objection.
    "Decide later" records nothing, so everything that needs consent stays off."""
    user = request.user
    has_profile = AlumniProfile.objects.filter(user=user).exists()
    askable = privacy.consent_askable(has_profile=has_profile)
    privacy.consent_prompted(session=request.session, purposes=askable)
    next_url = _safe_next(request)
    if request.method == "POST":
        if request.POST.get("decide") == "later":
            messages.info(request, _("Nothing was turned on. You can decide any time on your privacy page."))
            return redirect(next_url)
        chosen = set(request.POST.getlist("purposes"))
        versions = {purpose: request.POST.get(f"version_{purpose}", "") for purpose in askable}
        try:
            privacy.consent_record_choices(
                user=user, choices={purpose: purpose in chosen for purpose in askable}, versions=versions
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(f"{reverse('alumni:privacy_choices')}?{urlencode({'next': next_url})}")
        messages.success(request, _("Your choices were saved. You can change them any time on your privacy page."))
        return redirect(next_url)
    latest = privacy.consent_latest(user=user)
    purposes = []
    for purpose in askable:
        version, wording = privacy.CONSENT_WORDING[purpose]
        basis, basis_text = privacy.LEGAL_BASES[purpose]
        row = latest[purpose]
        purposes.append({
            "code": purpose, "label": Consent.Purpose(purpose).label, "version": version, "wording": wording,
            "basis": basis, "basis_text": basis_text,
            "checked": row.granted if row else privacy.CONSENT_DEFAULTS[purpose],
        })
    return render(request, "alumni/privacy_choices.html", {
        "purposes": purposes, "next": next_url, "has_profile": has_profile,
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
    # What the apps above register (programs, tracer, giving), by their labels: data.json's keys are for machines.
    labels = [provider.label for provider in privacy.PROVIDERS.values()]
    return render(request, "alumni/privacy_export.html", {"provider_labels": labels})


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
