"""Template helpers for giving pages: `{% load giving %}` then `{{ amount|rupiah }}`, `{{ campaign|days_left }}`."""

from __future__ import annotations

from django import template

from donations import money, selectors

register = template.Library()


@register.filter
def rupiah(amount) -> str:
    """Rp 1.250.000 (empty for None)."""
    return money.rupiah(amount)


@register.filter
def days_left(campaign) -> int | None:
    """Days until the campaign's end date, None without one or once it has passed."""
    return selectors.days_left(campaign)

