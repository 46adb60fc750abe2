"""Staff figures of the careers network (careers.reports, careers:report and careers:report_cell): per year and
per unit, each count drillable by staff of that unit only, nobody of another unit named, no note shown; a fixed
number of queries; and the rows careers adds to the LKPS evidence of alumni involvement."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from careers import reports
from careers.models import Application, Introduction, JobPost, JobPostTarget, Outcome
from careers.organisations import organisation_resolve
from tests.conftest import client_for
from tracer.evidence_sources import evidence_with_sources

from ..factories import AlumniProfileFactory, UserFactory
from .matrix_introductions import introduction

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def at(year, month=6, day=15):
    return timezone.make_aware(datetime.datetime(year, month, day, 10))


@pytest.fixture
def library():
    return organisation_resolve(name="Perpustakaan Nasional RI")


def member(prodi, name, nim):
    user = UserFactory(full_name=name)
    AlumniProfileFactory(user=user, study_program=prodi, full_name=name, nim=nim)
    return user


def post(poster, organisation, prodi, *, year, kind=JobPost.PosterKind.STAFF, title="Pustakawan"):
    item = JobPost.objects.create(
        title=title, organisation=organisation, kind=JobPost.Kind.FULL_TIME, field="library",
        closing_date=timezone.localdate() + datetime.timedelta(days=30), posted_by=poster, poster_kind=kind,
        created_at=at(year),
    )
    JobPostTarget.objects.create(post=item, study_program=prodi, state=JobPostTarget.State.APPROVED)
    return item


@pytest.fixture
def world(prodi_x, prodi_y, staff_x, staff_y, alumnus_a, alumnus_b, library):
    """Prodi X: two posts this year, one last year; Ani applied and was hired; Ani asked Bagus (accepted) and
    Yusuf of prodi Y asked Bagus (open). Prodi Y: one post this year."""
    yusuf = member(prodi_y, "Yusuf Arabi", "79200001")
    p1 = post(staff_x, library, prodi_x, year=YEAR, title="Pustakawan Digital")
    post(alumnus_b, library, prodi_x, year=YEAR, kind=JobPost.PosterKind.MEMBER, title="Arsiparis Muda")
    post(staff_x, library, prodi_x, year=YEAR - 1, title="Kurator")
    post(staff_y, library, prodi_y, year=YEAR, title="Penerjemah Arab")
    app = Application.objects.create(user=alumnus_a, post=p1, created_at=at(YEAR, 2))
    Outcome.objects.create(user=alumnus_a, application=app, hired=True, answered_at=at(YEAR, 4))
    introduction(alumnus_a, alumnus_b, library, status=Introduction.Status.ACCEPTED, created=at(YEAR, 3),
                 answered=at(YEAR, 3, 20), note="RAHASIA catatan Ani")
    introduction(yusuf, alumnus_b, library, created=at(YEAR, 5), note="RAHASIA catatan Yusuf")
    return {"yusuf": yusuf}


def row(figures, year):
    return next(r for r in figures.rows if r["year"] == year)


def test_staff_see_their_units_counts_per_year(world, staff_x, staff_y):
    x = reports.careers_figures(viewer=staff_x)
    assert row(x, YEAR) == {"year": YEAR, "posts": 2, "applications": 1, "hires": 1, "asked": 2, "accepted": 1}
    assert row(x, YEAR - 1)["posts"] == 1
    assert x.total["posts"] == 3
    y = reports.careers_figures(viewer=staff_y)
    # Yusuf (prodi Y) asked Bagus: the introduction counts for both units.
    assert row(y, YEAR) == {"year": YEAR, "posts": 1, "applications": 0, "hires": 0, "asked": 1, "accepted": 0}


def test_an_admin_sees_the_whole_institution_and_may_narrow_to_one_program(world, admin_user, prodi_y):
    everything = reports.careers_figures(viewer=admin_user)
    assert row(everything, YEAR)["posts"] == 3 and row(everything, YEAR)["asked"] == 2
    only_y = reports.careers_figures(viewer=admin_user, program_id=str(prodi_y.pk))
    assert only_y.program == prodi_y and row(only_y, YEAR)["posts"] == 1


def test_the_report_page_shows_the_table_and_a_labelled_chart(world, staff_x):
    html = client_for(staff_x).get(reverse("careers:report")).content.decode()
    assert 'id="chart-careers" data-chart="careers-report-chart" role="img" aria-label=' in html
    assert 'id="careers-report-chart"' in html
    assert f"?metric=posts&amp;year={YEAR}" in html
    assert "RAHASIA" not in html


def cell(user, **query):
    return client_for(user).get(reverse("careers:report_cell"), query)


def test_a_posts_cell_lists_the_posts_staff_may_see(world, staff_x, prodi_x):
    html = cell(staff_x, metric="posts", year=YEAR, program=prodi_x.pk).content.decode()
    assert "Pustakawan Digital" in html and "Arsiparis Muda" in html
    assert "Kurator" not in html and "Penerjemah Arab" not in html


def test_an_introductions_cell_names_only_people_of_the_readers_unit_and_no_note(world, staff_x, staff_y):
    x = cell(staff_x, metric="asked", year=YEAR).content.decode()
    assert "Ani Lestari" in x and "Bagus Pratama" in x
    assert "Yusuf Arabi" not in x and "RAHASIA" not in x
    y = cell(staff_y, metric="asked", year=YEAR).content.decode()
    assert "Yusuf Arabi" in y
    assert "Bagus Pratama" not in y and "Ani Lestari" not in y and "RAHASIA" not in y


def test_a_cell_of_another_unit_is_forbidden_and_a_malformed_one_not_found(world, staff_y, staff_x, prodi_x):
    assert cell(staff_y, metric="hires", year=YEAR, program=prodi_x.pk).status_code == 403
    assert cell(staff_x, metric="nonsense", year=YEAR).status_code == 404
    assert cell(staff_x, metric="hires", year="soon").status_code == 404
    hires = cell(staff_x, metric="hires", year=YEAR, program=prodi_x.pk).content.decode()
    assert "Ani Lestari" in hires and "15710001" in hires


@pytest.mark.parametrize("metric", ["asked", "posts"])
def test_the_report_and_a_cell_run_a_fixed_number_of_queries(metric, prodi_x, staff_x, library,
                                                              django_assert_max_num_queries):
    client = client_for(staff_x)
    counts = []
    for size in (3, 15):
        while JobPost.objects.count() < size:
            n = JobPost.objects.count()
            person = member(prodi_x, f"Anggota {n}", f"1571{n:04d}")
            post(person, library, prodi_x, year=YEAR, kind=JobPost.PosterKind.MEMBER, title=f"Lowongan {n}")
            other = member(prodi_x, f"Rekan {n}", f"1572{n:04d}")
            introduction(person, other, library, created=at(YEAR, 7))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("careers:report")).status_code == 200
            assert client.get(reverse("careers:report_cell"), {"metric": metric, "year": YEAR}).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(counts[1]):
        client.get(reverse("careers:report"))
        client.get(reverse("careers:report_cell"), {"metric": metric, "year": YEAR})


# --- LKPS evidence -----------------------------------------------------------------------------------------------


def test_the_lkps_evidence_gets_rows_for_alumni_who_posted_or_accepted_introductions(world, prodi_x, prodi_y):
    evidence = evidence_with_sources(study_program=prodi_x, ts=YEAR)
    careers_rows = [r for r in evidence["rows"] if r["kind"] == reports.EVIDENCE_KIND]
    by_title = {r["program"]: r for r in careers_rows}
    assert by_title["Lowongan kerja dibagikan alumni"]["alumni"] == 1  # Bagus posted
    assert by_title["Lowongan kerja dibagikan alumni"]["session"] == "1 lowongan"
    assert by_title["Perkenalan karier diterima alumni"]["alumni"] == 1  # Bagus accepted Ani's request
    assert all(r["year"] == YEAR for r in careers_rows)
    assert reports.EVIDENCE_NOTE in evidence["note"]
    # Prodi Y's alumni neither posted nor accepted.
    other = evidence_with_sources(study_program=prodi_y, ts=YEAR)
    assert [r for r in other["rows"] if r["kind"] == reports.EVIDENCE_KIND] == []


def test_the_lkps_page_links_careers_rows_to_their_drill_down(world, staff_x, prodi_x, alumnus_b):
    page = client_for(staff_x).get(reverse("tracer:lkps", args=[prodi_x.code, YEAR]) + "?tab=evidence")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Lowongan kerja dibagikan alumni" in html
    link = f"metric=evidence_posted&amp;year={YEAR}&amp;program={prodi_x.pk}"
    assert link in html
    drill = cell(staff_x, metric="evidence_posted", year=YEAR, program=prodi_x.pk).content.decode()
    assert "Bagus Pratama" in drill


def test_the_lkps_evidence_exports_carry_the_careers_rows(world, staff_x, prodi_x):
    client = client_for(staff_x)
    csv = client.get(reverse("tracer:lkps_csv", args=[prodi_x.code, YEAR, "evidence"]))
    assert csv.status_code == 200 and "Perkenalan karier diterima alumni" in csv.content.decode("utf-8-sig")
    xlsx = client.get(reverse("tracer:lkps_evidence_xlsx", args=[prodi_x.code, YEAR]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    pdf = client.get(reverse("tracer:lkps_pdf", args=[prodi_x.code, YEAR]))
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"
