"""Forms of help requests: a question, an answer, the skills a member lists, a help category (staff)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin

from .models import TEXT_MAX, HelpCategory
from .services_help import CATEGORY_NAME_MAX, TITLE_MAX


class QuestionForm(BootstrapFormMixin, forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=HelpCategory.objects.filter(active=True).order_by("name"),
        empty_label=_("Choose a category"),
        help_text=_("Members who list this category among their skills hear about your question."),
    )
    title = forms.CharField(
        label=_("Your question"), max_length=TITLE_MAX,
        help_text=_("One short sentence (at most 150 characters)."),
    )
    body = forms.CharField(
        label=_("Details"), required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What you tried, versions, error messages. No passwords or personal data of others."),
    )


class AnswerForm(BootstrapFormMixin, forms.Form):
    body = forms.CharField(label=_("Your answer"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 5}))


class SkillsForm(BootstrapFormMixin, forms.Form):
    categories = forms.ModelMultipleChoiceField(
        label=_("I can help with"), required=False, widget=forms.CheckboxSelectMultiple,
        queryset=HelpCategory.objects.filter(active=True).order_by("name"),
        help_text=_("When a member of one of your groups asks a question in one of these categories, you get an "
                    "email (at most one a day)."),
    )
    show_helped_count = forms.BooleanField(
        label=_("Show on my profile how many questions I helped solve"), required=False,
    )


class CategoryForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=CATEGORY_NAME_MAX)
    code = forms.SlugField(label=_("Code"), max_length=60, required=False,
                           help_text=_("Letters, digits and hyphens; left empty, it is made from the name."))
