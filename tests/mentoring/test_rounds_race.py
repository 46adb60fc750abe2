"""Rounds racing on PostgreSQL: two round ticks at once propose each round once (one audit entry, one email to its
opener), and two staff publishing at once make each mentorship and each email once. Run with
DATABASE_URL=postgres://…; skipped on SQLite, which serialises every writer anyway."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from core.models import AuditLog, Notification
from mentoring import services_rounds as services
from mentoring.models import MatchingRound, Mentorship, RoundApplication
from mentoring.tasks_rounds import run_round_ticks

from ..conftest import need
from ..programs.test_concurrency import run_together
from .rounds_support import make_mentor, member, open_round, topics

pytestmark = pytest.mark.django_db(transaction=True)


def _rounds_past_deadline(prodi, staff, n=3):
    t = topics()
    rounds = []
    for r in range(n):
        round_ = open_round(staff, prodi, [t["riset"]], title=f"Ronde {r}")
        for i in range(2):
            mentor = member(prodi, f"Mentor {r}{i}")
            make_mentor(mentor, [t["riset"]])
            services.round_offer(round_=round_, mentor=mentor, capacity=2)
        for i in range(3):
            services.round_apply(round_=round_, mentee=member(prodi, f"Mentee {r}{i}", graduated=False),
                                 topic_ids=[t["riset"].pk], help_with="Tolong")
        rounds.append(round_)
    past = timezone.now() - datetime.timedelta(minutes=5)
    MatchingRound.objects.update(deadline=past)
    RoundApplication.objects.update(created_at=past - datetime.timedelta(days=1))
    return rounds


def test_two_ticks_racing_propose_each_round_once(prodi_x, staff_x):
    need(connection.vendor == "postgresql", "row locks need PostgreSQL (SQLite serialises every writer anyway)")
    rounds = _rounds_past_deadline(prodi_x, staff_x)
    results = []
    errors = run_together([lambda: results.append(run_round_ticks()) for _ in range(2)])
    assert errors == []
    assert sum(r["proposed"] for r in results) == 3
    assert set(MatchingRound.objects.values_list("status", flat=True)) == {MatchingRound.Status.PROPOSED}
    assert AuditLog.objects.filter(action="mentoring.round.proposed").count() == 3
    assert Notification.objects.filter(kind=services.KIND_PROPOSED).count() == 3
    assert RoundApplication.objects.filter(matched_mentor__isnull=False).count() == 9
    assert len(rounds) == 3


def test_two_staff_publishing_at_once_make_each_mentorship_and_email_once(prodi_x, staff_x, admin_user):
    need(connection.vendor == "postgresql", "row locks need PostgreSQL (SQLite serialises every writer anyway)")
    [round_] = _rounds_past_deadline(prodi_x, staff_x, n=1)
    services.rounds_tick()
    created = []
    errors = run_together([
        lambda person=person: created.append(services.round_publish(round_=MatchingRound.objects.get(), by=person))
        for person in (staff_x, admin_user)
    ])
    assert errors == []
    assert sorted(created) == [0, 3]
    assert Mentorship.objects.filter(round=round_).count() == 3
    assert Notification.objects.filter(kind=services.KIND_MATCHED).count() == 3
    assert Notification.objects.filter(kind=services.KIND_MENTEES).count() == 2
