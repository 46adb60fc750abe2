import pytest
from django.urls import reverse

from alumni.models import AlumniProfile, Employment, Province, Visibility

from ..conftest import client_for
from ..factories import AlumniProfileFactory, EmploymentFactory, UserFactory

DIRECTORY = reverse("alumni:directory")


def names(response):
    return [profile.full_name for profile, _parts in response.context["rows"]]


@pytest.fixture
def hidden_career(prodi_x):
    """Citra works at a secret employer and keeps her career and city to herself."""
    user = UserFactory(email="citra@example.org", full_name="Citra Hidden")
    profile = AlumniProfileFactory(
        user=user, study_program=prodi_x, vis_career=Visibility.PRIVATE, vis_location=Visibility.PRIVATE,
        province=Province.objects.get(name="Bali"), city="Denpasar",
    )
    EmploymentFactory(profile=profile, employer="Rahasia Sekali Corp", employer_kind=Employment.EmployerKind.NGO)
    return profile


@pytest.fixture
def staff_only_career(prodi_x):
    user = UserFactory(email="dodi@example.org", full_name="Dodi StaffOnly")
    profile = AlumniProfileFactory(user=user, study_program=prodi_x, vis_career=Visibility.STAFF)
    EmploymentFactory(profile=profile, employer="Hanya Staf Tbk")
    return profile


@pytest.fixture
def public_career(prodi_x):
    user = UserFactory(email="eka@example.org", full_name="Eka Public")
    profile = AlumniProfileFactory(
        user=user, study_program=prodi_x, vis_career=Visibility.ALUMNI, vis_location=Visibility.ALUMNI,
        province=Province.objects.get(name="Bali"),
    )
    EmploymentFactory(profile=profile, employer="Terbuka Jaya", employer_kind=Employment.EmployerKind.NGO)
    return profile


def test_anonymous_is_sent_to_login(db):
    response = client_for(None).get(DIRECTORY)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_account_without_profile_is_asked_to_complete_it(db):
    response = client_for(UserFactory()).get(DIRECTORY)
    assert response.status_code == 302
    assert response["Location"] == reverse("alumni:profile_create")


def test_alumnus_finds_public_employer_but_not_hidden_one(alumnus_a, hidden_career, public_career):
    client = client_for(alumnus_a)
    assert names(client.get(DIRECTORY, {"employer": "Terbuka"})) == ["Eka Public"]
    # Searching on a field Citra hides must not reveal her, not even as "someone matched".
    response = client.get(DIRECTORY, {"employer": "Rahasia"})
    assert names(response) == []
    assert response.context["page"].paginator.count == 0
    assert b"Citra" not in response.content


def test_hidden_location_is_not_searchable_by_province(alumnus_a, hidden_career, public_career):
    bali = Province.objects.get(name="Bali")
    assert names(client_for(alumnus_a).get(DIRECTORY, {"province": bali.pk})) == ["Eka Public"]


def test_hidden_career_is_not_filterable_by_employer_kind(alumnus_a, hidden_career, public_career):
    response = client_for(alumnus_a).get(DIRECTORY, {"employer_kind": "ngo"})
    assert names(response) == ["Eka Public"]


def test_staff_only_career_is_searchable_by_staff_of_that_prodi_only(
    alumnus_a, staff_x, staff_y, staff_only_career
):
    assert names(client_for(staff_x).get(DIRECTORY, {"employer": "Hanya Staf"})) == ["Dodi StaffOnly"]
    assert names(client_for(alumnus_a).get(DIRECTORY, {"employer": "Hanya Staf"})) == []
    assert names(client_for(staff_y).get(DIRECTORY, {"employer": "Hanya Staf"})) == []


def test_private_career_is_hidden_even_from_staff(staff_x, hidden_career):
    client = client_for(staff_x)
    assert names(client.get(DIRECTORY, {"employer": "Rahasia"})) == []
    response = client.get(hidden_career.get_absolute_url())
    assert response.status_code == 200
    assert b"Rahasia Sekali Corp" not in response.content


def test_owner_finds_themselves_by_their_hidden_employer(hidden_career):
    assert names(client_for(hidden_career.user).get(DIRECTORY, {"employer": "Rahasia"})) == ["Citra Hidden"]


def test_unclaimed_records_are_seen_by_staff_but_not_by_alumni(alumnus_a, staff_x, prodi_x):
    AlumniProfileFactory(user=None, study_program=prodi_x, full_name="Fajar Imported", email="fajar@example.org")
    assert "Fajar Imported" in names(client_for(staff_x).get(DIRECTORY))
    assert "Fajar Imported" not in names(client_for(alumnus_a).get(DIRECTORY))


def test_staff_of_other_prodi_sees_none_of_its_records(staff_y, alumnus_a, alumnus_b):
    response = client_for(staff_y).get(DIRECTORY)
    assert names(response) == []


def test_unlisted_alumnus_is_hidden_from_other_alumni_but_not_staff(alumnus_a, alumnus_b, staff_x):
    AlumniProfile.objects.filter(user=alumnus_b).update(listed_in_directory=False)
    assert names(client_for(alumnus_a).get(DIRECTORY)) == ["Ani Lestari"]
    assert names(client_for(staff_x).get(DIRECTORY)) == ["Ani Lestari", "Bagus Pratama"]


def test_filters_by_name_cohort_and_program(alumnus_a, alumnus_b, prodi_y):
    other = AlumniProfileFactory(study_program=prodi_y, entry_year=2018, full_name="Gita Arab")
    client = client_for(alumnus_a)
    assert names(client.get(DIRECTORY, {"q": "bagus"})) == ["Bagus Pratama"]
    assert names(client.get(DIRECTORY, {"cohort": 2018})) == ["Gita Arab"]
    assert names(client.get(DIRECTORY, {"study_program": prodi_y.pk})) == [other.full_name]


def test_invalid_filter_shows_error_and_everyone(alumnus_a, alumnus_b):
    response = client_for(alumnus_a).get(DIRECTORY, {"cohort": "abc"})
    assert response.status_code == 200
    assert "cohort" in response.context["form"].errors
    assert len(names(response)) == 2


def test_pagination_keeps_filters(alumnus_a, prodi_x, settings):
    settings.DIRECTORY_PAGE_SIZE = 5
    AlumniProfileFactory.create_batch(12, study_program=prodi_x, entry_year=2016)
    client = client_for(alumnus_a)
    first = client.get(DIRECTORY, {"cohort": 2016})
    assert first.context["page"].paginator.count == 12
    assert len(first.context["rows"]) == 5
    assert "?cohort=2016&page=2" in first.content.decode()
    third = client.get(DIRECTORY, {"cohort": 2016, "page": 3})
    assert len(third.context["rows"]) == 2


@pytest.mark.parametrize("size", [10, 200])
def test_directory_runs_a_fixed_number_of_queries(size, alumnus_a, prodi_x, django_assert_max_num_queries,
                                                  settings):
    settings.DIRECTORY_PAGE_SIZE = 200
    profiles = AlumniProfileFactory.create_batch(size, study_program=prodi_x, vis_career=Visibility.ALUMNI)
    for profile in profiles:
        EmploymentFactory(profile=profile, employer="Perpustakaan Daerah", province=None)
    client = client_for(alumnus_a)
    client.get(DIRECTORY)  # warm the session
    # session, user, roles, member check, study programs, provinces, count, page, current jobs prefetch
    with django_assert_max_num_queries(11) as captured:
        response = client.get(DIRECTORY, {"employer": "Perpustakaan"})
    assert response.status_code == 200
    assert len(response.context["rows"]) == size
    assert len(captured.captured_queries) <= 11
