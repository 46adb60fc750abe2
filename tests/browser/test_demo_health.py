"""Staff open the health dashboard over the demo data: the lapsed and overdue programs come first, and the
attendance chart is drawn."""

import io

import pytest
from django.core.management import call_command

from .conftest import past_consent_screen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_see_their_programs_sorted_by_risk_with_attendance(browser, live_server, provinces, screenshot_dir):
    call_command("seed_demo", stdout=io.StringIO())
    context = browser.new_context(locale="id-ID", reduced_motion="reduce", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_login", "staff.ip@demo.ac.id")
    page.fill("#id_password", "alumni-demo-2026")
    page.locator("main form button[type=submit]").last.click()
    past_consent_screen(page)

    page.goto(live_server.url + "/programs/health/")
    rows = page.locator("table").first.locator("tbody tr")
    titles = [rows.nth(i).locator("a").first.inner_text() for i in range(rows.count())]
    # Library Science's watched programs only (not the other study programs'), riskiest first.
    assert titles[:2] == ["Forum Menulis Alumni", "Klinik Konsultasi Perpustakaan Sekolah"]
    assert "Jumat Berkah: Wakaf Al-Qur'an dan Buku" not in titles
    assert len(titles) == 7  # six of programs/demo.py, and the SLiMS community's gathering day (community/demo.py)
    assert "Kopdar & Workshop Komunitas SLiMS" in titles
    bars = page.evaluate("Chart.getChart('attendance-chart').data.datasets[0].data.length")
    assert bars >= 3  # attendance of the latest sessions of the chosen program
    page.screenshot(path=screenshot_dir / "program-health.png", full_page=True)
    context.close()
