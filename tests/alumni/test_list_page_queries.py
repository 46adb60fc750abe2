"""The list pages issue 11 added take a fixed number of queries however many rows they show (pinned at two data
sizes): the corrections queue, the open import conflicts, the roles and units pages, the minimum wages and the
privacy page's reads of one's data. The verification queue and "Download my data" are pinned in their own files."""

import pytest
from django.urls import reverse

from alumni.models import AlumniProfile, ImportConflict, ImportJob, Province, RecordCorrection, Role
from core.models import AuditLog
from tracer.models import MinimumWage

from ..conftest import client_for
from ..factories import AlumniProfileFactory, FacultyFactory, StudyProgramFactory, UserFactory

SIZES = [2, 8]


def records(program, n: int, prefix: str) -> list[AlumniProfile]:
    return [
        AlumniProfileFactory(user=UserFactory(), study_program=program, nim=f"{prefix}{i:04d}", full_name=f"Orang {i}")
        for i in range(n)
    ]


@pytest.mark.parametrize("size", SIZES)
def test_the_corrections_queue(size, prodi_x, staff_x, django_assert_max_num_queries):
    for profile in records(prodi_x, size, "1572"):
        RecordCorrection.objects.create(profile=profile, requested_by=profile.user, current={"entry_year": 2015},
                                        requested={"entry_year": 2016}, reason="KTM")
        decided = RecordCorrection.objects.create(
            profile=profile, requested_by=profile.user, current={"entry_year": 2015}, requested={"entry_year": 2014},
            reason="KTM", status=RecordCorrection.Status.REFUSED, decided_by=staff_x,
        )
        RecordCorrection.objects.filter(pk=decided.pk).update(decided_at=decided.created_at)
    client = client_for(staff_x)
    with django_assert_max_num_queries(10):  # 9 today, at both sizes
        response = client.get(reverse("alumni:corrections"))
    assert len(response.context["waiting"]) == len(response.context["decided"]) == size


@pytest.mark.parametrize("size", SIZES)
def test_the_open_import_conflicts(size, prodi_x, staff_x, django_assert_max_num_queries):
    for i, profile in enumerate(records(prodi_x, size, "1573")):
        job = ImportJob.objects.create(created_by=UserFactory(), original_name=f"file{i}.csv", file="imports/x.csv")
        ImportConflict.objects.create(job=job, profile=profile, row_number=i + 2,
                                      differences={"full_name": [profile.full_name, "Nama Lain"]})
    client = client_for(staff_x)
    with django_assert_max_num_queries(9):  # 8 today, at both sizes
        response = client.get(reverse("alumni:import_conflicts"))
    assert len(response.context["page"].object_list) == size


@pytest.mark.parametrize("size", SIZES)
def test_the_roles_and_units_pages(size, prodi_x, admin_user, django_assert_max_num_queries):
    institution = prodi_x.faculty.institution
    for i in range(size):
        faculty = FacultyFactory(institution=institution, name=f"Fakultas {i}")
        program = StudyProgramFactory(faculty=faculty, code=f"9{i:04d}", name=f"Prodi {i}")
        Role.objects.create(user=UserFactory(), kind=Role.Kind.STAFF, study_program=program, institution=institution,
                            granted_by=admin_user)
    client = client_for(admin_user)
    with django_assert_max_num_queries(11):  # 10 today, at both sizes
        roles = client.get(reverse("alumni:roles"))
    with django_assert_max_num_queries(11):  # 10 today, at both sizes
        units = client.get(reverse("alumni:units"))
    assert len(roles.context["roles"]) == size + 1  # and the admin's own role
    assert len(units.context["faculties"]) == size + 1


@pytest.mark.parametrize("size", SIZES)
def test_the_minimum_wages(size, admin_user, django_assert_max_num_queries):
    for i in range(size):
        province = Province.objects.create(code=f"P{i}", name=f"Provinsi {i}")
        MinimumWage.objects.create(province=province, year=2024, amount=2_000_000 + i)
    client = client_for(admin_user)
    with django_assert_max_num_queries(12):  # 11 today, at both sizes
        response = client.get(reverse("tracer:minimum_wages"), {"year": 2024})
    assert len(response.context["rows"]) == size


@pytest.mark.parametrize("size", SIZES)
def test_the_reads_of_my_data_on_the_privacy_page(size, alumnus_a, staff_x, django_assert_max_num_queries):
    profile = AlumniProfile.objects.get(user=alumnus_a)
    AuditLog.objects.bulk_create([
        AuditLog(actor=staff_x, action="alumni.profile.viewed", target_type="alumni.alumniprofile",
                 target_id=str(profile.pk), target_repr=str(profile), study_program=profile.study_program,
                 subject=alumnus_a)
        for _ in range(size)
    ])
    client = client_for(alumnus_a)
    with django_assert_max_num_queries(11):  # 10 today, at both sizes
        response = client.get(reverse("alumni:privacy"))
    assert len(response.context["reads"]) == size
