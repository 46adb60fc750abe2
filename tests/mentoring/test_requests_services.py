"""Mentoring requests: every bad input refused with its message and nothing written, acceptance starting a
mentorship within capacity, decline and withdraw, contacts only after acceptance, and the tick's expiry and one
reminder (exactly once, however often it runs)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.models import Notification
from mentoring import services_requests as services
from mentoring.models import (
    DEFAULT_MENTORSHIP_MONTHS,
    REMIND_AFTER_DAYS,
    REQUEST_ANSWER_DAYS,
    Format,
    Mentorship,
    MentorshipRequest,
)
from mentoring.services_requests import RequestRefused
from mentoring.tasks_requests import run_mentoring_ticks
from programs.models import add_months
from tests.conftest import client_for

from .support_profiles import member, mentor, mentorship, topic

pytestmark = pytest.mark.django_db
S = MentorshipRequest.Status


@pytest.fixture
def bagus(alumnus_b):
    return mentor(alumnus_b, topics=[topic("Riset skripsi")], capacity=1)


def ask(mentee, profile, **kw):
    return services.request_create(mentee=mentee, profile=profile, help_with=kw.pop("help_with", "Proposal"), **kw)


def test_a_request_is_sent_and_the_mentor_is_emailed_once(bagus, student):
    req = ask(student, bagus, note="Saya Dewi", format=Format.ONLINE, topics=[topic("Riset skripsi")])
    assert (req.status, req.mentor_id) == (S.OPEN, bagus.user_id)
    assert req.expires_at - req.created_at == datetime.timedelta(days=REQUEST_ANSWER_DAYS)
    sent = Notification.objects.get(kind=services.KIND_NEW)
    assert sent.recipient_id == bagus.user_id
    assert "Dewi Mahasiswi" in sent.subject


@pytest.mark.parametrize(("setup", "message"), [
    ("self", "You cannot ask yourself to be your mentor."),
    ("paused", "This mentor is not taking requests at the moment."),
    ("full", "This mentor has no free place at the moment."),
    ("duplicate", "You already have an open request to this mentor."),
    ("running", "You already have a running mentorship with this mentor."),
    ("pending", "Only verified members and students can ask for a mentor."),
])
def test_each_refusal_has_its_message_and_writes_nothing(bagus, student, alumnus_a, pending_person, prodi_x, setup,
                                                         message):
    mentee = {"self": bagus.user, "pending": pending_person}.get(setup, student)
    if setup == "paused":
        bagus.paused = True
        bagus.save()
    elif setup == "full":
        mentorship(bagus.user, alumnus_a, prodi=prodi_x)
    elif setup == "duplicate":
        ask(student, bagus)
    elif setup == "running":
        bagus.capacity = 2
        bagus.save()
        mentorship(bagus.user, student, prodi=prodi_x)
    before = (MentorshipRequest.objects.count(), Notification.objects.count())
    with pytest.raises(RequestRefused) as exc:
        ask(mentee, bagus)
    assert exc.value.messages[0].startswith(message)
    assert (MentorshipRequest.objects.count(), Notification.objects.count()) == before


@pytest.mark.parametrize(("kw", "field", "message"), [
    ({"help_with": "  "}, "help_with", "Say what you want help with."),
    ({"help_with": "x" * 2001}, "help_with", "At most 2000 characters."),
    ({"note": "x" * 1001}, "note", "At most 1000 characters."),
    ({"format": "carrier pigeon"}, "format", "Choose a format from the list."),
    ({"topics": [999999]}, "topics", "Choose topics from the list."),
])
def test_bad_request_input_is_refused(bagus, student, kw, field, message):
    with pytest.raises(ValidationError) as exc:
        ask(student, bagus, **kw)
    assert exc.value.message_dict[field] == [message]
    assert MentorshipRequest.objects.count() == 0


def test_a_mentee_has_at_most_five_open_requests(prodi_x, student):
    skripsi = topic("Riset skripsi")
    profiles = [mentor(member(prodi_x, f"Mentor {i}"), topics=[skripsi]) for i in range(6)]
    for profile in profiles[:5]:
        ask(student, profile)
    with pytest.raises(RequestRefused, match="You have 5 open requests already"):
        ask(student, profiles[5])


def test_the_page_shows_the_refusal_and_the_form_sends(bagus, student, alumnus_b):
    own = client_for(alumnus_b).get(reverse("mentoring:request_new", args=[bagus.pk])).content.decode()
    assert "You cannot ask yourself to be your mentor." in own
    client = client_for(student)
    bad = client.post(reverse("mentoring:request_new", args=[bagus.pk]), {"help_with": ""})
    assert bad.status_code == 200 and "Say what you want help with." in bad.content.decode()
    ok = client.post(reverse("mentoring:request_new", args=[bagus.pk]), {"help_with": "Proposal", "note": "Halo"})
    req = MentorshipRequest.objects.get()
    assert ok.status_code == 302 and ok["Location"] == reverse("mentoring:request_detail", args=[req.pk])


def test_accepting_starts_a_mentorship_with_the_default_end_and_shares_contacts(bagus, student, prodi_x):
    req = ask(student, bagus)
    before = client_for(student).get(reverse("mentoring:request_detail", args=[req.pk])).content.decode()
    assert "bagus@example.org" not in before
    response = client_for(bagus.user).post(reverse("mentoring:request_accept", args=[req.pk]), {"goals": "Bab 1-3"})
    m = Mentorship.objects.get()
    assert response["Location"] == reverse("mentoring:mentorship_detail", args=[m.pk])
    assert (m.mentor_id, m.mentee_id, m.study_program_id, m.goals) == (bagus.user_id, student.pk, prodi_x.pk, "Bab 1-3")
    assert m.ends_on == add_months(timezone.localdate(), DEFAULT_MENTORSHIP_MONTHS)
    req.refresh_from_db()
    assert req.status == S.ACCEPTED
    assert Notification.objects.filter(kind=services.KIND_ACCEPTED, recipient=student).count() == 1
    page = client_for(student).get(reverse("mentoring:mentorship_detail", args=[m.pk])).content.decode()
    assert "bagus@example.org" in page and "dewi@student.example.org" in page
    assert "Shared because the mentor accepted" in page


def test_accepting_beyond_capacity_is_refused(bagus, student, alumnus_a, prodi_x):
    first, second = ask(student, bagus), ask(alumnus_a, bagus)
    services.request_accept(request=first, by=bagus.user)
    with pytest.raises(RequestRefused, match="You have no free place"):
        services.request_accept(request=second, by=bagus.user)
    assert Mentorship.objects.count() == 1
    second.refresh_from_db()
    assert second.status == S.OPEN


def test_a_bad_agreed_end_rerenders_and_accepts_nothing(bagus, student):
    req = ask(student, bagus)
    past = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = client_for(bagus.user).post(reverse("mentoring:request_accept", args=[req.pk]), {"ends_on": past})
    assert response.status_code == 200
    assert "The end must be after the start." in response.content.decode()
    assert Mentorship.objects.count() == 0


def test_decline_with_a_reason_and_withdraw(bagus, student, alumnus_a):
    req = ask(student, bagus)
    client_for(bagus.user).post(reverse("mentoring:request_decline", args=[req.pk]), {"reason": "Sedang sibuk"})
    req.refresh_from_db()
    assert (req.status, req.decline_reason) == (S.DECLINED, "Sedang sibuk")
    assert Notification.objects.filter(kind=services.KIND_DECLINED, recipient=student).count() == 1
    with pytest.raises(RequestRefused, match="no longer open"):
        services.request_accept(request=req, by=bagus.user)
    other = ask(alumnus_a, bagus)
    with pytest.raises(RequestRefused):
        services.request_withdraw(request=other, by=bagus.user)
    services.request_withdraw(request=other, by=alumnus_a)
    other.refresh_from_db()
    assert other.status == S.WITHDRAWN


def test_the_tick_reminds_once_and_expires_once(bagus, student, alumnus_a, prodi_x):
    now = timezone.now()
    old = ask(student, bagus, now=now - datetime.timedelta(days=REMIND_AFTER_DAYS + 1))
    fresh = ask(alumnus_a, bagus, now=now - datetime.timedelta(days=1))
    for _ in range(3):
        run_mentoring_ticks()
    assert Notification.objects.filter(kind=services.KIND_REMINDER).count() == 1
    assert Notification.objects.get(kind=services.KIND_REMINDER).recipient_id == bagus.user_id
    assert Notification.objects.filter(kind=services.KIND_EXPIRED).count() == 0
    later = now + datetime.timedelta(days=REQUEST_ANSWER_DAYS - REMIND_AFTER_DAYS)  # old expired, fresh due
    assert services.requests_expire(now=later) == 1
    assert services.requests_expire(now=later) == 0
    assert services.requests_remind(now=later) == 1  # the fresh one is now due a reminder: once
    assert services.requests_remind(now=later) == 0
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, fresh.status) == (S.EXPIRED, S.OPEN)
    assert Notification.objects.filter(kind=services.KIND_EXPIRED, recipient=student).count() == 1
    with pytest.raises(RequestRefused, match="no longer open"):
        services.request_accept(request=old, by=bagus.user)
