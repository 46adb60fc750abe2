"""Mentoring requests racing on PostgreSQL: accepts for the last free places of one mentor (the lock on the
mentor's profile keeps the capacity), and two ticks at once (each reminder and each expiry notice is claimed
exactly once). Run with DATABASE_URL=postgres://…; skipped on SQLite, which serialises every writer anyway."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from core.models import Notification
from mentoring import services_requests as services
from mentoring.models import REMIND_AFTER_DAYS, REQUEST_ANSWER_DAYS, Mentorship, MentorshipRequest
from mentoring.services_requests import RequestRefused
from mentoring.tasks_requests import run_mentoring_ticks

from ..conftest import need
from ..programs.test_concurrency import run_together
from .support_profiles import member, mentor, topic

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8
CAPACITY = 2


def test_racing_accepts_never_exceed_the_mentors_capacity(prodi_x):
    need(connection.vendor == "postgresql", "row locks need PostgreSQL (SQLite serialises every writer anyway)")
    bagus = member(prodi_x, "Bagus Mentor")
    profile = mentor(bagus, topics=[topic("Riset skripsi")], capacity=CAPACITY)
    requests = [MentorshipRequest.objects.create(mentee=member(prodi_x, f"Mentee {i}"), mentor=bagus,
                                                 help_with="Proposal") for i in range(THREADS)]
    refused = []

    def accept(req):
        try:
            services.request_accept(request=req, by=bagus)
        except RequestRefused as exc:
            refused.append(exc)

    errors = run_together([lambda r=r: accept(r) for r in requests])

    assert errors == []
    assert Mentorship.objects.filter(mentor=bagus, status=Mentorship.Status.ACTIVE).count() == profile.capacity
    assert len(refused) == THREADS - CAPACITY
    assert MentorshipRequest.objects.filter(status=MentorshipRequest.Status.ACCEPTED).count() == CAPACITY
    assert Notification.objects.filter(kind=services.KIND_ACCEPTED).count() == CAPACITY


def test_two_ticks_racing_send_each_reminder_and_expiry_notice_once(prodi_x):
    need(connection.vendor == "postgresql", "row locks need PostgreSQL (SQLite serialises every writer anyway)")
    now = timezone.now()
    mentors = [member(prodi_x, f"Mentor {i}") for i in range(5)]
    for i, m in enumerate(mentors):
        mentor(m, topics=[topic("Riset skripsi")], capacity=3)
        # One request waiting for a reminder, one past its expiry, per mentor.
        MentorshipRequest.objects.create(mentee=member(prodi_x, f"Menunggu {i}"), mentor=m, help_with="A",
                                         created_at=now - datetime.timedelta(days=REMIND_AFTER_DAYS + 1))
        MentorshipRequest.objects.create(mentee=member(prodi_x, f"Kedaluwarsa {i}"), mentor=m, help_with="B",
                                         created_at=now - datetime.timedelta(days=REQUEST_ANSWER_DAYS + 1))

    results = []
    errors = run_together([lambda: results.append(run_mentoring_ticks()) for _ in range(2)])

    assert errors == []
    assert Notification.objects.filter(kind=services.KIND_REMINDER).count() == 5
    assert Notification.objects.filter(kind=services.KIND_EXPIRED).count() == 5
    assert sum(r["reminders"] for r in results) == 5
    assert sum(r["expired_notices"] for r in results) == 5
    assert MentorshipRequest.objects.filter(status=MentorshipRequest.Status.EXPIRED).count() == 5
