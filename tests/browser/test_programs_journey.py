"""A program from idea to calendar, in a real browser: an alumnus proposes it, staff approve it and schedule a
session, the alumnus registers and downloads the session's .ics."""

import datetime
import re

import pytest
from django.utils import timezone

from alumni.models import Role
from programs.models import Participation, Program

from ..factories import PASSWORD, AlumniProfileFactory, StudyProgramFactory, UserFactory, grant
from .conftest import past_consent_screen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(browser, live_server, email, **context_options):
    context = browser.new_context(locale="id-ID", reduced_motion="reduce", **context_options)
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    past_consent_screen(page)
    return context, page


def test_a_proposal_becomes_a_session_in_the_alumnus_calendar(browser, live_server, provinces, screenshot_dir):
    prodi = StudyProgramFactory(code="71201", name="Ilmu Perpustakaan")
    alumnus = UserFactory(email="siti@example.org", full_name="Siti Rahmawati")
    AlumniProfileFactory(user=alumnus, study_program=prodi, nim="15710001")
    staff = UserFactory(email="staf@example.org", full_name="Staf Prodi")
    grant(staff, Role.Kind.STAFF, prodi)

    # 1. The alumnus proposes a monthly writing forum.
    alumni_ctx, alumni_page = log_in(browser, live_server, "siti@example.org", viewport={"width": 1280, "height": 900})
    alumni_page.goto(live_server.url + "/programs/propose/")
    alumni_page.select_option("#id_study_program", label=str(prodi))
    alumni_page.fill("#id_title", "Forum Menulis Alumni")
    alumni_page.fill("#id_description", "Pertemuan bulanan menulis artikel populer dan jurnal bersama alumni.")
    alumni_page.select_option("#id_kind", value=Program.Kind.ACADEMIC)
    alumni_page.select_option("#id_category", value=Program.Category.PUBLICATION)
    alumni_page.select_option("#id_organiser", value=Program.Organiser.ALUMNI_ASSOCIATION)
    alumni_page.select_option("#id_audience", value=Program.Audience.BOTH)
    alumni_page.select_option("#id_cadence", value=Program.Cadence.MONTHLY)
    alumni_page.screenshot(path=screenshot_dir / "program-propose.png", full_page=True)
    alumni_page.locator("main form button[type=submit]").last.click()
    alumni_page.wait_for_url(re.compile(r"/programs/[0-9a-f-]{36}/$"))
    program = Program.objects.get(title="Forum Menulis Alumni")
    assert (program.status, program.proposed_by) == (Program.Status.PROPOSED, alumnus)

    # 2. Staff approve it from the proposals queue, with the proposer as PIC.
    staff_ctx, staff_page = log_in(browser, live_server, "staf@example.org", viewport={"width": 1280, "height": 900})
    staff_page.goto(live_server.url + "/programs/proposals/")
    card = staff_page.locator(".card", has_text="Forum Menulis Alumni")
    card.locator(f"form[action$='/{program.pk}/approve/'] button[type=submit]").click()
    staff_page.wait_for_load_state()
    program.refresh_from_db()
    assert (program.status, program.pic) == (Program.Status.APPROVED, alumnus)

    # 3. Staff schedule the first session (WIB wall-clock times); the program starts running.
    day = timezone.localdate() + datetime.timedelta(days=10)
    staff_page.goto(live_server.url + f"/programs/{program.pk}/sessions/new/")
    staff_page.fill("#id_start", f"{day:%Y-%m-%d}T19:00")
    staff_page.fill("#id_end", f"{day:%Y-%m-%d}T21:00")
    staff_page.fill("#id_online_url", "https://meet.example.org/forum-menulis")
    staff_page.fill("#id_capacity", "25")
    staff_page.locator("main form button[type=submit]").last.click()
    staff_page.wait_for_url(re.compile(r"/programs/sessions/[0-9a-f-]{36}/$"))
    program.refresh_from_db()
    assert program.status == Program.Status.RUNNING
    session = program.sessions.get()
    assert timezone.localtime(session.start).strftime("%Y-%m-%d %H:%M") == f"{day:%Y-%m-%d} 19:00"

    # The health dashboard lists it, on schedule, with its next session.
    staff_page.goto(live_server.url + "/programs/health/")
    assert staff_page.get_by_role("link", name="Forum Menulis Alumni").first.is_visible()
    staff_ctx.close()

    # 4. The alumnus registers and takes the session into their calendar.
    alumni_page.goto(live_server.url + session.get_absolute_url())
    alumni_page.locator(f"form[action$='/{session.pk}/register/'] button[type=submit]").click()
    alumni_page.wait_for_load_state()
    assert Participation.objects.get(session=session, user=alumnus).status == Participation.Status.REGISTERED
    alumni_page.screenshot(path=screenshot_dir / "session.png", full_page=True)
    with alumni_page.expect_download() as download_info:
        alumni_page.locator(f"a[href$='/sessions/{session.pk}/ics/']").click()
    ics = download_info.value.path().read_text()
    assert "BEGIN:VEVENT" in ics
    assert "SUMMARY:Forum Menulis Alumni" in ics
    assert f"{session.pk}@" in ics
    alumni_ctx.close()
