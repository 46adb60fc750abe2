"""Staff prepare the accreditation tables in a real browser: open the report of their study program, read the
waiting-time table with its chart, drill into a count, write a follow-up plan, and download the PDF and workbook.
The same page on a phone has no sideways scroll."""

import io
import re

import openpyxl
import pytest

from alumni.models import Role, StudyProgram
from core.models import AuditLog
from tracer.models import Option, Question, Survey, SurveyVersion
from tracer.questionnaires import install

from ..factories import PASSWORD, StudyProgramFactory, UserFactory, grant
from ..tracer.test_lkps import graduate, respond
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ASPECTS = ["etika", "keahlian", "bahasa_asing", "teknologi_informasi", "komunikasi", "kerjasama",
           "pengembangan_diri"]


def test_staff_prepare_the_lkps_tables(browser, live_server, provinces, screenshot_dir):
    install(Survey, SurveyVersion, Question, Option)  # a transactional test starts from a flushed database
    library = StudyProgramFactory(code="71201", name="Ilmu Perpustakaan", level=StudyProgram.Level.S1)
    for i, (year, wait, fit) in enumerate([(2021, 2, 1), (2021, 8, 2), (2022, 4, 3), (2022, 20, 4), (2023, 0, 1),
                                           (2023, 12, 2), (2023, 5, 5)]):
        profile = graduate(library, year, f"N{i:03d}")
        respond(profile, {"f8": 1, "f502": wait, "f14": fit, "f5d": 1 + i % 3})
        respond(profile, {a: 1 + (i + j) % 4 for j, a in enumerate(ASPECTS)}, slug="dikti-employer")
    graduate(library, 2021, "N900")  # not traced
    staff = UserFactory(email="staf@example.org", full_name="Staf Prodi")
    grant(staff, Role.Kind.STAFF, library)

    context = browser.new_context(locale="id-ID", reduced_motion="reduce", viewport={"width": 1280, "height": 900},
                                  accept_downloads=True)
    page = context.new_page()
    log_in(page, live_server, "staf@example.org", PASSWORD)

    # The menu leads to the report; the study program and TS are chosen on the way.
    page.click("nav >> text=Akreditasi")
    page.select_option("#id_ts", "2025")
    page.locator("main form button").click()
    page.wait_for_url(re.compile(r"/tracer/lkps/71201/2025/$"))
    table = page.locator("table.lkps-table")
    assert table.locator("tbody tr").nth(0).locator("th, td").all_inner_texts() == ["2021", "3", "2", "1", "1", "0"]
    assert table.locator("tbody tr").nth(3).locator("th, td").all_inner_texts() == ["Jumlah", "8", "7", "4", "2", "1"]
    page.wait_for_function("document.getElementById('lkps-canvas').width > 0")
    assert "WT = f502" in page.locator(".lkps-notes").inner_text()
    page.screenshot(path=screenshot_dir / "lkps.png", full_page=True)

    # Drill-down: the "WT > 18" count of 2022 is the one graduate who waited 20 months.
    table.locator("tbody tr").nth(1).locator("td a").last.click()
    page.wait_for_url(re.compile(r"/cell/\?column=wt_high&year=2022$"))
    assert page.locator("main tbody tr").all_inner_texts()[0].startswith("N003")

    # The follow-up plan for foreign languages appears in table 8.e.2.
    page.goto(live_server.url + "/tracer/lkps/71201/2025/?tab=8e2")
    page.locator("main a[href$='/plans/']").click()
    page.fill("#id_bahasa_asing", "Kelas percakapan bahasa Inggris tiap semester")
    page.locator("main form button").click()
    page.wait_for_url(re.compile(r"\?tab=8e2$"))
    assert "Kelas percakapan bahasa Inggris" in page.locator("table.lkps-table").inner_text()
    page.screenshot(path=screenshot_dir / "lkps-employer.png", full_page=True)

    # Downloads: the PDF and the workbook, each recorded in the audit log.
    with page.expect_download() as pdf:
        page.locator("main a[href$='lkps.pdf']").click()
    assert open(pdf.value.path(), "rb").read(4) == b"%PDF"
    with page.expect_download() as xlsx:
        page.locator("main a[href$='lkps.xlsx']").click()
    book = openpyxl.load_workbook(io.BytesIO(open(xlsx.value.path(), "rb").read()))
    e2 = {row[0]: row for row in book["8.e.2"].iter_rows(values_only=True)}
    assert e2[3][6] == "Kelas percakapan bahasa Inggris tiap semester"
    assert AuditLog.objects.filter(action="tracer.lkps.exported", actor=staff).count() == 2
    context.close()

    # On a phone the tables scroll inside their box; the page itself does not scroll sideways.
    phone = browser.new_context(locale="id-ID", reduced_motion="reduce", viewport={"width": 390, "height": 844},
                                device_scale_factor=2, is_mobile=True, has_touch=True)
    page = phone.new_page()
    log_in(page, live_server, "staf@example.org", PASSWORD)
    page.goto(live_server.url + "/tracer/lkps/71201/2025/?tab=8d2")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.close()
