"""A member's dashboard comes from the cache (alumni.dashboard_cache) and still shows every change on the next
request; staff dashboards stay live; the cached forms post with the person's current CSRF token."""

import datetime
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alumni import privacy
from alumni.models import AlumniProfile, Consent, RecordCorrection, Vouch
from donations import services as giving
from donations.services import PledgeTerms
from programs import services as program_services
from tests.conftest import client_for
from tests.factories import AlumniProfileFactory, ProgramFactory, UserFactory

from ..donations.test_services import campaign_for

pytestmark = pytest.mark.django_db

DASHBOARD = "/dashboard/"


def body(client) -> str:
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    return response.content.decode()


def test_a_members_dashboard_is_served_from_the_cache_with_the_session_queries_only(
    alumnus_a, django_assert_max_num_queries
):
    client = client_for(alumnus_a)
    first = body(client)
    # Session, account, and the request's savepoint and its release: nothing else runs while nothing the page
    # shows changed (11 queries when it is built).
    with django_assert_max_num_queries(4):
        again = body(client)
    assert "Ani Lestari" in again
    assert again.count("<h1") == first.count("<h1") == 1


def test_each_person_sees_their_own_dashboard(alumnus_a, alumnus_b):
    a, b = client_for(alumnus_a), client_for(alumnus_b)
    assert "Ani Lestari" in body(a)
    assert "Bagus Pratama" in body(b)
    page_a = body(a)
    assert "Ani Lestari" in page_a and "Bagus Pratama" not in page_a


def test_the_language_is_part_of_the_key(alumnus_a):
    client = client_for(alumnus_a)
    indonesian = body(client)
    alumnus_a.language = "en"
    alumnus_a.save(update_fields=["language"])
    english = body(client)
    assert "Halo" in indonesian
    assert "Hello" in english and "Halo" not in english


def test_an_edited_record_and_a_new_job_show_on_the_next_request(alumnus_a):
    client = client_for(alumnus_a)
    assert "Pustakawan Ahli" not in body(client)
    profile = AlumniProfile.objects.get(user=alumnus_a)
    profile.full_name = "Ani Lestari Putri"
    profile.save()
    profile.employments.create(employer="Perpustakaan Daerah", position="Pustakawan Ahli",
                               start_date=datetime.date(2022, 1, 1))
    page = body(client)
    assert "Ani Lestari Putri" in page
    assert "Pustakawan Ahli, Perpustakaan Daerah" in page


def test_a_privacy_decision_takes_the_prompt_away_at_once(alumnus_a):
    client = client_for(alumnus_a)
    assert reverse("alumni:privacy_choices") in body(client)
    privacy.consent_record_choices(
        user=alumnus_a,
        choices={purpose: False for purpose in privacy.consent_askable(has_profile=True)},
        versions={purpose: "v1" for purpose in privacy.consent_askable(has_profile=True)},
    )
    assert reverse("alumni:privacy_choices") not in body(client)


def test_a_new_classmate_request_and_a_vouch_show_on_the_next_request(alumnus_a, alumnus_b, prodi_x):
    client = client_for(alumnus_a)
    assert "Putri Menunggu" not in body(client)
    pending = UserFactory(email="pending@example.org", full_name="Putri Menunggu")
    profile = AlumniProfileFactory(user=pending, study_program=prodi_x, nim="15710099", entry_year=2015,
                                   verification=AlumniProfile.Verification.PENDING)
    assert "Putri Menunggu" in body(client)
    # Bagus vouches: Ani's page is unchanged (she has not answered), Bagus's request list empties.
    b = client_for(alumnus_b)
    assert "Putri Menunggu" in body(b)
    Vouch.objects.create(profile=profile, voucher=alumnus_b, decision=Vouch.Decision.VOUCH)
    assert "Putri Menunggu" not in body(b)
    assert "Putri Menunggu" in body(client)


def test_the_cached_vouch_form_posts_after_a_new_login(alumnus_a, prodi_x):
    """The body is cached with a placeholder: a page built in an earlier login carries this login's token."""
    pending = UserFactory(email="pending@example.org", full_name="Putri Menunggu")
    profile = AlumniProfileFactory(user=pending, study_program=prodi_x, nim="15710099", entry_year=2015,
                                   verification=AlumniProfile.Verification.PENDING)
    first = Client(enforce_csrf_checks=True)
    first.force_login(alumnus_a)
    body(first)  # builds and stores the page
    second = Client(enforce_csrf_checks=True)
    second.force_login(alumnus_a)
    page = body(second)  # from the cache
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert tokens and "placeholder" not in page
    answer = second.post(reverse("alumni:vouch", args=[profile.pk]),
                         {"decision": "vouch", "csrfmiddlewaretoken": tokens[0]})
    assert answer.status_code == 302
    assert Vouch.objects.filter(profile=profile, voucher=alumnus_a, decision=Vouch.Decision.VOUCH).exists()


def test_a_team_invitation_and_its_withdrawal_show_on_the_next_request(alumnus_a, alumnus_b, prodi_x, staff_x):
    program = ProgramFactory(study_program=prodi_x, title="Mentoring Skripsi", audience="alumni")
    client = client_for(alumnus_b)
    assert "Mentoring Skripsi" not in body(client)
    invitation = program_services.team_invite(program=program, by=staff_x, email=alumnus_b.email, role="mentor")
    assert "Mentoring Skripsi" in body(client)
    program_services.team_invitation_withdraw(invitation=invitation, by=staff_x)  # an update(), no signal
    assert "Mentoring Skripsi" not in body(client)


def test_an_instalment_due_then_paid_shows_on_the_next_request(alumnus_a, prodi_x, staff_x):
    wakaf = campaign_for(prodi_x, starts_on=datetime.date(2025, 1, 1))
    client = client_for(alumnus_a)
    assert "?instalment=" not in body(client)
    today = timezone.localdate()
    pledge = giving.pledge_create(donor=alumnus_a, campaign=wakaf, terms=PledgeTerms(
        amount=Decimal(10_000), frequency="weekly", weekday=today.weekday(), starts_on=today))
    instalment = pledge.instalments.get()
    assert f"?instalment={instalment.pk}" in body(client)
    giving.pledge_stop(pledge=pledge, user=alumnus_a)  # cancels the instalment with an update()
    assert "?instalment=" not in body(client)


def test_a_staff_dashboard_is_rendered_live(staff_x, alumnus_a):
    client = client_for(staff_x)
    assert client.get(DASHBOARD).context["corrections_pending"] == 0
    RecordCorrection.objects.create(
        profile=AlumniProfile.objects.get(user=alumnus_a), requested_by=alumnus_a, requested={"entry_year": 2014},
        reason="Salah angkatan",
    )
    assert client.get(DASHBOARD).context["corrections_pending"] == 1


def test_a_consent_recorded_with_update_moves_the_dashboard_too(alumnus_a):
    """consent_adopt_address writes with update(): the service moves the generation itself."""
    client = client_for(alumnus_a)
    assert reverse("alumni:privacy_choices") in body(client)
    for purpose in privacy.consent_askable(has_profile=True):
        Consent.objects.bulk_create([Consent(user=None, email=alumnus_a.email, purpose=purpose, granted=False,
                                             wording_version="v1", at=timezone.now())])
    assert privacy.consent_adopt_address(user=alumnus_a, email=alumnus_a.email) >= 1
    assert reverse("alumni:privacy_choices") not in body(client)
