"""The scope (who may see what) is kept in the cache across requests (alumni.scope.cached_scope) and computed again
on the next request after any change to a role, a record, an account or a study program."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alumni.models import AlumniProfile, Role
from core.access import scope_for

from ..conftest import client_for
from ..factories import AlumniProfileFactory, StudyProgramFactory, UserFactory, grant

IMPORT = reverse("alumni:import")
DIRECTORY = reverse("alumni:directory")


def role_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        status = client.get(url).status_code
    return status, [q for q in queries if "alumni_role" in q["sql"]]


def test_the_second_request_reads_the_scope_from_the_cache(alumnus_a):
    client = client_for(alumnus_a)
    assert role_queries(client, DIRECTORY)[1]
    status, queries = role_queries(client, DIRECTORY)
    assert status == 200 and queries == []


def test_a_granted_and_a_revoked_role_count_on_the_next_request(prodi_x):
    person = UserFactory(email="calon.staf@example.org")
    client = client_for(person)
    assert client.get(IMPORT).status_code == 403
    role = grant(person, Role.Kind.STAFF, prodi_x)
    assert client.get(IMPORT).status_code == 200
    role.delete()
    assert client.get(IMPORT).status_code == 403


def test_a_verified_request_opens_the_directory_on_the_next_request(prodi_x):
    person = UserFactory(email="baru@example.org")
    profile = AlumniProfileFactory(user=person, study_program=prodi_x, verification=AlumniProfile.Verification.PENDING)
    client = client_for(person)
    assert client.get(DIRECTORY).status_code == 302
    profile.verification = AlumniProfile.Verification.VERIFIED
    profile.save()
    assert client.get(DIRECTORY).status_code == 200


def test_an_admin_runs_a_study_program_added_to_their_institution_at_once(admin_user, prodi_x, prodi_y):
    assert scope_for(admin_user).staff_program_ids == {prodi_x.pk, prodi_y.pk}
    new = StudyProgramFactory(code="61201", name="Manajemen", faculty=prodi_x.faculty)
    fresh = type(admin_user).objects.get(pk=admin_user.pk)  # a new request's user object
    assert new.pk in scope_for(fresh).staff_program_ids


def test_a_superuser_flag_is_never_taken_from_an_older_scope(alumnus_a):
    scope_for(alumnus_a)
    alumnus_a.is_superuser = True
    alumnus_a.save()
    fresh = type(alumnus_a).objects.get(pk=alumnus_a.pk)
    assert scope_for(fresh).is_superuser
