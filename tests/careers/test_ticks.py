"""The careers tick: posts close themselves after their closing date, and posters hear three days before —
each exactly once, also with two ticks racing on PostgreSQL."""

from __future__ import annotations

import datetime
import threading
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.utils import timezone

from careers import ticks
from careers.models import JobPost
from careers.tasks_alerts import run_careers_ticks
from careers.ticks import CLOSING_SOON_KIND, EXPIRED_ACTION, careers_tick
from core import notifications as core_notifications
from core.models import AuditLog, Notification

from ..conftest import need
from ..factories import StudyProgramFactory, UserFactory
from .alerts_support import day, post

pytestmark = pytest.mark.django_db
S = JobPost.Status


def reminders():
    return Notification.objects.filter(kind=CLOSING_SOON_KIND)


def tick(capture, **kwargs):
    with capture(execute=True):
        return careers_tick(**kwargs)


def test_posts_past_their_closing_date_close_and_the_rest_stay(prodi_x, staff_x):
    yesterday = post(by=staff_x, programs=[prodi_x], title="Yesterday", closing=-1)
    hidden = post(by=staff_x, programs=[prodi_x], title="Hidden", closing=-5, status=S.HIDDEN)
    today = post(by=staff_x, programs=[prodi_x], title="Today", closing=0)
    removed = post(by=staff_x, programs=[prodi_x], title="Removed", closing=-3, status=S.REMOVED)
    later = post(by=staff_x, programs=[prodi_x], title="Later", closing=30)

    run = careers_tick(deliver=False)

    assert run.closed == 2
    states = dict(JobPost.objects.values_list("title", "status"))
    assert states == {"Yesterday": S.CLOSED, "Hidden": S.CLOSED, "Today": S.OPEN, "Removed": S.REMOVED,
                      "Later": S.OPEN}
    for job in (yesterday, hidden):
        job.refresh_from_db()
        assert job.closed_at is not None
    for job in (today, removed, later):
        job.refresh_from_db()
        assert job.closed_at is None
    audited = AuditLog.objects.filter(action=EXPIRED_ACTION)
    assert sorted(audited.values_list("target_id", flat=True)) == sorted([str(yesterday.pk), str(hidden.pk)])
    assert dict(audited.values_list("target_repr", "data")) == {"Yesterday": {"from": "open"},
                                                               "Hidden": {"from": "hidden"}}


def test_a_closed_post_stays_readable_for_its_poster_and_staff_but_is_not_listed(prodi_x, staff_x, alumnus_a,
                                                                                 alumnus_b):
    job = post(by=alumnus_a, programs=[prodi_x], closing=-1)
    careers_tick(deliver=False)
    assert JobPost.objects.visible_to(alumnus_a).filter(pk=job.pk).exists()
    assert JobPost.objects.visible_to(staff_x).filter(pk=job.pk).exists()
    assert not JobPost.objects.visible_to(alumnus_b).filter(pk=job.pk).exists()
    assert not JobPost.objects.shareable().filter(pk=job.pk).exists()


def test_a_second_tick_closes_and_sends_nothing(django_capture_on_commit_callbacks, prodi_x, staff_x):
    post(by=staff_x, programs=[prodi_x], closing=-1)
    post(by=staff_x, programs=[prodi_x], closing=2)

    first = tick(django_capture_on_commit_callbacks)
    second = tick(django_capture_on_commit_callbacks)

    assert (first.closed, first.reminded) == (1, 1)
    assert (second.closed, second.reminded) == (0, 0)
    assert AuditLog.objects.filter(action=EXPIRED_ACTION).count() == 1
    assert len(mail.outbox) == 1


def test_the_closing_is_bounded_per_tick(prodi_x, staff_x):
    for n in range(5):
        post(by=staff_x, programs=[prodi_x], title=f"Old {n}", closing=-1 - n)
    assert ticks.posts_close_expired(today=day(0), now=timezone.now(), limit=3) == 3
    assert ticks.posts_close_expired(today=day(0), now=timezone.now(), limit=3) == 2
    assert not JobPost.objects.filter(status=S.OPEN).exists()


def test_the_poster_is_reminded_once_for_posts_closing_within_three_days(
    django_capture_on_commit_callbacks, prodi_x, staff_x, alumnus_a
):
    alumnus_a.language = "en"
    alumnus_a.save()
    soon = post(by=alumnus_a, programs=[prodi_x], title="Closes in three days", closing=3)
    post(by=alumnus_a, programs=[prodi_x], title="Closes today", closing=0)
    post(by=alumnus_a, programs=[prodi_x], title="Closes in four days", closing=4)
    post(by=alumnus_a, programs=[prodi_x], title="Hidden soon", closing=1, status=S.HIDDEN)

    run = tick(django_capture_on_commit_callbacks)

    assert run.reminded == 2
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == ['Your job post "Closes in three days" closes in 3 days',
                        'Your job post "Closes today" closes today']
    assert {m.to[0] for m in mail.outbox} == {alumnus_a.email}
    row = reminders().get(key__contains=str(soon.pk))
    assert row.key == f"careers.closing_soon:{soon.pk}:{day(3).isoformat()}"
    assert "Move the closing date" in row.body
    # The link leads to the post's edit page (or its page, where the poster finds Edit).
    assert row.link.startswith(settings.SITE_URL) and f"/careers/jobs/{soon.pk}/" in row.link


def test_a_post_extended_to_a_new_date_is_reminded_again_before_that_date(prodi_x, staff_x):
    job = post(by=staff_x, programs=[prodi_x], closing=2)
    assert careers_tick(deliver=False).reminded == 1
    job.closing_date = day(30)
    job.save()
    assert careers_tick(deliver=False).reminded == 0
    later = timezone.now() + datetime.timedelta(days=28)
    assert careers_tick(now=later, deliver=False).reminded == 1
    assert sorted(reminders().values_list("key", flat=True)) == sorted([
        f"careers.closing_soon:{job.pk}:{day(2).isoformat()}", f"careers.closing_soon:{job.pk}:{day(30).isoformat()}",
    ])


def test_the_task_runs_the_tick(prodi_x, staff_x):
    post(by=staff_x, programs=[prodi_x], closing=-1)
    post(by=staff_x, programs=[prodi_x], closing=1)
    assert run_careers_ticks() == {"closed": 1, "reminded": 1}


@pytest.mark.parametrize("size", [4, 40])
def test_a_tick_takes_a_fixed_number_of_queries(prodi_x, size, django_assert_max_num_queries):
    poster = UserFactory(email=f"poster{size}@example.org")
    for n in range(size):
        post(by=poster, programs=[prodi_x], title=f"Expired {n}", closing=-1)
        post(by=poster, programs=[prodi_x], title=f"Soon {n}", closing=n % 4)
    # close: savepoint, lock-and-read, UPDATE, audit INSERT, release; remind: savepoint, read, keys, preferences,
    # INSERT, release.
    with django_assert_max_num_queries(11):
        run = careers_tick(deliver=False)
    assert (run.closed, run.reminded) == (size, size)


# --- concurrency ------------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_ticks_racing_close_and_remind_each_post_once(provinces):
    need(connection.vendor == "postgresql", "two ticks racing on one database need PostgreSQL (SQLite locks the file)")
    prodi = StudyProgramFactory(code="77102")
    posters = [UserFactory(email=f"tick.race{i}@example.org") for i in range(5)]
    expired = [post(by=p, programs=[prodi], title=f"Expired {i}", closing=-1) for i, p in enumerate(posters)]
    for i, p in enumerate(posters):
        post(by=p, programs=[prodi], title=f"Soon {i}", closing=i % 4)
    mail.outbox.clear()

    # The ticks meet at the claim: both selected the same five reminders and insert them at the same instant.
    barrier = threading.Barrier(2, timeout=20)
    real_insert = core_notifications._insert_claims
    inserts = []

    def racing_insert(rows):
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            pass
        won = real_insert(rows)
        inserts.append((len(rows), len(won)))
        return won

    start = threading.Barrier(2, timeout=20)
    results, errors = [], []

    def run():
        try:
            start.wait()
            results.append(careers_tick())
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    with mock.patch.object(core_notifications, "_insert_claims", racing_insert):
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert errors == []
    assert sum(r.closed for r in results) == 5
    assert AuditLog.objects.filter(action=EXPIRED_ACTION).count() == 5
    assert set(JobPost.objects.filter(pk__in=[e.pk for e in expired]).values_list("status", flat=True)) == {S.CLOSED}
    assert len(inserts) == 2 and all(tried == 5 for tried, _won in inserts)
    assert sum(r.reminded for r in results) == 5
    assert reminders().count() == 5
    assert len(mail.outbox) == 5
    assert len({m.to[0] for m in mail.outbox}) == 5
