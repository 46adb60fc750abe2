"""Mentoring forms of the rounds part: a new round (staff), an application (mentee), an offer (mentor), a move of
one mentee (staff). The services check every rule again; these give the first, field-level messages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from programs.forms import WibDateTimeField
from programs.models import Program

from .models import MAX_CAPACITY, TEXT_MAX, Format, Topic


class TopicsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ProgramField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.study_program.name})"


class RoundForm(BootstrapFormMixin, forms.Form):
    program = ProgramField(label=_("Mentoring program"), queryset=Program.objects.none(),
                           help_text=_("A program of the category “Mentoring” of your study program."))
    title = forms.CharField(label=_("Title"), max_length=200,
                            help_text=_("For example “Mentoring Riset Skripsi 2027/1”."))
    description = forms.CharField(label=_("Description"), required=False, max_length=TEXT_MAX,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    topics = TopicsField(label=_("Topics"), queryset=Topic.objects.none(), required=False,
                         widget=forms.CheckboxSelectMultiple,
                         help_text=_("Mentees choose among these; none: any topic of the list."))
    deadline = WibDateTimeField(label=_("Applications close (WIB)"))
    mentorship_months = forms.IntegerField(label=_("Months of mentoring"), min_value=1, max_value=12, initial=3)

    def __init__(self, *args, programs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if programs is not None:
            self.fields["program"].queryset = programs
        self.fields["topics"].queryset = Topic.objects.filter(active=True).order_by("name")


class ApplyForm(BootstrapFormMixin, forms.Form):
    topics = TopicsField(label=_("Topics"), queryset=Topic.objects.none(), widget=forms.CheckboxSelectMultiple,
                         error_messages={"required": _("Choose at least one topic.")})
    help_with = forms.CharField(label=_("What I want help with"), max_length=TEXT_MAX,
                                widget=forms.Textarea(attrs={"rows": 4}))
    format = forms.ChoiceField(label=_("Preferred format"), required=False,
                               choices=[("", _("No preference")), *Format.choices])

    def __init__(self, *args, topics=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = topics if topics is not None else Topic.objects.filter(active=True)


class OfferForm(BootstrapFormMixin, forms.Form):
    capacity = forms.IntegerField(
        label=_("Mentees I take in this round"), min_value=1, max_value=MAX_CAPACITY, initial=2,
        help_text=_("Between 1 and %(max)d.") % {"max": MAX_CAPACITY},
    )


class AdjustForm(BootstrapFormMixin, forms.Form):
    application = forms.IntegerField(widget=forms.HiddenInput)
    mentor = forms.TypedChoiceField(label=_("Mentor"), coerce=int, empty_value=None, required=False, choices=[])

    def __init__(self, *args, mentors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].choices = [("", _("Nobody (unmatched)")), *mentors]


class CancelForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))
