import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.db import transaction

from core.models import Notification
from core.notifications import notification_claim, notification_deliver
from core.tasks import deliver_pending_notifications

from ..factories import UserFactory


def claim(user, key="test:1"):
    return notification_claim(
        key=key, kind="role_granted", recipient=user, template="alumni/email/role_granted",
        context={"role": mock.Mock(study_program="Ilmu Perpustakaan", get_kind_display=lambda: "Staf")},
        link="/dashboard/",
    )


@pytest.mark.django_db(transaction=True)
def test_a_claimed_notification_is_sent_once_after_commit():
    user = UserFactory(email="n@example.org")
    with transaction.atomic():
        first = claim(user)
        assert len(mail.outbox) == 0  # nothing leaves before the transaction commits
    assert len(mail.outbox) == 1
    assert mail.outbox[0].body.endswith("http://127.0.0.1:8000/dashboard/")
    assert claim(user) is None  # a rerun or duplicate tick claims nothing
    assert notification_deliver(notification_id=first.pk) is False  # and a redelivery sends nothing
    assert len(mail.outbox) == 1
    assert Notification.objects.get().sent_at is not None


@pytest.mark.django_db(transaction=True)
def test_notification_is_written_in_the_recipients_language():
    user = UserFactory(email="id@example.org", language="id")
    claim(user)
    assert "Halo" in mail.outbox[0].body


@pytest.mark.django_db
def test_failed_delivery_is_retried_by_the_sweep(django_capture_on_commit_callbacks):
    user = UserFactory(email="retry@example.org")
    with mock.patch.object(locmem.EmailBackend, "send_messages", side_effect=smtplib.SMTPServerDisconnected("down")):
        with django_capture_on_commit_callbacks(execute=False):
            notification = claim(user)
        with pytest.raises(smtplib.SMTPServerDisconnected):
            notification_deliver(notification_id=notification.pk)
    notification.refresh_from_db()
    assert (notification.sent_at, notification.attempts, notification.last_error) == (None, 1, "down")
    Notification.objects.filter(pk=notification.pk).update(created_at="2020-01-01T00:00:00Z")
    assert deliver_pending_notifications() == 1
    notification.refresh_from_db()
    assert notification.sent_at is not None
    assert notification.attempts == 2
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_leased_notification_is_not_sent_by_a_second_worker(django_capture_on_commit_callbacks):
    from django.utils import timezone

    user = UserFactory(email="lease@example.org")
    with django_capture_on_commit_callbacks(execute=False):
        notification = claim(user)
    # Another worker holds the lease right now.
    Notification.objects.filter(pk=notification.pk).update(locked_until=timezone.now() + timezone.timedelta(minutes=1))
    assert notification_deliver(notification_id=notification.pk) is False
    assert len(mail.outbox) == 0
