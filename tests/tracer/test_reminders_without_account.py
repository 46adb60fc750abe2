"""Tracer reminders reach graduates without an account at the address on their record, with their personal link,
until they answer or object; once per step; nothing without an address; constant queries per tick."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from alumni.models import Consent
from alumni.privacy import CONSENT_WORDING, consent_record
from core.models import Notification
from core.notifications import notifications_deliver
from tracer import services
from tracer.models import Invitation, Response
from tracer.reminders import tracer_reminders_tick

from ..factories import AlumniProfileFactory, UserFactory
from .test_waves import make_wave

DAY = datetime.timedelta(days=1)


@pytest.fixture
def people(prodi_x, alumnus_a, alumnus_b):
    """A and B (accounts); four 2019 X graduates without an account: one with an address, one without, one who
    answered, one whose address belongs to an account that objected to the tracer study."""
    objector = UserFactory(email="objects@example.org")
    consent_record(user=objector, purpose=Consent.Purpose.TRACER, granted=False,
                   wording_version=CONSENT_WORDING["tracer"][0])
    return {
        "imported": AlumniProfileFactory(user=None, study_program=prodi_x, email="imported@example.org",
                                         full_name="Sari Imported"),
        "no_email": AlumniProfileFactory(user=None, study_program=prodi_x, email=""),
        "answered": AlumniProfileFactory(user=None, study_program=prodi_x, email="answered@example.org"),
        "objected": AlumniProfileFactory(user=None, study_program=prodi_x, email="objects@example.org"),
    }


@pytest.fixture
def wave(django_capture_on_commit_callbacks, admin_user, prodi_x, people):
    wave = make_wave(admin_user, [prodi_x], opens=timezone.now() - datetime.timedelta(minutes=5),
                     closes=timezone.now() + 90 * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        services.wave_launch(wave=wave, by=admin_user)
    # The first emails: A and B (accounts), and the link to the imported and the answered graduate.
    assert sorted(to for m in mail.outbox for to in m.to) == [
        "ani@example.org", "answered@example.org", "bagus@example.org", "imported@example.org"]
    inv = Invitation.objects.get(wave=wave, profile=people["answered"])
    Response.objects.create(invitation=inv, version=wave.version, profile=inv.profile, status="submitted",
                            submitted_at=timezone.now())
    mail.outbox.clear()
    return wave


def tick(capture, now):
    with capture(execute=True):
        return tracer_reminders_tick(now=now)


def recipients():
    return sorted(to for m in mail.outbox for to in m.to)


def test_reminders_go_to_the_address_on_the_record(django_capture_on_commit_callbacks, wave, people, settings):
    cap, start = django_capture_on_commit_callbacks, timezone.now()
    inv = Invitation.objects.get(wave=wave, profile=people["imported"])
    assert tick(cap, start + 6 * DAY)["claimed"] == 0
    # Due: A, B, the imported and the objecting graduate; claimed: all but the objection.
    assert tick(cap, start + 7 * DAY + datetime.timedelta(minutes=1)) == {"due": 4, "claimed": 3}
    assert recipients() == ["ani@example.org", "bagus@example.org", "imported@example.org"]
    row = Notification.objects.get(key=f"tracer_reminder:{inv.pk}:1")
    assert (row.recipient_id, row.to_email, row.language, row.kind) == (None, "imported@example.org", "",
                                                                        "tracer_reminder")
    assert row.sent_at is not None
    message = next(m for m in mail.outbox if m.to == ["imported@example.org"])
    # The same personal link as the first email, in the portal's default language (Indonesian), no preferences
    # footer (no account to choose with): the stop page of tracer.objections instead, also as List-Unsubscribe.
    assert inv.answer_path() in message.body and inv.token in message.body
    assert message.subject.startswith("Pengingat") and "Sari" in message.body
    assert "Sari" in message.alternatives[0][0]  # the HTML greeting names them too
    assert message.extra_headers["List-Unsubscribe"] == f"<{settings.SITE_URL}/tracer/t/{inv.token}/stop/one-click/>"
    # A second tick on the same day sends nothing.
    assert tick(cap, start + 7 * DAY + datetime.timedelta(minutes=2))["claimed"] == 0
    assert len(mail.outbox) == 3
    # Steps 2 and 3 follow the wave's days; then the maximum is reached.
    assert tick(cap, start + 14 * DAY + datetime.timedelta(minutes=1))["claimed"] == 3
    assert tick(cap, start + 21 * DAY + datetime.timedelta(minutes=1))["claimed"] == 3
    assert tick(cap, start + 60 * DAY)["due"] == 0
    assert recipients().count("imported@example.org") == 3 and len(mail.outbox) == 9
    assert Notification.objects.filter(to_email="imported@example.org", kind="tracer_reminder").count() == 3
    assert not Notification.objects.filter(to_email__in=["answered@example.org", "objects@example.org"],
                                           kind="tracer_reminder").exists()
    no_email = Invitation.objects.get(wave=wave, profile=people["no_email"])
    assert no_email.reminders_sent == 0  # never due: nowhere to send it
    inv.refresh_from_db()
    assert inv.reminders_sent == 3


def test_answering_stops_the_reminders(django_capture_on_commit_callbacks, wave, people):
    start = timezone.now()
    tick(django_capture_on_commit_callbacks, start + 8 * DAY)
    inv = Invitation.objects.get(wave=wave, profile=people["imported"])
    Response.objects.create(invitation=inv, version=wave.version, profile=inv.profile, status="submitted",
                            submitted_at=timezone.now())
    mail.outbox.clear()
    assert tick(django_capture_on_commit_callbacks, start + 15 * DAY)["claimed"] == 2
    assert recipients() == ["ani@example.org", "bagus@example.org"]


def test_objecting_later_stops_the_reminders(django_capture_on_commit_callbacks, wave, people):
    start = timezone.now()
    tick(django_capture_on_commit_callbacks, start + 8 * DAY)
    # Someone opens an account with the record's address and objects to the tracer study.
    user = UserFactory(email="imported@example.org")
    consent_record(user=user, purpose=Consent.Purpose.TRACER, granted=False,
                   wording_version=CONSENT_WORDING["tracer"][0])
    mail.outbox.clear()
    assert tick(django_capture_on_commit_callbacks, start + 15 * DAY) == {"due": 4, "claimed": 2}
    assert "imported@example.org" not in recipients()


def test_closing_the_wave_stops_the_reminders(django_capture_on_commit_callbacks, wave, admin_user):
    services.wave_close(wave=wave, by=admin_user)
    assert tick(django_capture_on_commit_callbacks, timezone.now() + 8 * DAY) == {"due": 0, "claimed": 0}
    assert not mail.outbox


def test_a_record_claimed_mid_wave_is_reminded_once_per_step(django_capture_on_commit_callbacks, wave, people):
    start = timezone.now()
    tick(django_capture_on_commit_callbacks, start + 8 * DAY)
    profile = people["imported"]
    profile.user = UserFactory(email="sari@example.org")
    profile.save(update_fields=["user"])
    mail.outbox.clear()
    # Step 1 again on the same day (the key is the invitation's and the step's): nothing.
    assert tick(django_capture_on_commit_callbacks, start + 8 * DAY)["claimed"] == 0
    # Step 2 goes to the account now.
    assert tick(django_capture_on_commit_callbacks, start + 15 * DAY)["claimed"] == 3
    assert recipients() == ["ani@example.org", "bagus@example.org", "sari@example.org"]


@pytest.mark.parametrize("size", [4, 40])
def test_tick_queries_do_not_grow(size, django_capture_on_commit_callbacks, django_assert_max_num_queries,
                                  admin_user, prodi_x, alumnus_a):
    for i in range(size):
        AlumniProfileFactory(user=None, study_program=prodi_x, email=f"g{i}@example.org", nim=f"4{size:03d}{i:05d}")
        AlumniProfileFactory(study_program=prodi_x, nim=f"5{size:03d}{i:05d}")
    wave = make_wave(admin_user, [prodi_x])
    with django_capture_on_commit_callbacks(execute=False):
        services.wave_launch(wave=wave, by=admin_user)
    # 1 open waves + 1 due invitations + 1 objections + 1 claimed keys + 1 preferences + 1 consent + 1 INSERT
    # + 1 UPDATE, and the savepoint and its release.
    with django_assert_max_num_queries(10):
        result = tracer_reminders_tick(now=timezone.now() + 8 * DAY)
    assert result == {"due": 2 * size + 1, "claimed": 2 * size + 1}
    assert Notification.objects.filter(kind="tracer_reminder", recipient__isnull=True).count() == size


def claimed_not_sent(capture, now):
    """One tick whose rows are claimed and committed; the worker has not sent them yet."""
    with capture(execute=False):
        tracer_reminders_tick(now=now)
    rows = list(Notification.objects.unsent().filter(kind="tracer_reminder").order_by("pk"))
    assert len(rows) == 3
    return rows


def test_answered_between_the_claim_and_the_send(django_capture_on_commit_callbacks, wave, people):
    rows = claimed_not_sent(django_capture_on_commit_callbacks, timezone.now() + 8 * DAY)
    inv = Invitation.objects.get(wave=wave, profile=people["imported"])
    Response.objects.create(invitation=inv, version=wave.version, profile=inv.profile, status="submitted",
                            submitted_at=timezone.now())
    assert notifications_deliver([row.pk for row in rows]) == (2, 3)
    assert recipients() == ["ani@example.org", "bagus@example.org"]
    row = Notification.objects.get(key=f"tracer_reminder:{inv.pk}:1")
    assert row.sent_at is None and row.failed_at is not None and row.last_error == "cancelled: already answered"


def test_objected_between_the_claim_and_the_send(django_capture_on_commit_callbacks, wave, people):
    rows = claimed_not_sent(django_capture_on_commit_callbacks, timezone.now() + 8 * DAY)
    consent_record(user=UserFactory(email="imported@example.org"), purpose=Consent.Purpose.TRACER, granted=False,
                   wording_version=CONSENT_WORDING["tracer"][0])
    assert notifications_deliver([row.pk for row in rows]) == (2, 3)
    assert "imported@example.org" not in recipients()
    assert Notification.objects.get(to_email="imported@example.org", kind="tracer_reminder").last_error == (
        "cancelled: objected to the tracer study")


def test_wave_closed_between_the_claim_and_the_send(django_capture_on_commit_callbacks, wave, admin_user):
    rows = claimed_not_sent(django_capture_on_commit_callbacks, timezone.now() + 8 * DAY)
    services.wave_close(wave=wave, by=admin_user)
    assert notifications_deliver([row.pk for row in rows]) == (0, 3)
    assert not mail.outbox
    assert set(Notification.objects.filter(kind="tracer_reminder").values_list("last_error", flat=True)) == {
        "cancelled: wave closed"}


def test_a_link_to_a_record_that_answered_meanwhile_is_not_sent(wave, people):
    """The first link's row too (tracer_link), e.g. left unsent by a crash and resent by the sweep after the
    graduate answered through an earlier copy."""
    inv = Invitation.objects.get(wave=wave, profile=people["answered"])
    row = Notification.objects.get(key=f"tracer_link:{inv.pk}")
    Notification.objects.filter(pk=row.pk).update(sent_at=None)
    assert notifications_deliver([row.pk]) == (0, 1)
    row.refresh_from_db()
    assert row.last_error == "cancelled: already answered" and not mail.outbox
