"""Verified membership in a real browser: a graduate who is in no imported list registers her own record, sees
nothing of other members while it waits, staff approve it from their queue on a phone, and she finds her
classmate."""

import re

import pytest

from alumni.models import AlumniProfile, Role

from ..factories import PASSWORD, AlumniProfileFactory, StudyProgramFactory, UserFactory, grant
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_self_registered_graduate_waits_for_staff_then_finds_her_classmate(browser, live_server, screenshot_dir):
    prodi = StudyProgramFactory(code="71201", name="Ilmu Perpustakaan")
    classmate = UserFactory(email="budi@example.org", full_name="Budi Santoso")
    AlumniProfileFactory(user=classmate, study_program=prodi, nim="08710002", entry_year=2008)
    staff = UserFactory(email="staf@example.org", full_name="Staf Prodi")
    grant(staff, Role.Kind.STAFF, prodi)
    UserFactory(email="nurul@example.org", full_name="Nurul Aini")

    # She registers the record no list holds: it waits, and the directory is not hers yet.
    context = browser.new_context(locale="id-ID", reduced_motion="reduce", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, live_server, "nurul@example.org", PASSWORD)
    page.goto(live_server.url + "/alumni/me/new/")
    page.select_option("#id_study_program", label=str(prodi))
    page.fill("#id_nim", "08710077")
    page.fill("#id_full_name", "Nurul Aini")
    page.fill("#id_entry_year", "2008")
    page.fill("#id_graduation_date", "2012-09-01")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    record = AlumniProfile.objects.get(nim="08710077")
    assert record.verification == AlumniProfile.Verification.PENDING
    page.goto(live_server.url + "/alumni/directory/")
    page.wait_for_url(re.compile(r"/alumni/[0-9a-f-]{36}/$"))
    assert page.get_by_text("Budi Santoso").count() == 0
    page.screenshot(path=screenshot_dir / "verification-pending.png", full_page=True)

    # Staff decide from the queue on a phone: the request beside the records it may be.
    phone = browser.new_context(
        locale="id-ID", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, reduced_motion="reduce"
    )
    staff_page = phone.new_page()
    log_in(staff_page, live_server, "staf@example.org", PASSWORD)
    staff_page.locator("a[href='/alumni/verification/']").first.click()
    staff_page.wait_for_url(re.compile(r"/alumni/verification/$"))
    assert staff_page.get_by_text("08710077").count() >= 1
    assert no_sideways_scroll(staff_page)
    staff_page.screenshot(path=screenshot_dir / "verification-queue-phone.png", full_page=True)
    staff_page.locator("input[name$=decision][value=verify]").first.check()
    staff_page.locator("form[action*='/alumni/verification/'] button[type=submit]").first.click()
    staff_page.wait_for_load_state()
    record.refresh_from_db()
    assert (record.verification, record.verified_via, record.verified_by) == (
        AlumniProfile.Verification.VERIFIED, AlumniProfile.VerifiedVia.STAFF, staff,
    )
    phone.close()

    # Verified: the directory opens and her classmate is there.
    page.goto(live_server.url + "/alumni/directory/")
    page.wait_for_url(re.compile(r"/alumni/directory/$"))
    assert page.locator(".profile-card").get_by_text("Budi Santoso").count() == 1
    context.close()
