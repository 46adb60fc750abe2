"""Personas shared by every test: anonymous, alumnus A and B, staff of prodi X and Y, and an institution admin.

Prodi X (Ilmu Perpustakaan) and prodi Y (Bahasa dan Sastra Arab) belong to one institution. Alumnus A and B
graduated from X; the staff of Y must never see X's records.
"""

import os

import pytest
from django.core.cache import cache
from django.test import Client

from alumni.models import AlumniProfile, Province, Role

from .factories import AlumniProfileFactory, StudyProgramFactory, UserFactory, grant


def need(condition: bool, reason: str) -> None:
    """Skip a test whose service is missing on a newcomer's machine; in CI (CI set) that is a failure instead,
    so CI never passes by skipping."""
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI must not skip this test: {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _clear_cache():
    # allauth's rate limits count in the cache: keep tests independent of each other.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the portal's default language: a request by a user who prefers English switches the
    thread's language (the user-language middleware), which would otherwise leak into the next test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def provinces(db):
    """The provinces the data migration ships. A transactional test (live server, real worker) starts from a
    flushed database, so it asks for them again."""
    from alumni.provinces import PROVINCES

    Province.objects.bulk_create([Province(code=c, name=n) for c, n in PROVINCES], ignore_conflicts=True)
    return Province.objects.all()


@pytest.fixture
def national_surveys(db):
    """dikti-core and dikti-employer, which a migration installs; a transactional test starts from a flushed
    database and asks for them again."""
    from tracer.models import Option, Question, Survey, SurveyVersion
    from tracer.questionnaires import install

    install(Survey, SurveyVersion, Question, Option)
    return Survey.objects.all()


@pytest.fixture
def prodi_x(db):
    return StudyProgramFactory(code="71201", name="Ilmu Perpustakaan")


@pytest.fixture
def prodi_y(db, prodi_x):
    return StudyProgramFactory(code="79202", name="Bahasa dan Sastra Arab", faculty=prodi_x.faculty)


@pytest.fixture
def alumnus_a(prodi_x):
    user = UserFactory(email="ani@example.org", full_name="Ani Lestari")
    AlumniProfileFactory(user=user, study_program=prodi_x, nim="15710001", entry_year=2015)
    return user


@pytest.fixture
def alumnus_b(prodi_x):
    user = UserFactory(email="bagus@example.org", full_name="Bagus Pratama")
    AlumniProfileFactory(user=user, study_program=prodi_x, nim="15710002", entry_year=2015)
    return user


@pytest.fixture
def pending_person(prodi_x):
    """Signed up and declared a record in prodi X, cohort 2015 (A's and B's classmates), not yet verified."""
    user = UserFactory(email="pending@example.org", full_name="Putri Menunggu")
    AlumniProfileFactory(user=user, study_program=prodi_x, nim="15710099", entry_year=2015,
                         verification=AlumniProfile.Verification.PENDING)
    return user


@pytest.fixture
def student(prodi_x):
    """Dewi is a verified student of prodi X (angkatan 2023, not graduated): a member who may ask for a mentor."""
    user = UserFactory(email="dewi@student.example.org", full_name="Dewi Mahasiswi")
    AlumniProfileFactory(user=user, study_program=prodi_x, nim="23710007", entry_year=2023, graduation_date=None)
    return user


@pytest.fixture
def staff_x(prodi_x):
    user = UserFactory(email="staff.x@example.org", full_name="Staf X")
    grant(user, Role.Kind.STAFF, prodi_x)
    return user


@pytest.fixture
def staff_y(prodi_y):
    user = UserFactory(email="staff.y@example.org", full_name="Staf Y")
    grant(user, Role.Kind.STAFF, prodi_y)
    return user


@pytest.fixture
def admin_user(prodi_x, prodi_y):
    user = UserFactory(email="admin@example.org", full_name="Admin Institusi")
    grant(user, Role.Kind.ADMIN, institution=prodi_x.faculty.institution)
    return user


@pytest.fixture
def employer_contact(prodi_x, staff_x):
    """Rina recruits for PT Pustaka Digital Nusantara; staff X approved her as an employer contact of prodi X."""
    from careers.models import EmployerContact
    from careers.organisations import organisation_resolve

    user = UserFactory(email="rina@pustakadigital.example", full_name="Rina Rekruter")
    EmployerContact.objects.create(
        user=user, organisation=organisation_resolve(name="PT Pustaka Digital Nusantara"), study_program=prodi_x,
        position="HR Manager", status=EmployerContact.Status.APPROVED, decided_by=staff_x,
    )
    return user


@pytest.fixture
def anonymous():
    return None


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def persona_client():
    return client_for
