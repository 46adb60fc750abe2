"""A graduate answers the tracer study on a phone from the link in their invitation: branching shows the
employment questions, they leave halfway, come back later in a fresh browser and submit."""

import datetime
import re

import pytest
from django.utils import timezone

from tracer import engine
from tracer.models import Invitation, Option, Question, Response, Survey, SurveyVersion, Wave
from tracer.questionnaires import install

from ..factories import AlumniProfileFactory, StudyProgramFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def phone(browser):
    context = browser.new_context(locale="id-ID", reduced_motion="reduce", **PHONE)
    return context, context.new_page()


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_graduate_answers_on_a_phone_across_two_visits(browser, live_server, provinces, screenshot_dir):
    # A transactional test starts from a flushed database: put the national questionnaires back.
    install(Survey, SurveyVersion, Question, Option)
    version = Survey.objects.get(slug="dikti-core").latest_version()
    now = timezone.now()
    wave = Wave.objects.create(version=version, title="Tracer Study 2025", opens_at=now - datetime.timedelta(days=1),
                               closes_at=now + datetime.timedelta(days=30), launched_at=now)
    profile = AlumniProfileFactory(study_program=StudyProgramFactory(code="71201", name="Ilmu Perpustakaan"),
                                   nim="19710001")
    invitation = Invitation.objects.create(version=version, wave=wave, profile=profile)
    link = live_server.url + invitation.answer_path()

    # 1. First visit, no login: the token link opens page 1; employment questions appear once f8 = working.
    context, page = phone(browser)
    page.goto(link)
    assert page.locator("#tracer-progress").inner_text().strip().endswith("4")
    assert page.locator("[data-question=f504]").is_hidden()
    page.click("label[for=f8-1]")
    assert page.locator("[data-question=f504]").is_visible()
    assert page.locator("[data-question=f18a]").count() == 0  # page 2's further-study questions are not here
    page.click("label[for=f504-1]")
    assert page.locator("#id_f502").get_attribute("inputmode") == "numeric"
    page.fill("#id_f502", "3")
    page.fill("#id_f505", "4.500.000")
    page.select_option("#id_f5a1", value="10000")  # province 010000, stored as a number
    page.fill("#id_f5a2", "Jakarta Pusat")
    page.click("label[for=f1101-5]")
    assert page.locator("#id_f1102").is_visible()  # "Lainnya" asks to specify
    page.click("label[for=f1101-3]")
    assert page.locator("#id_f1102").is_hidden()
    page.fill("#id_f5b", "Perpustakaan Nasional RI")
    page.click("label[for=f5d-2]")
    assert no_sideways_scroll(page)
    page.screenshot(path=screenshot_dir / "tracer-phone.png", full_page=True)
    page.locator("button[value=next]").click()
    page.wait_for_url(re.compile(r"\?page=2$"))

    # 2. Page 2: answer, then leave halfway with "save and finish later".
    page.click("label[for=f1201-3]")
    page.locator("button[value=later]").click()
    page.wait_for_load_state()
    context.close()
    response = Response.objects.get(invitation=invitation)
    assert (response.status, response.page) == (Response.Status.PARTIAL, 2)

    # 3. Later, a fresh browser: the link resumes at page 2 with the answers kept; page 1 still holds its answers.
    context, page = phone(browser)
    page.goto(link)
    assert page.locator("#f1201-3").is_checked()
    page.locator("a", has_text=re.compile(r"Back|Kembali")).click()
    page.wait_for_url(re.compile(r"\?page=1$"))
    assert page.locator("#f8-1").is_checked()
    assert page.locator("#id_f5b").input_value() == "Perpustakaan Nasional RI"
    assert page.locator("[data-question=f504]").is_visible()
    page.locator("button[value=next]").click()
    page.wait_for_url(re.compile(r"\?page=2$"))
    page.locator("button[value=next]").click()
    page.wait_for_url(re.compile(r"\?page=3$"))

    # 4. Page 3: two choices and the competence grids, one block per row (no wide table on a phone).
    page.click("label[for=f14-1]")
    page.click("label[for=f15-2]")
    for i in range(7):
        page.click(f"label[for=f{1761 + 2 * i}-4]")
        page.click(f"label[for=f{1762 + 2 * i}-5]")
    assert no_sideways_scroll(page)
    page.locator("button[value=next]").click()
    page.wait_for_url(re.compile(r"\?page=4$"))

    # 5. Page 4 is optional: submit.
    page.click("label[for=f4-15]")
    page.fill("#id_f416", "Komunitas pustakawan")
    page.locator("button[value=submit]").click()
    page.wait_for_url(re.compile(r"/done/$"))
    context.close()

    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED
    answers = engine.answers_of(response)
    assert answers["f8"] == 1 and answers["f505"] == 4_500_000 and answers["f1201"] == 3
    assert answers["f1773"] == 4 and answers["f415"] == 1 and answers["f416"] == "Komunitas pustakawan"
    assert "f1102" not in answers
