"""Job posts, staff pages: the moderation queue shows each staff member only their own study programs' waiting
targets and hidden posts; approve, refuse (a reason required), keep or remove a hidden post, each audited and the
poster told; staff of prodi Y never see or decide a target of prodi X."""

from __future__ import annotations

from django.urls import reverse

from careers.models import JobPost, JobPostTarget, JobReport
from core.models import AuditLog, Notification
from core.registry import ACTION_LABELS

from ..conftest import client_for
from .matrix_posts import make_post

S = JobPost.Status
T = JobPostTarget.State


def test_the_queue_shows_staff_their_own_programs_targets_only(alumnus_b, staff_x, staff_y, prodi_x, prodi_y):
    for_y = make_post(by=alumnus_b, approved=[prodi_x], pending=[prodi_y], title="Untuk Y")
    for_x = make_post(by=alumnus_b, pending=[prodi_x], title="Untuk X")
    queue_y = client_for(staff_y).get(reverse("careers:moderation"))
    assert [t.post.title for t in queue_y.context["pending"]] == ["Untuk Y"]
    queue_x = client_for(staff_x).get(reverse("careers:moderation"))
    assert [t.post.title for t in queue_x.context["pending"]] == ["Untuk X"]
    # A closed post's waiting target is no longer anyone's business.
    JobPost.objects.filter(pk=for_x.pk).update(status=S.CLOSED)
    assert client_for(staff_x).get(reverse("careers:moderation")).context["pending"] == []
    assert for_y.pk


def test_the_queue_shows_hidden_posts_naming_the_staffs_programs(alumnus_a, alumnus_b, staff_x, staff_y, prodi_x):
    post = make_post(by=alumnus_b, approved=[prodi_x], status=S.HIDDEN, report_count=1, title="Aneh")
    JobReport.objects.create(post=post, reporter=alumnus_a, reason="scam", note="Minta transfer")
    response = client_for(staff_x).get(reverse("careers:moderation"))
    assert [p.title for p in response.context["hidden"]] == ["Aneh"]
    assert "Minta transfer" in response.content.decode()
    assert client_for(staff_y).get(reverse("careers:moderation")).context["hidden"] == []


def test_staff_y_approve_their_target_and_the_poster_is_told(alumnus_b, staff_y, prodi_x, prodi_y):
    post = make_post(by=alumnus_b, approved=[prodi_x], pending=[prodi_y])
    response = client_for(staff_y).post(reverse("careers:target_approve", args=[post.pk, prodi_y.pk]))
    assert response.status_code == 302
    assert post.targets.get(study_program=prodi_y).state == T.APPROVED
    assert Notification.objects.filter(recipient=alumnus_b, kind="careers_post_decided").count() == 1


def test_staff_y_get_a_404_for_a_target_of_prodi_x(alumnus_b, staff_y, prodi_x):
    post = make_post(by=alumnus_b, pending=[prodi_x])
    client = client_for(staff_y)
    assert client.post(reverse("careers:target_approve", args=[post.pk, prodi_x.pk])).status_code == 404
    assert client.get(reverse("careers:target_refuse", args=[post.pk, prodi_x.pk])).status_code == 404
    assert client.get(reverse("careers:post_detail", args=[post.pk])).status_code == 404
    assert post.targets.get().state == T.PENDING


def test_refusing_needs_a_reason_then_tells_the_poster(alumnus_b, staff_y, prodi_x, prodi_y):
    post = make_post(by=alumnus_b, approved=[prodi_x], pending=[prodi_y], title="Penerjemah")
    client = client_for(staff_y)
    url = reverse("careers:target_refuse", args=[post.pk, prodi_y.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    assert post.targets.get(study_program=prodi_y).state == T.PENDING
    assert client.post(url, {"reason": "Bukan untuk lulusan sastra."}).status_code == 302
    target = post.targets.get(study_program=prodi_y)
    assert (target.state, target.reason) == (T.REFUSED, "Bukan untuk lulusan sastra.")
    told = Notification.objects.get(recipient=alumnus_b)
    assert "Bukan untuk lulusan sastra." in told.body
    # The post stays listed for prodi X.
    assert post.targets.get(study_program=prodi_x).state == T.APPROVED


def test_staff_keep_a_hidden_post_through_the_review_page(alumnus_a, alumnus_b, staff_x, prodi_x):
    post = make_post(by=alumnus_b, approved=[prodi_x], status=S.HIDDEN, report_count=1)
    JobReport.objects.create(post=post, reporter=alumnus_a, reason="expired")
    client = client_for(staff_x)
    assert client.get(reverse("careers:post_review", args=[post.pk])).status_code == 200
    assert client.post(reverse("careers:post_review", args=[post.pk]), {"decision": "keep"}).status_code == 302
    post.refresh_from_db()
    assert (post.status, post.report_count) == (S.OPEN, 0)
    assert JobReport.objects.get().resolved_at is not None
    assert AuditLog.objects.filter(action="careers.post.restored", target_id=str(post.pk)).count() == 1


def test_staff_remove_a_hidden_post_with_a_reason_through_the_review_page(alumnus_b, staff_x, prodi_x):
    post = make_post(by=alumnus_b, approved=[prodi_x], status=S.HIDDEN, report_count=3)
    client = client_for(staff_x)
    url = reverse("careers:post_review", args=[post.pk])
    response = client.post(url, {"decision": "remove", "reason": ""})
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    post.refresh_from_db()
    assert post.status == S.HIDDEN
    assert client.post(url, {"decision": "remove", "reason": "Penipuan: minta biaya."}).status_code == 302
    post.refresh_from_db()
    assert post.status == S.REMOVED
    assert "Penipuan: minta biaya." in Notification.objects.get(recipient=alumnus_b).body


def test_staff_edit_a_post_naming_their_program(alumnus_b, staff_y, prodi_x, prodi_y):
    post = make_post(by=alumnus_b, approved=[prodi_x], pending=[prodi_y], remote=True)
    data = {
        "title": "Penerjemah (diperbaiki)", "organisation_name": post.organisation.name, "kind": post.kind,
        "field": post.field, "remote": "on", "apply_how": "url", "apply_url": post.apply_url,
        "closing_date": post.closing_date.isoformat(), "description": post.description,
    }
    response = client_for(staff_y).post(reverse("careers:post_edit", args=[post.pk]), data)
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.title == "Penerjemah (diperbaiki)"
    assert AuditLog.objects.get(action="careers.post.edited").actor == staff_y


def test_every_decision_has_a_label_in_activity_lists():
    for verb in ("created", "edited", "approved", "refused", "reported", "hidden", "restored", "removed", "closed"):
        assert f"careers.post.{verb}" in ACTION_LABELS
