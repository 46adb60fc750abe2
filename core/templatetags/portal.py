from django import template

from core.forms import add_bootstrap_classes

register = template.Library()


@register.filter
def bootstrap(form):
    """Give a form we did not write (allauth's) the same Bootstrap widgets and error marks as ours."""
    add_bootstrap_classes(form)
    if form.is_bound:
        for name in form.errors:
            if name in form.fields:
                widget = form.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
    return form
