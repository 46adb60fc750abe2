"""Mentoring forms of the profiles part: a mentor's profile, the mentee's search, a new topic (staff)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from alumni.models import Province
from careers.models import Field
from core.forms import BootstrapFormMixin

from .models import MAX_CAPACITY, TEXT_MAX, Format, Language, Topic
from .services_profiles import MAX_TAGS, TAG_MAX, tags_parse


class TopicsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class MentorProfileForm(BootstrapFormMixin, forms.Form):
    topics = TopicsField(
        label=_("Topics"), queryset=Topic.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("What you can help with, from the study program's list."),
    )
    tags = forms.CharField(
        label=_("Other topics"), required=False, max_length=MAX_TAGS * (TAG_MAX + 2),
        help_text=_("Comma separated, e.g. “dspace, akreditasi” (at most %(n)d, each at most %(max)d characters).")
        % {"n": MAX_TAGS, "max": TAG_MAX},
    )
    capacity = forms.TypedChoiceField(
        label=_("Mentees at once"), coerce=int, choices=[(n, str(n)) for n in range(1, MAX_CAPACITY + 1)],
        initial=2,
    )
    formats = forms.MultipleChoiceField(
        label=_("Formats"), choices=Format.choices, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one format from the list.")},
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=Language.choices, widget=forms.CheckboxSelectMultiple, required=False,
    )
    province = forms.ModelChoiceField(label=_("Province"), queryset=Province.objects.none(), required=False,
                                      empty_label=_("—"))
    field = forms.ChoiceField(label=_("Field of my current work"), choices=[("", "—"), *Field.choices],
                              required=False)
    about = forms.CharField(
        label=_("About my mentoring"), required=False, max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": TEXT_MAX}),
        help_text=_("A few sentences for mentees: your experience, how you like to work. No contact details: "
                    "they are shared only when you accept a request."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = Topic.objects.filter(active=True).order_by("name")
        self.fields["province"].queryset = Province.objects.order_by("name")

    def clean_tags(self) -> list[str]:
        try:
            return tags_parse(self.cleaned_data.get("tags") or "")
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("topics") and not data.get("tags"):
            self.add_error("topics", _("Choose at least one topic or write a tag."))
        return data


class FindForm(forms.Form):
    """The mentee's wishes (GET): nothing is required; an empty search lists every mentor with free places."""

    topics = forms.TypedMultipleChoiceField(label=_("Topics"), coerce=int, required=False,
                                            widget=forms.CheckboxSelectMultiple)
    tags = forms.CharField(label=_("Other topics"), required=False, max_length=MAX_TAGS * (TAG_MAX + 2),
                           help_text=_("Comma separated, e.g. “slims, katalogisasi”."))
    format = forms.ChoiceField(label=_("How would you like to meet?"), required=False,
                               choices=[("", _("Any way")), *Format.choices])
    text = forms.CharField(label=_("What I want help with"), required=False, max_length=TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_MAX}),
                           help_text=_("Carried to your request; mentors see it only when you send one."))

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].choices = [(t.pk, t.name) for t in topics]

    def clean_tags(self) -> list[str]:
        try:
            return tags_parse(self.cleaned_data.get("tags") or "")
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc


class TopicForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("New topic"), max_length=100)
