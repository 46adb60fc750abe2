"""The portal's one format per kind in templates (core/dates.py says which): `{% load portal_dates %}`, then
`{{ value|day }}` (1 Des 2026), `{{ value|weekday_day }}` (Selasa, 1 Des 2026), `{{ value|moment }}`
(1 Des 2026, 06.29 WIB), `{{ start|moment_until:end }}` (1 Des 2026, 06.29–08.00 WIB), `{{ value|month }}`
(Des 2026) and `{{ value|number:2 }}` (3,20)."""

from django import template

from core import dates

register = template.Library()


@register.filter
def day(value) -> str:
    return dates.day(value)


@register.filter
def weekday_day(value) -> str:
    return dates.weekday_day(value)


@register.filter
def moment(value, arg: str = "") -> str:
    """`|moment`, or `|moment:"weekday"` where people plan by the weekday (sessions and their emails)."""
    return dates.moment(value, weekday=arg == "weekday")


@register.filter
def moment_until(start, end) -> str:
    """A session from start to end, with its weekday."""
    return dates.moment_range(start, end, weekday=True)


@register.filter
def month(value) -> str:
    return dates.month(value)


@register.filter
def number(value, places=2) -> str:
    return dates.number(value, places)
