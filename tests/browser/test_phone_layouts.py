"""Phone layouts at 390 px (issue 14, §2): the campaign page shows its progress and the give button first and keeps
the button in a bar at the bottom of the screen; "Donasi saya", the verification queue and the LKPS tables are
cards on a phone (status, receipt and Verify/Reject on screen, nothing to scroll sideways); the program list folds
its filters behind a "Filter" button on a phone and shows them on a desktop."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from alumni.models import Role, StudyProgram
from donations import services
from donations.models import Campaign, Donation
from programs.models import Participation
from tracer.models import Option, Question, Survey, SurveyVersion
from tracer.questionnaires import install

from ..donations.test_campaigns import give
from ..factories import (
    PASSWORD,
    AlumniProfileFactory,
    CampaignFactory,
    ProgramFactory,
    SessionFactory,
    StudyProgramFactory,
    UserFactory,
    grant,
)
from ..tracer.test_lkps import graduate, respond
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
ASPECTS = ["etika", "keahlian", "bahasa_asing", "teknologi_informasi", "komunikasi", "kerjasama",
           "pengembangan_diri"]

# Every element of the page's content whose box reaches past the left or right edge of the screen, whether the
# page scrolls sideways or a box (.table-responsive) hides it behind its own scroll bar. The headings a stacked
# table keeps for screen readers are clipped to one pixel and do not count.
STICKING_OUT = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const element of document.querySelectorAll("main *")) {
    if (element.closest(".table-stack > thead, .visually-hidden, .visually-hidden-focusable")) continue;
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (box.right > width + 1 || box.left < -1) out.push(`${element.tagName}.${element.className}`);
  }
  return out;
}"""


def open_page(browser, device: dict):
    context = browser.new_context(locale="id-ID", reduced_motion="reduce", **device)
    return context, context.new_page()


def sticking_out(page) -> list[str]:
    return page.evaluate(STICKING_OUT)


def no_sideways_scroll(page) -> bool:
    """Neither a scroll bar nor a phone zooming out: a mobile browser widens its visual viewport (innerWidth) to
    content wider than the screen instead of scrolling, so both are held to the screen's width."""
    width = page.viewport_size["width"]
    return page.evaluate(f"document.documentElement.scrollWidth <= {width} && window.innerWidth <= {width}")


def on_screen(page, locator) -> bool:
    """The whole box is inside the visible part of the page, scrolled as it is now."""
    box = locator.bounding_box()
    size = page.viewport_size
    return (box is not None and box["x"] >= 0 and box["y"] >= 0
            and box["x"] + box["width"] <= size["width"] and box["y"] + box["height"] <= size["height"])


def within_width(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]


@pytest.fixture
def library(db):
    program = StudyProgramFactory(code="71201", name="Ilmu Perpustakaan", level=StudyProgram.Level.S1)
    institution = program.faculty.institution
    institution.short_name = "UDM"
    institution.save()
    return program


def test_the_campaign_page_on_a_phone_shows_progress_and_the_give_button_first(browser, live_server, library,
                                                                                screenshot_dir):
    story = "\n\n".join(f"Paragraf {i}: sumur bor, pompa, dan listrik untuk warga desa binaan." for i in range(12))
    wakaf = CampaignFactory(study_program=library, title="Wakaf Jumat: sumur Desa Wonosari", description=story,
                            goal_amount=Decimal(10_000_000), payment_instructions="BSI 7123456789 a.n. Yayasan Alumni",
                            starts_on=timezone.localdate() - datetime.timedelta(days=30))
    for i in range(20):  # a full page of the donor wall, each with a message
        give(wakaf, None, 100_000 + i * 1_000, donor_name=f"Donatur {i:02d}", message=f"Semoga berkah, {i}",
             message_public=True)
    url = live_server.url + wakaf.get_absolute_url()

    context, page = open_page(browser, PHONE)
    for visit in ("first", "from the cache"):
        page.goto(url)
        donate = page.locator("#give-bar .give-donate")
        progress = page.locator("#campaign-progress")
        assert donate.inner_text() == "Berdonasi", visit
        assert page.locator("#give-bar .give-pledge").inner_text() == "Janji donasi", visit
        # The first screen: the progress, then the button in the bar at the bottom, over nothing yet.
        assert on_screen(page, donate) and on_screen(page, progress), visit
        assert progress.bounding_box()["y"] + progress.bounding_box()["height"] <= donate.bounding_box()["y"], visit
        assert progress.bounding_box()["y"] < page.locator("#donors").bounding_box()["y"], visit
        assert page.evaluate("getComputedStyle(document.getElementById('give-bar')).position") == "fixed", visit
        assert no_sideways_scroll(page) and sticking_out(page) == [], visit
    assert "Rp 2.190.000" in progress.inner_text()  # 20 gifts of 100.000 + 0..19 thousand
    page.screenshot(path=screenshot_dir / "phone-campaign.png")

    # At the very end of the page the button is still there, and the page's last line ends above the bar.
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    assert page.evaluate("window.scrollY") > 1000
    assert on_screen(page, donate)
    footer, bar = page.locator("footer").bounding_box(), page.locator("#give-bar").bounding_box()
    assert footer["y"] + footer["height"] <= bar["y"] + 0.5
    assert page.locator("#donors li").count() == 20
    donate.click()
    page.wait_for_url(re.compile(rf"/giving/{wakaf.pk}/donate/"))
    context.close()

    # A desktop keeps two columns: the story on the left, the progress and the buttons on the right, in place.
    context, page = open_page(browser, DESKTOP)
    page.goto(url)
    head, aside = page.locator(".campaign-head").bounding_box(), page.locator(".campaign-aside").bounding_box()
    story_box = page.locator(".campaign-story").bounding_box()
    assert aside["x"] >= head["x"] + head["width"] and abs(aside["y"] - head["y"]) < 1
    assert story_box["x"] == head["x"] and story_box["y"] >= head["y"] + head["height"] - 1
    assert page.evaluate("getComputedStyle(document.getElementById('give-bar')).position") == "static"
    assert on_screen(page, page.locator("#give-bar .give-donate"))
    assert page.locator("#give-bar .give-pledge").inner_text() == "Janji donasi (sekali atau setiap minggu/bulan)"
    page.screenshot(path=screenshot_dir / "desktop-campaign.png")
    context.close()


def test_a_closed_campaign_has_no_give_bar_and_no_padding_for_it(browser, live_server, library):
    closed = CampaignFactory(study_program=library, status=Campaign.Status.CLOSED)
    context, page = open_page(browser, PHONE)
    page.goto(live_server.url + closed.get_absolute_url())
    assert page.locator("#give-bar").count() == 0
    assert page.evaluate("getComputedStyle(document.body).paddingBottom") == "0px"
    context.close()


def test_my_giving_on_a_phone_shows_each_status_receipt_and_pledge_button(browser, live_server, library,
                                                                          screenshot_dir):
    siti = UserFactory(email="siti@example.org", full_name="Siti Rahmawati")
    AlumniProfileFactory(user=siti, study_program=library)
    today = timezone.localdate()
    wakaf = CampaignFactory(study_program=library, title="Wakaf Jumat: sumur Desa Wonosari untuk warga binaan",
                            starts_on=today - datetime.timedelta(days=30))
    verified = give(wakaf, siti, 1_250_000)
    give(wakaf, siti, 300_000, status=Donation.Status.PENDING)
    rejected = give(wakaf, siti, 75_000, status=Donation.Status.REJECTED)
    Donation.objects.filter(pk=rejected.pk).update(reject_reason="Bukti transfer tidak terbaca, mohon kirim ulang.")
    services.pledge_create(donor=siti, campaign=wakaf, terms=services.PledgeTerms(
        amount=Decimal(250_000), frequency="weekly", weekday=today.weekday(), starts_on=today))

    context, page = open_page(browser, PHONE)
    log_in(page, live_server, "siti@example.org", PASSWORD)
    page.goto(live_server.url + "/giving/mine/")
    rows = page.locator("#my-donations tbody tr")
    assert rows.count() == 3
    for i in range(3):
        row = rows.nth(i)
        status = row.locator(".donation-status .badge")
        assert within_width(page, status), i
        # Status and receipt come right under the card's title, before the date (the first column) and the amount.
        paid_on = row.locator("td").first
        assert paid_on.get_attribute("data-label") == "Tanggal bayar"
        assert status.bounding_box()["y"] < paid_on.bounding_box()["y"], i
        assert row.locator(".donation-receipt").bounding_box()["y"] < paid_on.bounding_box()["y"], i
    receipt = page.locator(f"#my-donations a[href='/giving/donations/{verified.pk}/receipt.pdf']")
    assert within_width(page, receipt)
    assert within_width(page, page.locator("#my-donations").get_by_text("Bukti transfer tidak terbaca", exact=False))
    pledge = page.locator("#my-pledges tbody tr").first
    assert within_width(page, pledge.locator("form button, a.btn").first)
    assert within_width(page, page.locator("#my-pledges a[href*='?instalment=']"))
    assert no_sideways_scroll(page) and sticking_out(page) == []
    page.screenshot(path=screenshot_dir / "phone-my-giving.png", full_page=True)
    context.close()


def test_the_verification_queue_on_a_phone_shows_verify_and_reject_for_each_donation(browser, live_server, library,
                                                                                     screenshot_dir):
    staff = UserFactory(email="staf@example.org", full_name="Staf Prodi")
    grant(staff, Role.Kind.STAFF, library)
    wakaf = CampaignFactory(study_program=library, title="Beasiswa mahasiswa tingkat akhir Ilmu Perpustakaan")
    donors = [UserFactory(email=f"donatur.dengan.alamat.panjang.{i}@contoh-perusahaan.co.id",
                          full_name=f"Donatur Nomor {i}") for i in range(3)]
    pending = [give(wakaf, donor, 500_000 + i, status=Donation.Status.PENDING,
                    message="Untuk adik-adik yang sedang menyusun skripsi, semoga lancar.")
               for i, donor in enumerate(donors)]

    context, page = open_page(browser, PHONE)
    log_in(page, live_server, "staf@example.org", PASSWORD)
    page.goto(live_server.url + "/giving/manage/verify/")
    rows = page.locator("#verify-queue tbody tr")
    assert rows.count() == 3
    for donation in pending:
        row = rows.filter(has=page.locator(f"a[href='/giving/donations/{donation.pk}/']"))
        decisions = row.locator(".verify-decision").locator("a, button")
        assert decisions.count() == 2
        for j in range(2):
            assert within_width(page, decisions.nth(j)), (donation.pk, j)
        # The decision comes before the date sent (the first column), the campaign and the method in the card.
        decision_y = row.locator(".verify-decision").bounding_box()["y"]
        assert decision_y < row.locator("td").first.bounding_box()["y"]
    assert no_sideways_scroll(page) and sticking_out(page) == []
    page.screenshot(path=screenshot_dir / "phone-verify-queue.png", full_page=True)
    context.close()


def test_every_lkps_tab_on_a_phone_fits_the_screen(browser, live_server, library, provinces, screenshot_dir):
    install(Survey, SurveyVersion, Question, Option)  # a transactional test starts from a flushed database
    for i, (year, wait, fit) in enumerate([(2021, 2, 1), (2021, 8, 2), (2022, 4, 3), (2022, 20, 4), (2023, 0, 1),
                                           (2023, 12, 2), (2023, 5, 5)]):
        profile = graduate(library, year, f"N{i:03d}")
        respond(profile, {"f8": 1, "f502": wait, "f14": fit, "f5d": 1 + i % 3})
        respond(profile, {a: 1 + (i + j) % 4 for j, a in enumerate(ASPECTS)}, slug="dikti-employer")
    staff = UserFactory(email="staf@example.org", full_name="Staf Prodi")
    grant(staff, Role.Kind.STAFF, library)
    speaker = UserFactory(email="ani@example.org", full_name="Ani Lestari")
    AlumniProfileFactory(user=speaker, study_program=library, nim="15710001")
    program = ProgramFactory(study_program=library, title="Kuliah Tamu: Literasi Informasi di Era Digital")
    start = timezone.make_aware(datetime.datetime(2024, 3, 5, 9))
    session = SessionFactory(program=program, start=start, end=start + datetime.timedelta(hours=2),
                             title="Sesi 1: Menelusur sumber terpercaya")
    Participation.objects.create(program=program, session=session, user=speaker, role="speaker")

    context, page = open_page(browser, PHONE)
    log_in(page, live_server, "staf@example.org", PASSWORD)
    tabs = ["8d1", "8d2", "8e1", "8e2", "ref8e2", "iku1", "evidence"]
    for tab in tabs:
        page.goto(live_server.url + f"/tracer/lkps/71201/2025/?tab={tab}")
        links = page.locator("#lkps-tabs a")
        assert links.count() == len(tabs), tab
        for i in range(len(tabs)):
            assert within_width(page, links.nth(i)), (tab, i)
        assert page.locator("table.table-stack").count() >= 1, tab
        assert no_sideways_scroll(page) and sticking_out(page) == [], tab
        if tab == "8d1":
            # Each graduation year is a card: its year, then one line per column with the column's heading.
            card = page.locator("table.lkps-table tbody tr").first
            assert card.locator("th").inner_text() == "2021"
            assert card.locator("td").first.get_attribute("data-label") == "Jumlah Lulusan"
            assert card.locator("td").first.inner_text() == "2"
            page.screenshot(path=screenshot_dir / "phone-lkps.png", full_page=True)
        if tab == "evidence":
            assert "Literasi Informasi" in page.locator("table.table-stack").last.inner_text()
    context.close()


def test_the_program_list_folds_its_filters_on_a_phone_and_shows_them_on_a_desktop(browser, live_server, library,
                                                                                   screenshot_dir):
    from playwright.sync_api import expect

    for i in range(3):
        ProgramFactory(study_program=library, title=f"Mentoring riset angkatan {i}", audience="public")
    ProgramFactory(study_program=library, title="Reuni akbar", audience="public", kind="non_academic",
                   category="reunion")
    url = live_server.url + "/programs/"

    context, page = open_page(browser, PHONE)
    page.goto(url)
    filters, toggle = page.locator("#program-filters"), page.locator("#program-filters-toggle")
    assert page.locator("#id_q").is_visible() and toggle.is_visible() and filters.is_hidden()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert on_screen(page, page.locator("main table tbody tr").first)  # the results start on the first screen
    page.screenshot(path=screenshot_dir / "phone-programs.png")
    # By keyboard: the button opens the filters, and closes them again.
    toggle.focus()
    page.keyboard.press("Enter")
    # (expect() polls without eval, which the Content-Security-Policy forbids, unlike wait_for_function.)
    expect(filters).to_have_class(re.compile(r"\bshow\b"))
    assert filters.is_visible() and toggle.get_attribute("aria-expanded") == "true"
    page.select_option("#id_kind", "non_academic")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"kind=non_academic"))
    # A filter is set: the filters are open when the page loads, and the list holds the one match.
    assert filters.is_visible() and toggle.get_attribute("aria-expanded") == "true"
    assert page.locator("main table tbody tr").count() == 1
    toggle.focus()
    page.keyboard.press("Space")
    expect(filters).to_be_hidden()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert no_sideways_scroll(page) and sticking_out(page) == []
    context.close()

    context, page = open_page(browser, DESKTOP)
    page.goto(url)
    assert page.locator("#program-filters").is_visible() and page.locator("#program-filters-toggle").is_hidden()
    for field in ("#id_q", "#id_study_program", "#id_kind", "#id_category", "#id_status"):
        assert on_screen(page, page.locator(field)), field
    assert page.locator("main table tbody tr").count() == 4
    context.close()


def test_staff_lists_and_a_pledge_page_are_cards_on_a_phone(browser, live_server, library, screenshot_dir):
    staff = UserFactory(email="staf@example.org", full_name="Staf Prodi")
    grant(staff, Role.Kind.STAFF, library)
    today = timezone.localdate()
    wakaf = CampaignFactory(study_program=library, title="Wakaf Jumat: sumur Desa Wonosari untuk warga binaan",
                            starts_on=today - datetime.timedelta(days=30))
    give(wakaf, staff, 2_500_000)
    for i in range(2):
        ProgramFactory(study_program=library, title=f"Klinik konsultasi perpustakaan sekolah {i}")
    pledge = services.pledge_create(donor=staff, campaign=wakaf, terms=services.PledgeTerms(
        amount=Decimal(250_000), frequency="weekly", weekday=today.weekday(), starts_on=today))

    context, page = open_page(browser, PHONE)
    log_in(page, live_server, "staf@example.org", PASSWORD)
    for path, table, rows in (("/giving/manage/", "#manage-campaigns", 1), ("/programs/health/", "#health-table", 2),
                              (f"/giving/pledges/{pledge.pk}/", "#pledge-instalments", 1)):
        page.goto(live_server.url + path)
        assert page.locator(f"{table}.table-stack tbody tr").count() == rows, path
        # The status (and the buttons where there are any) sit within the screen, nothing scrolls sideways.
        for i in range(rows):
            assert within_width(page, page.locator(f"{table} tbody tr").nth(i).locator(".stack-first").first), path
        assert no_sideways_scroll(page) and sticking_out(page) == [], (path, sticking_out(page))
    page.goto(live_server.url + "/giving/manage/")
    page.screenshot(path=screenshot_dir / "phone-giving-manage.png", full_page=True)
    context.close()


def test_an_in_kind_campaign_with_long_item_names_fits_a_phone(browser, live_server, library):
    from donations.models import CampaignItem

    today = timezone.localdate()
    lab = CampaignFactory(study_program=library, title="Komputer laboratorium", kind=Campaign.Kind.IN_KIND,
                          goal_amount=None, starts_on=today - datetime.timedelta(days=30))
    computer = CampaignItem.objects.create(campaign=lab, name="Komputer desktop (Core i5, RAM 16 GB, SSD 512 GB, "
                                           "monitor 24 inci, keyboard dan mouse)", quantity_needed=10, unit="unit",
                                           position=0)
    for quantity in (1, 2, 3):
        give(lab, None, 0, donor_name=f"Donatur {quantity}", items={computer: quantity})
    context, page = open_page(browser, PHONE)
    page.goto(live_server.url + lab.get_absolute_url())
    assert page.locator("#donors li").count() == 3
    assert on_screen(page, page.locator("#give-bar .give-donate"))
    assert no_sideways_scroll(page) and sticking_out(page) == []
    context.close()


def test_a_programs_sessions_are_cards_on_a_phone(browser, live_server, library):
    program = ProgramFactory(study_program=library, title="Klinik konsultasi perpustakaan sekolah", audience="public")
    for days in (7, 14):
        start = timezone.now() + datetime.timedelta(days=days)
        SessionFactory(program=program, start=start, end=start + datetime.timedelta(hours=2),
                       place="Ruang Teatrikal Fakultas Adab dan Ilmu Budaya, lantai 3", capacity=60)
    context, page = open_page(browser, PHONE)
    page.goto(live_server.url + program.get_absolute_url())
    cards = page.locator("#upcoming-sessions tbody tr")
    assert cards.count() == 2
    for i in range(2):
        seats = cards.nth(i).locator("td[data-label]").last
        assert seats.inner_text() == "60 / 60" and within_width(page, seats), i
    assert no_sideways_scroll(page) and sticking_out(page) == []
    context.close()


def test_privacy_and_my_data_lists_are_cards_on_a_phone(browser, live_server, library):
    from alumni import privacy

    siti = UserFactory(email="siti@example.org", full_name="Siti Rahmawati")
    AlumniProfileFactory(user=siti, study_program=library)
    for purpose, granted in (("tracer", True), ("fundraising", True), ("directory", True), ("fundraising", False)):
        privacy.consent_record(user=siti, purpose=purpose, granted=granted,
                               wording_version=privacy.CONSENT_WORDING[purpose][0])
    context, page = open_page(browser, PHONE)
    log_in(page, live_server, "siti@example.org", PASSWORD)
    page.goto(live_server.url + "/alumni/me/privacy/")
    rows = page.locator("#consent-history tbody tr")
    assert rows.count() == 4
    for i in range(4):
        assert within_width(page, rows.nth(i).locator("td[data-label]").last), i
    assert no_sideways_scroll(page) and sticking_out(page) == []
    context.close()


def test_the_new_wave_form_fits_a_phone(browser, live_server, library):
    admin = UserFactory(email="admin@example.org", full_name="Admin Institusi")
    grant(admin, Role.Kind.ADMIN, institution=library.faculty.institution)
    context, page = open_page(browser, PHONE)
    log_in(page, live_server, "admin@example.org", PASSWORD)
    page.goto(live_server.url + "/tracer/waves/new/")
    for field in ("#id_title", "#id_opens_at", "#id_closes_at", "#id_reminder_days", "#id_max_reminders"):
        assert within_width(page, page.locator(field)), field
    assert no_sideways_scroll(page) and sticking_out(page) == []
    context.close()


def test_a_questionnaires_questions_are_cards_on_a_phone(browser, live_server, library):
    install(Survey, SurveyVersion, Question, Option)  # a transactional test starts from a flushed database
    version = Survey.objects.get(slug="dikti-employer").latest_version()
    admin = UserFactory(email="admin@example.org", full_name="Admin Institusi")
    grant(admin, Role.Kind.ADMIN, institution=library.faculty.institution)
    context, page = open_page(browser, PHONE)
    log_in(page, live_server, "admin@example.org", PASSWORD)
    page.goto(live_server.url + f"/tracer/surveys/versions/{version.pk}/")
    assert page.locator("#survey-questions tbody tr").count() == version.questions.count() > 0
    assert no_sideways_scroll(page) and sticking_out(page) == []
    context.close()
