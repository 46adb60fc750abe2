"""Forms of the academic record: staff edit it; its owner asks for a correction; staff decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from core.widgets import DatePicker

from .forms import RecordDatesMixin
from .models import AlumniProfile, StudyProgram
from .records import CORRECTABLE_FIELDS, owner_hides_email

DATE_INPUT = DatePicker()


class RecordForm(BootstrapFormMixin, RecordDatesMixin, forms.ModelForm):
    """Staff of the study program edit what the record holds. Saved by alumni.records.record_update."""

    class Meta:
        model = AlumniProfile
        fields = ["study_program", "nim", "full_name", "email", "entry_year", "graduation_date"]
        widgets = {"graduation_date": DATE_INPUT}
        help_texts = {
            "email": _("The address the record was imported with: signing up with it claims the record."),
            "graduation_date": _("Leave empty for a student."),
        }

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        if owner_hides_email(self.instance):
            del self.fields["email"]
        # Only into a study program this person manages.
        self.fields["study_program"].queryset = StudyProgram.objects.managed_by(viewer).select_related("faculty")
        self.fields["study_program"].empty_label = None

    def clean_nim(self):
        return self.cleaned_data["nim"].strip()


class CorrectionForm(BootstrapFormMixin, RecordDatesMixin, forms.Form):
    """The record's owner says what is wrong; the fields start with what the record holds."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    entry_year = forms.IntegerField(label=_("Entry cohort (angkatan)"))
    graduation_date = forms.DateField(label=_("Graduation date"), required=False, widget=DATE_INPUT,
                                      help_text=_("Leave empty if you are still a student."))
    reason = forms.CharField(
        label=_("Why is the record wrong?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: my name is misspelled, as my diploma shows."),
    )

    def __init__(self, *args, profile: AlumniProfile, **kwargs):
        kwargs.setdefault("initial", {field: getattr(profile, field) for field in CORRECTABLE_FIELDS})
        super().__init__(*args, **kwargs)
        self.profile = profile

    def clean_full_name(self):
        return self.cleaned_data["full_name"].strip()

    def requested(self) -> dict:
        return {field: self.cleaned_data[field] for field in CORRECTABLE_FIELDS}


class CorrectionDecisionForm(BootstrapFormMixin, forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("refuse", _("Refuse"))], widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note to the person"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when you refuse: say why."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not (data.get("note") or "").strip():
            self.add_error("note", _("Tell the person why the request is refused."))
        return data
