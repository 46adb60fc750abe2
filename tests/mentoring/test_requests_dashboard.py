"""The mentor's dashboard card: the requests waiting for their answer, oldest first, at most five, in one query
whatever their number; the cached dashboard drops a request once it is answered or expired by the tick."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alumni.scope import scope_for
from mentoring import services_requests
from mentoring.hooks_requests import request_cards

from ..conftest import client_for
from .support_profiles import member, mentor

pytestmark = pytest.mark.django_db(transaction=True)  # the expiry's cache generation moves after its commit


def ask(mentee, mentor_user, *, now=None):
    return services_requests.request_create(mentee=mentee, profile=mentor_user.mentor_profile,
                                            help_with="Bimbingan skripsi", now=now)


def dashboard(client) -> str:
    return client.get(reverse("dashboard")).content.decode()


def test_the_card_lists_waiting_requests_in_one_query_whatever_their_number(prodi_x, alumnus_a):
    mentor(alumnus_a, capacity=10)
    profile = alumnus_a.alumni_profile
    counts, asked = [], 0
    for size in (1, 7):
        while asked < size:
            ask(member(prodi_x, f"Mentee {asked}"), alumnus_a)
            asked += 1
        scope = scope_for(alumnus_a)
        with CaptureQueriesContext(connection) as ctx:
            card = request_cards(alumnus_a, scope, profile)
        counts.append(len(ctx.captured_queries))
        assert len(card["mentoring_waiting"]) == min(size, 5)
        assert [r.mentee.get_full_name() for r in card["mentoring_waiting"]][0] == "Mentee 0"  # oldest first
    assert counts == [1, 1]


def test_people_without_a_profile_get_an_empty_card_without_queries(staff_x):
    scope = scope_for(staff_x)
    with CaptureQueriesContext(connection) as ctx:
        assert request_cards(staff_x, scope, None) == {"mentoring_waiting": []}
    assert not ctx.captured_queries


def test_the_cached_dashboard_follows_answers_and_the_expiry_tick(prodi_x, alumnus_a, alumnus_b, student):
    mentor(alumnus_a, capacity=3)
    client = client_for(alumnus_a)
    assert 'id="mentoring-card"' not in dashboard(client)
    first = ask(student, alumnus_a)
    page = dashboard(client)
    assert 'id="mentoring-card"' in page and reverse("mentoring:request_detail", args=[first.pk]) in page
    services_requests.request_accept(request=first, by=alumnus_a)
    assert reverse("mentoring:request_detail", args=[first.pk]) not in dashboard(client)

    old = ask(alumnus_b, alumnus_a, now=timezone.now() - datetime.timedelta(days=13, hours=23))
    assert reverse("mentoring:request_detail", args=[old.pk]) in dashboard(client)
    services_requests.requests_expire(now=timezone.now() + datetime.timedelta(hours=2))
    assert 'id="mentoring-card"' not in dashboard(client)
