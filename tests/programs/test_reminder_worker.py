"""Integration: a real Celery worker on Redis runs the reminder tick, and the reminder lands in the outbox.

The worker runs in a thread of this process (pool "solo"), so the locmem outbox it writes to is ours. Skipped
without REDIS_URL on a newcomer's machine; CI sets REDIS_URL, and there a skip is a failure.
"""

import datetime
import time
import uuid

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from alumni_portal.celery import app
from core.models import Notification
from programs.models import Participation
from programs.tasks import run_reminders

from ..conftest import need
from ..factories import ProgramFactory, SessionFactory, StudyProgramFactory, UserFactory


@pytest.fixture
def real_worker():
    need(bool(settings.REDIS_URL), "REDIS_URL is not set: there is no broker for a real Celery worker")
    from celery.contrib.testing.worker import start_worker

    # A queue of our own, so a developer's running worker on the same Redis cannot take our tasks.
    queue = f"test-{uuid.uuid4().hex[:8]}"
    saved = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING", queues=[queue],
                          shutdown_timeout=10):
            yield app
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = saved


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_worker_runs_a_tick_and_the_reminder_is_sent(real_worker):
    assert app.conf.broker_url.startswith("redis://")
    user = UserFactory(email="tomorrow@example.org", full_name="Tari Tomorrow", language="en")
    program = ProgramFactory(study_program=StudyProgramFactory(), title="Worker reading club")
    start = timezone.localtime(timezone.now()).replace(hour=9, minute=0, second=0, microsecond=0)
    session = SessionFactory(program=program, start=start + datetime.timedelta(days=1))
    Participation.objects.create(program=program, session=session, user=user)

    result = run_reminders.delay()  # through Redis: the worker runs the tick, which queues the delivery
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not Notification.objects.filter(
        kind="session_tomorrow", sent_at__isnull=False
    ).exists():
        time.sleep(0.2)

    notification = Notification.objects.get(kind="session_tomorrow")
    assert notification.sent_at is not None, "the worker did not send the reminder within 30 s"
    assert notification.key == f"session_tomorrow:{session.pk}:{user.pk}:{timezone.localdate(session.start)}"
    assert notification.attempts == 1
    reminders = [m for m in mail.outbox if m.to == ["tomorrow@example.org"]]
    assert len(reminders) == 1
    assert "Worker reading club" in reminders[0].subject
    assert reminders[0].alternatives[0][1] == "text/html"
    assert result.id  # queued, not run eagerly
