"""Races on PostgreSQL: people report one post at the same moment (it is hidden exactly once, every report
counted), and two staff decide the same waiting community at once (one decision, the creator told exactly once)."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

from community import moderation, services_groups, services_posts
from community.models import Group, ModerationAction, Post, Report, Visibility
from core.models import AuditLog, Notification

from ..conftest import need
from .support_groups import community, people

pytestmark = pytest.mark.django_db(transaction=True)
REPORTERS = 6


def _race(target, args_list):
    barrier = threading.Barrier(len(args_list))
    errors: list[Exception] = []

    def run(*args):
        try:
            barrier.wait(timeout=10)
            target(*args)
        except Exception as exc:  # noqa: BLE001 - asserted by the caller
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=args) for args in args_list]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_simultaneous_reports_hide_once_and_count_each(prodi_x, alumnus_a, student):
    need(connection.vendor == "postgresql", "row locks need PostgreSQL (SQLite serialises every writer anyway)")
    reporters = people(prodi_x, REPORTERS, prefix="race")
    group = community(prodi_x, alumnus_a, members=[student, *reporters])
    post = services_posts.post_create(group=group, by=student, body="Promo")

    def report(user):
        moderation.report(Post.objects.get(pk=post.pk), by=user, reason="spam")

    assert _race(report, [(user,) for user in reporters]) == []
    post.refresh_from_db()
    assert (post.visibility, post.report_count) == (Visibility.HIDDEN, REPORTERS)
    assert Report.objects.filter(target_id=post.pk).count() == REPORTERS
    assert ModerationAction.objects.filter(target_id=post.pk, action="auto_hide").count() == 1
    assert AuditLog.objects.filter(action="community.auto_hide", target_id=str(post.pk)).count() == 1


def test_one_person_reporting_twice_at_once_counts_once(prodi_x, alumnus_a, alumnus_b, student):
    need(connection.vendor == "postgresql", "row locks need PostgreSQL")
    group = community(prodi_x, alumnus_a, members=[student, alumnus_b])
    post = services_posts.post_create(group=group, by=student, body="Promo")

    def report():
        moderation.report(Post.objects.get(pk=post.pk), by=alumnus_b, reason="spam")

    errors = _race(report, [(), ()])
    assert len(errors) == 1 and isinstance(errors[0], ValidationError)
    post.refresh_from_db()
    assert post.report_count == 1 and Report.objects.count() == 1


def test_two_staff_deciding_at_once_tell_the_creator_once(prodi_x, alumnus_a, staff_x, admin_user):
    need(connection.vendor == "postgresql", "row locks need PostgreSQL")
    group = services_groups.interest_group_create(by=alumnus_a, name="Komunitas SLiMS", study_program=prodi_x,
                                                  description="Pengguna SLiMS.")

    def decide(user):
        services_groups.group_decide(group=Group.objects.get(pk=group.pk), by=user, approve=True)

    errors = _race(decide, [(staff_x,), (admin_user,)])
    assert len(errors) == 1 and isinstance(errors[0], ValidationError)
    assert Group.objects.get(pk=group.pk).status == Group.Status.ACTIVE
    assert Notification.objects.filter(kind=services_groups.KIND_DECIDED).count() == 1
    assert AuditLog.objects.filter(action="community.group.approved").count() == 1
