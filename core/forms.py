from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import stringformat
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

WIDGETS = "django/forms/widgets/"
# Django's input widgets whose template is `{% include "django/forms/widgets/input.html" %}`. Like Django's
# renderer, the functions below give the template's output stripped of surrounding whitespace.
INPUT_TEMPLATES = frozenset(
    f"{WIDGETS}{name}.html"
    for name in ("text", "number", "email", "url", "password", "hidden", "date", "datetime", "time", "search",
                 "tel", "color", "checkbox")
)
_CONTEXT = Context(autoescape=True)


def _as_string(value) -> str:
    """`{{ value|stringformat:'s' }}` in an autoescaping template."""
    text = stringformat(value, "s")
    # stringformat is an is_safe filter: safe input stays safe, as in the template.
    return conditional_escape(mark_safe(text) if isinstance(value, SafeData) else text)  # noqa: S308


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {conditional_escape(name)}" if value is True else f' {conditional_escape(name)}="{_as_string(value)}"'
        for name, value in attrs.items() if value is not False
    )


def _input(widget: dict) -> str:
    value = f' value="{_as_string(widget["value"])}"' if widget["value"] is not None else ""
    return (f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
            f'{value}{_attrs(widget["attrs"])}>')


def _select(widget: dict) -> str:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{render_value_in_context(group_name, _CONTEXT)}">')
        parts.extend(
            f'\n  <option value="{_as_string(option["value"])}"{_attrs(option["attrs"])}>'
            f'{render_value_in_context(option["label"], _CONTEXT)}</option>\n'  # an included file's own newline
            for option in options
        )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _textarea(widget: dict) -> str:
    value = render_value_in_context(widget["value"], _CONTEXT) if widget["value"] else ""
    return f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


class BootstrapFormRenderer(TemplatesSetting):
    """Renders every form with the project's Bootstrap templates (templates/forms/).

    The commonest widgets (inputs, selects, textareas) are written here in Python, with exactly the markup of
    Django's own widget templates: a select of 40 provinces is 80 template includes otherwise, which cost the
    directory page more than its database queries. tests/core/test_forms.py compares both for every case.
    """

    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None and widget.get("template_name") == template_name:
            if template_name in INPUT_TEMPLATES:
                return _input(widget)
            if template_name == f"{WIDGETS}select.html" and widget.get("optgroups") is not None:
                if all(option["template_name"] == f"{WIDGETS}select_option.html"
                       for _name, options, _index in widget["optgroups"] for option in options):
                    return _select(widget)
            if template_name == f"{WIDGETS}textarea.html":
                return _textarea(widget)
        if isinstance(context, dict) and "form" in context and "fields" in context and "hidden_fields" in context:
            context = {**context, **_error_summary(context)}
        return super().render(template_name, context, request)


def _error_summary(context: dict) -> dict:
    """What the top of a wrong form says (templates/forms/div.html): the errors of the whole form and of hidden
    fields, and each wrong visible field with its messages, so that which field is wrong is said in words and not
    only by a red border (WCAG 3.3.1)."""
    form = context["form"]
    top = [*form.non_field_errors(), *(error for field in context["hidden_fields"] for error in field.errors)]
    return {"top_errors": top, "invalid_fields": [(field, errors) for field, errors in context["fields"] if errors]}


def add_bootstrap_classes(form: forms.BaseForm) -> None:
    """Give each widget its Bootstrap class."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, (forms.CheckboxInput,)):
            css = "form-check-input"
        elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
            css = "form-select"
        elif isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
            css = "form-check-input"
        else:
            css = "form-control"
        existing = widget.attrs.get("class", "")
        widget.attrs["class"] = f"{existing} {css}".strip()


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's refusal, beside the field it names when the form has one (else at the top of the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class BootstrapFormMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        add_bootstrap_classes(self)

    def full_clean(self):
        # Mark invalid fields so Bootstrap shows their errors beside them.
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
