"""Giving in a real browser: an alumna pledges a weekly Friday wakaf, pays the first instalment with a transfer
slip, staff verify it, the campaign's progress bar moves, and she downloads her numbered receipt."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from alumni.models import Role
from donations.models import Campaign, Donation, Instalment, Pledge

from ..alumni.test_profile import tiny_png
from ..factories import PASSWORD, AlumniProfileFactory, StudyProgramFactory, UserFactory, grant
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def bar_width(page) -> str:
    return page.locator("#campaign-progress .progress").first.get_attribute("aria-valuenow")


def test_pledge_pay_verify_progress_and_receipt(browser, live_server, screenshot_dir, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    library = StudyProgramFactory(code="71201", name="Ilmu Perpustakaan")
    library.faculty.institution.short_name = "UDM"
    library.faculty.institution.save()
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        institution=library.faculty.institution, study_program=library, title="Wakaf Jumat: sumur Desa Wonosari",
        kind=Campaign.Kind.ENDOWMENT, description="Sumur bor dan listrik untuk desa binaan.",
        beneficiary="Warga Desa Wonosari", goal_amount=Decimal(1_000_000),
        starts_on=today - datetime.timedelta(days=30),
        status=Campaign.Status.OPEN, payment_instructions="BSI 7123456789 a.n. Yayasan Alumni",
    )
    staff = UserFactory(email="staf@example.org", full_name="Staf Prodi")
    grant(staff, Role.Kind.STAFF, library)
    siti = UserFactory(email="siti@example.org", full_name="Siti Rahmawati")
    AlumniProfileFactory(user=siti, study_program=library)
    slip = tmp_path / "bukti-transfer.png"
    slip.write_bytes(tiny_png())

    context = browser.new_context(locale="id-ID", reduced_motion="reduce", viewport={"width": 1280, "height": 900},
                                  accept_downloads=True)
    page = context.new_page()
    log_in(page, live_server, "siti@example.org", PASSWORD)

    # The public campaign page, then a weekly pledge on Friday of Rp 250.000.
    page.click("nav >> text=Donasi")
    page.click(f"main a[href='/giving/{campaign.pk}/']")
    assert float(bar_width(page)) == 0
    page.locator(f"main a[href='/giving/{campaign.pk}/pledge/']").first.click()
    page.fill("#id_amount", "250.000")
    page.select_option("#id_frequency", "weekly")
    page.select_option("#id_weekday", "4")
    page.fill("#id_starts_on", (today - datetime.timedelta(days=6)).isoformat())
    page.locator("main form[method=post] button").last.click()
    assert page.locator(".invalid-feedback, .alert-danger").count() >= 1  # the first date cannot be in the past
    page.fill("#id_starts_on", today.isoformat())
    page.check("#id_remind")
    page.locator("main form[method=post] button").last.click()
    page.wait_for_url(re.compile(r"/giving/pledges/[0-9a-f-]{36}/$"))
    pledge = Pledge.objects.get(donor=siti)
    assert (pledge.amount, pledge.weekday, pledge.frequency) == (Decimal(250_000), 4, "weekly")

    # Pay: a gift of Rp 250.000 by bank transfer with the slip attached.
    page.goto(live_server.url + f"/giving/{campaign.pk}/donate/")
    page.fill("#id_amount", "250.000")
    page.select_option("#id_method", "bank_transfer")
    page.set_input_files("#id_proof", str(slip))
    page.locator("main form[method=post] button").last.click()
    page.wait_for_url(re.compile(r"/giving/donations/[0-9a-f-]{36}/$"))
    donation = Donation.objects.get(donor=siti)
    assert donation.status == Donation.Status.PENDING
    context.close()

    # Staff verify it from the queue.
    staff_context = browser.new_context(locale="id-ID", reduced_motion="reduce",
                                        viewport={"width": 1280, "height": 900})
    staff_page = staff_context.new_page()
    log_in(staff_page, live_server, "staf@example.org", PASSWORD)
    staff_page.goto(live_server.url + "/giving/manage/verify/")
    assert staff_page.locator("main").inner_text().count("Siti Rahmawati") >= 1
    staff_page.screenshot(path=screenshot_dir / "giving-verify.png", full_page=True)
    # Verify asks first: the receipt number it will issue and who is emailed, then the confirm button.
    staff_page.locator(f"a[href='/giving/donations/{donation.pk}/verify/']").click()
    staff_page.wait_for_url(re.compile(r"/giving/donations/[0-9a-f-]{36}/verify/$"))
    assert staff_page.locator("#verify-receipt-number").inner_text() == f"UDM/KW/{today.year}/000001"
    assert Donation.objects.get(pk=donation.pk).status == Donation.Status.PENDING
    staff_page.screenshot(path=screenshot_dir / "giving-verify-confirm.png", full_page=True)
    staff_page.locator(f"form[action='/giving/donations/{donation.pk}/verify/'] button[type=submit]").click()
    staff_page.wait_for_url(re.compile(r"/giving/manage/verify/$"))
    donation.refresh_from_db()
    assert donation.status == Donation.Status.VERIFIED
    assert donation.receipt_number == f"UDM/KW/{today.year}/000001"
    assert any(donation.receipt_number in m.body or donation.receipt_number in m.subject for m in mail.outbox)
    staff_context.close()

    # The progress bar moved: Rp 250.000 of Rp 1.000.000 is 25 %.
    context = browser.new_context(locale="id-ID", reduced_motion="reduce", viewport={"width": 390, "height": 844},
                                  device_scale_factor=2, is_mobile=True, has_touch=True, accept_downloads=True)
    page = context.new_page()
    page.goto(live_server.url + f"/giving/{campaign.pk}/")
    assert float(bar_width(page)) == 25
    assert "Rp 250.000" in page.locator("#campaign-progress").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=screenshot_dir / "giving-campaign-phone.png", full_page=True)

    # Siti downloads her receipt from "My giving".
    log_in(page, live_server, "siti@example.org", PASSWORD)
    page.goto(live_server.url + "/giving/mine/")
    with page.expect_download() as receipt:
        page.locator(f"a[href='/giving/donations/{donation.pk}/receipt.pdf']").first.click()
    content = open(receipt.value.path(), "rb").read()
    assert content.startswith(b"%PDF")
    assert Instalment.objects.filter(pledge=pledge).count() <= 1
    context.close()
