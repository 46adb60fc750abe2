"""Tracer reminders: on the wave's days after the invitation, at most max_reminders, only to invitees who have
not submitted, with tracer consent and reminders on, while the wave is open; constant queries per tick."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alumni.models import Consent
from alumni.privacy import CONSENT_WORDING, consent_record
from core.models import Notification, NotificationPreference
from core.notifications import notification_preferences_save
from tracer import services
from tracer.models import Invitation, Response
from tracer.reminders import tracer_reminders_tick

from ..conftest import client_for
from ..factories import AlumniProfileFactory
from .test_waves import make_wave

DAY = datetime.timedelta(days=1)


@pytest.fixture
def launched(django_capture_on_commit_callbacks, admin_user, prodi_x, alumnus_a, alumnus_b):
    """A wave (reminders on days 7, 14, 21; at most 3) launched now for A and B; invitation emails sent."""
    wave = make_wave(admin_user, [prodi_x], opens=timezone.now() - datetime.timedelta(minutes=5),
                     closes=timezone.now() + 90 * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        services.wave_launch(wave=wave, by=admin_user)
    mail.outbox.clear()
    return wave


def tick(capture, now):
    with capture(execute=True):
        return tracer_reminders_tick(now=now)


def reminder_keys():
    return sorted(Notification.objects.filter(kind="tracer_reminder").values_list("key", flat=True))


def test_reminders_on_days_7_14_21_then_stop(django_capture_on_commit_callbacks, launched, alumnus_a):
    cap, start = django_capture_on_commit_callbacks, timezone.now()
    inv = Invitation.objects.get(wave=launched, profile__user=alumnus_a)
    assert tick(cap, start + 6 * DAY)["claimed"] == 0
    assert tick(cap, start + 7 * DAY + datetime.timedelta(minutes=1))["claimed"] == 2
    assert tick(cap, start + 8 * DAY)["claimed"] == 0  # not again the next day
    assert tick(cap, start + 14 * DAY + datetime.timedelta(minutes=1))["claimed"] == 2
    assert tick(cap, start + 21 * DAY + datetime.timedelta(minutes=1))["claimed"] == 2
    assert tick(cap, start + 60 * DAY)["claimed"] == 0  # max reached
    inv.refresh_from_db()
    assert inv.reminders_sent == 3
    assert f"tracer_reminder:{inv.pk}:1" in reminder_keys() and f"tracer_reminder:{inv.pk}:3" in reminder_keys()
    assert len(mail.outbox) == 6
    message = next(m for m in mail.outbox if m.to == ["ani@example.org"])
    assert inv.token in message.body or "/tracer/" in message.body


def test_max_reminders_below_the_number_of_days(django_capture_on_commit_callbacks, admin_user, prodi_x, alumnus_a):
    wave = make_wave(admin_user, [prodi_x], days=(7, 14, 21), max_reminders=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.wave_launch(wave=wave, by=admin_user)
    start = timezone.now()
    for days in (8, 15, 22, 40):
        tick(django_capture_on_commit_callbacks, start + days * DAY)
    assert len(reminder_keys()) == 1


def test_a_late_tick_sends_one_reminder_at_a_time(django_capture_on_commit_callbacks, launched):
    start = timezone.now()
    assert tick(django_capture_on_commit_callbacks, start + 30 * DAY)["claimed"] == 2
    assert tick(django_capture_on_commit_callbacks, start + 30 * DAY)["claimed"] == 2
    assert tick(django_capture_on_commit_callbacks, start + 30 * DAY)["claimed"] == 2
    assert tick(django_capture_on_commit_callbacks, start + 30 * DAY)["claimed"] == 0


def test_no_reminder_after_submitting(django_capture_on_commit_callbacks, launched, alumnus_a):
    inv = Invitation.objects.get(wave=launched, profile__user=alumnus_a)
    Response.objects.create(invitation=inv, version=launched.version, profile=inv.profile, status="submitted",
                            submitted_at=timezone.now())
    tick(django_capture_on_commit_callbacks, timezone.now() + 8 * DAY)
    assert [m.to for m in mail.outbox] == [["bagus@example.org"]]


def test_a_started_response_still_gets_reminders(django_capture_on_commit_callbacks, launched, alumnus_a):
    inv = Invitation.objects.get(wave=launched, profile__user=alumnus_a)
    Response.objects.create(invitation=inv, version=launched.version, profile=inv.profile, status="partial")
    assert tick(django_capture_on_commit_callbacks, timezone.now() + 8 * DAY)["claimed"] == 2


def test_no_reminder_after_consent_withdrawn(django_capture_on_commit_callbacks, launched, alumnus_a):
    consent_record(user=alumnus_a, purpose=Consent.Purpose.TRACER, granted=False,
                   wording_version=CONSENT_WORDING["tracer"][0])
    for days in (8, 15, 22):
        tick(django_capture_on_commit_callbacks, timezone.now() + days * DAY)
    assert {to for m in mail.outbox for to in m.to} == {"bagus@example.org"}


def test_no_reminder_when_turned_off_in_preferences(django_capture_on_commit_callbacks, launched, alumnus_a):
    notification_preferences_save(user=alumnus_a, enabled=[])
    assert NotificationPreference.objects.filter(user=alumnus_a, kind="tracer_reminder", enabled=False).exists()
    tick(django_capture_on_commit_callbacks, timezone.now() + 8 * DAY)
    assert {to for m in mail.outbox for to in m.to} == {"bagus@example.org"}
    # The preferences page offers the kind.
    assert 'value="tracer_reminder"' in client_for(alumnus_a).get(reverse("notification_preferences")).content.decode()


def test_no_reminder_after_close(django_capture_on_commit_callbacks, launched, admin_user):
    services.wave_close(wave=launched, by=admin_user)
    assert tick(django_capture_on_commit_callbacks, timezone.now() + 8 * DAY) == {"due": 0, "claimed": 0}
    assert not mail.outbox


def test_no_reminder_before_launch_or_after_closing_date(django_capture_on_commit_callbacks, admin_user, prodi_x,
                                                         alumnus_a):
    wave = make_wave(admin_user, [prodi_x], closes=timezone.now() + 10 * DAY)
    Invitation.objects.create(version=wave.version, wave=wave, profile=alumnus_a.alumni_profile)
    assert tick(django_capture_on_commit_callbacks, timezone.now() + 8 * DAY)["due"] == 0  # not launched
    with django_capture_on_commit_callbacks(execute=True):
        services.wave_launch(wave=wave, by=admin_user)
    assert tick(django_capture_on_commit_callbacks, timezone.now() + 11 * DAY)["due"] == 0  # closed by date


def test_tick_twice_sends_once(django_capture_on_commit_callbacks, launched):
    now = timezone.now() + 8 * DAY
    tick(django_capture_on_commit_callbacks, now)
    tick(django_capture_on_commit_callbacks, now)
    assert len(mail.outbox) == 2 and len(reminder_keys()) == 2


def test_command(launched):
    out = io.StringIO()
    call_command("run_tracer_reminders", stdout=out)
    assert "0 reminder(s) due" in out.getvalue()


@pytest.mark.parametrize("size", [5, 60])
def test_tick_queries_do_not_grow(size, admin_user, prodi_x, django_capture_on_commit_callbacks, request):
    for i in range(size):
        AlumniProfileFactory(study_program=prodi_x, nim=f"3{size:03d}{i:05d}")
    wave = make_wave(admin_user, [prodi_x])
    with django_capture_on_commit_callbacks(execute=False):
        services.wave_launch(wave=wave, by=admin_user)
    with CaptureQueriesContext(connection) as ctx:
        result = tracer_reminders_tick(now=timezone.now() + 8 * DAY)
    assert result["claimed"] == size
    # 1 open waves + 1 due invitations + 1 claimed keys + 1 preferences + 1 consent + 1 INSERT + 1 UPDATE, and the
    # savepoints.
    queries = [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(queries) == 7, queries
