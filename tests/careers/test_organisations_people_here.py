"""Who an organisation's page and a post's page show as "alumni who work here" (selectors_organisations.alumni_at)
and how _people_here.html renders them."""

from __future__ import annotations

import datetime

import pytest
from django.template.loader import render_to_string

from alumni.models import AlumniProfile, Visibility
from alumni.scope import scope_for
from careers.models import CareerSettings, EmploymentOrganisation
from careers.organisations import organisation_alias_add, organisation_resolve
from careers.selectors_organisations import alumni_at

from ..factories import AlumniProfileFactory, EmploymentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bri():
    return organisation_resolve(name="PT Bank Rakyat Indonesia (Persero) Tbk")


def works_at(user, organisation, *, employer=None, position="Analis", end_date=None, link=True):
    job = EmploymentFactory(
        profile=user.alumni_profile, employer=employer or organisation.name, position=position, end_date=end_date,
        start_date=datetime.date(2020, 1, 1),
    )
    if link:
        EmploymentOrganisation.objects.update_or_create(employment=job, defaults={"organisation": organisation})
    return job


def share_career(user, visibility=Visibility.ALUMNI):
    AlumniProfile.objects.filter(user=user).update(vis_career=visibility)


def alumnus(prodi, name, **profile):
    user = UserFactory(full_name=name)
    AlumniProfileFactory(user=user, study_program=prodi, full_name=name, **profile)
    return user


def names(people):
    return [p.full_name for p in people]


def test_a_verified_alumnus_who_shares_a_current_job_is_shown_to_a_classmate(alumnus_a, alumnus_b, bri):
    share_career(alumnus_b)
    works_at(alumnus_b, bri, position="Relationship Manager")

    people = alumni_at(organisation=bri, viewer=alumnus_a)

    assert len(people) == 1
    person = people[0]
    assert person.full_name == "Bagus Pratama"
    assert person.position == "Relationship Manager"
    assert person.entry_year == 2015
    assert person.study_program_name == "Ilmu Perpustakaan"
    assert person.user_id == alumnus_b.pk
    assert person.profile_id == alumnus_b.alumni_profile.pk
    assert person.open_to_introductions is True


def test_an_alumnus_of_another_study_program_who_shares_with_members_is_shown(alumnus_a, prodi_y, bri):
    other = alumnus(prodi_y, "Citra Y")
    share_career(other)
    works_at(other, bri)

    assert names(alumni_at(organisation=bri, viewer=alumnus_a)) == ["Citra Y"]


def test_a_pending_person_at_the_organisation_is_not_shown(alumnus_a, pending_person, bri):
    share_career(pending_person)
    works_at(pending_person, bri)

    assert alumni_at(organisation=bri, viewer=alumnus_a) == []


@pytest.mark.parametrize("visibility", [Visibility.PRIVATE, Visibility.STAFF])
def test_a_career_not_shared_with_members_is_hidden_from_members(alumnus_a, alumnus_b, bri, visibility):
    share_career(alumnus_b, visibility)
    works_at(alumnus_b, bri)

    assert alumni_at(organisation=bri, viewer=alumnus_a) == []


def test_staff_of_the_program_see_a_career_shared_with_staff_but_not_a_private_one(
    alumnus_a, alumnus_b, staff_x, staff_y, bri
):
    share_career(alumnus_a, Visibility.STAFF)
    share_career(alumnus_b, Visibility.PRIVATE)
    works_at(alumnus_a, bri)
    works_at(alumnus_b, bri)

    assert names(alumni_at(organisation=bri, viewer=staff_x)) == ["Ani Lestari"]
    assert alumni_at(organisation=bri, viewer=staff_y) == []


def test_an_ended_job_is_not_shown(alumnus_a, alumnus_b, bri):
    share_career(alumnus_b)
    works_at(alumnus_b, bri, end_date=datetime.date(2023, 6, 30))

    assert alumni_at(organisation=bri, viewer=alumnus_a) == []


def test_the_viewer_is_not_shown_themself(alumnus_a, alumnus_b, bri):
    share_career(alumnus_a)
    share_career(alumnus_b)
    works_at(alumnus_a, bri)
    works_at(alumnus_b, bri)

    assert names(alumni_at(organisation=bri, viewer=alumnus_a)) == ["Bagus Pratama"]


def test_a_job_at_another_organisation_is_not_shown(alumnus_a, alumnus_b, bri):
    share_career(alumnus_b)
    works_at(alumnus_b, organisation_resolve(name="Bank Mandiri"))

    assert alumni_at(organisation=bri, viewer=alumnus_a) == []


def test_a_job_typed_another_way_shows_once_staff_add_that_name_as_an_alias(alumnus_a, alumnus_b, staff_x, bri):
    share_career(alumnus_b)
    EmploymentFactory(profile=alumnus_b.alumni_profile, employer="bank bri", position="Teller")  # the receiver links
    assert alumni_at(organisation=bri, viewer=alumnus_a) == []

    organisation_alias_add(organisation=bri, name="Bank BRI", by=staff_x)

    assert names(alumni_at(organisation=bri, viewer=alumnus_a)) == ["Bagus Pratama"]


@pytest.mark.parametrize("viewer", ["pending_person", "anonymous", "employer_contact"])
def test_pending_people_visitors_and_employer_contacts_get_nobody(alumnus_b, bri, viewer, request):
    share_career(alumnus_b)
    works_at(alumnus_b, bri)

    assert alumni_at(organisation=bri, viewer=request.getfixturevalue(viewer)) == []


def test_someone_who_turned_introductions_off_is_shown_without_the_offer(alumnus_a, alumnus_b, bri):
    share_career(alumnus_b)
    works_at(alumnus_b, bri)
    CareerSettings.objects.create(user=alumnus_b, introductions_open=False)

    [person] = alumni_at(organisation=bri, viewer=alumnus_a)

    assert person.open_to_introductions is False


def test_two_current_jobs_at_one_place_show_the_person_once_and_the_limit_holds(alumnus_a, prodi_x, bri):
    for i in range(4):
        person = alumnus(prodi_x, f"Rekan {i}")
        share_career(person)
        works_at(person, bri, position="Teller")
        works_at(person, bri, position="Teller sore")

    people = alumni_at(organisation=bri, viewer=alumnus_a, limit=3)

    assert names(people) == ["Rekan 0", "Rekan 1", "Rekan 2"]


@pytest.mark.parametrize("size", [2, 12])
def test_alumni_at_takes_one_query_whatever_the_number_of_people(
    alumnus_a, prodi_x, bri, size, django_assert_num_queries
):
    for i in range(size):
        person = alumnus(prodi_x, f"Rekan {i:02d}")
        share_career(person)
        works_at(person, bri)
    scope_for(alumnus_a)  # the viewer's scope is computed once per request, not by the selector

    with django_assert_num_queries(1):
        people = alumni_at(organisation=bri, viewer=alumnus_a)

    assert len(people) == size


def test_the_template_shows_name_position_cohort_and_no_contact(alumnus_a, alumnus_b, bri):
    share_career(alumnus_b)
    works_at(alumnus_b, bri, position="Relationship Manager")
    people = alumni_at(organisation=bri, viewer=alumnus_a)

    html = render_to_string("careers/_people_here.html", {
        "people_here": people, "organisation": bri, "can_ask_introduction": False,
    })

    assert "Bagus Pratama" in html
    assert "Relationship Manager" in html
    assert "2015" in html
    assert "bagus@example.org" not in html
    assert "introductions/ask" not in html


def test_the_template_says_so_when_nobody_is_shown(bri):
    html = render_to_string("careers/_people_here.html", {
        "people_here": [], "organisation": bri, "can_ask_introduction": True,
    })

    assert "Alumni who work here" in html or "Alumni yang bekerja di sini" in html
    assert "<li" not in html
