"""A wrong form says which field is wrong in words, not only in red: a summary at the top names each field (a link
to it) with its message, and each field points screen readers at its own message and help text."""

import re

import pytest
from django import forms
from django.utils import translation

from core.forms import BootstrapFormMixin


class Career(BootstrapFormMixin, forms.Form):
    employer = forms.CharField(label="Employer", help_text="Where you work now.")
    start = forms.DateField(label="Start date")
    scope = forms.ChoiceField(label="Scope", choices=[("local", "Local"), ("national", "National")],
                              widget=forms.RadioSelect)
    current = forms.BooleanField(label="I work here now", required=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        if self.cleaned_data.get("current") is False and self.cleaned_data.get("employer") == "x":
            raise forms.ValidationError("Tell us when the job ended.")
        return self.cleaned_data


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _ids(html: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', html))


def test_a_wrong_form_names_every_wrong_field_in_the_summary_with_a_link_to_it():
    form = Career({"employer": "", "start": "31-31-2020", "scope": ""})
    html = str(form)
    summary = html.split('<div class="alert alert-danger" role="alert">', 1)[1].split("</div>", 1)[0]
    items = re.findall(r'<li><a class="alert-link" href="#(id_\w+)">([^<]+)</a>: ([^<]+)</li>', summary)
    assert [(target, label) for target, label, _message in items] == [
        ("id_employer", "Employer"), ("id_start", "Start date"), ("id_scope", "Scope")]
    assert items[1][2] == "Enter a valid date."
    assert "I work here now" not in summary  # a right field is not named
    assert html.count('role="alert"') == 1


def test_each_wrong_field_points_at_its_own_message_and_help_text():
    html = str(Career({"employer": "", "start": "2020-01-01", "scope": "local"}))
    ids = _ids(html)
    employer = re.search(r'<input type="text" name="employer"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in employer
    described = re.search(r'aria-describedby="([^"]+)"', employer).group(1).split()
    assert described == ["id_employer_helptext", "id_employer_error"]
    assert set(described) <= ids
    assert '<div class="invalid-feedback d-block" id="id_employer_error"><div>This field is required.</div></div>' \
        in html
    start = re.search(r'<input type="text" name="start"[^>]*>', html).group(0)
    assert "aria-invalid" not in start and "aria-describedby" not in start


def test_a_group_of_radio_buttons_is_a_fieldset_named_by_its_legend():
    html = str(Career({"employer": "PT Pos", "start": "2020-01-01", "scope": ""}))
    fieldset = re.search(r"<fieldset[^>]*>.*?</fieldset>", html, re.S).group(0)
    assert '<legend class="form-label fs-6">Scope <span class="text-danger" aria-hidden="true">*</span></legend>' \
        in fieldset
    assert 'aria-describedby="id_scope_error"' in fieldset
    assert 'id="id_scope_error"' in fieldset
    assert '<label class="form-label" for="id_scope"' not in html  # no label pointing at the radios' wrapper


def test_errors_of_the_whole_form_and_of_hidden_fields_stay_at_the_top_without_a_field_list():
    form = Career({"employer": "x", "start": "2020-01-01", "scope": "local"})
    form.is_valid()
    form.add_error("token", "The form expired: send it again.")
    html = str(form)
    assert html.count('role="alert"') == 1
    assert "<div>Tell us when the job ended.</div>" in html
    assert "<div>The form expired: send it again.</div>" in html
    assert "alert-link" not in html  # no visible field is wrong


def test_a_right_form_shows_no_summary():
    assert 'role="alert"' not in str(Career())
    assert 'role="alert"' not in str(Career({"employer": "PT Pos", "start": "2020-01-01", "scope": "local"}))
