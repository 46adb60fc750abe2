"""The directory's count and the home page's figures come from the cache once warm (issue 13), and a cached count
never crosses from one visibility class to another."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alumni.models import AlumniProfile

from ..conftest import client_for
from ..factories import AlumniProfileFactory, UserFactory

DIRECTORY = reverse("alumni:directory")


def counts_of_profiles(captured) -> int:
    return sum(
        1 for q in captured.captured_queries if "COUNT(" in q["sql"].upper() and "alumni_alumniprofile" in q["sql"]
    )


def test_the_second_page_of_a_search_counts_nothing(alumnus_a, prodi_x, settings):
    settings.DIRECTORY_PAGE_SIZE = 5
    AlumniProfileFactory.create_batch(12, study_program=prodi_x, entry_year=2016)
    client = client_for(alumnus_a)
    with CaptureQueriesContext(connection) as first:
        first_page = client.get(DIRECTORY, {"cohort": 2016})
    with CaptureQueriesContext(connection) as second:
        second_page = client.get(DIRECTORY, {"cohort": 2016, "page": 2})
    assert counts_of_profiles(first) == 1
    assert counts_of_profiles(second) == 0
    assert first_page.context["page"].paginator.count == second_page.context["page"].paginator.count == 12
    assert len(second_page.context["rows"]) == 5


def test_another_member_reuses_the_class_count_and_adds_only_their_own_record(alumnus_a, prodi_x):
    AlumniProfileFactory.create_batch(3, study_program=prodi_x)
    # Carla is a member who is not listed: other members do not find her, she finds herself.
    carla = UserFactory(full_name="Carla Unlisted")
    AlumniProfileFactory(user=carla, study_program=prodi_x, listed_in_directory=False)
    a = client_for(alumnus_a).get(DIRECTORY)
    with CaptureQueriesContext(connection) as captured:
        c = client_for(carla).get(DIRECTORY)
    assert a.context["page"].paginator.count == 4  # alumnus A and the three others
    assert c.context["page"].paginator.count == 5  # the same four, and herself
    assert len(c.context["rows"]) == 5
    # The class count came from the cache; only her own record was counted (one row, by the user index).
    own = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(own) == 1 and str(carla.pk) in own[0]


def test_a_cached_count_never_crosses_visibility_classes(alumnus_a, staff_x, staff_y, prodi_x):
    AlumniProfileFactory.create_batch(4, study_program=prodi_x, user=None)  # unclaimed: staff of X only
    member = client_for(alumnus_a).get(DIRECTORY)
    staff = client_for(staff_x).get(DIRECTORY)
    other_staff = client_for(staff_y).get(DIRECTORY)
    assert member.context["page"].paginator.count == 1
    assert staff.context["page"].paginator.count == 5
    assert other_staff.context["page"].paginator.count == 0
    again = client_for(alumnus_a).get(DIRECTORY)
    assert again.context["page"].paginator.count == 1


def test_a_hidden_employer_counts_only_for_its_owner(alumnus_a, prodi_x):
    from alumni.models import Visibility

    from ..factories import EmploymentFactory

    dewi = UserFactory(full_name="Dewi Private")
    profile = AlumniProfileFactory(user=dewi, study_program=prodi_x, vis_career=Visibility.PRIVATE)
    EmploymentFactory(profile=profile, employer="Rahasia Corp")
    assert client_for(alumnus_a).get(DIRECTORY, {"employer": "rahasia"}).context["page"].paginator.count == 0
    mine = client_for(dewi).get(DIRECTORY, {"employer": "rahasia"})
    assert mine.context["page"].paginator.count == 1
    assert len(mine.context["rows"]) == 1


def test_the_home_page_aggregates_once_then_reads_the_cache(alumnus_a, alumnus_b, prodi_x):
    AlumniProfileFactory.create_batch(3, study_program=prodi_x, user=None)
    client = client_for(None)
    with CaptureQueriesContext(connection) as first:
        cold = client.get(reverse("home"))
    with CaptureQueriesContext(connection) as second:
        warm = client.get(reverse("home"))
    on_profiles = [q for q in second.captured_queries if "alumni_alumniprofile" in q["sql"]]
    assert [q for q in first.captured_queries if "alumni_alumniprofile" in q["sql"]]
    assert on_profiles == []
    institution = prodi_x.faculty.institution.name
    assert cold.context["stats"] == warm.context["stats"] == {
        "alumni": 5, "members": 2, "programs": 1, "institution": institution,
    }
    assert [q for q in second.captured_queries if "SAVEPOINT" not in q["sql"]] == []  # the name is cached too
    assert institution in warm.content.decode()


def test_verifying_a_record_refreshes_the_home_page_figures(alumnus_a, staff_x, prodi_x,
                                                            django_capture_on_commit_callbacks):
    from alumni import verification

    person = UserFactory(full_name="Rina Pending")
    request = AlumniProfileFactory(user=person, study_program=prodi_x, nim="99887766",
                                   verification=AlumniProfile.Verification.PENDING)
    client = client_for(None)
    assert client.get(reverse("home")).context["stats"]["alumni"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        verification.profile_verify(profile=request, by=staff_x)
    assert client.get(reverse("home")).context["stats"]["alumni"] == 2
