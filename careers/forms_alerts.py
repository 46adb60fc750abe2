"""The job alert form: fields, provinces, kinds of work, remote only, and how often (weekly digest or never)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from alumni.models import Province
from core.forms import BootstrapFormMixin

from .models import Field, JobAlert, JobPost


class JobAlertForm(BootstrapFormMixin, forms.Form):
    """Empty lists mean "any"."""

    fields = forms.MultipleChoiceField(
        label=_("Fields"), choices=Field.choices, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked for every field."),
    )
    province_codes = forms.MultipleChoiceField(
        label=_("Provinces"), choices=(), required=False, widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Leave empty for every province. Remote posts match any province."),
    )
    kinds = forms.MultipleChoiceField(
        label=_("Kinds of work"), choices=JobPost.Kind.choices, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked for every kind."),
    )
    remote_only = forms.BooleanField(label=_("Remote work only"), required=False)
    frequency = forms.ChoiceField(
        label=_("Delivery"), choices=JobAlert.Frequency.choices, initial=JobAlert.Frequency.WEEKLY,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province_codes"].choices = list(Province.objects.order_by("name").values_list("code", "name"))

    @classmethod
    def initial_for(cls, alert: JobAlert | None) -> dict:
        if alert is None:
            return {"frequency": JobAlert.Frequency.WEEKLY}
        return {"fields": alert.fields, "province_codes": alert.province_codes, "kinds": alert.kinds,
                "remote_only": alert.remote_only, "frequency": alert.frequency}
