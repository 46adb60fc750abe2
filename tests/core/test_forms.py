"""The form renderer writes the commonest widgets in Python: the markup must be exactly what Django's own widget
templates give, for every kind of value, attribute and choice."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from core.forms import BootstrapFormRenderer


class Everything(forms.Form):
    text = forms.CharField(widget=forms.TextInput(attrs={"placeholder": 'say "hi" & <b>', "autofocus": True,
                                                         "data-off": False, "maxlength": 20}))
    number = forms.IntegerField(widget=forms.NumberInput(attrs={"min": 0, "step": Decimal("0.5")}))
    email = forms.EmailField(required=False)
    url = forms.URLField(required=False, assume_scheme="https")
    password = forms.CharField(widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(widget=forms.HiddenInput)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    when = forms.DateTimeField(required=False)
    time = forms.TimeField(required=False)
    search = forms.CharField(widget=forms.SearchInput, required=False)
    tel = forms.CharField(widget=forms.TelInput, required=False)
    color = forms.CharField(widget=forms.ColorInput, required=False)
    agree = forms.BooleanField(required=False)
    choice = forms.ChoiceField(choices=[("", "---------"), ("a", "Alpha & <Omega>"), (1, 2015),
                                        ("x\"y", gettext_lazy("Cohort"))])
    grouped = forms.ChoiceField(choices=[("Java", [("jkt", "Jakarta"), ("bdg", mark_safe("<i>Bandung</i>"))]),
                                         ("other", "Lainnya"), ("Sumatra & co", [("mdn", "Medan")])])
    many = forms.MultipleChoiceField(choices=[("1", "satu"), ("2", "dua"), ("3", "tiga")], required=False,
                                     widget=forms.SelectMultiple(attrs={"size": 3}))
    yesno = forms.NullBooleanField(required=False)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


DATA = [
    None,
    {"text": 'a "quoted" <tag> & amp', "number": "12", "email": "x@y.id", "url": "https://a.b/?q=1&r=<2>",
     "password": "p&ss", "hidden": "<h>", "date": "2026-12-01", "when": "2026-12-01 10:00", "time": "07:30",
     "search": "s", "tel": "+62 812", "color": "#ffffff", "agree": "on", "choice": "x\"y", "grouped": "bdg",
     "many": ["1", "3"], "yesno": "true", "note": "line 1\n<line 2> & 3"},
    {"text": "", "number": "not a number", "choice": "nope", "grouped": "", "note": ""},
]


@pytest.mark.parametrize("data", DATA)
def test_the_python_widgets_write_exactly_what_djangos_templates_write(data):
    initial = {"text": "awal", "date": datetime.date(2026, 1, 2), "many": ["2"], "agree": True, "number": 3}
    for name in Everything.base_fields:
        fast = Everything(data, initial=initial, renderer=BootstrapFormRenderer())
        slow = Everything(data, initial=initial, renderer=TemplatesSetting())
        fast.is_bound and fast.is_valid()
        slow.is_bound and slow.is_valid()
        assert str(fast[name]) == str(slow[name]), name


def test_the_renderer_takes_the_python_path_for_inputs_selects_and_textareas(monkeypatch):
    seen = []
    original = TemplatesSetting.render

    def spy(self, template_name, context, request=None):
        seen.append(template_name)
        return original(self, template_name, context, request)

    monkeypatch.setattr(TemplatesSetting, "render", spy)
    form = Everything(renderer=BootstrapFormRenderer())
    for name in ("text", "choice", "grouped", "note", "agree"):
        str(form[name])
    assert seen == []
    str(form["yesno"].as_field_group())  # the field's own template still goes through the template engine
    assert seen == ["forms/field.html"]


def test_a_widget_with_its_own_template_is_left_to_it():
    class Own(forms.TextInput):
        template_name = "django/forms/widgets/textarea.html"

    class F(forms.Form):
        own = forms.CharField(widget=Own)

    assert str(F(renderer=BootstrapFormRenderer())["own"]) == str(F(renderer=TemplatesSetting())["own"])
