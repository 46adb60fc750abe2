"""The introductions tick (careers.tasks_introductions.run_introduction_ticks): unanswered requests expire and the
requester is told once; a month after an application or an accepted introduction the member is asked once (with
the career consent) what came of it, and answers on the outcome page."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from alumni import privacy
from alumni.models import Consent
from careers import services_introductions as services
from careers.models import OUTCOME_ASK_DAYS, Application, Introduction, JobPost, JobPostTarget, Outcome
from careers.organisations import organisation_resolve
from careers.tasks_introductions import run_introduction_ticks
from core.models import Notification
from tests.conftest import client_for

from .matrix_introductions import introduction, works_at

pytestmark = pytest.mark.django_db

CAREER = Consent.Purpose.CAREER


def consent(user, granted=True):
    privacy.consent_record(user=user, purpose=CAREER, granted=granted,
                           wording_version=privacy.CONSENT_WORDING[CAREER][0])


@pytest.fixture
def library():
    return organisation_resolve(name="Perpustakaan Nasional RI")


def days_ago(n):
    return timezone.now() - datetime.timedelta(days=n)


def application(user, staff, prodi, organisation, *, days):
    post = JobPost.objects.create(
        title="Arsiparis", organisation=organisation, kind=JobPost.Kind.CONTRACT, field="library",
        closing_date=timezone.localdate() + datetime.timedelta(days=10), posted_by=staff,
        poster_kind=JobPost.PosterKind.STAFF,
    )
    JobPostTarget.objects.create(post=post, study_program=prodi, state=JobPostTarget.State.APPROVED)
    return Application.objects.create(user=user, post=post, created_at=days_ago(days))


# --- expiry ------------------------------------------------------------------------------------------------------


def test_an_unanswered_request_expires_after_14_days_and_the_requester_is_told_once(
    alumnus_a, alumnus_b, library, django_capture_on_commit_callbacks
):
    works_at(alumnus_b, library)
    old = introduction(alumnus_a, alumnus_b, library, created=days_ago(15))
    fresh = introduction(alumnus_a, alumnus_b, library, created=days_ago(13))

    with django_capture_on_commit_callbacks(execute=True):
        first = run_introduction_ticks()
    with django_capture_on_commit_callbacks(execute=True):
        second = run_introduction_ticks()

    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, fresh.status) == (Introduction.Status.EXPIRED, Introduction.Status.REQUESTED)
    assert first["expired_notices"] == 1 and second["expired_notices"] == 0
    assert [m.to for m in mail.outbox] == [["ani@example.org"]]
    assert "Bagus Pratama" in mail.outbox[0].body


def test_an_answered_request_never_expires(alumnus_a, alumnus_b, library):
    declined = introduction(alumnus_a, alumnus_b, library, created=days_ago(20),
                            status=Introduction.Status.DECLINED, answered=days_ago(19))
    run_introduction_ticks()
    declined.refresh_from_db()
    assert declined.status == Introduction.Status.DECLINED
    assert Notification.objects.filter(kind=services.KIND_EXPIRED).count() == 0


# --- outcome questions -------------------------------------------------------------------------------------------


def test_a_month_after_an_application_the_member_is_asked_once(alumnus_a, staff_x, prodi_x, library,
                                                                django_capture_on_commit_callbacks):
    consent(alumnus_a)
    due = application(alumnus_a, staff_x, prodi_x, library, days=OUTCOME_ASK_DAYS + 1)
    application(alumnus_a, staff_x, prodi_x, library, days=OUTCOME_ASK_DAYS - 1)  # not yet

    with django_capture_on_commit_callbacks(execute=True):
        first = run_introduction_ticks()
    with django_capture_on_commit_callbacks(execute=True):
        second = run_introduction_ticks()

    assert (first["outcome_questions"], second["outcome_questions"]) == (1, 0)
    outcome = Outcome.objects.get()
    assert outcome.application == due and outcome.user == alumnus_a
    assert len(mail.outbox) == 1 and "Arsiparis" in mail.outbox[0].body
    assert reverse("careers:outcome", args=[outcome.pk]) in mail.outbox[0].body
    assert Notification.objects.filter(key=f"careers:outcome:application:{due.pk}").count() == 1


def test_a_month_after_an_accepted_introduction_the_requester_is_asked_once(alumnus_a, alumnus_b, library):
    consent(alumnus_a)
    accepted = introduction(alumnus_a, alumnus_b, library, status=Introduction.Status.ACCEPTED,
                            created=days_ago(40), answered=days_ago(OUTCOME_ASK_DAYS + 2))
    introduction(alumnus_a, alumnus_b, library, status=Introduction.Status.DECLINED, created=days_ago(40),
                 answered=days_ago(OUTCOME_ASK_DAYS + 2))

    assert run_introduction_ticks()["outcome_questions"] == 1
    assert run_introduction_ticks()["outcome_questions"] == 0
    assert Outcome.objects.get().introduction == accepted
    assert Notification.objects.filter(key=f"careers:outcome:introduction:{accepted.pk}",
                                       recipient=alumnus_a).count() == 1


def test_without_the_career_consent_no_question_is_sent(alumnus_a, staff_x, prodi_x, library):
    consent(alumnus_a, granted=False)
    application(alumnus_a, staff_x, prodi_x, library, days=OUTCOME_ASK_DAYS + 1)
    assert run_introduction_ticks()["outcome_questions"] == 0
    assert Notification.objects.filter(kind=services.KIND_OUTCOME).count() == 0


def test_the_member_answers_on_the_outcome_page_and_nobody_else_may(alumnus_a, alumnus_b, staff_x, prodi_x,
                                                                     library):
    consent(alumnus_a)
    application(alumnus_a, staff_x, prodi_x, library, days=OUTCOME_ASK_DAYS + 1)
    run_introduction_ticks()
    outcome = Outcome.objects.get()
    url = reverse("careers:outcome", args=[outcome.pk])

    assert client_for(alumnus_b).get(url).status_code == 404
    assert client_for(staff_x).post(url, {"hired": "yes"}).status_code == 404
    response = client_for(alumnus_a).post(url, {"applied": "yes", "interviewed": "yes", "hired": "no"})

    assert response.status_code == 302
    outcome.refresh_from_db()
    assert (outcome.applied, outcome.interviewed, outcome.hired) == (True, True, False)
    assert outcome.answered_at is not None


def test_a_skipped_question_stays_unknown(alumnus_a, alumnus_b, library):
    accepted = introduction(alumnus_a, alumnus_b, library, status=Introduction.Status.ACCEPTED,
                            created=days_ago(40), answered=days_ago(35))
    outcome = Outcome.objects.create(user=alumnus_a, introduction=accepted)
    client_for(alumnus_a).post(reverse("careers:outcome", args=[outcome.pk]), {"applied": "", "hired": "yes"})
    outcome.refresh_from_db()
    assert (outcome.applied, outcome.interviewed, outcome.hired) == (None, None, True)
