"""Forms of the organisation pages: the list's search, staff's edit, alias and merge forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from alumni.models import Province
from core.forms import BootstrapFormMixin

from .models import Organisation, normalise_name


class OrganisationSearchForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=200)


class OrganisationForm(BootstrapFormMixin, forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, max_length=200, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["name", "kind", "website", "province", "city", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = Province.objects.order_by("name")

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not normalise_name(name):
            raise forms.ValidationError(_("An organisation's name needs letters or digits."))
        return name


class AliasForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("Another name"), max_length=200,
                           help_text=_("A name people type for this organisation, such as “Bank BRI”."))

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not normalise_name(name):
            raise forms.ValidationError(_("An alias needs letters or digits."))
        return name


class MergeForm(forms.Form):
    """The duplicate to merge into the organisation kept (chosen on the merge page, confirmed on the next)."""

    duplicate = forms.ModelChoiceField(label=_("Duplicate"), queryset=Organisation.objects.none(),
                                       error_messages={"required": _("Choose the duplicate to merge.")})

    def __init__(self, *args, keep: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duplicate"].queryset = Organisation.objects.exclude(pk=keep.pk)
