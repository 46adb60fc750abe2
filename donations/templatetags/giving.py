"""Template helpers for giving pages: `{% load giving %}` then `{{ amount|rupiah }}`, `{{ campaign|days_left }}`."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

from donations import money, selectors

register = template.Library()


@register.filter
def rupiah(amount) -> str:
    """Rp 1.250.000 (empty for None)."""
    return money.rupiah(amount)


@register.filter
def rupiah_plain(amount) -> str:
    """1.250.000: for table cells under an "Rp" heading."""
    return money.rupiah(amount).removeprefix("Rp ") if amount is not None else ""


@register.filter
def days_left(campaign) -> int | None:
    """Days until the campaign's end date, None without one or once it has passed."""
    return selectors.days_left(campaign)


@register.filter
def css_width(value) -> str:
    """A percentage for a style attribute: capped to 0–100 and written with a dot whatever the language."""
    try:
        number = Decimal(str(value or 0))
    except InvalidOperation:
        return "0"
    return f"{max(Decimal(0), min(number, Decimal(100))):.2f}"
