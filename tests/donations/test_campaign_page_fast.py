"""A campaign's page from the cache (donations/page_cache.CampaignPage): the campaign row and what everyone sees
alike are kept in the cache, `Campaign.is_visible_to` decides who may see it, and a viewer who does not run it
gets the whole cached content of the day. These tests hold the Python twin to the queryset, check that no draft is
served to someone who may not see it, that changes show on the next request and that the fast path reads nothing
of its own."""

import datetime
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from donations import services
from donations.models import Campaign, Donation
from donations.page_cache import CampaignPage

from ..conftest import client_for
from ..factories import CampaignFactory, UserFactory
from .test_campaigns import give
from .test_giving import make_campaign

PERSONAS = ("anonymous", "pending_person", "alumnus_a", "staff_x", "staff_y", "admin_user", "superuser")


@pytest.fixture
def superuser(db):
    return UserFactory(email="root@example.org", full_name="Root", is_superuser=True, is_staff=True)


def get(user, campaign, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client_for(user).get(campaign.get_absolute_url(), params)
    return response, [q["sql"] for q in queries]


def own_reads(queries):
    return [sql for sql in queries if "donations_" in sql]


def test_the_python_twin_agrees_with_the_queryset_for_every_persona_and_status(request, prodi_x, prodi_y):
    people = {name: request.getfixturevalue(name) for name in PERSONAS}
    institution = prodi_x.faculty.institution
    for status in Campaign.Status.values:
        for study_program in (prodi_x, prodi_y, None):
            CampaignFactory(study_program=study_program, institution=institution, status=status)
    campaigns = list(Campaign.objects.all())
    for name, user in people.items():
        visible = set(Campaign.objects.visible_to(user).values_list("pk", flat=True))
        assert {c.pk for c in campaigns if c.is_visible_to(user)} == visible, name


def test_a_member_gets_the_cached_page_without_a_query_of_its_own(prodi_x, alumnus_a, alumnus_b):
    wakaf = make_campaign(prodi_x, title="Wakaf sumur desa")
    give(wakaf, alumnus_b, 150_000)
    assert get(alumnus_a, wakaf)[0].status_code == 200
    for visitor in (alumnus_a, None):
        response, queries = get(visitor, wakaf)
        page = response.content.decode()
        assert response.status_code == 200 and own_reads(queries) == []
        assert "<title>Wakaf sumur desa" in page and "Bagus Pratama" in page and "Rp 150.000" in page
        assert reverse("donations:donate", args=[wakaf.pk]) in page
        assert reverse("donations:campaign_edit", args=[wakaf.pk]) not in page
    body = CampaignPage(wakaf.pk, wall_page=1, today=timezone.localdate()).body(
        lambda: pytest.fail("the content was not cached"))
    assert "Bagus Pratama" in body and "csrfmiddlewaretoken" not in body
    # A signed-in member's request reads the session and the user, and nothing else.
    client = client_for(alumnus_a)
    client.get(wakaf.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        assert client.get(wakaf.get_absolute_url()).status_code == 200
    reads = [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]
    assert len(reads) == 2 and all("django_session" in sql or "alumni_user" in sql for sql in reads), reads


def test_a_draft_404s_for_everyone_who_does_not_run_it_after_those_who_do_warmed_the_cache(
    prodi_x, staff_x, staff_y, admin_user, alumnus_a, pending_person
):
    draft = make_campaign(prodi_x, status=Campaign.Status.DRAFT, title="Rencana Rahasia")
    for insider in (staff_x, admin_user):
        response, _ = get(insider, draft)
        assert response.status_code == 200 and "Rencana Rahasia" in response.content.decode()
    for outsider in (alumnus_a, pending_person, staff_y, None):
        response, _ = get(outsider, draft)
        assert response.status_code == 404 and "Rencana Rahasia" not in response.content.decode()
    # Opened, it is everyone's; back to draft, it is closed to them again at once.
    draft.status = Campaign.Status.OPEN
    draft.save()
    assert get(alumnus_a, draft)[0].status_code == 200
    draft.status = Campaign.Status.DRAFT
    draft.save()
    assert get(alumnus_a, draft)[0].status_code == 404


def test_a_campaign_that_does_not_exist_is_a_404(db, alumnus_a):
    missing = reverse("donations:campaign", args=["00000000-0000-0000-0000-000000000000"])
    assert client_for(alumnus_a).get(missing).status_code == 404


def test_a_verified_donation_an_edit_and_closing_show_on_the_next_request(wakaf, staff_x, alumnus_a, alumnus_b):
    assert "Ani Lestari" not in get(alumnus_b, wakaf)[0].content.decode()
    pending = give(wakaf, alumnus_a, 250_000, status=Donation.Status.PENDING)
    assert "Ani Lestari" not in get(alumnus_b, wakaf)[0].content.decode()
    services.donation_verify(donation_id=pending.pk, user=staff_x)
    page = get(alumnus_b, wakaf)[0].content.decode()
    assert "Ani Lestari" in page and "Rp 250.000" in page

    wakaf.title = "Wakaf sumur desa (tahap 2)"
    wakaf.payment_instructions = "Transfer ke rekening wakaf 123"
    wakaf.save()
    page = get(alumnus_b, wakaf)[0].content.decode()
    assert "tahap 2" in page and "rekening wakaf 123" in page

    donate = reverse("donations:donate", args=[wakaf.pk])
    assert donate in page
    wakaf.status = Campaign.Status.CLOSED
    wakaf.save()
    page = get(alumnus_b, wakaf)[0].content.decode()
    assert donate not in page and 'data-status="closed"' in page


def test_the_donate_button_follows_the_day(prodi_x, alumnus_a):
    today = timezone.localdate()
    ending = make_campaign(prodi_x, ends_on=today)
    donate = reverse("donations:donate", args=[ending.pk])
    assert donate in get(alumnus_a, ending)[0].content.decode()
    with mock.patch("django.utils.timezone.localdate", return_value=today + datetime.timedelta(days=1)):
        assert donate not in get(alumnus_a, ending)[0].content.decode()


def test_the_people_who_run_it_keep_their_tools_after_a_member_warmed_the_cache(prodi_x, staff_x, admin_user,
                                                                                 alumnus_a):
    wakaf = make_campaign(prodi_x)
    edit = reverse("donations:campaign_edit", args=[wakaf.pk])
    assert edit not in get(alumnus_a, wakaf)[0].content.decode()
    for runner in (staff_x, admin_user):
        assert edit in get(runner, wakaf)[0].content.decode()
    assert edit not in get(alumnus_a, wakaf)[0].content.decode()
    assert edit not in get(None, wakaf)[0].content.decode()


def test_made_up_wall_pages_share_the_first_pages_cache_entry():
    from donations.views_public import _wall_page

    values = (None, "", "abc", "0", "-3", "1", " 2 ", "9" * 12)
    assert [_wall_page(v) for v in values] == [1, 1, 1, 1, 1, 1, 2, 1_000_000]
