"""The moderation queue: a group's admin, the staff of its study program and its institution's admins see its
reported items (most reported first, with reasons, hidden or not, a link to where they are); staff of another
study program and plain members see none of them; a fixed number of queries whatever the number of reports."""

import pytest
from django.urls import reverse

from alumni.scope import scope_for
from community import moderation, services_posts
from community.models import Post

from ..conftest import client_for
from .support_groups import community, people

pytestmark = pytest.mark.django_db


def queue_html(user) -> str:
    response = client_for(user).get(reverse("community:moderation_queue"))
    assert response.status_code == 200
    return response.content.decode()


def test_moderators_see_reported_items_most_reported_first(prodi_x, alumnus_a, alumnus_b, student, staff_x,
                                                           staff_y, admin_user):
    readers = people(prodi_x, 3, prefix="r")
    group = community(prodi_x, alumnus_a, members=[student, alumnus_b, *readers], slug="slims")
    spam = services_posts.post_create(group=group, by=student, body="Jual akun premium murah")
    rude = services_posts.post_create(group=group, by=student, body="Kata kasar")
    services_posts.post_create(group=group, by=student, body="Kabar baik")  # not reported
    for reader in readers:
        moderation.report(spam, by=reader, reason=f"Spam ({reader.get_full_name()})")
    moderation.report(rude, by=alumnus_b, reason="Tidak sopan")

    for moderator in (alumnus_a, staff_x, admin_user):
        html = queue_html(moderator)
        assert html.index("Jual akun premium") < html.index("Kata kasar") and "Kabar baik" not in html
        assert "3 reports" in html and "Hidden" in html  # the third report hid it
        assert reverse("community:post_detail", args=[spam.pk]) in html
        assert reverse("community:moderate", args=["post", spam.pk]) in html
    for outsider in (staff_y, alumnus_b, student):
        html = queue_html(outsider)
        assert "Jual akun premium" not in html and "Kata kasar" not in html
    assert 'id="moderates-nothing"' in queue_html(staff_y)

    # Deciding closes the reports: the item leaves the queue.
    moderation.hide(Post.objects.get(pk=rude.pk), by=alumnus_a, scope=scope_for(alumnus_a), reason="Kasar")
    assert "Kata kasar" not in queue_html(alumnus_a)


def test_the_queue_runs_a_fixed_number_of_queries(prodi_x, alumnus_a, django_assert_max_num_queries):
    readers = people(prodi_x, 12, prefix="q")
    group = community(prodi_x, alumnus_a, members=readers, slug="slims")
    counts = []
    for size in (2, 12):
        while Post.objects.filter(group=group).count() < size:
            n = Post.objects.filter(group=group).count()
            post = services_posts.post_create(group=group, by=readers[n], body=f"Kiriman {n}")
            moderation.report(post, by=readers[(n + 1) % 12], reason="Cek")
        client = client_for(alumnus_a)
        client.get(reverse("community:moderation_queue"))  # the scope and the menu are cached after one request
        with django_assert_max_num_queries(30) as ctx:
            html = client.get(reverse("community:moderation_queue")).content.decode()
        assert html.count("<li class=\"list-group-item\">") == size
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
