"""The session calendar in headless chromium: on a phone (390 px) the list by day shows first and neither it nor a
chosen month grid scrolls sideways; on a wide screen the month grid shows; the month's links keep the choices."""

import datetime

import pytest
from django.utils import timezone

from programs.models import add_months

from ..factories import ProgramFactory, SessionFactory, StudyProgramFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def month():
    """Next month, with nine public sessions (long titles) on its 3rd, 4th and 5th, three a day."""
    first = add_months(timezone.localdate().replace(day=1), 1)
    prodi = StudyProgramFactory(code="71201", name="Ilmu Perpustakaan")
    for n, kind in enumerate(["academic", "non_academic", "academic"]):
        program = ProgramFactory(study_program=prodi, audience="public", kind=kind,
                                 title=f"Kuliah Tamu Alumni Praktisi Literasi Informasi di Era Kecerdasan Buatan {n}")
        for day in (3, 4, 5):
            start = timezone.make_aware(datetime.datetime.combine(first.replace(day=day), datetime.time(8 + 2 * n)))
            SessionFactory(program=program, start=start, end=start + datetime.timedelta(hours=2))
    return first


def test_a_phone_gets_the_list_and_no_sideways_scroll(browser, live_server, month, screenshot_dir):
    context = browser.new_context(locale="id-ID", reduced_motion="reduce", **PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/programs/agenda/?month={month:%Y-%m}")
    assert page.locator("#calendar-list").is_visible()
    assert page.locator("#calendar-grid").is_hidden()
    assert page.locator("#calendar-list h3").count() == 3  # one heading per day with sessions
    assert page.locator("#calendar-list li.list-group-item").count() == 9
    assert no_sideways_scroll(page)
    page.screenshot(path=str(screenshot_dir / "session-calendar-phone.png"), full_page=True)
    # The month grid, chosen on a phone, fits too: times link to the sessions, titles stay for screen readers.
    page.goto(f"{live_server.url}/programs/agenda/?month={month:%Y-%m}&view=month")
    assert page.locator("table.cal-month").is_visible()
    assert page.locator("table.cal-month a.cal-event").count() == 9
    assert no_sideways_scroll(page)
    # Filtered by kind: the month link keeps the kind.
    page.goto(f"{live_server.url}/programs/agenda/?month={month:%Y-%m}&kind=non_academic&view=list")
    assert page.locator("#calendar-list li.list-group-item").count() == 3
    assert "kind=non_academic" in page.locator("a[rel=next]").get_attribute("href")
    context.close()


def test_a_wide_screen_gets_the_month_grid(browser, live_server, month):
    context = browser.new_context(locale="id-ID", **DESKTOP)
    page = context.new_page()
    page.goto(f"{live_server.url}/programs/agenda/?month={month:%Y-%m}")
    assert page.locator("#calendar-grid").is_visible()
    assert page.locator("#calendar-list").is_hidden()
    assert page.locator("table.cal-month thead th").count() == 7
    assert page.locator("table.cal-month a.cal-event").count() == 9
    assert page.locator("table.cal-month .cal-title").first.is_visible()
    assert no_sideways_scroll(page)
    context.close()
