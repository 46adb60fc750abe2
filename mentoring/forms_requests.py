"""Mentoring forms of the requests part: a request to a mentor, and the mentor's answer."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin

from .models import NOTE_MAX, TEXT_MAX, Format


def errors_to_form(form: forms.Form, exc: ValidationError) -> None:
    """A service's ValidationError onto the form: field errors on their fields, the rest on top."""
    if hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, exc.messages)


class RequestForm(BootstrapFormMixin, forms.Form):
    topics = forms.TypedMultipleChoiceField(label=_("Topics"), coerce=int, required=False,
                                            widget=forms.CheckboxSelectMultiple)
    help_with = forms.CharField(
        label=_("What I want help with"), max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": TEXT_MAX}),
        error_messages={"required": _("Say what you want help with.")},
    )
    note = forms.CharField(
        label=_("Note to the mentor"), required=False, max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTE_MAX}),
        help_text=_("Who you are, what you hope for. No contact details: they are shared when the mentor accepts."),
    )
    format = forms.ChoiceField(label=_("Preferred format"), required=False,
                               choices=[("", _("Any way")), *Format.choices])

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].choices = [(t.pk, t.name) for t in topics]


class AcceptForm(BootstrapFormMixin, forms.Form):
    goals = forms.CharField(
        label=_("Goals"), required=False, max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_MAX}),
        help_text=_("What you will work on together (you can both change it later)."),
    )
    ends_on = forms.DateField(label=_("Agreed end"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                              help_text=_("Empty: three months from today."))


class DeclineForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional, sent to the mentee)"), required=False, max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": NOTE_MAX}),
    )
