"""Reports racing each other on PostgreSQL: ten people report one post at the same moment; the post is hidden
exactly once, its open-report count is exactly ten, and nobody's report is lost."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection

from careers import services_posts
from careers.models import JobPost, JobReport
from core.models import AuditLog

from ..conftest import need
from ..factories import AlumniProfileFactory, UserFactory
from .matrix_posts import make_post

pytestmark = pytest.mark.django_db(transaction=True)
REPORTERS = 10


def test_simultaneous_reports_hide_the_post_once_and_count_every_report(alumnus_b, prodi_x):
    need(connection.vendor == "postgresql", "row locks need PostgreSQL (SQLite serialises every writer anyway)")
    post = make_post(by=alumnus_b, approved=[prodi_x])
    people = []
    for n in range(REPORTERS):
        user = UserFactory(email=f"saksi{n}@example.org")
        AlumniProfileFactory(user=user, study_program=prodi_x, nim=f"157103{n:02d}")
        people.append(user)
    barrier = threading.Barrier(REPORTERS)
    errors: list[Exception] = []

    def report(user):
        try:
            barrier.wait(timeout=10)
            services_posts.post_report(post=JobPost.objects.get(pk=post.pk), by=user, reason="scam")
        except Exception as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=report, args=(user,)) for user in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    post.refresh_from_db()
    assert (post.status, post.report_count) == (JobPost.Status.HIDDEN, REPORTERS)
    assert JobReport.objects.filter(post=post).count() == REPORTERS
    assert AuditLog.objects.filter(action="careers.post.hidden", target_id=str(post.pk)).count() == 1
