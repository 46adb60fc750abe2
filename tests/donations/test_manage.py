"""Staff running campaigns: who may (403 for alumni, 404 for someone else's campaign), the campaign form and its
refusals (nothing saved), status moves, updates, disbursements within the balance, audit entries, and the manage
list at a fixed query count."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.models import AuditLog
from donations.models import Campaign, CampaignImage, CampaignItem, CampaignUpdate, Disbursement

from ..conftest import client_for
from .test_campaigns import give, make_campaign

pytestmark = pytest.mark.django_db
D = datetime.date


def form_data(program, **extra):
    data = {
        "title": "Wakaf sumur", "kind": "endowment", "study_program": program.pk if program else "",
        "summary": "Sumur untuk desa", "description": "Baris satu\nBaris dua", "beneficiary": "Desa Wonosari",
        "goal_amount": "75.000.000", "starts_on": "2026-01-01", "ends_on": "2026-12-31", "status": "open",
        "payment_instructions": "BSI 7001234567",
        "items-TOTAL_FORMS": "3", "items-INITIAL_FORMS": "0", "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "100",
        "images-TOTAL_FORMS": "2", "images-INITIAL_FORMS": "0", "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "6",
    }
    data.update(extra)
    return data


def png(name="foto.png", size=(8, 8)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


MANAGE_URLS = ["donations:manage", "donations:campaign_create"]


@pytest.mark.parametrize("name", MANAGE_URLS)
def test_alumnus_gets_403_on_manage_pages(alumnus_a, name):
    assert client_for(alumnus_a).get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", ["donations:campaign_edit", "donations:update_create",
                                  "donations:disbursement_create"])
def test_pages_of_one_campaign(prodi_x, alumnus_a, staff_x, staff_y, admin_user, name):
    wakaf = make_campaign(prodi_x)
    url = reverse(name, args=[wakaf.pk])
    assert client_for(None).get(url).status_code == 302  # to the login page
    assert client_for(alumnus_a).get(url).status_code == 403
    assert client_for(staff_y).get(url).status_code == 404
    assert client_for(staff_y).post(url, {"title": "Diambil alih"}).status_code == 404
    assert client_for(staff_x).get(url).status_code == 200
    assert client_for(admin_user).get(url).status_code == 200
    assert Campaign.objects.get().title == "Wakaf sumur desa"


def test_staff_create_a_money_campaign(prodi_x, staff_x, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    data = form_data(prodi_x, **{"images-0-caption": "Lokasi sumur"})
    response = client_for(staff_x).post(reverse("donations:campaign_create"),
                                        {**data, "cover": png("sampul.png"), "images-0-image": png()})
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == campaign.get_absolute_url()
    assert campaign.goal_amount == Decimal(75_000_000)
    assert campaign.institution == prodi_x.faculty.institution
    assert campaign.status == Campaign.Status.OPEN
    assert campaign.created_by == staff_x
    assert campaign.cover.name.endswith(".png") and "sampul" not in campaign.cover.name
    assert [i.caption for i in campaign.images.all()] == ["Lokasi sumur"]
    assert not campaign.items.exists()
    entry = AuditLog.objects.get(action="donations.campaign.created")
    assert entry.actor == staff_x and entry.target_id == str(campaign.pk)


def test_staff_cannot_choose_another_study_program_or_the_whole_institution(prodi_x, prodi_y, staff_x):
    client = client_for(staff_x)
    client.post(reverse("donations:campaign_create"), form_data(prodi_y))
    client.post(reverse("donations:campaign_create"), form_data(None))
    assert not Campaign.objects.exists()


def test_admin_creates_a_campaign_of_the_whole_institution(prodi_x, admin_user):
    response = client_for(admin_user).post(reverse("donations:campaign_create"), form_data(None))
    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.study_program is None
    assert campaign.institution == prodi_x.faculty.institution


def test_in_kind_campaign_saves_its_items(prodi_x, staff_x):
    data = form_data(prodi_x, kind="in_kind", goal_amount="", **{
        "items-0-name": "Komputer", "items-0-quantity_needed": "10", "items-0-unit": "unit",
        "items-1-name": "Meja", "items-1-quantity_needed": "5", "items-1-unit": "buah",
    })
    assert client_for(staff_x).post(reverse("donations:campaign_create"), data).status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.goal_amount is None
    assert [(i.name, i.quantity_needed, i.unit) for i in campaign.items.all()] == [
        ("Komputer", 10, "unit"), ("Meja", 5, "buah"),
    ]


@pytest.mark.parametrize("change, field", [
    ({"goal_amount": "10.000,50"}, "goal_amount"),
    ({"goal_amount": "-50000"}, "goal_amount"),
    ({"goal_amount": ""}, "goal_amount"),
    ({"goal_amount": "abc"}, "goal_amount"),
    ({"kind": "in_kind", "goal_amount": ""}, None),  # no items
    ({"ends_on": "2025-12-31"}, "ends_on"),
    ({"status": "closed"}, "status"),
    ({"title": ""}, "title"),
])
def test_bad_campaign_input_re_renders_with_errors_and_saves_nothing(prodi_x, staff_x, change, field):
    response = client_for(staff_x).post(reverse("donations:campaign_create"), form_data(prodi_x, **change))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors
    if field:
        assert field in form.errors
    else:
        assert form.non_field_errors()
    assert not Campaign.objects.exists()
    assert not CampaignItem.objects.exists()
    assert not AuditLog.objects.filter(action__startswith="donations.campaign").exists()


def test_goal_with_cents_is_explained_in_english(prodi_x, staff_x):
    staff_x.language = "en"
    staff_x.save()
    response = client_for(staff_x).post(reverse("donations:campaign_create"),
                                        form_data(prodi_x, goal_amount="10.000,50"))
    assert "whole numbers" in response.content.decode()


def test_images_that_are_not_pictures_or_too_many_are_refused(prodi_x, staff_x, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(staff_x)
    fake = SimpleUploadedFile("x.png", b"not an image at all", content_type="image/png")
    response = client.post(reverse("donations:campaign_create"), {**form_data(prodi_x), "images-0-image": fake})
    assert response.status_code == 200
    assert response.context["images"].forms[0].errors
    seven = {"images-TOTAL_FORMS": "7", **{f"images-{i}-image": png(f"{i}.png") for i in range(7)}}
    response = client.post(reverse("donations:campaign_create"), {**form_data(prodi_x), **seven})
    assert response.status_code == 200
    assert response.context["images"].non_form_errors()
    assert not Campaign.objects.exists() and not CampaignImage.objects.exists()


def test_picture_over_5_mb_is_refused(prodi_x, staff_x, tmp_path, settings, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr("donations.forms_campaign.MAX_IMAGE_BYTES", 50)
    response = client_for(staff_x).post(reverse("donations:campaign_create"),
                                        {**form_data(prodi_x), "cover": png(size=(64, 64))})
    assert "cover" in response.context["form"].errors
    assert not Campaign.objects.exists()


def _edit(client, campaign, **change):
    data = form_data(campaign.study_program, **change)
    return client.post(reverse("donations:campaign_edit", args=[campaign.pk]), data)


def test_status_moves_draft_open_closed_and_never_reopens(prodi_x, staff_x):
    campaign = make_campaign(prodi_x, status=Campaign.Status.DRAFT)
    client = client_for(staff_x)
    assert _edit(client, campaign, status="open").status_code == 302
    assert _edit(client, campaign, status="closed").status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CLOSED
    response = _edit(client, campaign, status="open")
    assert response.status_code == 200
    assert "status" in response.context["form"].errors
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CLOSED
    moves = AuditLog.objects.filter(action="donations.campaign.status_changed").order_by("pk")
    assert [(m.data["from"], m.data["to"]) for m in moves] == [("draft", "open"), ("open", "closed")]


def test_open_campaign_cannot_go_back_to_draft(prodi_x, staff_x):
    campaign = make_campaign(prodi_x)
    assert _edit(client_for(staff_x), campaign, status="draft").status_code == 200
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.OPEN


def test_kind_cannot_change_once_donations_exist(prodi_x, staff_x, alumnus_a):
    campaign = make_campaign(prodi_x)
    give(campaign, alumnus_a, 10_000)
    response = _edit(client_for(staff_x), campaign, kind="donation")
    assert "kind" in response.context["form"].errors
    campaign.refresh_from_db()
    assert campaign.kind == Campaign.Kind.ENDOWMENT


def test_edit_keeps_the_items_and_audits(prodi_x, staff_x):
    lab = make_campaign(prodi_x, kind=Campaign.Kind.IN_KIND, goal_amount=None)
    desk = CampaignItem.objects.create(campaign=lab, name="Meja", quantity_needed=5)
    data = {
        "kind": "in_kind", "goal_amount": "", "title": "Lab baru",
        "items-TOTAL_FORMS": "2", "items-INITIAL_FORMS": "1",
        "items-0-id": desk.pk, "items-0-campaign": lab.pk, "items-0-name": "Meja", "items-0-quantity_needed": "8",
        "items-1-name": "Kursi", "items-1-quantity_needed": "16",
    }
    assert _edit(client_for(staff_x), lab, **data).status_code == 302
    assert [(i.name, i.quantity_needed) for i in lab.items.all()] == [("Meja", 8), ("Kursi", 16)]
    assert AuditLog.objects.filter(action="donations.campaign.edited", target_id=str(lab.pk)).count() == 1
    # Removing the last item is refused.
    data.update({"items-TOTAL_FORMS": "2", "items-INITIAL_FORMS": "2", "items-0-DELETE": "on",
                 "items-1-id": lab.items.get(name="Kursi").pk, "items-1-campaign": lab.pk, "items-1-DELETE": "on"})
    response = _edit(client_for(staff_x), lab, **data)
    assert response.status_code == 200
    assert lab.items.count() == 2


def test_staff_post_an_update(prodi_x, staff_x):
    campaign = make_campaign(prodi_x)
    url = reverse("donations:update_create", args=[campaign.pk])
    response = client_for(staff_x).post(url, {"title": "Pengeboran dimulai", "body": "Hari ini, 20 meter."})
    assert response.status_code == 302
    update = CampaignUpdate.objects.get()
    assert (update.campaign, update.posted_by, update.title) == (campaign, staff_x, "Pengeboran dimulai")
    assert AuditLog.objects.filter(action="donations.campaign.update_posted").count() == 1
    assert client_for(staff_x).post(url, {"title": "", "body": ""}).status_code == 200
    assert CampaignUpdate.objects.count() == 1


def test_disbursement_within_the_balance_is_recorded(prodi_x, staff_x, alumnus_a, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    campaign = make_campaign(prodi_x)
    give(campaign, alumnus_a, 150_000)
    give(campaign, alumnus_a, 250_000)
    proof = SimpleUploadedFile("nota.pdf", b"%PDF-1.4 nota", content_type="application/pdf")
    response = client_for(staff_x).post(reverse("donations:disbursement_create", args=[campaign.pk]), {
        "amount": "100.000", "paid_on": "2026-02-02", "purpose": "Semen", "recipient": "Toko Jaya", "proof": proof,
    })
    assert response.status_code == 302
    assert response["Location"] == reverse("donations:ledger", args=[campaign.pk])
    out = Disbursement.objects.get()
    assert (out.amount, out.paid_on, out.recorded_by) == (Decimal(100_000), D(2026, 2, 2), staff_x)
    assert out.proof.name.endswith(".pdf")
    assert AuditLog.objects.filter(action="donations.disbursement.recorded").count() == 1


@pytest.mark.parametrize("amount", ["300.001", "0", "-5000", "1.000,50"])
def test_disbursement_over_the_balance_or_invalid_is_refused(prodi_x, staff_x, alumnus_a, amount):
    campaign = make_campaign(prodi_x)
    give(campaign, alumnus_a, 300_000)
    response = client_for(staff_x).post(reverse("donations:disbursement_create", args=[campaign.pk]), {
        "amount": amount, "paid_on": "2026-02-02", "purpose": "Semen",
    })
    assert response.status_code == 200
    assert response.context["form"].errors["amount"]
    assert not Disbursement.objects.exists()


def test_disbursement_over_the_balance_says_what_is_left(prodi_x, staff_x, alumnus_a):
    staff_x.language = "en"
    staff_x.save()
    campaign = make_campaign(prodi_x)
    give(campaign, alumnus_a, 300_000)
    response = client_for(staff_x).post(reverse("donations:disbursement_create", args=[campaign.pk]), {
        "amount": "300.001", "paid_on": "2026-02-02", "purpose": "Semen",
    })
    assert "Only Rp 300.000 of verified donations is left" in response.content.decode()


def test_manage_list_shows_only_own_campaigns_with_totals(prodi_x, prodi_y, staff_x, alumnus_a):
    mine = make_campaign(prodi_x, title="Kampanye X")
    make_campaign(prodi_y, title="Kampanye Y")
    give(mine, alumnus_a, 150_000)
    give(mine, alumnus_a, 250_000)
    give(mine, alumnus_a, 90_000, status="pending")
    Disbursement.objects.create(campaign=mine, amount=Decimal(100_000), paid_on=D(2026, 2, 2), purpose="Pipa")
    response = client_for(staff_x).get(reverse("donations:manage"))
    page = response.content.decode()
    assert "Kampanye X" in page and "Kampanye Y" not in page
    assert response.context["totals"] == {"received": Decimal(400_000), "disbursed": Decimal(100_000),
                                           "pending": 1}
    row = response.context["rows"][0]["progress"]
    assert (row.received, row.disbursed, row.balance) == (Decimal(400_000), Decimal(100_000), Decimal(300_000))


def test_manage_list_runs_a_fixed_number_of_queries(prodi_x, staff_x, alumnus_a, django_assert_max_num_queries):
    client = client_for(staff_x)
    client.get(reverse("donations:manage"))  # warm: both counts below are of a page whose caches (scope) are warm
    counts = []
    for start, size in ((0, 2), (100, 20)):
        for i in range(start, start + size):
            campaign = make_campaign(prodi_x, title=f"K{i}")
            give(campaign, alumnus_a, 10_000)
            Disbursement.objects.create(campaign=campaign, amount=Decimal(1_000), paid_on=D(2026, 2, 2), purpose="x")
            lab = make_campaign(prodi_x, title=f"B{i}", kind=Campaign.Kind.IN_KIND, goal_amount=None)
            CampaignItem.objects.create(campaign=lab, name="Meja", quantity_needed=3)
        with django_assert_max_num_queries(12) as captured:
            assert client.get(reverse("donations:manage")).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
