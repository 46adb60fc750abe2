"""The parts of the answer pages that are ordinary forms: the graduate's supervisor (employer nomination) and the
employer's own details. The questions themselves are rendered and checked by tracer.engine."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .nomination import supervisor_email_refusal


class NominationForm(forms.Form):
    """Optional: whom to ask about the graduate's work. Empty means no nomination."""

    supervisor_name = forms.CharField(label=_("Supervisor's name"), max_length=200, required=False)
    supervisor_position = forms.CharField(label=_("Supervisor's position"), max_length=200, required=False)
    supervisor_organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    supervisor_email = forms.EmailField(label=_("Supervisor's email"), required=False)

    def __init__(self, *args, profile=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.profile = profile  # the graduate answering: they cannot name themselves or another graduate

    def clean(self):
        data = super().clean()
        if any(data.get(name) for name in self.fields) and not self.errors:
            if not data.get("supervisor_name"):
                self.add_error("supervisor_name", _("Enter your supervisor's name, or leave all four fields empty."))
            if not data.get("supervisor_email"):
                self.add_error("supervisor_email", _("Enter your supervisor's email, or leave all four fields empty."))
        if data.get("supervisor_email") and self.profile is not None:
            refusal = supervisor_email_refusal(profile=self.profile, email=data["supervisor_email"])
            if refusal:
                self.add_error("supervisor_email", refusal)
        return data

    def nominee(self) -> dict[str, str] | None:
        data = self.cleaned_data
        if not data.get("supervisor_email"):
            return None
        return {
            "name": data["supervisor_name"], "position": data.get("supervisor_position", ""),
            "organisation": data.get("supervisor_organisation", ""), "email": data["supervisor_email"],
        }


class RespondentForm(forms.Form):
    """The employer who answers: recorded on the response."""

    respondent_name = forms.CharField(label=_("Your name"), max_length=200)
    respondent_position = forms.CharField(label=_("Your position"), max_length=200)
    organisation = forms.CharField(label=_("Organisation"), max_length=200)

    @classmethod
    def initial_for(cls, invitation, response) -> dict[str, str]:
        if response is not None and response.respondent_name:
            return {f: getattr(response, f) for f in ("respondent_name", "respondent_position", "organisation")}
        return {
            "respondent_name": invitation.name, "respondent_position": invitation.position,
            "organisation": invitation.organisation,
        }
