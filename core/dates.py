"""How the portal writes days, moments and numbers for people: one format per kind, in the active language.

- a day: `1 Des 2026` (English `1 Dec 2026`): `day(value)`; where the weekday matters (a calendar's day, an
  agenda): `Selasa, 1 Des 2026` (English `Tuesday, 1 Dec 2026`): `weekday_day(value)`;
- a moment (a day and a time of day): `1 Des 2026, 06.29 WIB` (English `1 Dec 2026, 06:29 WIB`), always on the
  portal's clock (settings.TIME_ZONE, Asia/Jakarta: WIB), whatever zone the value carries: `moment(value)`;
  from one moment to another: `1 Des 2026, 06.29–08.00 WIB` on one day (`moment_range(start, end)`); where people
  plan by the weekday (a session, its emails) the day names it: `Selasa, 1 Des 2026, 06.29 WIB`;
- a month: `Des 2026` (the start and end of a job): `month(value)`;
- an average, a ratio or a percentage in a table: always the same number of decimals, so that `3,20` stands
  beside `3,69` (never `3,2`): `number(value, places)`.

Pages use them through the template filters of core/templatetags/portal_dates.py (`|day`, `|moment`, `|month`,
`|number`); emails are rendered by the same filters inside `translation.override(recipient's language)`, and
exports and messages call these functions. The month abbreviations are Django's own (`des`, `agu`, `okt`, `mei`
in Indonesian), so no translation of ours is needed; the time of day is written `06.29` in Indonesian (as
PUEBI writes it) and `06:29` otherwise.
"""

from __future__ import annotations

import datetime
import zoneinfo
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.dates import MONTHS_3, WEEKDAYS

__all__ = ["day", "moment", "moment_range", "month", "number", "portal_zone", "weekday_day"]

# The separator between hours and minutes per language (Indonesian: 06.29); any other language: 06:29.
TIME_SEPARATOR = {"id": "."}


def portal_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _local(value: datetime.datetime) -> datetime.datetime:
    """`value` on the portal's clock. A naive value (none should reach here with USE_TZ) is read as already on it."""
    zone = portal_zone()
    if timezone.is_naive(value):
        return value.replace(tzinfo=zone)
    return value.astimezone(zone)


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return _local(value).date()
    return value


def _month_name(number: int) -> str:
    return str(MONTHS_3[number]).title()


def day(value) -> str:
    """`1 Des 2026`; a date-time counts as the day it is in WIB. Empty for None or ""."""
    if value in (None, ""):
        return ""
    value = _as_date(value)
    return f"{value.day} {_month_name(value.month)} {value.year}"


def weekday_day(value) -> str:
    """`Selasa, 1 Des 2026`. Empty for None or ""."""
    if value in (None, ""):
        return ""
    value = _as_date(value)
    return f"{WEEKDAYS[value.weekday()]}, {day(value)}"


def month(value) -> str:
    """`Des 2026`. Empty for None or ""."""
    if value in (None, ""):
        return ""
    value = _as_date(value)
    return f"{_month_name(value.month)} {value.year}"


def _clock(value: datetime.datetime) -> str:
    separator = TIME_SEPARATOR.get((translation.get_language() or settings.LANGUAGE_CODE).split("-")[0], ":")
    return f"{value.hour:02d}{separator}{value.minute:02d}"


def _zone_name(value: datetime.datetime) -> str:
    return value.tzname() or settings.TIME_ZONE


def moment(value, *, weekday: bool = False) -> str:
    """`1 Des 2026, 06.29 WIB`; with `weekday` (when people plan by it: a session, its reminders)
    `Selasa, 1 Des 2026, 06.29 WIB`. A plain date (no time of day) is shown as a day. Empty for None or ""."""
    if value in (None, ""):
        return ""
    shown_day = weekday_day if weekday else day
    if not isinstance(value, datetime.datetime):
        return shown_day(value)
    local = _local(value)
    return f"{shown_day(local)}, {_clock(local)} {_zone_name(local)}"


def moment_range(start, end, *, weekday: bool = False) -> str:
    """`1 Des 2026, 06.29–08.00 WIB` when both fall on one day in WIB, else both moments in full; `weekday` as
    for moment."""
    if not end:
        return moment(start, weekday=weekday)
    if not start:
        return moment(end, weekday=weekday)
    first, last = _local(start), _local(end)
    if first.date() == last.date():
        shown_day = weekday_day if weekday else day
        return f"{shown_day(first)}, {_clock(first)}–{_clock(last)} {_zone_name(last)}"
    return f"{moment(first, weekday=weekday)} – {moment(last, weekday=weekday)}"


def number(value, places: int = 2) -> str:
    """`value` with exactly `places` decimals (rounded half up), the active language's decimal mark and digit
    grouping: `3,20` and `1.234,50` in Indonesian, `3.20` and `1,234.50` in English. Empty for None or ""; a value
    that is no number comes back as it was."""
    if value in (None, ""):
        return ""
    try:
        places = max(int(places), 0)
        exact = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    if exact == 0:
        exact = abs(exact)  # no "-0,00"
    return formats.number_format(exact, decimal_pos=places, use_l10n=True, force_grouping=True)
