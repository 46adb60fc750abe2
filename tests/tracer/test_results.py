"""Tracer results: counts, rates, distributions, waiting time, competences, free text; scope; fixed query count."""

from __future__ import annotations

import datetime
import io
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from tracer.models import Answer, Invitation, Response, Survey, Wave
from tracer.results import cohort_results, wave_results

from ..conftest import client_for
from ..factories import AlumniProfileFactory, UserFactory


def make_wave(programs, *, years=(2019,), title="Tracer 2024", slug="dikti-core", by=None):
    version = Survey.objects.get(slug=slug).latest_version()
    now = timezone.now()
    wave = Wave.objects.create(version=version, title=title, graduation_years=list(years),
                               opens_at=now - datetime.timedelta(days=30), closes_at=now + datetime.timedelta(days=30),
                               launched_at=now - datetime.timedelta(days=30), created_by=by)
    wave.study_programs.set(programs)
    return wave


def answer(wave, profile, values: dict, *, status=Response.Status.SUBMITTED) -> Response:
    """An invitation of `profile` in `wave` and its response with these {code: value} answers."""
    invitation = Invitation.objects.create(version=wave.version, wave=wave, profile=profile)
    response = Response.objects.create(
        invitation=invitation, version=wave.version, profile=profile, status=status,
        submitted_at=timezone.now() if status == Response.Status.SUBMITTED else None,
    )
    Answer.objects.bulk_create([
        Answer(response=response, code=code, **({"value_text": v} if isinstance(v, str) else {"value_int": v}))
        for code, v in values.items()
    ])
    return response


def graduates(program, n, *, start=0, year=2019):
    return [AlumniProfileFactory(user=None, study_program=program, nim=f"G{year}{start + i:05d}",
                                 full_name=f"Lulusan {start + i}", graduation_date=datetime.date(year, 8, 25))
            for i in range(n)]


WORKING = {"f8": 1, "f502": 3, "f14": 1, "f5d": 2, "f1761": 3, "f1762": 5, "f5b": "Perpusnas", "f401": 1,
           "f402": 0}


@pytest.fixture
def wave(prodi_x, prodi_y):
    return make_wave([prodi_x, prodi_y])


@pytest.fixture
def filled(wave, prodi_x, prodi_y):
    """Prodi X: 4 invited, 3 submitted (waits 0, 10, 30 months), 1 partial. Prodi Y: 2 invited, 1 submitted."""
    x = graduates(prodi_x, 4)
    y = graduates(prodi_y, 2, start=100)
    answer(wave, x[0], {**WORKING, "f502": 0, "f1761": 2, "f1762": 4})
    answer(wave, x[1], {**WORKING, "f502": 10, "f14": 3, "f5d": 3, "f8": 3, "f5b": "Toko Buku =SUM(A1)"})
    answer(wave, x[2], {"f8": 1, "f502": 30, "f14": 1, "f1761": 4, "f5a2": "Kota Yogyakarta"})
    answer(wave, x[3], {"f8": 1}, status=Response.Status.PARTIAL)
    answer(wave, y[0], {"f8": 5, "f1761": 1})
    Invitation.objects.create(version=wave.version, wave=wave, profile=y[1])
    return x, y


def test_wave_results_for_staff_x_count_only_their_program(filled, wave, staff_x):
    r = wave_results(wave, staff_x)
    assert (r.submitted, r.denominator, r.partial, r.rate) == (3, 4, 1, 75.0)
    f8 = {c.value: c.count for c in r.distribution("f8").choices}
    assert f8 == {1: 2, 3: 1, 4: 0, 5: 0, 2: 0}
    assert [c.value for c in r.distribution("f8").choices] == [1, 3, 4, 5, 2]  # display order, official values
    f14 = {c.value: c.count for c in r.distribution("f14").choices}
    assert (f14[1], f14[3], r.distribution("f14").total) == (2, 1, 3)
    assert {c.value: c.count for c in r.distribution("f5d").choices} == {1: 0, 2: 1, 3: 1}
    assert r.waiting["n"] == 3
    assert [(k, n) for k, n, _pct in r.waiting["buckets"]] == [("lt6", 1), ("6to18", 1), ("gt18", 1)]
    assert r.waiting["mean"] == pytest.approx(13.33)
    assert r.waiting["median"] == 10
    ethics = r.competences[0]
    assert (ethics.code_a, ethics.code_b, ethics.mean_a, ethics.mean_b, ethics.gap) == ("f1761", "f1762", 3.0, 4.5, 1.5)
    f4 = r.distribution("f4")
    assert ({c.value: c.count for c in f4.choices}[1], f4.total) == (2, 2)


def test_admin_sees_both_programs(filled, wave, admin_user):
    r = wave_results(wave, admin_user)
    assert (r.submitted, r.denominator) == (4, 6)
    assert {c.value: c.count for c in r.distribution("f8").choices}[5] == 1


def test_cohort_results_rate_over_graduates_and_one_response_per_graduate(filled, wave, prodi_x):
    x, _y = filled
    second = make_wave([prodi_x], title="Tracer 2025")
    answer(second, x[0], {"f8": 4})  # answered again later: only the latest counts
    AlumniProfileFactory(user=None, study_program=prodi_x, nim="OTHERYEAR", graduation_date=datetime.date(2020, 1, 1))
    r = cohort_results(Survey.objects.get(slug="dikti-core"), prodi_x, 2019)
    assert (r.submitted, r.denominator, r.rate) == (3, 4, 75.0)
    assert {c.value: c.count for c in r.distribution("f8").choices} == {1: 1, 3: 1, 4: 1, 5: 0, 2: 0}


@pytest.mark.parametrize("size", [3, 30])
def test_wave_page_query_count_does_not_grow(size, wave, prodi_x, staff_x, django_assert_max_num_queries):
    for profile in graduates(prodi_x, size):
        answer(wave, profile, {**WORKING, "f5a2": f"Kota {profile.nim}"})
    client = client_for(staff_x)
    url = reverse("tracer:wave_results", args=[wave.pk])
    client.get(url)  # warm the session and caches
    # session, user, scope (2), wave, rate, questions, options, count, GROUP BY, Avg, waiting, median, text (2),
    # savepoints, the audited read of the free text (summary + one bulk INSERT): the same at every size.
    with django_assert_max_num_queries(19):
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["results"].submitted == size


def test_wave_page_shows_charts_tables_and_escaped_free_text(filled, wave, staff_x):
    response = client_for(staff_x).get(reverse("tracer:wave_results", args=[wave.pk]), {"text": "f5b"})
    html = response.content.decode()
    assert 'id="tracer-chart-data"' in html and 'id="chart-f14"' in html and 'id="chart-competences"' in html
    assert "Toko Buku =SUM(A1)" in html and "Perpusnas" in html
    assert "Kota Yogyakarta" not in html  # filtered to F5B
    assert "vendor/chartjs/chart.umd.min.js" in html and "js/tracer_results.js" in html


def test_free_text_is_paginated(wave, prodi_x, staff_x):
    for profile in graduates(prodi_x, 30):
        answer(wave, profile, {"f8": 1, "f5b": f"Kantor {profile.nim}"})
    page = client_for(staff_x).get(reverse("tracer:wave_results", args=[wave.pk]), {"page": 2}).context["text_page"]
    assert page.number == 2 and page.paginator.count == 30 and len(page.object_list) == 5


def test_staff_y_cannot_open_a_wave_of_x_only(prodi_x, staff_y):
    wave_x = make_wave([prodi_x])
    assert client_for(staff_y).get(reverse("tracer:wave_results", args=[wave_x.pk])).status_code == 404
    assert client_for(staff_y).get(reverse("tracer:wave_export", args=[wave_x.pk])).status_code == 404


def test_alumni_get_403(alumnus_a, wave):
    client = client_for(alumnus_a)
    assert client.get(reverse("tracer:results")).status_code == 403
    assert client.get(reverse("tracer:wave_results", args=[wave.pk])).status_code == 403


def test_cohort_form_shows_results_and_only_own_programs(filled, prodi_x, prodi_y, staff_x):
    survey = Survey.objects.get(slug="dikti-core")
    client = client_for(staff_x)
    response = client.get(reverse("tracer:results"), {"survey": survey.pk, "program": prodi_x.pk, "year": 2019})
    assert response.context["results"].submitted == 3
    refused = client.get(reverse("tracer:results"), {"survey": survey.pk, "program": prodi_y.pk, "year": 2019})
    assert "results" not in refused.context and refused.context["form"].errors["program"]


def test_empty_wave_renders(wave, staff_x):
    response = client_for(staff_x).get(reverse("tracer:wave_results", args=[wave.pk]))
    assert response.status_code == 200 and response.context["results"].rate is None


def test_employer_wave_distributions(prodi_x, staff_x):
    wave = make_wave([prodi_x], slug="dikti-employer", title="Pengguna 2024")
    profile = graduates(prodi_x, 1)[0]
    invitation = Invitation.objects.create(version=wave.version, wave=wave, profile=profile,
                                           respondent=Invitation.Respondent.EMPLOYER)
    response = Response.objects.create(id=uuid.uuid4(), invitation=invitation, version=wave.version, profile=profile,
                                       status="submitted", submitted_at=timezone.now())
    Answer.objects.create(response=response, code="etika", value_int=4)
    r = wave_results(wave, UserFactory(is_superuser=True))
    assert {c.value: c.count for c in r.distribution("etika").choices} == {4: 1, 3: 0, 2: 0, 1: 0}
    assert r.competences == [] and r.waiting == {} and (r.submitted, r.denominator) == (1, 1)


def test_demo_waves_are_consistent_and_idempotent(db):
    from django.core.management import call_command

    from tracer.demo import CLOSED_TITLE, RUNNING_TITLE

    call_command("seed_demo", stdout=io.StringIO())
    closed = Wave.objects.get(title=CLOSED_TITLE)
    assert closed.closes_at < timezone.now() and Wave.objects.get(title=RUNNING_TITLE).is_open()
    r = wave_results(closed, UserFactory(is_superuser=True))
    assert r.denominator > 30 and 50 <= r.rate <= 60
    submitted = Response.objects.filter(invitation__wave=closed, status="submitted")
    not_working = submitted.exclude(answers__code="f8", answers__value_int__in=[1, 3])
    assert not Answer.objects.filter(response__in=not_working, code__in=["f502", "f14", "f5d", "f1762"]).exists()
    assert Response.objects.filter(invitation__wave__title=RUNNING_TITLE, status="partial").exists()
    employer = Response.objects.filter(version__survey__slug="dikti-employer", status="submitted")
    assert employer.count() == 40
    counts = (Response.objects.count(), Answer.objects.count(), Invitation.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (Response.objects.count(), Answer.objects.count(), Invitation.objects.count()) == counts


def test_province_distribution_lists_only_named_provinces(wave, prodi_x, staff_x):
    for profile, province in zip(graduates(prodi_x, 3), [40000, 40000, 10000], strict=True):
        answer(wave, profile, {"f8": 1, "f5a1": province})
    f5a1 = wave_results(wave, staff_x).distribution("f5a1")
    assert [(c.value, c.label, c.count) for c in f5a1.choices] == [(40000, "DI Yogyakarta", 2),
                                                                    (10000, "DKI Jakarta", 1)]
