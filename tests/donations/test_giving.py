"""The donor's pages: pledge and donate forms (bad money, bad dates, bad proofs: nothing saved), paying a pledge
instalment, pause/resume/stop, "my giving", the donation page with its private proof, and the receipt download."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from alumni.models import Consent
from alumni.privacy import CONSENT_WORDING, Purpose, consent_in_force, consent_record
from donations import services
from donations.models import Campaign, CampaignItem, Donation, DonationItem, Instalment, Pledge
from donations.services import Gift, PledgeTerms
from tests.conftest import client_for
from tests.factories import CampaignFactory, UserFactory

pytestmark = pytest.mark.django_db
# A real 1 × 1 PNG: pictures sent through the forms are decoded and re-encoded (core.images).
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
       b"\x00\x00\x00\x0cIDATx\x9cc\xe0\xce\xf3\x07\x00\x01P\x00\xc9\xaa\x16:6\x00\x00\x00\x00IEND\xaeB`\x82")
BAD_AMOUNTS = ["0", "-5", "10.000,50", "99999999999", "sepuluh ribu"]


def today() -> datetime.date:
    return timezone.localdate()


def make_campaign(program, **extra) -> Campaign:
    return CampaignFactory(study_program=program, **{"starts_on": today() - datetime.timedelta(days=30), **extra})


def make_in_kind(program) -> Campaign:
    campaign = make_campaign(program, title="Komputer lab", kind=Campaign.Kind.IN_KIND, goal_amount=None)
    CampaignItem.objects.create(campaign=campaign, name="Komputer", quantity_needed=10, unit="unit", position=0)
    CampaignItem.objects.create(campaign=campaign, name="Meja", quantity_needed=20, unit="buah", position=1)
    return campaign


def png(name="bukti.png", content=PNG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


def submit(campaign, donor, amount=50_000, **extra) -> Donation:
    gift = Gift(**{"amount": Decimal(amount), "method": "bank_transfer", "paid_on": today(), "proof": png(),
                   **extra})
    return services.donation_submit(campaign=campaign, donor=donor, gift=gift)


def pledge_url(campaign):
    return reverse("donations:pledge_create", args=[campaign.pk])


def donate_url(campaign):
    return reverse("donations:donate", args=[campaign.pk])


def pledge_data(**extra):
    return {"amount": "10.000", "frequency": "weekly", "weekday": "4", "day_of_month": "",
            "starts_on": today().isoformat(), "ends_on": "", **extra}


def donate_data(**extra):
    return {"amount": "50.000", "method": "bank_transfer", "paid_on": today().isoformat(), "proof": png(),
            "message": "Semoga berkah", **extra}


# --- Pledges ----------------------------------------------------------------------------------------------------

def test_pledge_form_needs_login(wakaf):
    response = client_for(None).get(pledge_url(wakaf))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_pledge_form_defaults_to_friday_and_today(wakaf, alumnus_a):
    response = client_for(alumnus_a).get(pledge_url(wakaf))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["weekday"].value() == Pledge.Weekday.FRIDAY
    assert form["starts_on"].value() == today()


@pytest.mark.parametrize("amount", BAD_AMOUNTS)
def test_pledge_form_refuses_bad_amounts(wakaf, alumnus_a, amount):
    response = client_for(alumnus_a).post(pledge_url(wakaf), pledge_data(amount=amount))
    assert response.status_code == 200
    assert response.context["form"].errors["amount"]
    assert not Pledge.objects.exists()
    assert not Instalment.objects.exists()


def test_pledge_with_no_date_in_range_is_refused(wakaf, alumnus_a):
    # Weekly on Friday between a Saturday and the Thursday after: no Friday falls in between.
    start = today() + datetime.timedelta(days=(5 - today().weekday()) % 7 or 7)
    assert start.weekday() == 5
    data = pledge_data(starts_on=start.isoformat(), ends_on=(start + datetime.timedelta(days=5)).isoformat())
    response = client_for(alumnus_a).post(pledge_url(wakaf), data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Pledge.objects.exists()


def test_pledge_end_before_start_and_missing_weekday_are_refused(wakaf, alumnus_a):
    client = client_for(alumnus_a)
    start = today() + datetime.timedelta(days=10)
    response = client.post(pledge_url(wakaf), pledge_data(starts_on=start.isoformat(), ends_on=today().isoformat()))
    assert response.context["form"].errors["ends_on"]
    response = client.post(pledge_url(wakaf), pledge_data(frequency="monthly", day_of_month=""))
    assert response.context["form"].errors["day_of_month"]
    response = client.post(pledge_url(wakaf), pledge_data(weekday=""))
    assert response.context["form"].errors["weekday"]
    response = client.post(pledge_url(wakaf), pledge_data(starts_on=(today() - datetime.timedelta(days=1)).isoformat()))
    assert response.context["form"].errors["starts_on"]
    assert not Pledge.objects.exists()


def test_weekly_pledge_starting_on_its_weekday_has_its_first_instalment_at_once(wakaf, alumnus_a):
    data = pledge_data(amount="Rp 10.000", weekday=str(today().weekday()), anonymous="on")
    response = client_for(alumnus_a).post(pledge_url(wakaf), data)
    pledge = Pledge.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("donations:pledge", args=[pledge.pk])
    assert (pledge.amount, pledge.frequency, pledge.weekday, pledge.anonymous) == (
        Decimal(10_000), "weekly", today().weekday(), True)
    assert list(pledge.instalments.values_list("due_on", "amount", "status")) == [
        (today(), Decimal(10_000), "due")]
    assert pledge.next_due_on == today() + datetime.timedelta(days=7)


def test_monthly_pledge_in_the_future_has_no_instalment_yet(wakaf, alumnus_a):
    start = today() + datetime.timedelta(days=3)
    data = pledge_data(frequency="monthly", weekday="", day_of_month=str(start.day), starts_on=start.isoformat())
    assert client_for(alumnus_a).post(pledge_url(wakaf), data).status_code == 302
    pledge = Pledge.objects.get()
    assert (pledge.weekday, pledge.day_of_month, pledge.next_due_on) == (None, start.day, start)
    assert not pledge.instalments.exists()


def test_one_off_pledge_today_is_due_today(wakaf, alumnus_a):
    client_for(alumnus_a).post(pledge_url(wakaf), pledge_data(frequency="once", amount="250000"))
    pledge = Pledge.objects.get()
    assert list(pledge.instalments.values_list("due_on", "amount")) == [(today(), Decimal(250_000))]
    assert pledge.status == Pledge.Status.COMPLETED


def test_ticking_reminders_records_fundraising_consent(wakaf, alumnus_a):
    assert not consent_in_force(user=alumnus_a, purpose=Purpose.FUNDRAISING)
    client_for(alumnus_a).post(pledge_url(wakaf), pledge_data(remind="on"))
    assert consent_in_force(user=alumnus_a, purpose=Purpose.FUNDRAISING)
    consent = Consent.objects.get(user=alumnus_a, purpose=Purpose.FUNDRAISING)
    assert consent.wording_version == CONSENT_WORDING[Purpose.FUNDRAISING][0]


def test_without_the_tick_no_consent_is_recorded(wakaf, alumnus_a):
    client_for(alumnus_a).post(pledge_url(wakaf), pledge_data())
    assert Pledge.objects.exists()
    assert not Consent.objects.filter(user=alumnus_a, purpose=Purpose.FUNDRAISING).exists()


def test_refused_pledge_records_no_consent_either(wakaf, alumnus_a):
    client_for(alumnus_a).post(pledge_url(wakaf), pledge_data(amount="0", remind="on"))
    assert not Consent.objects.filter(user=alumnus_a).exists()


def test_existing_consent_shows_the_box_ticked_and_disabled(wakaf, alumnus_a):
    consent_record(user=alumnus_a, purpose=Purpose.FUNDRAISING, granted=True,
                   wording_version=CONSENT_WORDING[Purpose.FUNDRAISING][0])
    client = client_for(alumnus_a)
    field = client.get(pledge_url(wakaf)).context["form"]["remind"]
    assert field.field.disabled and field.value() is True
    client.post(pledge_url(wakaf), pledge_data())
    assert Consent.objects.filter(user=alumnus_a, purpose=Purpose.FUNDRAISING).count() == 1


@pytest.mark.parametrize("change", [{"status": Campaign.Status.CLOSED}, {"kind": Campaign.Kind.IN_KIND}])
def test_no_pledge_to_a_closed_or_in_kind_campaign(wakaf, alumnus_a, change):
    Campaign.objects.filter(pk=wakaf.pk).update(**change)
    response = client_for(alumnus_a).post(pledge_url(wakaf), pledge_data())
    assert response.status_code == 302
    assert not Pledge.objects.exists()


def test_draft_campaign_of_another_program_is_404(prodi_x, alumnus_a):
    draft = make_campaign(prodi_x, status=Campaign.Status.DRAFT)
    assert client_for(alumnus_a).get(pledge_url(draft)).status_code == 404
    assert client_for(alumnus_a).get(donate_url(draft)).status_code == 404


def make_pledge(campaign, donor, **terms) -> Pledge:
    base = {"amount": Decimal(10_000), "frequency": "weekly", "starts_on": today(), "weekday": today().weekday()}
    return services.pledge_create(donor=donor, campaign=campaign, terms=PledgeTerms(**{**base, **terms}))


def test_pause_resume_and_stop_through_the_views(wakaf, alumnus_a):
    pledge = make_pledge(wakaf, alumnus_a)
    client = client_for(alumnus_a)
    response = client.post(reverse("donations:pledge_pause", args=[pledge.pk]), {"next": "mine"})
    assert response["Location"] == reverse("donations:mine")
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.PAUSED
    client.post(reverse("donations:pledge_resume", args=[pledge.pk]))
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.ACTIVE
    stop = reverse("donations:pledge_stop", args=[pledge.pk])
    assert client.get(stop).status_code == 200  # the confirmation step changes nothing
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.ACTIVE
    response = client.post(stop)
    assert response["Location"] == reverse("donations:pledge", args=[pledge.pk])
    pledge.refresh_from_db()
    assert (pledge.status, pledge.next_due_on) == (Pledge.Status.STOPPED, None)
    assert list(pledge.instalments.values_list("status", flat=True)) == ["cancelled"]


def test_pause_needs_post_and_refuses_twice(wakaf, alumnus_a):
    pledge = make_pledge(wakaf, alumnus_a)
    client = client_for(alumnus_a)
    url = reverse("donations:pledge_pause", args=[pledge.pk])
    assert client.get(url).status_code == 405
    client.post(url)
    client.post(url)  # already paused: a message, nothing changes
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.PAUSED


@pytest.mark.parametrize("action", ["pledge_pause", "pledge_resume", "pledge_stop"])
def test_another_users_pledge_is_404(wakaf, alumnus_a, alumnus_b, staff_x, action):
    pledge = make_pledge(wakaf, alumnus_a)
    for user in (alumnus_b, staff_x):
        assert client_for(user).post(reverse(f"donations:{action}", args=[pledge.pk])).status_code == 404
    assert client_for(alumnus_b).get(reverse("donations:pledge", args=[pledge.pk])).status_code == 404
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.ACTIVE


def test_pledge_page_lists_instalments_with_a_pay_link(wakaf, alumnus_a):
    pledge = make_pledge(wakaf, alumnus_a)
    instalment = pledge.instalments.get()
    response = client_for(alumnus_a).get(reverse("donations:pledge", args=[pledge.pk]))
    assert response.status_code == 200
    assert f"{donate_url(wakaf)}?instalment={instalment.pk}" in response.content.decode()


def test_staff_of_the_program_see_the_pledge_without_the_buttons(wakaf, alumnus_a, staff_x, staff_y):
    pledge = make_pledge(wakaf, alumnus_a)
    response = client_for(staff_x).get(reverse("donations:pledge", args=[pledge.pk]))
    assert response.status_code == 200
    assert reverse("donations:pledge_pause", args=[pledge.pk]) not in response.content.decode()
    assert client_for(staff_y).get(reverse("donations:pledge", args=[pledge.pk])).status_code == 404


# --- Donations --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("amount", BAD_AMOUNTS)
def test_donate_form_refuses_bad_amounts(wakaf, alumnus_a, amount):
    response = client_for(alumnus_a).post(donate_url(wakaf), donate_data(amount=amount))
    assert response.status_code == 200
    assert response.context["form"].errors["amount"]
    assert not Donation.objects.exists()


@pytest.mark.parametrize("upload", [
    SimpleUploadedFile("setup.exe", b"MZ\x90\x00" + b"\x00" * 60, content_type="application/octet-stream"),
    SimpleUploadedFile("bukti.png", b"this is only text pretending to be a picture", content_type="image/png"),
], ids=["exe", "text-named-png"])
def test_donate_refuses_a_proof_that_is_not_an_image_or_pdf(wakaf, alumnus_a, upload):
    response = client_for(alumnus_a).post(donate_url(wakaf), donate_data(proof=upload))
    assert response.status_code == 200
    assert response.context["form"].errors["proof"]
    assert not Donation.objects.exists()


def test_donate_refuses_a_proof_over_the_cap(wakaf, alumnus_a, settings):
    settings.DONATION_PROOF_MAX_BYTES = 1024
    big = png(content=PNG + b"\x00" * 2048)
    response = client_for(alumnus_a).post(donate_url(wakaf), donate_data(proof=big))
    assert response.context["form"].errors["proof"]
    assert not Donation.objects.exists()


@pytest.mark.parametrize("method", ["bank_transfer", "ewallet"])
def test_transfer_and_ewallet_need_a_proof(wakaf, alumnus_a, method):
    data = donate_data(method=method)
    del data["proof"]
    response = client_for(alumnus_a).post(donate_url(wakaf), data)
    assert response.context["form"].errors["proof"]
    assert not Donation.objects.exists()


def test_cash_needs_no_proof_and_in_kind_is_not_offered_for_money(wakaf, alumnus_a):
    client = client_for(alumnus_a)
    data = donate_data(method="in_kind")
    response = client.post(donate_url(wakaf), data)
    assert response.context["form"].errors["method"]
    data = donate_data(method="cash")
    del data["proof"]
    assert client.post(donate_url(wakaf), data).status_code == 302
    assert Donation.objects.get().method == "cash"


def test_payment_date_in_the_future_is_refused(wakaf, alumnus_a):
    tomorrow = today() + datetime.timedelta(days=1)
    response = client_for(alumnus_a).post(donate_url(wakaf), donate_data(paid_on=tomorrow.isoformat()))
    assert response.context["form"].errors["paid_on"]
    assert not Donation.objects.exists()


def test_donation_waits_for_verification(wakaf, alumnus_a):
    client = client_for(alumnus_a)
    response = client.post(donate_url(wakaf), donate_data(amount="Rp 1.250.000", anonymous="on"))
    donation = Donation.objects.get()
    assert response["Location"] == reverse("donations:donation", args=[donation.pk])
    assert (donation.amount, donation.status, donation.donor, donation.anonymous, donation.message) == (
        Decimal(1_250_000), "pending", alumnus_a, True, "Semoga berkah")
    assert donation.proof.name.endswith(".png") and "bukti" not in donation.proof.name
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Rp 1.250.000" in page.content.decode()
    assert reverse("donations:donation_proof", args=[donation.pk]) in page.content.decode()
    assert "/media/" not in page.content.decode()


def test_paying_an_instalment_fixes_the_amount(wakaf, alumnus_a):
    pledge = make_pledge(wakaf, alumnus_a, amount=Decimal(25_000))
    instalment = pledge.instalments.get()
    client = client_for(alumnus_a)
    url = f"{donate_url(wakaf)}?instalment={instalment.pk}"
    form = client.get(url).context["form"]
    assert form["amount"].value() == "25.000" and form.fields["amount"].disabled
    response = client.post(url, donate_data(amount="999.000"))
    assert response.status_code == 302
    donation = Donation.objects.get()
    assert (donation.amount, donation.instalment) == (Decimal(25_000), instalment)
    # Once sent, the instalment cannot be paid a second time.
    assert client.get(url).status_code == 404


def test_someone_elses_instalment_is_404(wakaf, alumnus_a, alumnus_b):
    instalment = make_pledge(wakaf, alumnus_a).instalments.get()
    client = client_for(alumnus_b)
    assert client.get(f"{donate_url(wakaf)}?instalment={instalment.pk}").status_code == 404
    assert client.post(f"{donate_url(wakaf)}?instalment={instalment.pk}", donate_data()).status_code == 404
    assert client.get(f"{donate_url(wakaf)}?instalment=not-a-uuid").status_code == 404
    other = make_campaign(wakaf.study_program, title="Lain")
    assert client_for(alumnus_a).get(f"{donate_url(other)}?instalment={instalment.pk}").status_code == 404
    assert not Donation.objects.exists()


def test_in_kind_donation_asks_quantities(prodi_x, alumnus_a):
    campaign = make_in_kind(prodi_x)
    computer, desk = campaign.items.all()
    client = client_for(alumnus_a)
    form = client.get(donate_url(campaign)).context["form"]
    assert [c[0] for c in form.fields["method"].choices] == ["in_kind"]
    base = {"method": "in_kind", "paid_on": today().isoformat(), "amount": ""}
    response = client.post(donate_url(campaign), {**base, f"item_{computer.pk}": "0", f"item_{desk.pk}": ""})
    assert response.context["form"].non_field_errors()
    response = client.post(donate_url(campaign), {**base, f"item_{computer.pk}": "-1"})
    assert response.context["form"].errors[f"item_{computer.pk}"]
    assert not Donation.objects.exists()
    response = client.post(donate_url(campaign), {**base, f"item_{computer.pk}": "2", f"item_{desk.pk}": "0"})
    assert response.status_code == 302
    donation = Donation.objects.get()
    assert (donation.amount, donation.method) == (Decimal(0), "in_kind")
    assert list(DonationItem.objects.values_list("item__name", "quantity")) == [("Komputer", 2)]


# --- Who sees what ----------------------------------------------------------------------------------------------

def test_donation_page_and_proof_are_for_the_donor_and_the_programs_staff(wakaf, alumnus_a, alumnus_b, staff_x,
                                                                          staff_y, admin_user):
    donation = submit(wakaf, alumnus_a)
    page = reverse("donations:donation", args=[donation.pk])
    proof = reverse("donations:donation_proof", args=[donation.pk])
    for user in (alumnus_a, staff_x, admin_user):
        assert client_for(user).get(page).status_code == 200
        response = client_for(user).get(proof)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert b"".join(response.streaming_content) == PNG
    for user in (alumnus_b, staff_y):
        assert client_for(user).get(page).status_code == 404
        assert client_for(user).get(proof).status_code == 404
    assert client_for(None).get(proof).status_code == 302


def test_receipt_download_only_for_verified_donations(wakaf, alumnus_a, alumnus_b, staff_x, staff_y):
    donation = submit(wakaf, alumnus_a)
    url = reverse("donations:receipt", args=[donation.pk])
    assert client_for(alumnus_a).get(url).status_code == 404  # still pending
    services.donation_verify(donation_id=donation.pk, user=staff_x)
    for user in (alumnus_a, staff_x):
        response = client_for(user).get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")
        assert "UUC-KW-" in response["Content-Disposition"]
    for user in (alumnus_b, staff_y):
        assert client_for(user).get(url).status_code == 404


def test_my_giving_shows_only_my_own(wakaf, alumnus_a, alumnus_b, staff_x):
    mine_pledge = make_pledge(wakaf, alumnus_a, amount=Decimal(17_000))
    make_pledge(wakaf, alumnus_b, amount=Decimal(23_000))
    verified = submit(wakaf, alumnus_a, amount=31_000)
    services.donation_verify(donation_id=verified.pk, user=staff_x)
    rejected = submit(wakaf, alumnus_a, amount=41_000)
    services.donation_reject(donation_id=rejected.pk, user=staff_x, reason="Transfer tidak ditemukan")
    submit(wakaf, alumnus_b, amount=53_000)
    response = client_for(alumnus_a).get(reverse("donations:mine"))
    body = response.content.decode()
    assert [p.pk for p in response.context["pledges"]] == [mine_pledge.pk]
    assert {d.pk for d in response.context["donations"]} == {verified.pk, rejected.pk}
    assert "Rp 17.000" in body and "Rp 31.000" in body and "Rp 41.000" in body
    assert "Rp 23.000" not in body and "Rp 53.000" not in body
    assert "Transfer tidak ditemukan" in body
    assert reverse("donations:receipt", args=[verified.pk]) in body
    assert reverse("donations:receipt", args=[rejected.pk]) not in body
    pledge_row = response.context["pledges"][0]
    assert (pledge_row.due_count, pledge_row.paid_count) == (1, 0)
    instalment = mine_pledge.instalments.get()
    assert f"{donate_url(wakaf)}?instalment={instalment.pk}" in body


def _grow(campaign, donor, staff, size, start):
    for n in range(size):
        pledge = make_pledge(campaign, donor, amount=Decimal(1_000 + start + n),
                             starts_on=today() - datetime.timedelta(days=14))
        donation = submit(campaign, donor, amount=2_000 + start + n)
        if n % 2:
            services.donation_verify(donation_id=donation.pk, user=staff)
        assert pledge.instalments.exists()


def test_my_giving_runs_a_fixed_number_of_queries(wakaf, alumnus_a, staff_x, django_assert_max_num_queries):
    Campaign.objects.filter(pk=wakaf.pk).update(starts_on=today() - datetime.timedelta(days=60))
    client = client_for(alumnus_a)
    client.get(reverse("donations:mine"))  # warm: both counts below are of a page whose caches (scope) are warm
    counts = []
    for size, start in ((2, 0), (12, 100)):
        _grow(wakaf, alumnus_a, staff_x, size, start)
        with django_assert_max_num_queries(12) as captured:
            assert client.get(reverse("donations:mine")).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_a_new_user_sees_an_empty_page(db):
    user = UserFactory(email="new@example.org")
    response = client_for(user).get(reverse("donations:mine"))
    assert response.status_code == 200
    assert response.context["pledges"] == [] and response.context["donations"] == []
