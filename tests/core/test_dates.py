"""One format per kind (core.dates, core/templatetags/portal_dates.py): days, moments on the WIB clock, months and
numbers with a fixed count of decimals, in Indonesian and English."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from core import dates

UTC = datetime.UTC
JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")


def render(source: str, **context) -> str:
    return Template("{% load portal_dates %}" + source).render(Context(context))


@pytest.mark.parametrize("language, day, moment", [
    ("id", "1 Des 2026", "1 Des 2026, 06.29 WIB"),
    ("en", "1 Dec 2026", "1 Dec 2026, 06:29 WIB"),
])
def test_a_day_and_a_moment_read_the_same_in_every_place(language, day, moment):
    # 23:29 UTC on 30 November is 06:29 on 1 December in Jakarta: the day is the WIB day.
    value = datetime.datetime(2026, 11, 30, 23, 29, tzinfo=UTC)
    with translation.override(language):
        assert dates.day(value) == day
        assert dates.day(datetime.date(2026, 12, 1)) == day
        assert dates.moment(value) == moment
        assert render("{{ v|day }} | {{ v|moment }}", v=value) == f"{day} | {moment}"


@pytest.mark.parametrize("language, names", [
    ("id", ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]),
    ("en", ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]),
])
def test_every_month_has_its_abbreviation_in_both_languages(language, names):
    with translation.override(language):
        assert [dates.month(datetime.date(2026, m, 1)) for m in range(1, 13)] == [f"{n} 2026" for n in names]
        assert [dates.day(datetime.date(2026, m, 9)) for m in range(1, 13)] == [f"9 {n} 2026" for n in names]


def test_a_moment_is_always_on_the_portal_clock_whatever_zone_it_carries():
    in_bali = datetime.datetime(2026, 12, 1, 7, 29, tzinfo=zoneinfo.ZoneInfo("Asia/Makassar"))  # WITA, UTC+8
    with translation.override("id"):
        assert dates.moment(in_bali) == "1 Des 2026, 06.29 WIB"
        with timezone.override(zoneinfo.ZoneInfo("Europe/Amsterdam")):  # a page's active zone changes nothing
            assert dates.moment(in_bali) == "1 Des 2026, 06.29 WIB"


@pytest.mark.parametrize("language, same_day, two_days", [
    ("id", "Selasa, 1 Des 2026, 06.29–08.00 WIB", "1 Des 2026, 23.00 WIB – 2 Des 2026, 01.00 WIB"),
    ("en", "Tuesday, 1 Dec 2026, 06:29–08:00 WIB", "1 Dec 2026, 23:00 WIB – 2 Dec 2026, 01:00 WIB"),
])
def test_a_session_from_start_to_end(language, same_day, two_days):
    start = datetime.datetime(2026, 12, 1, 6, 29, tzinfo=JAKARTA)
    late = datetime.datetime(2026, 12, 1, 23, 0, tzinfo=JAKARTA)
    with translation.override(language):
        assert render("{{ a|moment_until:b }}", a=start, b=start.replace(hour=8, minute=0)) == same_day
        assert dates.moment_range(late, late + datetime.timedelta(hours=2)) == two_days
        assert dates.moment_range(start, None) == dates.moment(start)
        assert render('{{ a|moment:"weekday" }}', a=start) == f"{same_day.split(',')[0]}, {dates.moment(start)}"


@pytest.mark.parametrize("language, expected", [
    ("id", ["3,20", "3,69", "0,00", "1.234,50", "12,5", "—"]),
    ("en", ["3.20", "3.69", "0.00", "1,234.50", "12.5", "—"]),
])
def test_numbers_in_one_column_have_the_same_decimals(language, expected):
    with translation.override(language):
        shown = [
            render("{{ v|number:2 }}", v=3.2), render("{{ v|number:2 }}", v=Decimal("3.685")),
            render("{{ v|number:2 }}", v=-0.001), render("{{ v|number:2 }}", v=1234.5),
            render("{{ v|number:1 }}", v=12.46), render('{{ v|number:2|default:"—" }}', v=None),
        ]
    assert shown == expected


@pytest.mark.parametrize("language, expected", [("id", "Selasa, 1 Des 2026"), ("en", "Tuesday, 1 Dec 2026")])
def test_a_calendar_day_names_its_weekday(language, expected):
    with translation.override(language):
        assert render("{{ v|weekday_day }}", v=datetime.date(2026, 12, 1)) == expected


def test_nothing_to_show_is_empty_not_an_error():
    assert [dates.day(None), dates.moment(""), dates.month(None), dates.number(None)] == ["", "", "", ""]
    assert dates.number("n/a") == "n/a"
    assert render('{{ v|day|default:"—" }}', v=None) == "—"


def test_no_template_writes_a_date_its_own_way():
    """Every date people read goes through |day, |weekday_day, |moment, |moment_until or |month: only machine
    formats (<time datetime="…|date:'c'">, an id's |date:'Y-m-d') may still use Django's |date, and nothing says
    "3 hours ago"."""
    import re
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    own = re.compile(r"\|date(?!:['\"](c|Y-m-d)['\"])|naturaltime|naturalday|timesince|timeuntil|floatformat")
    found = [
        f"{path.relative_to(root)}: {match.group(0)}"
        for folder in ("templates", "alumni", "core", "donations", "programs", "tracer")
        for path in sorted((root / folder).rglob("*"))
        if path.suffix in {".html", ".txt"} and "templates" in path.parts
        for match in own.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_a_session_page_says_until_when_registration_is_open(alumnus_a):
    from django.urls import reverse

    from tests.conftest import client_for
    from tests.factories import SessionFactory

    start = datetime.datetime(2027, 1, 20, 9, 0, tzinfo=JAKARTA)
    session = SessionFactory(start=start, end=start + datetime.timedelta(hours=2),
                             registration_deadline=datetime.datetime(2027, 1, 19, 11, 0, tzinfo=UTC))
    alumnus_a.language = "en"
    alumnus_a.save(update_fields=["language"])
    html = client_for(alumnus_a).get(reverse("programs:session", args=[session.pk])).content.decode()
    assert "Wednesday, 20 Jan 2027, 09:00–11:00 WIB" in html
    assert "Registration until" in html and "19 Jan 2027, 18:00 WIB" in html
    assert "Registration closes" not in html
