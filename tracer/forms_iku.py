"""The IKU-1 target form on the report's IKU-1 tab (tracer.iku says what the target does)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin


class IkuTargetForm(BootstrapFormMixin, forms.Form):
    percent = forms.DecimalField(
        label=_("IKU-1 target (%)"), min_value=Decimal(1), max_value=Decimal(100), max_digits=5, decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        error_messages={
            "required": _("Give a target between 1 and 100 percent."),
            "invalid": _("Give the target as a number, such as 80."),
            "min_value": _("Give a target between 1 and 100 percent."),
            "max_value": _("Give a target between 1 and 100 percent."),
            "max_decimal_places": _("Give the target with at most two decimals."),
            "max_digits": _("Give a target between 1 and 100 percent."),
        },
    )
