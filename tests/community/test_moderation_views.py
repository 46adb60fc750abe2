"""Moderation through the pages: reports (once each; three hide the item), "hidden by a moderator" for members and
the full text with the history for moderators, a group admin's hide overridden by study-program staff and by the
institution admin, and the same report and moderate pages for the help part's questions."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from community import services_posts
from community.models import (
    HIDE_AFTER_REPORTS,
    HelpCategory,
    HelpRequest,
    Membership,
    ModerationAction,
    Post,
    Report,
    Visibility,
)

from ..conftest import client_for
from .support_groups import community, people

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(prodi_x, alumnus_a, alumnus_b, student):
    return community(prodi_x, alumnus_a, members=[student, alumnus_b])


@pytest.fixture
def post(group, student):
    return services_posts.post_create(group=group, by=student, body="Jual skripsi, hubungi 0812-xxxx")


def _report(user, kind, pk, reason="spam"):
    return client_for(user).post(reverse("community:report", args=[kind, pk]), {"reason": reason})


def test_three_reports_hide_the_post(group, post, prodi_x, alumnus_b, alumnus_a):
    reporters = people(prodi_x, HIDE_AFTER_REPORTS, prefix="r")
    for user in reporters:
        Membership.objects.create(group=group, user=user, status=Membership.Status.ACTIVE,
                                  joined_at=timezone.now() - timedelta(days=30))
    for user in reporters[:-1]:
        assert _report(user, "post", post.pk).status_code == 302
    again = _report(reporters[0], "post", post.pk)
    assert again.status_code == 302 and Report.objects.count() == HIDE_AFTER_REPORTS - 1
    post.refresh_from_db()
    assert post.visibility == Visibility.VISIBLE
    _report(reporters[-1], "post", post.pk)
    post.refresh_from_db()
    assert post.visibility == Visibility.HIDDEN and post.report_count == HIDE_AFTER_REPORTS
    member_html = client_for(alumnus_b).get(reverse("community:post_detail", args=[post.pk])).content.decode()
    assert "Hidden by a moderator." in member_html and "Jual skripsi" not in member_html
    group_html = client_for(alumnus_b).get(reverse("community:group_detail", args=[group.slug])).content.decode()
    assert "Jual skripsi" not in group_html and "Hidden by a moderator." in group_html
    admin_html = client_for(alumnus_a).get(reverse("community:post_detail", args=[post.pk])).content.decode()
    assert "Jual skripsi" in admin_html and "Hidden after reports" in admin_html
    assert "Hidden after 3 reports." in admin_html


def test_empty_report_refused(post, alumnus_b):
    response = _report(alumnus_b, "post", post.pk, reason="")
    assert response.status_code == 200 and "Say briefly what is wrong with it." in response.content.decode()
    assert not Report.objects.exists()


def test_group_admin_hides_staff_shows_admin_hides_again(post, alumnus_a, staff_x, admin_user, student):
    url = reverse("community:moderate", args=["post", post.pk])
    response = client_for(alumnus_a).post(url, {"action": "hide", "reason": ""})
    assert "Say why it is hidden" in response.content.decode()
    client_for(alumnus_a).post(url, {"action": "hide", "reason": "Jualan"})
    post.refresh_from_db()
    assert post.visibility == Visibility.HIDDEN
    # The author still reads it, marked hidden.
    html = client_for(student).get(reverse("community:post_detail", args=[post.pk])).content.decode()
    assert "Jual skripsi" in html and 'id="hidden-badge"' in html
    client_for(staff_x).post(url, {"action": "show", "reason": "Boleh, info beasiswa"})
    post.refresh_from_db()
    assert post.visibility == Visibility.VISIBLE
    response = client_for(alumnus_a).post(url, {"action": "hide", "reason": "Tetap jualan"})
    assert response.status_code == 403
    client_for(admin_user).post(url, {"action": "hide", "reason": "Data pribadi"})
    post.refresh_from_db()
    assert post.visibility == Visibility.HIDDEN
    history = list(ModerationAction.objects.filter(target_id=post.pk).order_by("at", "pk")
                   .values_list("action", "acting_as"))
    assert history == [("hide", "group_admin"), ("show", "staff"), ("hide", "admin")]
    html = client_for(staff_x).get(url).content.decode()
    assert "Jualan" in html and "Boleh, info beasiswa" in html and "Data pribadi" in html
    assert Post.objects.filter(pk=post.pk).exists()


def test_members_cannot_moderate(post, alumnus_b, student):
    url = reverse("community:moderate", args=["post", post.pk])
    assert client_for(alumnus_b).post(url, {"action": "hide", "reason": "x"}).status_code == 403
    post.refresh_from_db()
    assert post.visibility == Visibility.VISIBLE


def test_questions_use_the_same_report_and_moderate_pages(group, alumnus_a, alumnus_b, student):
    category, _ = HelpCategory.objects.get_or_create(code="instalasi-slims", defaults={"name": "Instalasi SLiMS"})
    question = HelpRequest.objects.create(group=group, asker=student, category=category, title="SLiMS error 500")
    assert _report(alumnus_b, "question", question.pk).status_code == 302
    assert Report.objects.get().target_type == "question"
    client_for(alumnus_a).post(reverse("community:moderate", args=["question", question.pk]),
                               {"action": "hide", "reason": "Duplikat"})
    question.refresh_from_db()
    assert question.visibility == Visibility.HIDDEN
    assert client_for(alumnus_b).get(reverse("community:report", args=["nothing", question.pk])).status_code == 404
