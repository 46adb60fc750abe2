"""The campaign page in the order a phone shows it (issue 14, §2): the head (title, who runs it, dates), then the
progress and the give buttons, then the story and the donor wall. A desktop puts the give card beside them with
CSS (static/css/phone.css); the order in the page is the same for the cached content and the live page staff get."""

import pytest
from django.urls import reverse

from donations.models import Campaign

from ..conftest import client_for
from .test_campaigns import give
from .test_giving import make_campaign

pytestmark = pytest.mark.django_db


def positions(html: str, *markers: str) -> list[int]:
    found = [html.find(marker) for marker in markers]
    assert -1 not in found, dict(zip(markers, found, strict=True))
    return found


@pytest.mark.parametrize("viewer", ["anonymous", "alumnus_a", "staff_x"])
def test_progress_and_give_buttons_come_between_the_title_and_the_story(request, viewer, prodi_x, alumnus_b):
    wakaf = make_campaign(prodi_x, title="Wakaf sumur desa", description="Sumur bor untuk Desa Wonosari.")
    for amount in (150_000, 250_000):
        give(wakaf, alumnus_b, amount)
    client = client_for(request.getfixturevalue(viewer))
    for visit in ("first", "second"):  # the second comes from the cache for everyone but staff
        html = client.get(wakaf.get_absolute_url()).content.decode()
        title, progress, donate, pledge, story, wall = positions(
            html, "<h1", 'id="campaign-progress"', reverse("donations:donate", args=[wakaf.pk]),
            reverse("donations:pledge_create", args=[wakaf.pk]), "Sumur bor untuk Desa Wonosari", 'id="donors"')
        assert title < progress < donate < pledge < story < wall, (viewer, visit)
        assert html.count('id="give-bar"') == 1 and html.count(reverse("donations:donate", args=[wakaf.pk])) == 1
        assert "Rp 400.000" in html[progress:donate]
        assert html.count("<h1") == 1


def test_a_closed_campaign_has_no_give_bar(prodi_x, alumnus_a):
    closed = make_campaign(prodi_x, status=Campaign.Status.CLOSED)
    html = client_for(alumnus_a).get(closed.get_absolute_url()).content.decode()
    assert 'id="give-bar"' not in html and 'class="campaign-layout"' in html
    assert reverse("donations:donate", args=[closed.pk]) not in html
