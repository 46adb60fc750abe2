"""The outbox every email goes through: a row claimed before sending, sent_at only once the server took it, the
sweep that sends what a crash left, one SMTP connection per batch, a Message-ID from the claim key, and a broker
outage that does not reach the user."""

import datetime
import logging
import smtplib
from unittest import mock

import pytest
from celery import current_app
from django.core import mail
from django.core.mail.backends import locmem
from django.utils import timezone
from kombu.exceptions import OperationalError

from core import registry
from core.dispatch import enqueue
from core.models import Notification
from core.notifications import ClaimItem, message_id, notification_deliver, notifications_claim_many
from core.tasks import deliver_notifications, deliver_pending_notifications

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


class CountingBackend(locmem.EmailBackend):
    """The locmem backend, counting the connections made (one instance per get_connection())."""

    made = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        CountingBackend.made += 1


@pytest.fixture
def counting(settings):
    settings.EMAIL_BACKEND = "tests.core.test_outbox.CountingBackend"
    CountingBackend.made = 0
    return CountingBackend


def items(n, prefix="t", **extra):
    return [
        ClaimItem(key=f"{prefix}:{i}", kind="test_outbox", recipient=None, to_email=f"p{i}@example.org",
                  template="tracer/email/invitation", link=f"/x/{i}/",
                  context={"name": f"Person {i}", "wave": mock.Mock(), "closes_at": timezone.now()}, **extra)
        for i in range(n)
    ]


def claim(n, prefix="t", **extra):
    return notifications_claim_many(items(n, prefix, **extra), deliver=False)


def make_stale():
    Notification.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=10))


def test_a_row_needs_a_recipient_or_an_address():
    with pytest.raises(ValueError):
        notifications_claim_many([ClaimItem(key="k", kind="x", recipient=None, template="t")])


def test_a_delivery_interrupted_after_the_claim_is_sent_once_by_the_sweep(django_capture_on_commit_callbacks):
    user = UserFactory(email="ani@example.org")
    # The claim commits; its delivery task never runs (the worker was killed before it started).
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notifications_claim_many(items(2) + [ClaimItem(
            key="u:1", kind="test_outbox", recipient=user, template="tracer/email/invitation",
            context={"wave": mock.Mock(), "closes_at": timezone.now()})])
    assert len(callbacks) == 1
    assert Notification.objects.unsent().count() == 3 and mail.outbox == []
    assert deliver_pending_notifications() == 0  # fresh rows are left to their own task
    make_stale()
    assert deliver_pending_notifications() == 3
    assert deliver_pending_notifications() == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["ani@example.org", "p0@example.org", "p1@example.org"]
    assert Notification.objects.filter(sent_at__isnull=False, attempts=1).count() == 3


def test_a_send_that_raised_leaves_the_row_unsent_and_the_sweep_sends_it_once():
    [row] = claim(1)
    with mock.patch.object(locmem.EmailBackend, "send_messages", side_effect=smtplib.SMTPDataError(451, "later")):
        assert deliver_notifications([row.pk]) == 0
    row.refresh_from_db()
    assert (row.sent_at, row.attempts, row.failed_at) == (None, 1, None)
    assert deliver_pending_notifications() == 1  # tried before: not left to wait for staleness
    assert deliver_pending_notifications() == 0
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 2 and len(mail.outbox) == 1


def test_a_worker_killed_while_sending_leaves_a_lease_that_expires():
    [row] = claim(1)
    # Leased and counted, then the worker died: no sent_at, the lease still running.
    lease = timezone.now() + datetime.timedelta(minutes=5)
    Notification.objects.filter(pk=row.pk).update(attempts=1, locked_until=lease)
    make_stale()
    assert deliver_pending_notifications() == 0
    Notification.objects.filter(pk=row.pk).update(locked_until=timezone.now() - datetime.timedelta(seconds=1))
    assert deliver_pending_notifications() == 1
    assert len(mail.outbox) == 1


def test_attempts_are_bounded_and_a_spent_row_is_failed():
    [row] = claim(1)
    make_stale()
    with mock.patch.object(locmem.EmailBackend, "send_messages", side_effect=OSError("refused")):
        for _ in range(7):
            deliver_pending_notifications()
            Notification.objects.filter(pk=row.pk).update(locked_until=None)
    row.refresh_from_db()
    assert row.attempts == 5 and row.sent_at is None and row.failed_at is not None
    assert deliver_pending_notifications() == 0 and mail.outbox == []
    # Killed workers count too: a row leased 5 times without an answer is failed by the sweep.
    [killed] = claim(1, prefix="k")
    Notification.objects.filter(pk=killed.pk).update(attempts=5)
    make_stale()
    deliver_pending_notifications()
    killed.refresh_from_db()
    assert killed.failed_at is not None and killed.sent_at is None and mail.outbox == []


def test_the_message_id_comes_from_the_claim_key(settings):
    settings.DEFAULT_FROM_EMAIL = "Portal Alumni <noreply@alumni.example.ac.id>"
    assert message_id("a:1") == message_id("a:1") != message_id("a:2")
    assert message_id("a:1").endswith("@alumni.example.ac.id>")
    assert len(message_id("a:1")) == len("<") + 32 + len("@alumni.example.ac.id>")
    [row] = claim(1)
    notification_deliver(notification_id=row.pk)
    # A resend of the same row (sent_at lost in a crash) is the same message to the receiving side.
    Notification.objects.filter(pk=row.pk).update(sent_at=None)
    notification_deliver(notification_id=row.pk)
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [message_id("t:0")] * 2
    assert mail.outbox[0].message()["Message-ID"] == message_id("t:0")


def test_a_batch_goes_over_one_connection(counting):
    rows = claim(25)
    assert deliver_notifications([row.pk for row in rows]) == 25
    assert counting.made == 1
    assert len(mail.outbox) == 25


def test_the_sweep_drains_1200_stale_rows_in_one_run(counting):
    claim(1200)
    make_stale()
    assert deliver_pending_notifications() == 1200
    assert Notification.objects.unsent().count() == 0 and len(mail.outbox) == 1200
    assert counting.made == 3  # batches of 500: one connection each


def test_the_sweep_stops_at_its_time_budget():
    claim(3)
    make_stale()
    assert deliver_pending_notifications(budget=0) == 0
    assert Notification.objects.unsent().count() == 3


def test_an_attachment_is_built_at_send_time(monkeypatch):
    built = []

    def build(ref):
        built.append(ref)
        return f"file-{ref}.pdf", b"%PDF-1.4 test", "application/pdf"

    monkeypatch.setitem(registry.ATTACHMENT_BUILDERS, "test.file", build)
    [row] = claim(1, attachment="test.file:42")
    assert built == []
    assert notification_deliver(notification_id=row.pk) is True
    assert built == ["42"]
    assert mail.outbox[0].attachments == [("file-42.pdf", b"%PDF-1.4 test", "application/pdf")]


def test_the_sent_hook_runs_only_after_the_send(monkeypatch):
    marked = []
    monkeypatch.setitem(registry.SENT_HOOKS, "test_outbox", [lambda n: marked.append(n.key)])
    [row] = claim(1)
    with mock.patch.object(locmem.EmailBackend, "send_messages", side_effect=OSError("down")):
        with pytest.raises(OSError):
            notification_deliver(notification_id=row.pk)
    assert marked == []
    assert notification_deliver(notification_id=row.pk) is True
    assert marked == ["t:0"]


def test_enqueue_with_a_broken_broker_does_not_raise(django_capture_on_commit_callbacks, monkeypatch, caplog):
    task = current_app.tasks["core.tasks.deliver_notifications"]
    monkeypatch.setattr(task, "apply_async", mock.Mock(side_effect=OperationalError("Error 111 connecting")))
    with caplog.at_level(logging.ERROR, logger="core.dispatch"):
        with django_capture_on_commit_callbacks(execute=True):
            enqueue("core.tasks.deliver_notifications", [1])
    assert task.apply_async.call_count == 1
    assert "broker is unreachable" in caplog.text
