"""Mentoring forms of the mentorships part: goals and end, a meeting, feedback."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin

from .models import TEXT_MAX, Format
from .services_mentorships import MAX_MINUTES, MIN_MINUTES


class MentorshipForm(BootstrapFormMixin, forms.Form):
    goals = forms.CharField(label=_("Goals"), required=False, max_length=TEXT_MAX,
                            widget=forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_MAX}))
    ends_on = forms.DateField(label=_("Agreed end"), widget=forms.DateInput(attrs={"type": "date"}),
                              error_messages={"required": _("Choose the agreed end.")})


class MeetingForm(BootstrapFormMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}),
                           error_messages={"required": _("Choose the date of the meeting.")})
    minutes = forms.IntegerField(
        label=_("Duration (minutes)"), widget=forms.NumberInput(attrs={"min": MIN_MINUTES, "max": MAX_MINUTES}),
        error_messages={"required": _("Between %(min)d and %(max)d minutes.") % {"min": MIN_MINUTES,
                                                                                   "max": MAX_MINUTES}},
    )
    format = forms.ChoiceField(label=_("Format"), required=False, choices=[("", "—"), *Format.choices])
    notes = forms.CharField(label=_("Notes (only the two of you see them)"), required=False, max_length=TEXT_MAX,
                            widget=forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_MAX}))


class FeedbackForm(BootstrapFormMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Rating"), coerce=int, choices=[("", "—")] + [(n, str(n)) for n in range(1, 6)],
        error_messages={"required": _("Choose a rating from 1 to 5."),
                        "invalid_choice": _("Choose a rating from 1 to 5.")},
        help_text=_("1 (not helpful) to 5 (very helpful). Never shown to the other person; staff see only an "
                    "average over at least five ratings."),
    )
    text = forms.CharField(label=_("Comments"), required=False, max_length=TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_MAX}))
