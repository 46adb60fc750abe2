"""A tracer invitation never goes to an unverified claimant: a record someone registered for themselves and nobody
verified (pending), or that staff refused, gets no invitation, no reminder and no employer survey."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from alumni.models import AlumniProfile
from core.models import Notification
from tracer import engine, services
from tracer.models import Invitation
from tracer.reminders import tracer_reminders_tick

from ..conftest import client_for
from ..factories import AlumniProfileFactory, UserFactory
from .test_waves import make_wave

DAY = datetime.timedelta(days=1)


@pytest.fixture
def refused_person(prodi_x):
    user = UserFactory(email="refused@example.org", full_name="Raka Ditolak")
    AlumniProfileFactory(user=user, study_program=prodi_x, nim="15710098", entry_year=2015,
                         verification=AlumniProfile.Verification.REFUSED)
    return user


def test_wave_launch_invites_verified_graduates_only(django_capture_on_commit_callbacks, admin_user, prodi_x,
                                                     alumnus_a, pending_person, refused_person):
    wave = make_wave(admin_user, [prodi_x])
    with django_capture_on_commit_callbacks(execute=True):
        invited = services.wave_launch(wave=wave, by=admin_user)
    people = set(Invitation.objects.filter(wave=wave).values_list("profile__user__email", flat=True))
    assert people == {alumnus_a.email}
    assert invited == 1
    notified = set(Notification.objects.filter(kind="tracer_invitation").values_list("recipient__email", flat=True))
    assert pending_person.email not in notified and refused_person.email not in notified


def test_no_reminder_for_an_unverified_claimant(django_capture_on_commit_callbacks, admin_user, prodi_x, alumnus_a,
                                                pending_person):
    start = timezone.now()
    wave = make_wave(admin_user, [prodi_x], opens=start - datetime.timedelta(minutes=5), closes=start + 90 * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        services.wave_launch(wave=wave, by=admin_user)
    # An invitation that exists for the pending record anyway (made by hand, or before verification was withdrawn).
    pending_profile = AlumniProfile.objects.get(user=pending_person)
    Invitation.objects.create(version=wave.version, wave=wave, profile=pending_profile, created_at=start)
    with django_capture_on_commit_callbacks(execute=True):
        tracer_reminders_tick(now=start + 7 * DAY + datetime.timedelta(minutes=1))
    reminded = set(Notification.objects.filter(kind="tracer_reminder").values_list("recipient__email", flat=True))
    assert reminded == {alumnus_a.email}
    assert Invitation.objects.get(profile=pending_profile).reminders_sent == 0


def test_staff_cannot_send_an_employer_survey_about_an_unverified_record(national_surveys, prodi_x, staff_x,
                                                                         pending_person):
    pending_profile = AlumniProfile.objects.get(user=pending_person)
    response = client_for(staff_x).post(reverse("tracer:employer_invite"), {
        "study_program": prodi_x.pk, "nim": pending_profile.nim, "name": "Ibu Ratna", "position": "",
        "organisation": "PNRI", "email": "ratna@pnri.example.org",
    })
    assert response.status_code == 200  # the form again, with an error on the NIM
    assert response.context["form"].errors["nim"]
    assert not Invitation.objects.filter(respondent="employer").exists()
    with pytest.raises(ValidationError):
        engine.employer_invite(profile=pending_profile, by=staff_x, name="Ibu Ratna", email="ratna@pnri.example.org")
    assert not Invitation.objects.filter(respondent="employer").exists()
