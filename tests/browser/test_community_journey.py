"""A community in a real browser, on a phone (390 px): in "Komunitas SLiMS Kediri Raya" a school librarian asks
how to fix her SLiMS installation; a member who lists "SLiMS installation" among his skills gets one email from the
help tick (he turned on community emails), opens the question and answers; she marks his answer as the one that
solved it; the group's page shows the question as solved and his profile counts it (he allows that). Every page
passes axe-core (no serious or critical violation) and does not scroll sideways; the screenshots go to the
README."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from alumni.models import Consent, Role
from alumni.privacy import CONSENT_WORDING, consent_record
from alumni.services import role_grant
from community import services_groups, services_help, services_posts
from community.models import HelpRequest
from community.tasks_help import run_help_ticks

from ..factories import PASSWORD, AlumniProfileFactory, StudyProgramFactory, UserFactory
from .conftest import log_in
from .test_mentoring_journey import PHONE, phone_checks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_question_answer_solved_in_the_slims_community_on_a_phone(browser, live_server, screenshot_dir,
                                                                   provinces):
    library = StudyProgramFactory(code="71201", name="Ilmu Perpustakaan")
    staff = UserFactory(email="staff@example.org", full_name="Staf IP")
    role_grant(user=staff, kind=Role.Kind.STAFF, study_program=library, by=None)
    budi = UserFactory(email="budi@example.org", full_name="Budi Santoso")
    AlumniProfileFactory(user=budi, study_program=library, entry_year=2009)
    rina = UserFactory(email="rina@example.org", full_name="Rina Pustakawati")
    AlumniProfileFactory(user=rina, study_program=library, entry_year=2015)
    group = services_groups.interest_group_create(by=budi, name="Komunitas SLiMS Kediri Raya", study_program=library,
                                                  description="Saling bantu instalasi dan migrasi SLiMS.")
    group = services_groups.group_decide(group=group, by=staff, approve=True)
    services_groups.member_add(group=group, user=rina)
    services_posts.post_create(group=group, by=budi, announcement=True,
                               body="Kopdar & Workshop SLiMS bulan depan di Perpustakaan Pusat.")
    installation = services_help.default_categories_ensure()["instalasi-slims"]
    services_help.skills_save(user=budi, category_ids=[installation.pk], show_helped_count=True)
    # Skill emails go to those who turned on the purpose "community" (opt-in, on the privacy page).
    consent_record(user=budi, purpose=Consent.Purpose.COMMUNITY, granted=True,
                   wording_version=CONSENT_WORDING[Consent.Purpose.COMMUNITY][0])

    # Rina asks on her phone, from the group's page.
    asker = browser.new_context(**PHONE)
    page = asker.new_page()
    log_in(page, live_server, rina.email, PASSWORD)
    page.goto(f"{live_server.url}/community/groups/{group.slug}/")
    phone_checks(page, "group page")
    page.screenshot(path=str(screenshot_dir / "community_group_phone.png"), full_page=True)
    page.goto(f"{live_server.url}/community/groups/{group.slug}/questions/new/")
    page.select_option("#question-form select[name=category]", str(installation.pk))
    page.fill("#question-form [name=title]", "Instalasi SLiMS 9 di XAMPP gagal: mysqli extension not loaded")
    page.fill("#question-form [name=body]", "Laptop Windows, XAMPP 8.2; instalasi berhenti di langkah basis data.")
    page.locator("#question-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/community/questions/[0-9a-f-]+/$"))
    question = HelpRequest.objects.get(asker=rina)
    assert question.status == "open"
    phone_checks(page, "question")

    # Budi lists that skill: the help tick mails him once, however often it runs.
    mail.outbox.clear()
    run_help_ticks()
    run_help_ticks()
    to_budi = [m for m in mail.outbox if budi.email in m.to]
    assert len(to_budi) == 1 and question.title in to_budi[0].body

    helper = browser.new_context(**PHONE)
    hpage = helper.new_page()
    log_in(hpage, live_server, budi.email, PASSWORD)
    hpage.goto(f"{live_server.url}/community/questions/{question.pk}/")
    hpage.fill("#answer-form textarea[name=body]",
               "Buka xampp/php/php.ini, hapus titik koma di depan extension=mysqli, lalu restart Apache.")
    hpage.locator("#answer-form button[type=submit]").click()
    hpage.wait_for_selector("article[id^=answer-]")

    # Rina marks it as the answer that solved her question.
    page.reload()
    page.locator("form[action$='/solved/'] button").click()
    page.wait_for_load_state()
    question.refresh_from_db()
    assert question.status == "solved" and question.solved_by_answer.author == budi
    phone_checks(page, "solved question")
    page.screenshot(path=str(screenshot_dir / "community_question_phone.png"), full_page=True)

    page.goto(f"{live_server.url}/community/groups/{group.slug}/questions/?tab=solved")
    assert question.title in page.locator("#question-list").inner_text()
    phone_checks(page, "solved questions")
    # Budi allows it: his profile says how many questions he helped solve.
    page.goto(live_server.url + reverse("alumni:profile", args=[budi.alumni_profile.pk]))
    assert "1" in page.locator("#community-helped").inner_text()
    asker.close()
    helper.close()
