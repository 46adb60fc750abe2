"""Careers forms: an introduction request, the career settings, and the answer to an outcome question."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin

from .models import NOTE_MAX, CareerSettings

MAX_OPEN_CHOICES = range(1, 11)

YES_NO = [("", _("I'd rather not say")), ("yes", _("Yes")), ("no", _("No"))]


class IntroductionForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(
        label=_("What are you asking?"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": NOTE_MAX}),
        help_text=_("A few sentences: who you are and what you would like to talk about (at most %(max)d "
                    "characters). Your contact details are shared only if they accept.") % {"max": NOTE_MAX},
    )

    def clean_note(self) -> str:
        note = self.cleaned_data["note"].strip()
        if not note:
            raise forms.ValidationError(_("Write a short note."))
        return note


class CareerSettingsForm(BootstrapFormMixin, forms.ModelForm):
    max_open_introductions = forms.TypedChoiceField(
        label=_("Open requests at most"), coerce=int, choices=[(n, str(n)) for n in MAX_OPEN_CHOICES],
        help_text=_("When this many requests wait for your answer, nobody can send you another."),
    )

    class Meta:
        model = CareerSettings
        fields = ["introductions_open", "max_open_introductions", "share_phone"]
        help_texts = {
            "introductions_open": _("Members who see that you work at an organisation may ask you for an "
                                    "introduction."),
            "share_phone": _("When you accept a request, the other person gets your email, and your phone/WhatsApp "
                             "number too if you tick this and your profile has one."),
        }


def _tri(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class OutcomeForm(BootstrapFormMixin, forms.Form):
    applied = forms.TypedChoiceField(label=_("Did you apply?"), choices=YES_NO, coerce=_tri, required=False,
                                     empty_value=None)
    interviewed = forms.TypedChoiceField(label=_("Were you interviewed?"), choices=YES_NO, coerce=_tri,
                                         required=False, empty_value=None)
    hired = forms.TypedChoiceField(label=_("Were you hired?"), choices=YES_NO, coerce=_tri, required=False,
                                   empty_value=None)
