"""The outbox's recovery clock: the lease of a delivery attempt and the age after which the sweep resends a row,
production defaults unless NOTIFICATION_LEASE_SECONDS / NOTIFICATION_SWEEP_STALE_SECONDS say otherwise
(bench/faults.py shortens both so that a fault run takes minutes)."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from core.models import Notification
from core.notifications import ClaimItem, notifications_claim_many
from core.tasks import deliver_pending_notifications

pytestmark = pytest.mark.django_db


def claim_one(key="clock:1"):
    [row] = notifications_claim_many([ClaimItem(
        key=key, kind="test_outbox", recipient=None, to_email="dewi@example.org", template="tracer/email/invitation",
        context={"name": "Dewi", "wave": mock.Mock(), "closes_at": timezone.now()},
    )], deliver=False)
    return row


def age(row, seconds):
    Notification.objects.filter(pk=row.pk).update(created_at=timezone.now() - datetime.timedelta(seconds=seconds))


def leased_for(row) -> float:
    row.refresh_from_db()
    return (row.locked_until - timezone.now()).total_seconds()


def test_by_default_the_sweep_leaves_a_row_to_its_own_task_for_two_minutes():
    row = claim_one()
    age(row, 100)
    assert deliver_pending_notifications() == 0
    assert mail.outbox == []
    age(row, 130)
    assert deliver_pending_notifications() == 1
    assert len(mail.outbox) == 1


def test_the_lease_length_follows_the_setting(settings):
    from core.notifications import _lease, delivery_lease

    assert delivery_lease() == datetime.timedelta(minutes=5)
    row = claim_one("clock:default")
    assert _lease(row.pk)
    assert 295 < leased_for(row) <= 300
    settings.NOTIFICATION_LEASE_SECONDS = 15
    assert delivery_lease() == datetime.timedelta(seconds=15)
    other = claim_one("clock:short")
    assert _lease(other.pk)
    assert 10 < leased_for(other) <= 15
    assert not _lease(other.pk)  # leased: a second worker gets nothing


def test_the_sweep_resends_sooner_when_the_setting_says_so(settings):
    settings.NOTIFICATION_SWEEP_STALE_SECONDS = 10
    row = claim_one()
    age(row, 5)
    assert deliver_pending_notifications() == 0
    age(row, 11)
    assert deliver_pending_notifications() == 1
    assert [m.to for m in mail.outbox] == [["dewi@example.org"]]
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 1
