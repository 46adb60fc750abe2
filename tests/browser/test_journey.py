"""The main journeys in a real browser: an imported graduate signs up, verifies, finds their own record,
keeps profile and career current and finds a colleague; staff read their dashboard on a phone."""

import re

import pytest
from django.core import mail

from alumni.models import AlumniProfile, Employment, Role, User, Visibility

from ..factories import PASSWORD, AlumniProfileFactory, EmploymentFactory, StudyProgramFactory, UserFactory, grant
from .conftest import past_consent_screen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def prodi(provinces):
    return StudyProgramFactory(code="71201", name="Ilmu Perpustakaan")


@pytest.fixture
def colleague(prodi):
    user = UserFactory(email="budi@example.org", full_name="Budi Santoso")
    profile = AlumniProfileFactory(
        user=user, study_program=prodi, nim="14710007", entry_year=2014, vis_career=Visibility.ALUMNI
    )
    EmploymentFactory(profile=profile, employer="Perpustakaan Nasional RI", position="Pustakawan Ahli")
    return profile


def test_imported_graduate_signs_up_keeps_profile_and_finds_a_colleague(
    browser, live_server, prodi, colleague, screenshot_dir
):
    record = AlumniProfileFactory(
        user=None, study_program=prodi, nim="16710042", full_name="Rina W.", email="rina@example.org"
    )
    context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "id"
    page.screenshot(path=screenshot_dir / "home.png", full_page=True)

    # Sign up; a mismatched password is refused and nothing is created.
    page.locator("nav a[href='/accounts/signup/']").click()
    page.fill("#id_full_name", "Rina Wulandari")
    page.fill("#id_email", "rina@example.org")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD + "x")
    page.locator("main form button[type=submit]").last.click()
    assert page.locator(".invalid-feedback, .alert-danger").count() >= 1
    assert not User.objects.filter(email="rina@example.org").exists()

    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.screenshot(path=screenshot_dir / "signup.png", full_page=True)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))
    assert len(mail.outbox) == 1

    # The link in the email verifies the address, logs the user in and links the imported record.
    path = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mail.outbox[0].body).group(1)
    page.goto(live_server.url + path)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/alumni/me/privacy/choices/"))
    record.refresh_from_db()
    assert record.user.email == "rina@example.org"
    assert record.verification == AlumniProfile.Verification.VERIFIED
    assert AlumniProfile.objects.count() == 2

    # Consent is asked, not presumed: directory and fundraising start unticked (the tracer study rests on the
    # accreditation duty and is on until she objects); she lists herself in the directory only.
    assert not page.is_checked("#purpose-directory")
    assert not page.is_checked("#purpose-fundraising")
    page.screenshot(path=screenshot_dir / "consent.png", full_page=True)
    page.check("#purpose-directory")
    page.locator("button[name=decide][value=now]").click()
    page.wait_for_url(re.compile(r"/dashboard/$"))
    record.refresh_from_db()
    assert record.listed_in_directory is True

    # The name the academic record holds is corrected by staff: she asks for it.
    page.goto(live_server.url + "/alumni/me/correction/")
    page.fill("#id_full_name", "Rina Wulandari")
    page.fill("#id_reason", "Nama lengkap saya disingkat di data prodi.")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert record.corrections.get().requested == {"full_name": "Rina Wulandari"}

    # Keep the profile current and add the current job.
    page.goto(live_server.url + "/alumni/me/edit/")
    assert page.locator("#id_full_name").count() == 0
    page.fill("#id_city", "Yogyakarta")
    page.select_option("#id_province", label="DI Yogyakarta")
    page.select_option("#id_vis_career", value=Visibility.ALUMNI)  # share my career with fellow alumni
    page.locator("form.card button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(live_server.url + "/alumni/me/career/new/")
    page.fill("#id_employer", "Perpustakaan UGM")
    page.select_option("#id_employer_kind", value=Employment.EmployerKind.GOVERNMENT)
    page.select_option("#id_scope", value=Employment.Scope.LOCAL)
    page.fill("#id_position", "Pustakawan")
    page.fill("#id_start_date", "2021-03-01")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/alumni/me/edit/$"))
    assert page.get_by_text("Perpustakaan UGM").is_visible()
    page.screenshot(path=screenshot_dir / "profile-edit.png", full_page=True)
    record.refresh_from_db()
    assert (record.full_name, record.city, record.province.code) == ("Rina W.", "Yogyakarta", "040000")
    assert record.vis_career == Visibility.ALUMNI
    assert list(record.employments.values_list("employer", flat=True)) == ["Perpustakaan UGM"]

    # Find a colleague by employer in the directory.
    page.goto(live_server.url + "/alumni/directory/")
    page.fill("#id_employer", "Nasional")
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_url(re.compile(r"employer=Nasional"))
    assert page.locator(".profile-card").count() == 1
    assert page.locator(".profile-card").first.get_by_text("Budi Santoso").is_visible()
    page.screenshot(path=screenshot_dir / "directory.png", full_page=True)
    context.close()


def test_staff_read_their_dashboard_on_a_phone(browser, live_server, prodi, colleague, screenshot_dir):
    staff = UserFactory(email="staf@example.org", full_name="Staf Prodi")
    grant(staff, Role.Kind.STAFF, prodi)
    context = browser.new_context(
        locale="id-ID", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
        reduced_motion="reduce",
    )
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_login", "staf@example.org")
    page.fill("#id_password", "wrong-password")
    page.locator("main form button[type=submit]").last.click()
    assert page.locator(".alert-danger").count() == 1  # clear message, still on the login page
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    past_consent_screen(page)

    # The menu collapses behind the toggler on a narrow screen and opens on tap.
    assert page.locator(".navbar-toggler").is_visible()
    assert not page.locator("#mainnav").is_visible()
    page.locator(".navbar-toggler").tap()
    page.locator("#mainnav.collapse.show").wait_for()  # opened, transition finished
    assert page.locator("#mainnav a[href='/alumni/directory/']").is_visible()
    page.locator(".navbar-toggler").tap()
    page.locator("#mainnav").wait_for(state="hidden")

    assert page.locator("canvas").count() >= 1  # the cohort chart is drawn, not only a table
    bars_drawn = page.evaluate("Chart.getChart('cohort-chart').getDatasetMeta(0).data.length")
    assert bars_drawn == 1  # one entry cohort (2014) among this prodi's records
    assert page.get_by_text("Peran diberikan").is_visible()  # activity reads as words, not codes
    no_horizontal_scroll = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert no_horizontal_scroll
    page.screenshot(path=screenshot_dir / "dashboard-phone.png", full_page=True)
    context.close()
