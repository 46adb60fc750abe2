"""A campaign's page: what everyone sees alike is rendered once and cached (donations/page_cache.py) until the
giving data or a donor's name changes; who may see the campaign and the viewer's own parts stay live."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alumni.privacy import account_delete
from donations.models import CampaignImage, CampaignUpdate, Disbursement, Donation

from ..conftest import client_for
from .test_campaigns import give, make_campaign


def view(user, campaign, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client_for(user).get(campaign.get_absolute_url(), params)
    reads = [q["sql"] for q in queries if "donations_donation" in q["sql"] or "donations_campaignupdate" in q["sql"]]
    return response, reads


def test_the_second_visitor_gets_the_page_without_reading_the_donations(prodi_x, alumnus_a, alumnus_b):
    wakaf = make_campaign(prodi_x)
    give(wakaf, alumnus_a, 150_000)
    first, reads = view(alumnus_b, wakaf)
    assert reads and "Ani Lestari" in first.content.decode()
    for visitor in (alumnus_a, None):
        response, reads = view(visitor, wakaf)
        assert response.status_code == 200 and reads == []
        assert "Ani Lestari" in response.content.decode() and "Rp 150.000" in response.content.decode()


def test_a_verified_donation_an_update_and_a_disbursement_show_on_the_next_request(prodi_x, alumnus_a, staff_x):
    wakaf = make_campaign(prodi_x)
    view(None, wakaf)
    give(wakaf, alumnus_a, 300_000)
    page = view(None, wakaf)[0].content.decode()
    assert "Ani Lestari" in page and "Rp 300.000" in page
    CampaignUpdate.objects.create(campaign=wakaf, title="Pengeboran dimulai", body="Hari ini.")
    assert "Pengeboran dimulai" in view(None, wakaf)[0].content.decode()
    Disbursement.objects.create(campaign=wakaf, amount=100_000, paid_on=wakaf.starts_on, purpose="Bor",
                                recorded_by=staff_x)
    assert "Rp 200.000" in view(None, wakaf)[0].content.decode()  # the balance
    wakaf.title = "Wakaf sumur desa (tahap 2)"
    wakaf.save()
    assert "tahap 2" in view(None, wakaf)[0].content.decode()


def test_a_donor_who_deletes_their_account_leaves_the_wall_at_once(prodi_x, alumnus_a, alumnus_b):
    wakaf = make_campaign(prodi_x)
    give(wakaf, alumnus_a, 150_000, message="Untuk sumur", message_public=True)
    page = view(alumnus_b, wakaf)[0].content.decode()
    assert "Ani Lestari" in page and "Untuk sumur" in page
    account_delete(user=alumnus_a)
    page = view(alumnus_b, wakaf)[0].content.decode()
    assert "Ani Lestari" not in page and "Untuk sumur" not in page
    assert Donation.objects.get(campaign=wakaf).donor_id is None


def test_a_draft_stays_private_after_its_staff_saw_it_and_staff_tools_stay_theirs(prodi_x, staff_x, alumnus_a):
    draft = make_campaign(prodi_x, status="draft")
    assert view(staff_x, draft)[0].status_code == 200
    assert view(alumnus_a, draft)[0].status_code == 404
    assert view(None, draft)[0].status_code == 404
    wakaf = make_campaign(prodi_x, title="Wakaf terbuka")
    edit = reverse("donations:campaign_edit", args=[wakaf.pk])
    assert edit in view(staff_x, wakaf)[0].content.decode()
    assert edit not in view(alumnus_a, wakaf)[0].content.decode()


def test_wall_pages_and_languages_are_cached_apart(prodi_x, alumnus_a, alumnus_b):
    wakaf = make_campaign(prodi_x)
    give(wakaf, alumnus_a, 150_000)
    indonesian = view(alumnus_b, wakaf)[0].content.decode()
    alumnus_a.language = "en"
    alumnus_a.save()
    english = view(alumnus_a, wakaf)[0].content.decode()
    assert "Donor wall" in english and "Donor wall" not in indonesian
    CampaignImage.objects.create(campaign=wakaf, image="campaigns/x.jpg", caption="Sumur lama")
    assert "Sumur lama" in view(alumnus_b, wakaf)[0].content.decode()
    assert "Sumur lama" in view(alumnus_a, wakaf, page="2")[0].content.decode()
