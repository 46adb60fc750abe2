"""The careers network in a real browser: an alumna pastes a WhatsApp vacancy, checks the form it filled and
publishes it; a classmate with a matching job alert gets it in the weekly digest, opens it, asks an alumnus who
works at the employer for an introduction; he accepts, and both get the other's contact by email — and not
before. The job list is checked on a phone too (axe-core: no serious or critical violation; no sideways scroll)."""

import datetime
import re

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.utils import timezone

from alumni.models import AlumniProfile, Consent, Employment
from alumni.privacy import CONSENT_WORDING, consent_record
from careers.models import CareerSettings, Field, Introduction, JobAlert, JobPost
from careers.organisations import alias_add, organisation_find, organisation_resolve
from careers.tasks_alerts import send_job_digests

from ..factories import PASSWORD, AlumniProfileFactory, StudyProgramFactory, UserFactory
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember"]


def whatsapp_message(closing: datetime.date) -> str:
    return (
        "*[INFO LOKER]* 📢\r\n"
        "*Pustakawan Layanan Digital - Perpustakaan Nasional RI*\r\n\r\n"
        "Perpusnas membuka lowongan kontrak untuk lulusan S1 Ilmu Perpustakaan.\r\n"
        "📍 Penempatan: Jakarta Pusat\r\n"
        "💰 Gaji Rp 5.500.000 - Rp 7.000.000\r\n\r\n"
        "*Kualifikasi:*\r\n"
        "- S1 Ilmu Perpustakaan, IPK min. 3,00\r\n"
        "- Menguasai SLiMS / INLISLite\r\n\r\n"
        f"Kirim CV ke rekrutmen@perpusnas.go.id paling lambat {closing.day} {MONTHS[closing.month - 1]} "
        f"{closing.year}\r\n"
        "Info: 0812-3456-7890 (Bu Rina)\r\n"
        "#loker #perpustakaan"
    )


def axe_problems(page) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']})" for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")]


def test_paste_publish_digest_introduction_and_contacts(browser, live_server, screenshot_dir, provinces, settings):
    library = StudyProgramFactory(code="71201", name="Ilmu Perpustakaan")
    siti = UserFactory(email="siti@example.org", full_name="Siti Rahmawati")
    AlumniProfileFactory(user=siti, study_program=library, entry_year=2012)
    budi = UserFactory(email="budi@example.org", full_name="Budi Santoso")
    AlumniProfileFactory(user=budi, study_program=library, entry_year=2012, phone="+6281211112222")
    # Dewi works at Perpusnas now and shares her career with members; she allows her phone on introductions.
    dewi = UserFactory(email="dewi@example.org", full_name="Dewi Anggraini")
    dewi_profile = AlumniProfileFactory(user=dewi, study_program=library, entry_year=2010, vis_career="alumni",
                                        listed_in_directory=True, phone="+6281333344444")
    organisation_resolve(name="Perpustakaan Nasional Republik Indonesia")
    alias_add(organisation=organisation_find("Perpustakaan Nasional Republik Indonesia"),
              name="Perpustakaan Nasional RI")
    Employment.objects.create(profile=dewi_profile, employer="Perpustakaan Nasional RI", employer_kind="government",
                              scope="national", position="Pustakawan Ahli Muda",
                              start_date=datetime.date(2016, 3, 1))
    CareerSettings.objects.create(user=dewi, share_phone=True)
    # Budi wants library jobs in Jakarta, weekly, and said yes to career emails.
    JobAlert.objects.create(user=budi, fields=[Field.LIBRARY], province_codes=["010000"],
                            frequency=JobAlert.Frequency.WEEKLY)
    consent_record(user=budi, purpose=Consent.Purpose.CAREER, granted=True,
                   wording_version=CONSENT_WORDING[Consent.Purpose.CAREER][0])
    assert AlumniProfile.objects.filter(verification="verified").count() == 3

    closing = timezone.localdate() + datetime.timedelta(days=20)
    context = browser.new_context(locale="id-ID", reduced_motion="reduce", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, live_server, siti.email, PASSWORD)

    # Paste → the form is filled in → check → publish.
    page.goto(live_server.url + "/careers/jobs/new/")
    page.fill("#id_paste-pasted", whatsapp_message(closing))
    page.locator("#paste-step button[type=submit]").click()
    page.locator("#paste-note").wait_for()
    assert page.input_value("#id_title") == "Pustakawan Layanan Digital"
    assert page.input_value("#id_organisation_name") == "Perpustakaan Nasional RI"
    assert page.input_value("#id_closing_date") == closing.isoformat()
    assert page.input_value("#id_city") == "Jakarta Pusat"
    assert page.input_value("#id_apply_email") == "rekrutmen@perpusnas.go.id"
    assert "SLiMS" in page.input_value("#id_requirements")
    page.screenshot(path=str(screenshot_dir / "careers-paste.png"), full_page=True)
    assert not JobPost.objects.exists()  # nothing is saved before Publish
    page.select_option("#id_field", Field.LIBRARY)
    if not page.input_value("#id_kind"):
        page.select_option("#id_kind", JobPost.Kind.CONTRACT)
    page.check("#post-form input[name=apply_how][value=email]")
    page.locator("#post-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/careers/jobs/[0-9a-f-]{36}/$"))
    post = JobPost.objects.get()
    assert (post.title, post.organisation.name, post.closing_date, post.status) == (
        "Pustakawan Layanan Digital", "Perpustakaan Nasional Republik Indonesia", closing, "open")
    assert (post.salary_min, post.salary_max, post.province.code) == (5_500_000, 7_000_000, "010000")
    assert page.locator("a[href^='https://wa.me/?text=']").count() == 1
    context.close()

    # The weekly digest: Budi's alert matches; Siti, the poster, set no alert.
    mail.outbox.clear()
    send_job_digests()
    digests = [m for m in mail.outbox if "Pustakawan Layanan Digital" in m.body]
    assert [m.to for m in digests] == [[budi.email]]
    send_job_digests()  # the same week: claimed once
    assert len([m for m in mail.outbox if m.to == [budi.email]]) == 1

    # Budi opens the post (on a phone), sees Dewi works there, asks her for an introduction.
    context = browser.new_context(locale="id-ID", reduced_motion="reduce", viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True)
    context.add_init_script(script=AXE_SCRIPT)
    page = context.new_page()
    log_in(page, live_server, budi.email, PASSWORD)
    page.goto(live_server.url + "/careers/jobs/")
    assert page.evaluate("document.documentElement.scrollWidth <= 390 && window.innerWidth <= 390")
    assert axe_problems(page) == []
    page.screenshot(path=str(screenshot_dir / "careers-jobs-phone.png"), full_page=True)
    page.locator(f"main a[href='/careers/jobs/{post.pk}/']").first.click()
    page.wait_for_url(re.compile(rf"/careers/jobs/{post.pk}/$"))
    assert page.evaluate("document.documentElement.scrollWidth <= 390 && window.innerWidth <= 390")
    assert axe_problems(page) == []
    people = page.locator("#people-here-title").locator("xpath=..")
    assert "Dewi Anggraini" in people.inner_text()
    assert "+6281333344444" not in page.content() and "dewi@example.org" not in page.content()
    page.screenshot(path=str(screenshot_dir / "careers-post-phone.png"), full_page=True)
    people.locator("a[href*='/careers/introductions/ask/']").first.click()
    page.fill("textarea", "Halo Mbak Dewi, saya Budi (IP 2012). Boleh bertanya tentang seleksi pustakawan di "
                          "Perpusnas sebelum saya melamar?")
    page.locator("main form[method=post] button[type=submit]").last.click()
    page.wait_for_load_state()
    introduction = Introduction.objects.get()
    assert (introduction.requester, introduction.recipient, introduction.status) == (budi, dewi, "requested")
    assert introduction.post == post
    context.close()
    asked = [m for m in mail.outbox if m.to == [dewi.email]]
    assert len(asked) == 1 and "+6281211112222" not in asked[0].body and "budi@example.org" not in asked[0].body

    # Dewi accepts; each gets the other's contact by email, once.
    mail.outbox.clear()
    context = browser.new_context(locale="id-ID", reduced_motion="reduce", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, live_server, dewi.email, PASSWORD)
    page.goto(live_server.url + f"/careers/introductions/{introduction.pk}/")
    page.screenshot(path=str(screenshot_dir / "careers-introduction.png"), full_page=True)
    page.locator("button[name=decision][value=accept]").click()
    page.wait_for_load_state()
    context.close()
    introduction.refresh_from_db()
    assert introduction.status == "accepted"
    to_budi = [m for m in mail.outbox if m.to == [budi.email]]
    to_dewi = [m for m in mail.outbox if m.to == [dewi.email]]
    assert len(to_budi) == 1 and len(to_dewi) == 1
    assert "dewi@example.org" in to_budi[0].body and "+6281333344444" in to_budi[0].body  # she shares her phone
    assert "budi@example.org" in to_dewi[0].body and "+6281211112222" not in to_dewi[0].body  # he did not
