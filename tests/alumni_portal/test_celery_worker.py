"""Integration: a real Celery worker consumes from Redis and its task changes the database.

Skipped without REDIS_URL on a newcomer's machine; CI sets REDIS_URL, and there a skip is a failure.
"""

import time
import uuid

import pytest
from django.conf import settings
from django.core import mail

from alumni_portal.celery import app
from core.models import Notification
from core.notifications import notification_claim

from ..conftest import need
from ..factories import UserFactory


@pytest.fixture
def real_worker():
    need(bool(settings.REDIS_URL), "REDIS_URL is not set: there is no broker for a real Celery worker")
    from celery.contrib.testing.worker import start_worker

    # A queue of our own, so a developer's running worker on the same Redis cannot take our task.
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
def test_worker_delivers_a_notification_queued_through_redis(real_worker):
    assert app.conf.broker_url.startswith("redis://")
    user = UserFactory(email="worker@example.org", language="en")
    notification = notification_claim(
        key=f"worker-test:{uuid.uuid4()}", kind="test", recipient=user,
        template="alumni/email/role_granted",
        context={"role": {"study_program": "Ilmu Perpustakaan", "get_kind_display": "Staff"}},
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        notification.refresh_from_db()
        if notification.sent_at:
            break
        time.sleep(0.2)
    assert notification.sent_at is not None, "the worker did not deliver the notification within 30 s"
    assert Notification.objects.get(pk=notification.pk).attempts == 1
    assert [m.to for m in mail.outbox] == [["worker@example.org"]]
