"""Form widgets that use the browser's own pickers. The value is always written in the ISO form the browser reads
(`2026-12-01`, `2026-12-01T06:29`), never in the page language's format (`01-12-2026`), which a date input
cannot read and would show as empty. The page shows dates to people with core.dates; the browser shows the picker
in the person's own locale."""

from __future__ import annotations

from django import forms

DATE_FORMAT = "%Y-%m-%d"
DATETIME_LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class DatePicker(forms.DateInput):
    """`<input type="date">`."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None):
        super().__init__(attrs=attrs, format=DATE_FORMAT)


class MomentPicker(forms.DateTimeInput):
    """`<input type="datetime-local">`, shown on the current time zone (the portal's: WIB)."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict | None = None):
        super().__init__(attrs=attrs, format=DATETIME_LOCAL_FORMAT)
