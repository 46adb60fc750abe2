"""What every PDF of the portal shares (the LKPS report, donation receipts): the vendored DejaVu fonts, so that no
PDF depends on the fonts of the machine and "≤" or Indonesian text always renders, and Indonesian formatting of
numbers, dates and times."""

from __future__ import annotations

import datetime
from functools import cache
from pathlib import Path

from django.utils import timezone
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)
ZONES = {7: "WIB", 8: "WITA", 9: "WIT"}


@cache
def register_fonts() -> None:
    """Register the vendored DejaVu fonts once per process."""
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


def fmt_int(value) -> str:
    """1250 → "1.250"; None → ""."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return f"{int(value):,}".replace(",", ".")


def fmt_date(value: datetime.date) -> str:
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def fmt_datetime(value: datetime.datetime) -> str:
    """In the site's time zone, e.g. "29 November 2026 14:05 WIB"."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
        offset = value.utcoffset() or datetime.timedelta(0)
        hours, rest = divmod(int(offset.total_seconds()), 3600)
        zone = ZONES.get(hours) if not rest else None
        if zone is None:
            sign = "+" if offset >= datetime.timedelta(0) else "-"
            minutes = abs(int(offset.total_seconds())) // 60
            zone = f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"
    else:
        zone = ZONES.get(int((timezone.localtime().utcoffset() or datetime.timedelta(0)).total_seconds()) // 3600, "")
    return f"{fmt_date(value)} {value:%H:%M} {zone}".rstrip()
