"""Staff send employer-survey links themselves (graduates can also name their supervisor in their response)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alumni.models import AlumniProfile, StudyProgram
from alumni.scope import require_staff
from core.forms import BootstrapFormMixin

from . import engine
from .models import Invitation
from .nomination import supervisor_email_refusal
from .services import withdrawn_emails


class EmployerInviteForm(BootstrapFormMixin, forms.Form):
    study_program = forms.ModelChoiceField(label=gettext_lazy("Study program"), queryset=StudyProgram.objects.none())
    nim = forms.CharField(label=gettext_lazy("Graduate's NIM"), max_length=30)
    name = forms.CharField(label=gettext_lazy("Supervisor's name"), max_length=200)
    position = forms.CharField(label=gettext_lazy("Supervisor's position"), max_length=200, required=False)
    organisation = forms.CharField(label=gettext_lazy("Organisation"), max_length=200)
    email = forms.EmailField(label=gettext_lazy("Supervisor's email"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["study_program"].queryset = StudyProgram.objects.managed_by(user)

    def clean(self):
        data = super().clean()
        program, nim = data.get("study_program"), (data.get("nim") or "").strip()
        if program and nim:
            # Only verified records: a self-declared NIM nobody verified has no employer to ask yet.
            self.profile = AlumniProfile.objects.filter(
                study_program=program, nim=nim, verification=AlumniProfile.Verification.VERIFIED
            ).first()
            if self.profile is None:
                message = _("No graduate of %(program)s has NIM %(nim)s.") % {"program": program, "nim": nim}
                self.add_error("nim", message)
            elif data.get("email"):
                refusal = supervisor_email_refusal(profile=self.profile, email=data["email"], to_graduate=False)
                if refusal:
                    self.add_error("email", refusal)
                elif withdrawn_emails({data["email"].strip().lower()}):
                    # The address objected to tracer-study emails (UU PDP): no invitation is made, none is sent.
                    self.add_error("email", _(
                        "This address has asked not to receive tracer-study emails. It will not be contacted; "
                        "ask the graduate for another supervisor."
                    ))
        return data


@login_required
def employer_invite(request: HttpRequest) -> HttpResponse:
    """Ask a graduate's employer to rate them; lists the links sent for this person's study programs."""
    require_staff(request.user)
    form = EmployerInviteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        engine.employer_invite(
            profile=form.profile, by=request.user, name=data["name"], email=data["email"],
            position=data["position"], organisation=data["organisation"],
        )
        messages.success(request, _("The employer survey link was sent to %(email)s.") % {"email": data["email"]})
        return redirect("tracer:employer_invite")
    sent = (
        Invitation.objects.visible_to(request.user)
        .filter(respondent=Invitation.Respondent.EMPLOYER)
        .select_related("profile__study_program", "response")
        .order_by("-created_at")[:50]
    )
    return render(request, "tracer/employer_invite.html", {"form": form, "sent": sent})
