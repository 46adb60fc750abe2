"""Forms of the employer-contact pages: asking to recruit for an organisation, and staff's decision."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from alumni.models import StudyProgram
from core.forms import BootstrapFormMixin

from .models import normalise_name


class EmployerApplyForm(BootstrapFormMixin, forms.Form):
    organisation = forms.CharField(label=_("Organisation"), max_length=200,
                                   help_text=_("The company, office or institution you recruit for."))
    position = forms.CharField(label=_("Your position"), max_length=200)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    study_program = forms.ModelChoiceField(
        label=_("Study program"), queryset=StudyProgram.objects.none(),
        help_text=_("The study program whose graduates you want to reach; its staff approve your request."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["study_program"].queryset = StudyProgram.objects.visible_to(None).select_related("faculty")

    def clean_organisation(self):
        name = " ".join(self.cleaned_data["organisation"].split())
        if not normalise_name(name):
            raise forms.ValidationError(_("An organisation's name needs letters or digits."))
        return name

    def clean_position(self):
        return " ".join(self.cleaned_data["position"].split())

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        digits = phone.replace("+", "").replace(" ", "").replace("-", "")
        if phone and (not digits.isdigit() or not 8 <= len(digits) <= 15):
            raise forms.ValidationError(_("Enter a phone number of 8 to 15 digits, such as +62 812 3456 7890."))
        return phone


class EmployerDecisionForm(BootstrapFormMixin, forms.Form):
    APPROVE, REFUSE = "approve", "refuse"

    decision = forms.ChoiceField(label=_("Decision"), choices=[(APPROVE, _("Approve")), (REFUSE, _("Refuse"))],
                                 widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Reason (shown to the person)"), required=False, max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.REFUSE and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why, so that the person knows what to do."))
        return data
