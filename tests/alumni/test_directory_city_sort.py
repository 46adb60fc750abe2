"""The directory's city filter (with the province filter, and the cities offered for a chosen province), its sort by
name or cohort (stable from page to page), and "Find classmates" on the dashboard (issue 14)."""

import pytest
from django.urls import reverse

from alumni import selectors
from alumni.models import Province, Visibility

from ..conftest import client_for
from ..factories import AlumniProfileFactory, UserFactory

DIRECTORY = reverse("alumni:directory")


def names(response):
    return [profile.full_name for profile, _parts in response.context["rows"]]


def person(program, name, *, city="", province=None, vis=Visibility.ALUMNI, entry_year=2015):
    user = UserFactory(email=f"{name.split()[0].lower()}@example.org", full_name=name)
    return AlumniProfileFactory(user=user, study_program=program, full_name=name, city=city, entry_year=entry_year,
                                province=Province.objects.get(name=province) if province else None,
                                vis_location=vis)


@pytest.fixture
def townspeople(prodi_x):
    """Four graduates of X in Jawa Barat and Bali; Hana keeps her city to herself, Iwan shows it to staff only."""
    return {
        "fajar": person(prodi_x, "Fajar Bandung", city="Kota Bandung", province="Jawa Barat"),
        "gita": person(prodi_x, "Gita Bekasi", city="Kab. Bekasi", province="Jawa Barat"),
        "hana": person(prodi_x, "Hana Rahasia", city="Kota Bandung", province="Jawa Barat", vis=Visibility.PRIVATE),
        "iwan": person(prodi_x, "Iwan Staf", city="Bandung Barat", province="Jawa Barat", vis=Visibility.STAFF),
        "joko": person(prodi_x, "Joko Bali", city="Denpasar", province="Bali"),
    }


def test_city_filter_finds_part_of_the_name_case_blind(alumnus_a, townspeople):
    client = client_for(alumnus_a)
    assert names(client.get(DIRECTORY, {"city": "bandung"})) == ["Fajar Bandung"]
    assert names(client.get(DIRECTORY, {"city": "  DENPASAR "})) == ["Joko Bali"]
    assert names(client.get(DIRECTORY, {"city": "Surabaya"})) == []


def test_a_hidden_city_never_finds_its_owner(alumnus_a, staff_x, townspeople):
    # Hana (only me) is found by nobody else; Iwan (staff only) by the staff of his study program.
    assert names(client_for(alumnus_a).get(DIRECTORY, {"city": "bandung"})) == ["Fajar Bandung"]
    assert names(client_for(staff_x).get(DIRECTORY, {"city": "bandung"})) == ["Fajar Bandung", "Iwan Staf"]
    # Hana finds herself.
    hana = client_for(townspeople["hana"].user)
    assert "Hana Rahasia" in names(hana.get(DIRECTORY, {"city": "bandung"}))


def test_city_and_province_together(alumnus_a, townspeople):
    west_java = Province.objects.get(name="Jawa Barat").pk
    bali = Province.objects.get(name="Bali").pk
    client = client_for(alumnus_a)
    assert names(client.get(DIRECTORY, {"province": west_java})) == ["Fajar Bandung", "Gita Bekasi"]
    response = client.get(DIRECTORY, {"province": west_java, "city": "bekasi"})
    assert names(response) == ["Gita Bekasi"]
    assert response.context["page"].paginator.count == 1
    assert names(client.get(DIRECTORY, {"province": bali, "city": "bandung"})) == []


def test_the_cities_offered_follow_the_province_and_what_the_viewer_may_see(alumnus_a, staff_x, townspeople):
    west_java = Province.objects.get(name="Jawa Barat").pk
    member = client_for(alumnus_a).get(DIRECTORY, {"province": west_java})
    # Hana's city is hers: "Kota Bandung" is offered once, for Fajar; Iwan's only to staff.
    assert member.context["city_options"] == ["Kab. Bekasi", "Kota Bandung"]
    assert '<datalist id="city-options"><option value="Kab. Bekasi"></option><option value="Kota Bandung"></option>' \
        in member.content.decode()
    staff = client_for(staff_x).get(DIRECTORY, {"province": west_java})
    assert staff.context["city_options"] == ["Bandung Barat", "Kab. Bekasi", "Kota Bandung"]
    # Without a province the city is free text only.
    assert client_for(alumnus_a).get(DIRECTORY).context["city_options"] == []


def test_the_cities_offered_are_counted_again_after_a_change(alumnus_a, townspeople):
    west_java = Province.objects.get(name="Jawa Barat").pk
    assert selectors.city_suggestions(viewer=alumnus_a, province=west_java) == ["Kab. Bekasi", "Kota Bandung"]
    gita = townspeople["gita"]
    gita.city = "Kota Bandung"
    gita.save()
    assert selectors.city_suggestions(viewer=alumnus_a, province=west_java) == ["Kota Bandung"]


def test_the_city_is_part_of_the_cached_count(alumnus_a, townspeople):
    client = client_for(alumnus_a)
    assert client.get(DIRECTORY, {"city": "bandung"}).context["page"].paginator.count == 1
    assert client.get(DIRECTORY, {"city": "bekasi"}).context["page"].paginator.count == 1
    assert client.get(DIRECTORY, {"city": "a"}).context["page"].paginator.count == 3  # Fajar, Gita, Joko


def test_a_city_too_long_is_refused_with_a_message(alumnus_a, townspeople):
    response = client_for(alumnus_a).get(DIRECTORY, {"city": "x" * 101})
    assert "city" in response.context["form"].errors
    assert len(names(response)) == 6  # the filters are not applied: everyone listed (A and the five)


def test_sort_by_name_or_by_cohort(alumnus_a, prodi_x):
    for name, year in [("Agus", 2019), ("Bima", 2012), ("Cahya", 2019), ("Dedi", 2010)]:
        person(prodi_x, f"{name} Angkatan", entry_year=year)
    client = client_for(alumnus_a)
    filters = {"q": "angkatan"}
    assert names(client.get(DIRECTORY, filters)) == ["Agus Angkatan", "Bima Angkatan", "Cahya Angkatan",
                                                     "Dedi Angkatan"]
    assert names(client.get(DIRECTORY, {**filters, "sort": "name"})) == ["Agus Angkatan", "Bima Angkatan",
                                                                        "Cahya Angkatan", "Dedi Angkatan"]
    assert names(client.get(DIRECTORY, {**filters, "sort": "cohort"})) == ["Dedi Angkatan", "Bima Angkatan",
                                                                          "Agus Angkatan", "Cahya Angkatan"]
    response = client.get(DIRECTORY, {**filters, "sort": "age"})
    assert "sort" in response.context["form"].errors


@pytest.mark.parametrize("sort", ["name", "cohort"])
def test_the_sort_is_stable_from_page_to_page(sort, alumnus_a, prodi_x, settings):
    """Twelve people with the same name and cohort: the pages of 5 hold each exactly once."""
    settings.DIRECTORY_PAGE_SIZE = 5
    AlumniProfileFactory.create_batch(12, study_program=prodi_x, entry_year=2016, full_name="Sama Nama")
    client = client_for(alumnus_a)
    seen = []
    for page in (1, 2, 3):
        response = client.get(DIRECTORY, {"q": "sama", "sort": sort, "page": page})
        seen += [profile.pk for profile, _parts in response.context["rows"]]
    assert len(seen) == len(set(seen)) == 12


@pytest.mark.parametrize("size", [10, 120])
def test_city_and_sort_keep_the_query_count(size, alumnus_a, prodi_x, django_assert_max_num_queries, settings):
    settings.DIRECTORY_PAGE_SIZE = 200
    west_java = Province.objects.get(name="Jawa Barat")
    for i in range(size):
        AlumniProfileFactory(study_program=prodi_x, full_name=f"Orang {i:03d}", province=west_java,
                             city="Kota Bandung" if i % 2 else "Kab. Bogor", entry_year=2010 + i % 9,
                             vis_location=Visibility.ALUMNI)
    client = client_for(alumnus_a)
    client.get(DIRECTORY)  # warm the session
    # 9 at both sizes, the cities of the province on a cold cache included (one query; none once cached).
    with django_assert_max_num_queries(9):
        response = client.get(DIRECTORY, {"province": west_java.pk, "city": "bandung", "sort": "cohort"})
    assert response.context["page"].paginator.count == size // 2
    years = [profile.entry_year for profile, _parts in response.context["rows"]]
    assert years == sorted(years) and len(years) == size // 2
    assert response.context["city_options"] == ["Kab. Bogor", "Kota Bandung"]


def test_find_classmates_opens_the_directory_of_ones_program_and_cohort(alumnus_a, alumnus_b, prodi_x, prodi_y):
    AlumniProfileFactory(study_program=prodi_x, entry_year=2016, full_name="Lain Angkatan")
    AlumniProfileFactory(study_program=prodi_y, entry_year=2015, full_name="Lain Prodi")
    client = client_for(alumnus_a)
    dashboard = client.get(reverse("dashboard")).content.decode()
    link = f"{DIRECTORY}?study_program={prodi_x.pk}&amp;cohort=2015"
    assert f'href="{link}"' in dashboard
    response = client.get(DIRECTORY, {"study_program": prodi_x.pk, "cohort": 2015})
    assert names(response) == ["Ani Lestari", "Bagus Pratama"]
    assert response.context["page"].paginator.count == 2
