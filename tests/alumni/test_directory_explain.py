"""The directory's searches keep their indexes at scale (issue 13): on PostgreSQL, with 50,000 records, the name and
employer searches of the real selector are answered from the trigram indexes of migration alumni 0007, not by
reading alumni_alumniprofile from end to end. A later change that loses the index (another lookup, another
expression) fails here instead of quietly slowing every search down."""

import datetime
import random

import pytest
from django.db import connection

from alumni import selectors
from alumni.models import AlumniProfile, Employment, Role, User

from ..conftest import need
from ..factories import StudyProgramFactory, grant

SIZE = 50_000
FIRST = ["Ahmad", "Budi", "Citra", "Dewi", "Eko", "Fitri", "Gilang", "Hana", "Indra", "Joko", "Kartika", "Lestari",
         "Maya", "Nur", "Oki", "Putri", "Rizky", "Sari", "Taufik", "Umi", "Wahyu", "Yusuf", "Agus", "Bayu"]
LAST = ["Pratama", "Saputra", "Wijaya", "Siregar", "Nasution", "Hidayat", "Kusuma", "Santoso", "Rahmawati",
        "Purnama", "Setiawan", "Hakim", "Lubis", "Harahap", "Wibowo", "Susanto", "Gunawan", "Utami", "Permana"]
EMPLOYERS = [f"{kind} {place}" for kind in ("PT Bank", "Dinas Pendidikan", "Universitas", "CV Maju", "Puskesmas",
                                             "PT Telekomunikasi", "Kantor Pos", "Sekolah Dasar Negeri")
             for place in ("Jakarta", "Bandung", "Surabaya", "Medan", "Makassar", "Semarang", "Padang", "Malang",
                           "Palembang", "Denpasar", "Pontianak", "Manado")]
RARE_NAME, RARE_EMPLOYER = "Zulkarnain Sitompul", "Arsip Nasional Republik Indonesia"
CITIES = ["Kota Bandung", "Kab. Sleman", "Kota Surabaya", "Kota Medan", "Kota Makassar", "Kab. Bogor", "Kota Padang"]
RARE_CITY = "Kab. Pegunungan Bintang"


@pytest.fixture
def national(db, prodi_x):
    """50,000 verified records in two study programs, 45 % with a listed account, one current job each; a few
    dozen people and employers are rare, as a search for one person or one employer is."""
    need(connection.vendor == "postgresql", "the trigram indexes and EXPLAIN need PostgreSQL")
    other = StudyProgramFactory(code="71202", name="Sejarah", faculty=prodi_x.faculty)
    rng = random.Random(13)
    users = User.objects.bulk_create(
        [User(email=f"n{i}@example.org", full_name="x", password="!") for i in range(int(SIZE * 0.45))],
        batch_size=5000,
    )
    profiles = []
    for i in range(SIZE):
        name = RARE_NAME if i % 1000 == 7 else f"{rng.choice(FIRST)} {rng.choice(LAST)} {rng.choice(LAST)}"
        profiles.append(AlumniProfile(
            user=users[i] if i < len(users) else None, study_program=prodi_x if i % 2 else other, nim=f"{i:09d}",
            full_name=name, entry_year=2000 + i % 24, listed_in_directory=True, vis_career="alumni",
            city=RARE_CITY if i % 1000 == 17 else CITIES[i % len(CITIES)], vis_location="alumni",
        ))
    AlumniProfile.objects.bulk_create(profiles, batch_size=5000)
    Employment.objects.bulk_create(
        [Employment(profile=p, employer=RARE_EMPLOYER if i % 1000 == 11 else rng.choice(EMPLOYERS),
                    employer_kind="government", scope="national", position="Staf",
                    start_date=datetime.date(2020, 1, 1)) for i, p in enumerate(profiles)],
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        # What autovacuum does on a live database: fresh rows wait in a GIN index's pending list (fast inserts, slow
        # reads), which the planner rightly avoids; VACUUM cannot run inside the test's transaction, this can.
        for index in ("alumni_profile_name_trgm", "alumni_employment_employer_trgm", "alumni_profile_city_trgm"):
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
        cursor.execute("ANALYZE alumni_alumniprofile")
        cursor.execute("ANALYZE alumni_employment")
        cursor.execute(f"ANALYZE {User._meta.db_table}")
    return users


def plan(viewer, **filters) -> str:
    qs = selectors.directory_search(viewer=viewer, filters=selectors.DirectoryFilters(**filters))
    return qs[:24].explain()


@pytest.fixture
def member(national):
    return national[0]


@pytest.fixture
def staff(national, prodi_x):
    user = User.objects.create(email="staf.explain@example.org", full_name="Staf", password="!")
    grant(user, Role.Kind.STAFF, prodi_x)
    return user


def test_name_search_uses_the_trigram_index(member, staff):
    for viewer in (member, staff):
        explained = plan(viewer, q="zulkarnain")
        assert "alumni_profile_name_trgm" in explained, explained
        assert "Seq Scan on alumni_alumniprofile" not in explained, explained
    found = selectors.directory_search(viewer=member, filters=selectors.DirectoryFilters(q="zulkarnain"))
    assert found.count() == 23  # the listed members among the 50 rare names (45 % have an account)
    # The count a cache miss costs (selectors.directory_count) reads the index as well.
    explained = AlumniProfile.objects.visible_to(member).filter(full_name__icontains="zulkarnain").explain()
    assert "alumni_profile_name_trgm" in explained, explained


def test_city_search_uses_the_trigram_index(member, staff):
    for viewer in (member, staff):
        explained = plan(viewer, city="pegunungan bintang")
        assert "alumni_profile_city_trgm" in explained, explained
        assert "Seq Scan on alumni_alumniprofile" not in explained, explained
    found = selectors.directory_search(viewer=member, filters=selectors.DirectoryFilters(city="pegunungan bintang"))
    assert found.count() == 23  # the listed members among the 50 rare cities (45 % have an account)


def test_a_page_sorted_by_cohort_is_read_from_the_cohort_index(member, staff):
    for viewer in (member, staff):
        explained = plan(viewer, sort="cohort")
        assert "alumni_profile_cohort_order" in explained, explained
        assert "Seq Scan on alumni_alumniprofile" not in explained, explained
    page = list(selectors.directory_search(viewer=member, filters=selectors.DirectoryFilters(sort="cohort"))[:24])
    assert [p.entry_year for p in page] == [2000] * 24


def test_employer_search_uses_the_trigram_index(member, staff):
    for viewer in (member, staff):
        explained = plan(viewer, employer="arsip nasional")
        assert "alumni_employment_employer_trgm" in explained, explained
        assert "Seq Scan on alumni_alumniprofile" not in explained, explained
        assert "Seq Scan on alumni_employment" not in explained, explained
