"""Staff load a graduates list in a real browser: a file with mistakes is refused row by row and changes
nothing; the corrected file is checked, confirmed, imported, and its graduates can be invited."""

import re

import pytest

from alumni.models import AlumniProfile, Role

from ..factories import PASSWORD, StudyProgramFactory, UserFactory, grant
from .conftest import past_consent_screen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "nim;full_name;email;study_program;entry_year;graduation_date;province;city\n"
GOOD = HEADER + (
    "18710001;Dewi Anggraini;dewi@example.org;71201;2018;2022-08-25;DI Yogyakarta;Sleman\n"
    "18710002;Fajar Nugroho;;71201;2018;2023-03-15;340000;Sleman\n"
    "19710003;Laila Hasibuan;laila@example.org;71201;2019;;Sumatera Utara;Medan\n"
)
BAD = HEADER + (
    "18710001;Dewi Anggraini;dewi@example;71201;2018;2022-08-25;DI Yogyakarta;Sleman\n"
    "18710002;Fajar Nugroho;;71201;2018;2023/03/25;340000;Sleman\n"
    "19710003;Laila Hasibuan;laila@example.org;79202;2019;;Sumatera Utara;Medan\n"
)


def test_staff_import_a_graduates_list_after_fixing_its_mistakes(
    browser, live_server, provinces, screenshot_dir, tmp_path
):
    library = StudyProgramFactory(code="71201", name="Ilmu Perpustakaan")
    StudyProgramFactory(code="79202", name="Bahasa dan Sastra Arab")  # not this staff member's
    staff = UserFactory(email="staf@example.org", full_name="Staf Prodi")
    grant(staff, Role.Kind.STAFF, library)
    bad, good = tmp_path / "lulusan-salah.csv", tmp_path / "lulusan.csv"
    bad.write_text(BAD, encoding="utf-8-sig")  # as Excel saves it: with a BOM, semicolons
    good.write_text(GOOD, encoding="utf-8-sig")

    context = browser.new_context(locale="id-ID", reduced_motion="reduce", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_login", "staf@example.org")
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    past_consent_screen(page)

    # The file with mistakes: every bad row is listed with its row and column; nothing can be confirmed.
    page.goto(live_server.url + "/alumni/import/")
    page.set_input_files("#id_file", str(bad))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/alumni/import/[0-9a-f-]{36}/$"))
    problems = page.locator("table tbody tr")
    assert problems.count() == 3
    columns = [problems.nth(i).locator("td").nth(1).inner_text() for i in range(3)]
    assert [problems.nth(i).locator("td").first.inner_text() for i in range(3)] == ["2", "3", "4"]
    assert columns == ["email", "graduation_date", "study_program"]
    assert page.locator("form[action$='/confirm/']").count() == 0
    page.screenshot(path=screenshot_dir / "import-check.png", full_page=True)
    assert AlumniProfile.objects.count() == 0

    # The corrected file: checked, confirmed, imported; two of the three have an email to invite.
    page.goto(live_server.url + "/alumni/import/")
    page.set_input_files("#id_file", str(good))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/alumni/import/[0-9a-f-]{36}/$"))
    assert AlumniProfile.objects.count() == 0  # the check writes nothing
    page.locator("form[action$='/confirm/'] button[type=submit]").click()
    page.wait_for_load_state()
    page.locator("a[href$='/invite/']").wait_for()
    assert sorted(AlumniProfile.objects.values_list("nim", "province__code")) == [
        ("18710001", "040000"), ("18710002", "340000"), ("19710003", "070000"),
    ]
    page.screenshot(path=screenshot_dir / "import-done.png", full_page=True)
    context.close()
