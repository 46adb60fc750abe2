"""The Content-Security-Policy in a real browser: the pages with charts, forms and the language switch run with
no policy violation, and the behaviour moved out of inline handlers (static/js/site.js) still works."""

import re

import pytest

from alumni.models import AlumniProfile, Employment, Role
from tracer.models import Option, Question, Survey, SurveyVersion
from tracer.questionnaires import install

from ..donations.test_giving import make_campaign
from ..factories import PASSWORD, AlumniProfileFactory, StudyProgramFactory, UserFactory, grant
from ..tracer.test_lkps import graduate, respond

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, email: str) -> None:
    """allauth's form; wherever the portal goes next (the dashboard, or the consent screen the first time)."""
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def watch_violations(page) -> list[str]:
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.on("pageerror", lambda error: violations.append(str(error)))
    return violations


def test_pages_run_under_the_policy_without_violations(browser, live_server, provinces):
    install(Survey, SurveyVersion, Question, Option)
    program = StudyProgramFactory(code="71201", name="Ilmu Perpustakaan")
    for i, year in enumerate((2021, 2022, 2023)):
        respond(graduate(program, year, f"N{i:03d}"), {"f8": 1, "f502": 3 + i, "f14": 1, "f5d": 1})
    staff = UserFactory(email="staf@example.org", full_name="Staf Prodi")
    grant(staff, Role.Kind.STAFF, program)
    campaign = make_campaign(program)

    context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    violations = watch_violations(page)
    page.goto(live_server.url + "/")
    page.goto(live_server.url + f"/giving/{campaign.pk}/ledger/")
    sign_in(page, live_server, "staf@example.org")
    for path in ("/dashboard/", "/tracer/lkps/", f"/tracer/lkps/{program.code}/2025/", "/tracer/results/",
                 "/alumni/directory/", "/giving/manage/reports/", "/programs/calendar/"):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
    assert violations == []

    # The language switch (data-autosubmit) submits on change, without an inline onchange handler.
    page.select_option("#language-switch", "en")
    page.wait_for_function("document.documentElement.lang === 'en'")
    # The calendar feed address is selected on click (data-select-on-focus).
    page.goto(live_server.url + "/programs/calendar/")
    page.click("#feed-url")
    assert page.evaluate("window.getSelection().toString() || document.activeElement.selectionEnd") not in ("", 0)
    assert violations == []
    context.close()


def test_removing_a_job_asks_first(browser, live_server, provinces):
    program = StudyProgramFactory(code="71201")
    user = UserFactory(email="ani@example.org", full_name="Ani Lestari")
    profile = AlumniProfileFactory(user=user, study_program=program, verification=AlumniProfile.Verification.VERIFIED)
    job = Employment.objects.create(profile=profile, employer="Perpustakaan Nasional", position="Pustakawan",
                                    start_date="2020-01-01")
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    violations = watch_violations(page)
    sign_in(page, live_server, "ani@example.org")
    page.goto(live_server.url + "/alumni/me/edit/")
    remove = page.locator("form[data-confirm] button[type=submit]").first
    page.once("dialog", lambda dialog: dialog.dismiss())
    remove.click()
    page.wait_for_timeout(300)
    assert Employment.objects.filter(pk=job.pk).exists()  # "Cancel" keeps the job
    page.once("dialog", lambda dialog: dialog.accept())
    remove.click()
    page.wait_for_url(re.compile(r"/alumni/me/edit/$"))
    page.wait_for_load_state("networkidle")
    assert not Employment.objects.filter(pk=job.pk).exists()
    assert violations == []
    context.close()
