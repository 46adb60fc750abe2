"""Introductions racing on PostgreSQL: requests for the last open places of one person (the lock on their settings
row keeps the limit), and two introduction ticks at once (each expiry notice and each outcome question is claimed
exactly once). Run with DATABASE_URL=postgres://…; skipped on SQLite, which serialises every writer anyway."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from alumni import privacy
from alumni.models import Consent
from careers import services_introductions as services
from careers.models import DEFAULT_MAX_OPEN_INTRODUCTIONS, OUTCOME_ASK_DAYS, Introduction, Outcome
from careers.organisations import organisation_resolve
from careers.services_introductions import IntroductionRefused
from careers.tasks_introductions import run_introduction_ticks
from core.models import Notification

from ..conftest import need
from ..factories import AlumniProfileFactory, UserFactory
from ..programs.test_concurrency import run_together
from .matrix_introductions import introduction, works_at

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 10


def member(prodi, name):
    user = UserFactory(full_name=name)
    AlumniProfileFactory(user=user, study_program=prodi, full_name=name)
    return user


def test_concurrent_requests_never_exceed_the_persons_limit(provinces, prodi_x, alumnus_b):
    need(connection.vendor == "postgresql", "row locks need PostgreSQL (SQLite serialises every writer anyway)")
    library = organisation_resolve(name="Perpustakaan Nasional RI")
    works_at(alumnus_b, library)
    askers = [member(prodi_x, f"Penanya {i}") for i in range(THREADS)]
    refused = []

    def ask(person):
        try:
            services.introduction_ask(requester=person, organisation=library,
                                      profile_id=alumnus_b.alumni_profile.pk, note="Boleh bertanya?")
        except IntroductionRefused as exc:
            refused.append(exc)

    errors = run_together([lambda p=p: ask(p) for p in askers])

    assert errors == []
    assert Introduction.objects.open().filter(recipient=alumnus_b).count() == DEFAULT_MAX_OPEN_INTRODUCTIONS
    assert len(refused) == THREADS - DEFAULT_MAX_OPEN_INTRODUCTIONS
    assert Notification.objects.filter(kind=services.KIND_ASKED).count() == DEFAULT_MAX_OPEN_INTRODUCTIONS


def test_two_ticks_racing_claim_each_notice_and_question_once(prodi_x, alumnus_a, alumnus_b):
    need(connection.vendor == "postgresql", "row locks need PostgreSQL (SQLite serialises every writer anyway)")
    library = organisation_resolve(name="Perpustakaan Nasional RI")
    long_ago = timezone.now() - datetime.timedelta(days=OUTCOME_ASK_DAYS + 5)
    people = [member(prodi_x, f"Anggota {i}") for i in range(6)]
    for person in people:
        privacy.consent_record(user=person, purpose=Consent.Purpose.CAREER, granted=True,
                               wording_version=privacy.CONSENT_WORDING[Consent.Purpose.CAREER][0])
        introduction(person, alumnus_b, library, created=timezone.now() - datetime.timedelta(days=15))  # expires
        introduction(person, alumnus_a, library, status=Introduction.Status.ACCEPTED, created=long_ago,
                     answered=long_ago)  # asked about

    results = []
    errors = run_together([lambda: results.append(run_introduction_ticks()) for _ in range(2)])

    assert errors == []
    assert Notification.objects.filter(kind=services.KIND_EXPIRED).count() == 6
    assert Notification.objects.filter(kind=services.KIND_OUTCOME).count() == 6
    assert Outcome.objects.count() == 6
    assert sum(r["expired_notices"] for r in results) == 6
    assert sum(r["outcome_questions"] for r in results) == 6
    assert run_introduction_ticks() == {"expired_notices": 0, "outcome_questions": 0}
