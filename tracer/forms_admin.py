"""Forms of the tracer admin pages: question editing (texts, limits, show_if, options) and wave creation."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.widgets import MomentPicker

from .models import Question, SurveyVersion


def _int_list(value: str, label) -> list[int]:
    parts = [p.strip() for p in (value or "").replace(";", ",").split(",") if p.strip()]
    try:
        return [int(p) for p in parts]
    except ValueError:
        raise ValidationError(_("%(label)s: whole numbers separated by commas.") % {"label": label}) from None


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question (Indonesian)"), widget=forms.Textarea(attrs={"rows": 2}))
    text_en = forms.CharField(label=_("Question (English)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    help = forms.CharField(label=_("Help (Indonesian)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    help_en = forms.CharField(label=_("Help (English)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    required = forms.BooleanField(label=_("Required"), required=False)
    min_value = forms.IntegerField(label=_("Minimum"), required=False)
    max_value = forms.IntegerField(label=_("Maximum"), required=False)
    show_if_code = forms.CharField(label=_("Show only if question (code)"), required=False, max_length=20)
    show_if_values = forms.CharField(
        label=_("…has one of these values"), required=False, help_text=_("Comma-separated, e.g. 1, 3.")
    )
    options = forms.CharField(
        label=_("Options"), required=False, widget=forms.Textarea(attrs={"rows": 8, "class": "font-monospace"}),
        help_text=_("One per line, in display order: stored value | Indonesian label | English label."),
    )

    def __init__(self, *args, question: Question | None = None, **kwargs):
        if question is not None and "initial" not in kwargs:
            condition = (question.show_if or [{}])[0]
            kwargs["initial"] = {
                **{name: getattr(question, name) for name in
                   ("text", "text_en", "help", "help_en", "required", "min_value", "max_value")},
                "show_if_code": condition.get("code", ""),
                "show_if_values": ", ".join(str(v) for v in condition.get("in", [])),
                "options": "\n".join(f"{o.value} | {o.label_id} | {o.label_en}" for o in question.options.all()),
            }
        super().__init__(*args, **kwargs)
        self.question = question

    def clean_options(self) -> list[dict]:
        options = []
        for number, line in enumerate(self.cleaned_data["options"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            try:
                value = int(parts[0])
            except ValueError:
                raise ValidationError(_("Line %(n)d: start with the stored value, a whole number.") % {"n": number}) \
                    from None
            if len(parts) < 2 or not parts[1]:
                raise ValidationError(_("Line %(n)d: give the Indonesian label after a |.") % {"n": number})
            options.append({"value": value, "label_id": parts[1], "label_en": parts[2] if len(parts) > 2 else ""})
        return options

    def clean(self):
        data = super().clean()
        code = (data.get("show_if_code") or "").strip()
        values = _int_list(data.get("show_if_values", ""), _("Values")) if code else []
        if code and not values:
            self.add_error("show_if_values", _("Give the values for which the question is shown."))
        data["show_if"] = [{"code": code, "in": values}] if code else []
        if self.question is not None and self.question.show_if[1:] and code:
            # Keep further conditions of the national questionnaire; the form edits the first.
            data["show_if"] += self.question.show_if[1:]
        return data

    def service_data(self) -> dict:
        d = self.cleaned_data
        return {name: d.get(name) for name in
                ("text", "text_en", "help", "help_en", "required", "min_value", "max_value", "show_if")}

    def has_options(self) -> bool:
        return self.question is None or self.question.type in (Question.Type.SINGLE, Question.Type.MULTIPLE,
                                                                Question.Type.SCALE)


class QuestionAddForm(QuestionForm):
    code = forms.SlugField(label=_("Code (upload column)"), max_length=20)
    type = forms.ChoiceField(label=_("Type"), choices=Question.Type.choices)
    page = forms.IntegerField(label=_("Page"), min_value=1, initial=1)

    field_order = ["code", "type", "page"]


class WaveForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    version = forms.ModelChoiceField(label=_("Survey version"), queryset=SurveyVersion.objects.none())
    study_programs = forms.ModelMultipleChoiceField(
        label=_("Study programs"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    graduation_years = forms.CharField(label=_("Graduation years"), help_text=_("Comma-separated, e.g. 2023, 2024."))
    opens_at = forms.DateTimeField(label=_("Opens"), widget=MomentPicker())
    closes_at = forms.DateTimeField(label=_("Closes"), widget=MomentPicker())
    reminder_days = forms.CharField(
        label=_("Reminder days"), initial="7, 14, 21", required=False,
        help_text=_("Days after the invitation, ascending, e.g. 7, 14, 21."),
    )
    max_reminders = forms.IntegerField(label=_("Maximum reminders"), min_value=0, initial=3)

    def __init__(self, *args, study_programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["study_programs"].queryset = study_programs
        # Bootstrap's classes on the inputs (not on the study programs' checkboxes, which the template lays out):
        # unstyled, the date-time and number inputs kept their browsers' widths, wider than a phone's column.
        for name, field in self.fields.items():
            if name != "study_programs":
                css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
                field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} {css}".strip()
        self.fields["version"].queryset = SurveyVersion.objects.select_related("survey").order_by(
            "survey__title", "-number"
        )

    def clean_graduation_years(self):
        return _int_list(self.cleaned_data["graduation_years"], _("Graduation years"))

    def clean_reminder_days(self):
        return _int_list(self.cleaned_data["reminder_days"], _("Reminder days"))
