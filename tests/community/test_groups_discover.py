"""Discovering groups: other cohorts' groups (which nobody joins by hand) are listed only when asked for by kind or
name, so communities and regions come first; past LIST_LIMIT the page asks for a narrower search."""

import pytest
from django.urls import reverse

from community import selectors_groups
from community import services_groups as sg
from community.models import Group

from ..conftest import client_for
from .support_groups import community, people

pytestmark = pytest.mark.django_db


def discover(html: str) -> str:
    return html.split('id="discover-groups"')[1].split("</ul>")[0] if 'id="discover-groups"' in html else ""


def test_other_cohorts_are_listed_only_when_asked_for(prodi_x, alumnus_a, alumnus_b):
    people(prodi_x, 2, entry_year=2011, prefix="c")
    sg.cohort_groups_sync()
    community(prodi_x, alumnus_a, name="Komunitas SLiMS", slug="slims")
    client = client_for(alumnus_b)
    html = discover(client.get(reverse("community:groups")).content.decode())
    assert "Komunitas SLiMS" in html and "Angkatan 2011" not in html
    html = discover(client.get(reverse("community:groups"), {"kind": "cohort"}).content.decode())
    assert "Angkatan 2011" in html and "Komunitas SLiMS" not in html
    html = discover(client.get(reverse("community:groups"), {"q": "angkatan 2011"}).content.decode())
    assert "Angkatan 2011" in html


def test_past_the_limit_the_page_asks_for_a_narrower_search(prodi_x, alumnus_a, alumnus_b, monkeypatch):
    monkeypatch.setattr(selectors_groups, "LIST_LIMIT", 3)
    for i in range(4):
        community(prodi_x, alumnus_a, name=f"Komunitas {i}", slug=f"k{i}")
    html = client_for(alumnus_b).get(reverse("community:groups")).content.decode()
    assert discover(html).count("<li") == 3 and 'id="discover-more"' in html
    Group.objects.filter(slug="k3").delete()
    html = client_for(alumnus_b).get(reverse("community:groups")).content.decode()
    assert discover(html).count("<li") == 3 and 'id="discover-more"' not in html
