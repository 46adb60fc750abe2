"""One count of a wave for the wave list and the wave page (tracer.selectors.wave_counts): graduates and the
supervisors they nominated (employer invitations of the same wave) apart, never added up."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import client_for
from tests.tracer.test_waves import graduates, launch, make_wave  # noqa: F401 (graduates is a fixture)
from tracer.models import Invitation, Response, Survey
from tracer.selectors import WaveCounts, wave_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def wave_with_supervisor(django_capture_on_commit_callbacks, admin_user, prodi_x, alumnus_a, alumnus_b, graduates):  # noqa: F811
    """4 graduates of X invited (A and B submitted, one started); A nominated a supervisor, who submitted."""
    wave = make_wave(admin_user, [prodi_x])
    launch(django_capture_on_commit_callbacks, wave, admin_user)
    invitations = list(Invitation.objects.filter(wave=wave).select_related("profile"))
    inv_a = next(inv for inv in invitations if inv.profile.user_id == alumnus_a.pk)
    inv_b = next(inv for inv in invitations if inv.profile.user_id == alumnus_b.pk)
    imported = next(inv for inv in invitations if inv.profile.email == "imported@example.org")
    a_response = Response.objects.create(invitation=inv_a, version=wave.version, profile=inv_a.profile,
                                         status="submitted")
    Response.objects.create(invitation=inv_b, version=wave.version, profile=inv_b.profile, status="submitted")
    Response.objects.create(invitation=imported, version=wave.version, profile=imported.profile, status="partial")
    employer_version = Survey.objects.get(slug="dikti-employer").latest_version()
    supervisor = Invitation.objects.create(
        version=employer_version, wave=wave, profile=inv_a.profile, respondent=Invitation.Respondent.EMPLOYER,
        name="Ibu Sari", email="sari@perpusnas.example", nominated_in=a_response,
    )
    Response.objects.create(invitation=supervisor, version=employer_version, profile=inv_a.profile,
                            status="submitted")
    return wave


def test_the_selector_keeps_graduates_and_employers_apart(wave_with_supervisor, admin_user, prodi_x):
    empty = make_wave(admin_user, [prodi_x], title="Not launched")
    with CaptureQueriesContext(connection) as ctx:
        counts = wave_counts(wave_ids=[wave_with_supervisor.pk, empty.pk])
    assert len(ctx.captured_queries) == 1
    assert counts[wave_with_supervisor.pk] == WaveCounts(
        graduates_invited=4, graduates_started=1, graduates_submitted=2, employers_invited=1, employers_submitted=1,
    )
    assert counts[wave_with_supervisor.pk].response_rate == 50.0
    assert counts[empty.pk] == WaveCounts() and counts[empty.pk].response_rate is None


def test_the_wave_list_and_the_wave_page_say_the_same_numbers(wave_with_supervisor, staff_x):
    client = client_for(staff_x)
    listing = client.get(reverse("tracer:waves"))
    [(wave, counts)] = listing.context["waves"]
    assert wave == wave_with_supervisor
    assert (counts.graduates_invited, counts.graduates_submitted) == (4, 2)  # not 5: the supervisor is no graduate
    assert (counts.employers_invited, counts.employers_submitted) == (1, 1)
    html = listing.content.decode()
    assert 'wave-graduates-invited">4<' in html and 'wave-employers-invited">1<' in html
    page = client.get(wave_with_supervisor.get_absolute_url())
    stats = page.context["stats"]
    assert (stats["invited"], stats["started"], stats["submitted"], stats["rate"]) == (4, 1, 2, 50.0)
    assert (stats["employers_invited"], stats["employers_submitted"]) == (1, 1)
    assert 'id="wave-graduates-invited">4<' in page.content.decode()
