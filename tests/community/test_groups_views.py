"""Group pages: the groups list (mine and discover, search, kind) and the group page in a fixed number of queries at
two sizes; proposing a community with a name that exists; a student sees their cohort; the staff queue; join by
request through the pages; the members page."""

import pytest
from django.urls import reverse

from community import services_groups as sg
from community import services_posts
from community.models import Group, Membership

from ..conftest import client_for
from .support_groups import community, people, png

pytestmark = pytest.mark.django_db
M = Membership


def _fill(prodi, admin, n_groups, n_people, start=0):
    users = people(prodi, n_people, start=start, prefix="q")
    for i in range(n_groups):
        group = community(prodi, admin, members=users, name=f"Komunitas {start + i}", slug=f"k-{start + i}",
                          join_policy=Group.JoinPolicy.OPEN)
        for user in users[:2]:
            services_posts.post_create(group=group, by=user, body=f"Halo {i}", images=[(png(), "gambar")])
    return users


def _list_queries(client, django_assert_max_num_queries, bound):
    with django_assert_max_num_queries(bound):
        response = client.get(reverse("community:groups"))
    assert response.status_code == 200
    return response


QUERY_BOUND_LIST = 11
QUERY_BOUND_PAGE = 17


def test_groups_list_queries_at_two_sizes(prodi_x, alumnus_a, django_assert_max_num_queries):
    sg.cohort_groups_sync()
    client = client_for(alumnus_a)
    _fill(prodi_x, alumnus_a, 2, 2)
    small = _list_queries(client, django_assert_max_num_queries, QUERY_BOUND_LIST)
    _fill(prodi_x, alumnus_a, 20, 8, start=100)
    large = _list_queries(client, django_assert_max_num_queries, QUERY_BOUND_LIST)
    assert small.content.decode().count('class="list-group-item"') < large.content.decode().count(
        'class="list-group-item"')


def test_group_page_queries_at_two_sizes(prodi_x, alumnus_a, django_assert_max_num_queries):
    group = community(prodi_x, alumnus_a)
    client = client_for(alumnus_a)
    url = reverse("community:group_detail", args=[group.slug])
    users = people(prodi_x, 2, prefix="s")
    for user in users:
        sg.member_add(group=group, user=user)
        post = services_posts.post_create(group=group, by=user, body="Halo https://slims.web.id",
                                          images=[(png(), "a"), (png(), "b")])
        services_posts.comment_create(post=post, by=alumnus_a, body="Oke")
    with django_assert_max_num_queries(QUERY_BOUND_PAGE):
        small = client.get(url)
    more = people(prodi_x, 12, start=10, prefix="s")
    for user in more:
        sg.member_add(group=group, user=user)
        post = services_posts.post_create(group=group, by=user, body="Halo lagi",
                                          images=[(png(), "a"), (png(), "b")])
        services_posts.comment_create(post=post, by=alumnus_a, body="Oke")
    with django_assert_max_num_queries(QUERY_BOUND_PAGE):
        large = client.get(url)
    assert small.status_code == large.status_code == 200
    html = large.content.decode()
    assert html.count('<article class="card') == 14
    assert 'href="https://slims.web.id" rel="nofollow"' in small.content.decode()


def test_student_sees_their_cohort(prodi_x, student):
    sg.cohort_groups_sync()
    html = client_for(student).get(reverse("community:groups")).content.decode()
    mine = html.split('id="my-groups"')[1].split("</ul>")[0]
    assert "Ilmu Perpustakaan · Angkatan 2023" in mine


def test_search_and_kind_filter(prodi_x, alumnus_a, alumnus_b):
    community(prodi_x, alumnus_a, name="Komunitas SLiMS", slug="slims")
    community(prodi_x, alumnus_a, name="Klub Arsip", slug="arsip")
    client = client_for(alumnus_b)
    html = client.get(reverse("community:groups"), {"q": "slims"}).content.decode()
    assert "Komunitas SLiMS" in html and "Klub Arsip" not in html
    html = client.get(reverse("community:groups"), {"kind": "region"}).content.decode()
    assert "Komunitas SLiMS" not in html


def test_propose_with_a_name_that_exists(prodi_x, alumnus_a, alumnus_b):
    community(prodi_x, alumnus_a, name="Komunitas SLiMS Kediri Raya")
    response = client_for(alumnus_b).post(reverse("community:group_new") + "?kind=interest", {
        "name": "KOMUNITAS slims, Kediri Raya", "description": "x", "study_program": prodi_x.pk,
        "join_policy": "open",
    })
    assert response.status_code == 200
    assert "A group with this name exists." in response.content.decode()
    assert Group.objects.count() == 1


def test_propose_then_staff_approve_through_the_pages(prodi_x, alumnus_a, staff_x):
    response = client_for(alumnus_a).post(reverse("community:group_new") + "?kind=interest", {
        "name": "Komunitas SLiMS Kediri Raya", "description": "Pengguna SLiMS.", "study_program": prodi_x.pk,
        "join_policy": "request",
    })
    group = Group.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("community:group_detail",
                                                                            args=[group.slug])
    staff = client_for(staff_x)
    assert "Komunitas SLiMS Kediri Raya" in staff.get(reverse("community:group_queue")).content.decode()
    response = staff.post(reverse("community:group_decide", args=[group.slug]), {"decision": "refuse"})
    assert "Say why the community is refused" in response.content.decode()
    staff.post(reverse("community:group_decide", args=[group.slug]), {"decision": "approve"})
    group.refresh_from_db()
    assert group.status == Group.Status.ACTIVE and group.decided_by == staff_x


def test_join_by_request_through_the_pages(prodi_x, alumnus_a, alumnus_b):
    group = community(prodi_x, alumnus_a)
    response = client_for(alumnus_b).post(reverse("community:group_join", args=[group.slug]))
    assert response.status_code == 302
    row = Membership.objects.get(group=group, user=alumnus_b)
    assert row.status == M.Status.REQUESTED
    admin = client_for(alumnus_a)
    html = admin.get(reverse("community:group_members", args=[group.slug])).content.decode()
    assert "Bagus Pratama" in html and 'id="join-requests"' in html
    admin.post(reverse("community:group_members", args=[group.slug]), {"membership": row.pk, "action": "approve"})
    assert Membership.objects.get(pk=row.pk).status == M.Status.ACTIVE
    admin.post(reverse("community:group_members", args=[group.slug]), {"membership": row.pk, "action": "admin"})
    assert Membership.objects.get(pk=row.pk).role == M.Role.ADMIN


def test_last_admin_leave_page_asks_for_a_successor(prodi_x, alumnus_a, student):
    group = community(prodi_x, alumnus_a, members=[student])
    client = client_for(alumnus_a)
    url = reverse("community:group_leave", args=[group.slug])
    response = client.post(url, {})
    assert "name another member as admin" in response.content.decode()
    assert Membership.objects.get(group=group, user=alumnus_a).status == M.Status.ACTIVE
    response = client.post(url, {"successor": student.pk})
    assert response.status_code == 302
    assert Membership.objects.get(group=group, user=student).role == M.Role.ADMIN


def test_waiting_group_hidden_from_other_members(prodi_x, alumnus_a, alumnus_b):
    group = community(prodi_x, alumnus_a, status=Group.Status.WAITING)
    assert client_for(alumnus_b).get(reverse("community:group_detail", args=[group.slug])).status_code == 404
    assert client_for(alumnus_a).get(reverse("community:group_detail", args=[group.slug])).status_code == 200
