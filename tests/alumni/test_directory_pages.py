"""The directory's cards are rendered once per visibility class, filters, page and language and shared by that class
(alumni/directory_pages.py): never across classes, never stale after a change, and a viewer's own record is
always shown to them as they see it."""

from django.contrib.auth.signals import user_logged_in
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alumni.models import Employment, Visibility
from alumni.scope import PEOPLE
from core.fragments import generation_of

from ..conftest import client_for
from ..factories import AlumniProfileFactory, EmploymentFactory, UserFactory

DIRECTORY = reverse("alumni:directory")


def member(prodi, name, **profile):
    user = UserFactory(email=f"{name.replace(' ', '.').lower()}@example.org", full_name=name)
    AlumniProfileFactory(user=user, study_program=prodi, full_name=name, **profile)
    return user


def get(user, url=DIRECTORY, **params):
    """The page's HTML and the queries that read records or jobs (none when the cards came from the cache)."""
    with CaptureQueriesContext(connection) as queries:
        response = client_for(user).get(url, params)
    assert response.status_code == 200
    page_order = 'ORDER BY "alumni_alumniprofile"."full_name" ASC, "alumni_alumniprofile"."id" ASC'
    reads = [q["sql"] for q in queries if "alumni_employment" in q["sql"] or page_order in q["sql"]]
    return response.content.decode(), reads


def test_members_of_one_class_share_the_cards_rendered_once(prodi_x, settings):
    settings.DIRECTORY_PAGE_SIZE = 2
    viewers = [member(prodi_x, f"Zaki Penonton {n}") for n in range(3)]  # on page 2: the first is shared
    eka = member(prodi_x, "Eka Terbuka", vis_career=Visibility.ALUMNI)
    member(prodi_x, "Fajar Kedua")
    EmploymentFactory(profile=eka.alumni_profile, employer="Terbuka Jaya")
    first, reads = get(viewers[0])
    assert "Terbuka Jaya" in first and len(reads) == 2  # the page of records and their current jobs
    for viewer in viewers[1:]:
        html, reads = get(viewer)
        assert reads == []
        assert "Terbuka Jaya" in html and "5 orang ditemukan" in html


def test_staff_and_members_never_share_cards(prodi_x, staff_x):
    viewer = member(prodi_x, "Ani Anggota")
    dodi = member(prodi_x, "Dodi Staf", vis_career=Visibility.STAFF)
    EmploymentFactory(profile=dodi.alumni_profile, employer="Hanya Staf Tbk")
    assert "Hanya Staf Tbk" not in get(viewer)[0]
    assert "Hanya Staf Tbk" in get(staff_x)[0]
    assert "Hanya Staf Tbk" not in get(viewer)[0]  # the member's cached page, not the staff's


def test_hiding_a_career_takes_effect_on_the_next_request(prodi_x):
    viewer = member(prodi_x, "Ani Anggota")
    eka = member(prodi_x, "Eka Terbuka", vis_career=Visibility.ALUMNI)
    EmploymentFactory(profile=eka.alumni_profile, employer="Terbuka Jaya")
    assert "Terbuka Jaya" in get(viewer)[0]
    profile = eka.alumni_profile
    profile.vis_career = Visibility.PRIVATE
    profile.save()
    html, reads = get(viewer)
    assert "Terbuka Jaya" not in html and reads


def test_a_new_job_and_a_deleted_record_show_on_the_next_request(prodi_x):
    viewer = member(prodi_x, "Ani Anggota")
    eka = member(prodi_x, "Eka Terbuka", vis_career=Visibility.ALUMNI)
    assert "Eka Terbuka" in get(viewer)[0]
    EmploymentFactory(profile=eka.alumni_profile, employer="Baru Saja Corp", employer_kind=Employment.EmployerKind.NGO)
    assert "Baru Saja Corp" in get(viewer)[0]
    eka.alumni_profile.delete()
    assert "Eka Terbuka" not in get(viewer)[0]
    bagus = member(prodi_x, "Bagus Baru")
    assert "Bagus Baru" in get(viewer)[0]
    bagus.is_active = False
    bagus.save()
    assert "Bagus Baru" not in get(viewer)[0]


def test_own_record_is_shown_as_its_owner_sees_it_even_on_a_shared_page(prodi_x):
    other = member(prodi_x, "Ani Anggota")
    citra = member(prodi_x, "Citra Rahasia", vis_career=Visibility.PRIVATE)
    EmploymentFactory(profile=citra.alumni_profile, employer="Rahasia Sekali Corp")
    assert "Rahasia Sekali Corp" not in get(other)[0]  # cached for members, with Citra's career hidden
    html, reads = get(citra)
    assert "Rahasia Sekali Corp" in html and reads  # rendered for her alone
    assert "Rahasia Sekali Corp" not in get(other)[0]


def test_an_unlisted_own_record_is_added_for_its_owner_only(prodi_x):
    other = member(prodi_x, "Ani Anggota")
    hidden = member(prodi_x, "Hana Tersembunyi", listed_in_directory=False)
    assert "Hana Tersembunyi" not in get(other)[0]
    assert "Hana Tersembunyi" in get(hidden)[0]
    assert "Hana Tersembunyi" not in get(other)[0]


def test_filters_pages_and_languages_are_cached_apart(prodi_x, settings):
    settings.DIRECTORY_PAGE_SIZE = 2
    viewer = member(prodi_x, "Ani Anggota")
    for name in ("Budi Satu", "Budi Dua", "Cici Tiga"):
        member(prodi_x, name)
    assert "Budi Dua" in get(viewer, q="Budi")[0] and "Cici Tiga" not in get(viewer, q="Budi")[0]
    assert "Cici Tiga" in get(viewer, q="Cici")[0]
    first, second = get(viewer, page=1)[0], get(viewer, page=2)[0]
    assert first != second
    client = client_for(viewer)
    client.post(reverse("set_language"), {"language": "en", "next": DIRECTORY})
    english = client.get(DIRECTORY, {"page": 1}).content.decode()
    assert "people found" in english and "orang" in first


def test_a_login_does_not_throw_the_cached_pages_away(prodi_x, rf):
    viewer = member(prodi_x, "Ani Anggota")
    get(viewer)
    generation = generation_of(PEOPLE)
    user_logged_in.send(sender=type(viewer), request=rf.get("/"), user=viewer)  # saves last_login only
    assert generation_of(PEOPLE) == generation
    viewer.full_name = "Ani Ganti Nama"
    viewer.save()
    assert generation_of(PEOPLE) != generation


def test_an_import_shows_its_records_to_staff_on_the_next_request(prodi_x, staff_x):
    """The import writes with COPY / bulk updates, which send no post_save: it moves the generation itself."""
    from alumni.importing.jobs import run_import

    from .test_import import csv_file, line

    assert "Rina Wati" not in get(staff_x)[0]
    outcome = run_import(csv_file(line("20710003", name="Rina Wati", email="rina@example.org")), user=staff_x,
                         dry_run=False)
    assert outcome.imported
    assert "Rina Wati" in get(staff_x)[0]
