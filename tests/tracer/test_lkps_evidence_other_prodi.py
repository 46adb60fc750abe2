"""The LKPS evidence drill-down names only the reader's own study programs' alumni: a graduate of another study
program who took part in this one's program is a number, not a NIM and a name; the evidence exports hold
counts only (issue 11, §4)."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from programs.evidence import involved_alumni, involved_elsewhere
from programs.models import Participation

from ..conftest import client_for
from ..factories import AlumniProfileFactory, ProgramFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db
TS = 2025


@pytest.fixture
def involvement(prodi_x, prodi_y, alumnus_a):
    """A program of prodi X in 2024 where Ani (prodi X) and Yusuf (a graduate of prodi Y) speak."""
    yusuf = UserFactory(email="yusuf@example.org", full_name="Yusuf Hidayat")
    AlumniProfileFactory(user=yusuf, study_program=prodi_y, nim="14720077")
    program = ProgramFactory(study_program=prodi_x, title="Kuliah Tamu Lintas Prodi", status="running")
    start = timezone.make_aware(datetime.datetime(2024, 3, 5, 9))
    session = SessionFactory(program=program, start=start, end=start + datetime.timedelta(hours=2))
    Participation.objects.create(program=program, session=session, user=alumnus_a, role="speaker")
    Participation.objects.create(program=program, session=session, user=yusuf, role="speaker")
    return program, session


def cell(program, session) -> str:
    return (reverse("tracer:lkps_cell", args=[program.study_program.code, TS])
            + f"?column=evidence&program={program.pk}&session={session.pk}")


def test_staff_x_see_a_graduate_of_another_study_program_as_a_count(involvement, staff_x):
    program, session = involvement
    response = client_for(staff_x).get(cell(program, session))
    assert response.status_code == 200
    html = response.content.decode()
    assert [row["nim"] for row in response.context["page"].object_list] == ["15710001"]
    assert response.context["others"] == 1
    assert "14720077" not in html and "Yusuf Hidayat" not in html
    assert "15710001" in html and "Ani Lestari" in html


def test_an_admin_of_both_study_programs_sees_both_by_name(involvement, admin_user):
    program, session = involvement
    response = client_for(admin_user).get(cell(program, session))
    assert sorted(row["nim"] for row in response.context["page"].object_list) == ["14720077", "15710001"]
    assert response.context["others"] == 0


def test_the_selectors_split_named_alumni_from_the_count(involvement, prodi_x):
    program, _session = involvement
    narrow = {"study_program": prodi_x, "ts": TS, "program_id": program.pk}
    assert [r["nim"] for r in involved_alumni(named_programs={prodi_x.pk}, **narrow)] == ["15710001"]
    assert involved_elsewhere(named_programs={prodi_x.pk}, **narrow) == 1
    # The table's own counts still include the graduate of prodi Y.
    assert len(involved_alumni(**narrow)) == 2


def test_the_evidence_exports_name_nobody(involvement, staff_x, prodi_x):
    client = client_for(staff_x)
    book = openpyxl.load_workbook(io.BytesIO(
        client.get(reverse("tracer:lkps_evidence_xlsx", args=[prodi_x.code, TS])).content
    ))
    cells = [str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    assert any("Kuliah Tamu Lintas Prodi" in c for c in cells)
    assert not any(secret in c for c in cells for secret in ("14720077", "Yusuf", "15710001", "Ani Lestari"))
    body = client.get(reverse("tracer:lkps_csv", args=[prodi_x.code, TS, "evidence"])).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";")) + list(csv.reader(io.StringIO(body)))
    flat = " ".join(" ".join(row) for row in rows)
    assert "Kuliah Tamu Lintas Prodi" in flat
    assert not any(secret in flat for secret in ("14720077", "Yusuf", "15710001", "Ani Lestari"))
