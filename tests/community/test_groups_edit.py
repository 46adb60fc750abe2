"""Changing a group: its admins and the staff above them change the description and how people join (not for
cohort groups, which nobody joins by hand); others cannot; bad input re-renders and changes nothing; audited."""

import pytest
from django.urls import reverse

from community import services_groups as sg
from community.models import Group
from core.models import AuditLog

from ..conftest import client_for
from .support_groups import community

pytestmark = pytest.mark.django_db


def test_an_admin_changes_the_description_and_joining(prodi_x, alumnus_a):
    group = community(prodi_x, alumnus_a, slug="slims", join_policy=Group.JoinPolicy.REQUEST)
    client = client_for(alumnus_a)
    page = client.get(reverse("community:group_detail", args=["slims"])).content.decode()
    assert 'id="edit-group"' in page
    response = client.post(reverse("community:group_edit", args=["slims"]),
                           {"description": "Pengguna SLiMS se-Kediri Raya.", "join_policy": "open"})
    assert response.status_code == 302
    group.refresh_from_db()
    assert (group.description, group.join_policy) == ("Pengguna SLiMS se-Kediri Raya.", "open")
    entry = AuditLog.objects.get(action="community.group.updated")
    assert entry.data["join_policy"] == ["request", "open"]


def test_an_empty_description_of_a_community_is_refused_and_nothing_changes(prodi_x, alumnus_a):
    group = community(prodi_x, alumnus_a, slug="slims")
    response = client_for(alumnus_a).post(reverse("community:group_edit", args=["slims"]),
                                          {"description": "  ", "join_policy": "open"})
    assert response.status_code == 200
    assert "Say what the community is about." in response.content.decode()
    group.refresh_from_db()
    assert group.description == "Pengguna SLiMS di Kediri dan sekitarnya."
    assert not AuditLog.objects.filter(action="community.group.updated").exists()


def test_members_and_other_staff_may_not_change_it_staff_of_its_program_may(prodi_x, alumnus_a, student, staff_x,
                                                                            staff_y):
    community(prodi_x, alumnus_a, members=[student], slug="slims")
    url = reverse("community:group_edit", args=["slims"])
    assert client_for(student).post(url, {"description": "x", "join_policy": "open"}).status_code == 403
    assert client_for(staff_y).post(url, {"description": "x", "join_policy": "open"}).status_code == 403
    assert client_for(staff_x).post(url, {"description": "Dijaga staf.", "join_policy": "request"}).status_code == 302
    assert Group.objects.get(slug="slims").description == "Dijaga staf."


def test_a_cohort_group_has_no_joining_choice(prodi_x, alumnus_a, staff_x):
    sg.cohort_groups_sync()
    cohort = Group.objects.get(kind="cohort", study_program=prodi_x)
    page = client_for(staff_x).get(reverse("community:group_edit", args=[cohort.slug])).content.decode()
    assert 'name="join_policy"' not in page
    policy = cohort.join_policy
    other = next(p for p in Group.JoinPolicy.values if p != policy)
    sg.group_update(group=cohort, by=staff_x, description="Angkatan kami.", join_policy=other)
    cohort.refresh_from_db()
    assert (cohort.description, cohort.join_policy) == ("Angkatan kami.", policy)
