"""Mentoring in a real browser, on a phone (390 px): a student finds a mentor ranked with its reasons, asks her;
the mentor gets the request by email and accepts; only then do both see each other's email; they log a meeting,
end the mentorship and each give feedback. Every page passes axe-core (no serious or critical violation) and does
not scroll sideways; the screenshots go to the README."""

import datetime
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.utils import timezone

from mentoring import services_profiles
from mentoring.models import Feedback, Format, Meeting, Mentorship, MentorshipRequest, Topic

from ..factories import PASSWORD, AlumniProfileFactory, StudyProgramFactory, UserFactory
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "locale": "id-ID",
         "reduced_motion": "reduce"}


def phone_checks(page, where: str) -> None:
    """No serious or critical axe violation, and no sideways scroll."""
    results = Axe().run(page)
    problems = [f"{v['id']} ({v['impact']})" for v in results.response["violations"]
                if v["impact"] in ("serious", "critical")]
    assert not problems, f"{where}: {problems}"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"{where} scrolls sideways"


def test_student_finds_asks_mentor_accepts_meeting_and_feedback_on_a_phone(browser, live_server, screenshot_dir,
                                                                           provinces):
    library = StudyProgramFactory(code="71201", name="Ilmu Perpustakaan")
    other = StudyProgramFactory(code="79202", name="Bahasa dan Sastra Arab")
    thesis = Topic.objects.create(code="riset-skripsi", name="Riset skripsi")
    slims = Topic.objects.create(code="otomasi-slims", name="Otomasi perpustakaan/SLiMS")
    siti = UserFactory(email="siti@example.org", full_name="Siti Rahmawati")
    AlumniProfileFactory(user=siti, study_program=library, entry_year=2008, phone="+6281211110000")
    rudi = UserFactory(email="rudi@example.org", full_name="Rudi Hartono")
    AlumniProfileFactory(user=rudi, study_program=other, entry_year=2010)
    dewi = UserFactory(email="dewi@student.example.org", full_name="Dewi Mahasiswi")
    AlumniProfileFactory(user=dewi, study_program=library, nim="23710007", entry_year=2023, graduation_date=None)
    services_profiles.mentor_profile_save(user=siti, topics=[thesis, slims], capacity=2, formats=[Format.ONLINE],
                                          about="Membimbing riset skripsi sejak 2019.")
    services_profiles.mentor_profile_save(user=rudi, topics=[slims], capacity=1, formats=[Format.ONLINE])

    # The student, on her phone, asks for help with her thesis: Siti comes first, with why.
    student = browser.new_context(**PHONE)
    page = student.new_page()
    log_in(page, live_server, dewi.email, PASSWORD)
    page.goto(live_server.url + "/mentoring/find/")
    page.check(f"#find-form input[name=topics][value='{thesis.pk}']")
    page.fill("#find-form textarea[name=text]", "Saya butuh bimbingan menyusun proposal skripsi.")
    page.locator("#find-form button[type=submit]").click()
    page.wait_for_selector(".mentor-card")
    cards = page.locator(".mentor-card")
    assert cards.count() == 2
    assert "Siti Rahmawati" in cards.first.inner_text()
    assert cards.first.locator(".mentor-reasons").inner_text().strip()
    body = page.content()
    assert siti.email not in body and "+6281211110000" not in body  # no contact before acceptance
    phone_checks(page, "find")
    page.screenshot(path=str(screenshot_dir / "mentoring_find_phone.png"), full_page=True)

    cards.first.locator("a").first.click()
    page.locator(f"a[href*='/mentoring/mentors/{siti.mentor_profile.pk}/ask/']").click()
    page.fill("textarea[name=help_with]", "Menyusun proposal skripsi tentang literasi digital di madrasah.")
    page.fill("textarea[name=note]", "Saya mahasiswi angkatan 2023.")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/mentoring/requests/[0-9a-f-]+/$"))
    request = MentorshipRequest.objects.get(mentee=dewi)
    assert (request.mentor, request.status) == (siti, "open")
    assert siti.email not in page.content()
    phone_checks(page, "request")
    # The mentor hears of it by email, once.
    to_siti = [m for m in mail.outbox if siti.email in m.to]
    assert len(to_siti) == 1 and str(request.pk) in to_siti[0].body

    # The mentor accepts on her phone; the mentorship page shows both emails.
    mentor = browser.new_context(**PHONE)
    mpage = mentor.new_page()
    log_in(mpage, live_server, siti.email, PASSWORD)
    mpage.goto(f"{live_server.url}/mentoring/requests/{request.pk}/")
    phone_checks(mpage, "request (mentor)")
    mpage.fill("form[action$='/accept/'] textarea[name=goals]", "Proposal skripsi selesai dalam tiga bulan.")
    mpage.locator("form[action$='/accept/'] button[type=submit]").click()
    mpage.wait_for_url(re.compile(r"/mentoring/mentorships/[0-9a-f-]+/$"))
    mentorship = Mentorship.objects.get(mentor=siti, mentee=dewi)
    assert mentorship.status == "active"
    assert mentorship.ends_on > timezone.localdate() + datetime.timedelta(days=80)  # three months by default
    assert dewi.email in mpage.content()

    # The student sees the mentor's email now, and logs their first meeting.
    page.goto(f"{live_server.url}/mentoring/mentorships/{mentorship.pk}/")
    assert siti.email in page.content()
    page.fill("#meeting-form [name=date]", timezone.localdate().isoformat())
    page.fill("#meeting-form [name=minutes]", "45")
    page.fill("#meeting-form [name=notes]", "Membahas rumusan masalah.")
    page.locator("#meeting-form button[type=submit]").click()
    page.wait_for_selector(".meeting")
    assert Meeting.objects.get(mentorship=mentorship).minutes == 45
    phone_checks(page, "mentorship")
    page.screenshot(path=str(screenshot_dir / "mentoring_mentorship_phone.png"), full_page=True)

    # The mentor ends it; both give feedback (the rating is never shown to the other side).
    mpage.reload()
    mpage.locator("form[action$='/end/'] button").click()
    mpage.wait_for_selector("#feedback")
    mpage.select_option("#feedback select[name=rating]", "4")
    mpage.locator("#feedback button[type=submit]").click()
    page.reload()
    page.select_option("#feedback select[name=rating]", "5")
    page.fill("#feedback textarea[name=text]", "Sangat membantu.")
    page.locator("#feedback button[type=submit]").click()
    page.wait_for_load_state()
    assert sorted(Feedback.objects.filter(mentorship=mentorship).values_list("side", "rating")) == [
        ("mentee", 5), ("mentor", 4)]
    mpage.reload()
    assert "Sangat membantu" not in mpage.content()
    phone_checks(page, "feedback")
    student.close()
    mentor.close()
