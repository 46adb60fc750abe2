"""Waves: validation, launch (one invitation per eligible alumnus, in bulk, unguessable tokens), invitation emails
exactly once and only with tracer consent, the wave page and who may do what."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alumni.models import Consent
from alumni.privacy import CONSENT_WORDING, consent_record
from core.models import Notification
from tracer import services
from tracer.models import Invitation, Response, Survey, Wave

from ..conftest import client_for
from ..factories import AlumniProfileFactory, UserFactory


def national_version():
    return Survey.objects.get(slug="dikti-core").latest_version()


def make_wave(by, programs, *, years=(2019,), days=(7, 14, 21), max_reminders=3, opens=None, **kwargs):
    opens = opens or timezone.now() - datetime.timedelta(hours=1)
    return services.wave_create(
        by=by, title=kwargs.pop("title", "Tracer 2026"), version=kwargs.pop("version", None) or national_version(),
        study_programs=programs, graduation_years=list(years), opens_at=opens,
        closes_at=kwargs.pop("closes", opens + datetime.timedelta(days=60)), reminder_days=list(days),
        max_reminders=max_reminders,
    )


def launch(capture, wave, by):
    with capture(execute=True):
        return services.wave_launch(wave=wave, by=by)


@pytest.fixture
def graduates(prodi_x, prodi_y, alumnus_a, alumnus_b):
    """A and B (accounts, X, 2019); one imported 2019 X graduate with an email and one without; a 2018 X graduate;
    a 2019 Y graduate."""
    return {
        "imported": AlumniProfileFactory(user=None, study_program=prodi_x, email="imported@example.org",
                                         full_name="Imported Graduate"),
        "no_email": AlumniProfileFactory(user=None, study_program=prodi_x, email=""),
        "x_2018": AlumniProfileFactory(study_program=prodi_x, graduation_date=datetime.date(2018, 12, 31)),
        "y_2019": AlumniProfileFactory(study_program=prodi_y, graduation_date=datetime.date(2019, 1, 1)),
    }


@pytest.mark.parametrize("change, field", [
    ({"closes": timezone.now() - datetime.timedelta(days=1)}, "closes_at"),
    ({"days": (14, 7)}, "reminder_days"),
    ({"days": (0, 7)}, "reminder_days"),
    ({"days": (7, 7)}, "reminder_days"),
    ({"days": (7, 14), "max_reminders": 3}, "max_reminders"),
    ({"years": ()}, "graduation_years"),
])
def test_wave_validation(admin_user, prodi_x, change, field):
    with pytest.raises(ValidationError) as exc:
        make_wave(admin_user, [prodi_x], **change)
    assert field in exc.value.error_dict
    assert not Wave.objects.exists()


def test_only_admins_create_and_only_for_their_institution(admin_user, staff_x, prodi_x):
    from ..factories import FacultyFactory, InstitutionFactory, StudyProgramFactory

    with pytest.raises(PermissionDenied):
        make_wave(staff_x, [prodi_x])
    other = StudyProgramFactory(code="99999", faculty=FacultyFactory(institution=InstitutionFactory(name="Lain")))
    with pytest.raises(ValidationError):
        make_wave(admin_user, [other])
    wave = make_wave(admin_user, [prodi_x])
    assert wave.graduation_years == [2019] and wave.launched_at is None


def test_launch_invites_exactly_the_eligible_alumni(django_capture_on_commit_callbacks, admin_user, prodi_x,
                                                     alumnus_a, alumnus_b, graduates):
    wave = make_wave(admin_user, [prodi_x])
    assert launch(django_capture_on_commit_callbacks, wave, admin_user) == 4
    invited = set(Invitation.objects.filter(wave=wave).values_list("profile_id", flat=True))
    assert invited == {alumnus_a.alumni_profile.pk, alumnus_b.alumni_profile.pk, graduates["imported"].pk,
                       graduates["no_email"].pk}
    wave.refresh_from_db()
    assert wave.launched_at is not None and wave.version.frozen_at is not None
    assert set(Invitation.objects.filter(wave=wave).values_list("version", flat=True)) == {wave.version_id}


def test_tokens_are_unique_and_not_derived_from_ids(django_capture_on_commit_callbacks, admin_user, prodi_x, prodi_y):
    for n in range(30):
        AlumniProfileFactory(user=None, study_program=prodi_x, nim=f"1971{n:04d}")
    wave = make_wave(admin_user, [prodi_x])
    launch(django_capture_on_commit_callbacks, wave, admin_user)
    rows = list(Invitation.objects.filter(wave=wave).select_related("profile"))
    tokens = [r.token for r in rows]
    assert len(rows) == 30 and len(set(tokens)) == 30
    assert all(len(t) >= 32 for t in tokens)
    for r in rows:
        assert r.profile.nim not in r.token and str(r.pk) not in r.token and str(r.profile.pk) not in r.token


def test_invitation_emails_go_once_and_launching_twice_is_refused(django_capture_on_commit_callbacks, admin_user,
                                                                   prodi_x, alumnus_a, alumnus_b, graduates):
    wave = make_wave(admin_user, [prodi_x])
    launch(django_capture_on_commit_callbacks, wave, admin_user)
    recipients = sorted(to for m in mail.outbox for to in m.to)
    # A and B through their notifications; the imported graduate by the link; nobody without an address.
    assert recipients == ["ani@example.org", "bagus@example.org", "imported@example.org"]
    invitation = Invitation.objects.get(wave=wave, profile=graduates["imported"])
    imported_mail = next(m for m in mail.outbox if m.to == ["imported@example.org"])
    assert invitation.token in imported_mail.body
    assert Notification.objects.filter(kind="tracer_invitation").count() == 2
    with pytest.raises(ValidationError):
        launch(django_capture_on_commit_callbacks, wave, admin_user)
    # Re-running the sending steps sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_invitations(wave=wave)
    services.send_invitation_emails(wave_id=wave.pk)
    assert len(mail.outbox) == 3
    assert Invitation.objects.filter(wave=wave).count() == 4


def test_no_invitation_email_without_tracer_consent(django_capture_on_commit_callbacks, admin_user, prodi_x,
                                                    alumnus_a, alumnus_b, graduates):
    consent_record(user=alumnus_a, purpose=Consent.Purpose.TRACER, granted=False,
                   wording_version=CONSENT_WORDING["tracer"][0])
    # The imported graduate's address belongs to an account that withdrew tracer consent too.
    other = UserFactory(email="imported@example.org")
    consent_record(user=other, purpose=Consent.Purpose.TRACER, granted=False,
                   wording_version=CONSENT_WORDING["tracer"][0])
    wave = make_wave(admin_user, [prodi_x])
    launch(django_capture_on_commit_callbacks, wave, admin_user)
    assert sorted(to for m in mail.outbox for to in m.to) == ["bagus@example.org"]
    # Still invited (the study program may remind them in person), just not emailed.
    assert Invitation.objects.filter(wave=wave).count() == 4


def test_launch_queries_do_not_grow_with_the_alumni(django_capture_on_commit_callbacks, admin_user, prodi_x):
    def measure(n):
        start = AlumniProfileFactory._meta.model.objects.count()
        for i in range(n):
            AlumniProfileFactory(study_program=prodi_x, nim=f"2{start:03d}{i:05d}")
        wave = make_wave(admin_user, [prodi_x], title=f"w{n}")
        with CaptureQueriesContext(connection) as ctx:
            services.wave_launch(wave=wave, by=admin_user)
        return len(ctx.captured_queries)

    assert measure(3) == measure(40)


def test_wave_page_counts_and_pagination(django_capture_on_commit_callbacks, admin_user, staff_x, prodi_x,
                                         alumnus_a, alumnus_b, graduates):
    wave = make_wave(admin_user, [prodi_x])
    launch(django_capture_on_commit_callbacks, wave, admin_user)
    inv_a = Invitation.objects.get(wave=wave, profile__user=alumnus_a)
    inv_b = Invitation.objects.get(wave=wave, profile__user=alumnus_b)
    Response.objects.create(invitation=inv_a, version=wave.version, profile=inv_a.profile, status="submitted")
    Response.objects.create(invitation=inv_b, version=wave.version, profile=inv_b.profile, status="partial")
    from tracer.views_admin import wave_stats

    assert wave_stats(wave) == {"invited": 4, "started": 1, "submitted": 1, "objected": 0, "rate": 25.0,
                                "employers_invited": 0, "employers_submitted": 0}
    page = client_for(staff_x).get(wave.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert ("25,0%" in html or "25.0%" in html) and "Ani Lestari" in html
    assert reverse("tracer:wave_launch", args=[wave.pk]) not in html  # staff do not launch


def test_staff_see_waves_of_their_prodi_only(admin_user, staff_x, staff_y, prodi_x):
    wave = make_wave(admin_user, [prodi_x])
    assert client_for(staff_x).get(wave.get_absolute_url()).status_code == 200
    assert client_for(staff_y).get(wave.get_absolute_url()).status_code == 404
    assert "Tracer 2026" in client_for(staff_x).get(reverse("tracer:waves")).content.decode()
    assert "Tracer 2026" not in client_for(staff_y).get(reverse("tracer:waves")).content.decode()


def test_only_admins_launch(admin_user, staff_x, alumnus_a, prodi_x):
    wave = make_wave(admin_user, [prodi_x])
    url = reverse("tracer:wave_launch", args=[wave.pk])
    assert 'id="wave-eligible"' in client_for(admin_user).get(wave.get_absolute_url()).content.decode()
    assert client_for(staff_x).post(url, {"confirm": "1"}).status_code == 403
    assert client_for(staff_x).get(url).status_code == 403
    assert client_for(alumnus_a).post(url, {"confirm": "1"}).status_code == 403
    assert client_for(alumnus_a).get(wave.get_absolute_url()).status_code == 403
    wave.refresh_from_db()
    assert wave.launched_at is None
    assert client_for(admin_user).post(url, {"confirm": "1"}).status_code == 302
    wave.refresh_from_db()
    assert wave.launched_at is not None
    # Launched: the confirmation page is gone, a second launch is refused.
    response = client_for(admin_user).get(url, follow=True)
    assert response.redirect_chain[-1][0] == wave.get_absolute_url()
    assert [m.level_tag for m in response.context["messages"]][-1] == "error"


def test_launch_asks_first_and_counts_who_is_emailed_how(admin_user, prodi_x, graduates, alumnus_b,
                                                         django_capture_on_commit_callbacks):
    """Eligible: A and B (accounts), the imported graduate with an address, one without: 4 invitations, 3 emails.
    Then B objects to the tracer study (no email for B), and the imported graduate was invited by hand before."""
    wave = make_wave(admin_user, [prodi_x])
    client = client_for(admin_user)
    url = reverse("tracer:wave_launch", args=[wave.pk])
    page = client.get(url)
    assert page.status_code == 200
    summary = page.context["summary"]
    assert (summary.invited, summary.already, summary.by_account, summary.by_address, summary.objected,
            summary.no_email, summary.emails) == (4, 0, 2, 1, 0, 1, 3)
    assert '<strong id="launch-emails">3 ' in page.content.decode()

    consent_record(user=alumnus_b, purpose=Consent.Purpose.TRACER, granted=False,
                   wording_version=CONSENT_WORDING["tracer"][0])
    Invitation.objects.create(version=wave.version, wave=wave, profile=graduates["imported"])
    summary = client.get(url).context["summary"]
    assert (summary.invited, summary.already, summary.by_account, summary.by_address, summary.objected,
            summary.no_email, summary.emails) == (3, 1, 1, 0, 1, 1, 1)

    # A POST without the confirmation flag shows the summary again and launches nothing.
    response = client.post(url)
    assert response.status_code == 200 and response.context["summary"].invited == 3
    wave.refresh_from_db()
    assert wave.launched_at is None and Invitation.objects.filter(wave=wave).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirm": "1"})
    assert response.status_code == 302
    wave.refresh_from_db()
    assert wave.launched_at is not None and Invitation.objects.filter(wave=wave).count() == 4
    # The page's count of emails held: A's invitation only (B objected; the hand-made invitation sent nothing).
    assert Notification.objects.filter(kind=services.INVITATION_KIND).count() == 1


def test_create_form(admin_user, prodi_x, prodi_y):
    client = client_for(admin_user)
    assert client.get(reverse("tracer:wave_create")).status_code == 200
    data = {
        "title": "Tracer lulusan 2024", "version": national_version().pk, "study_programs": [prodi_x.pk, prodi_y.pk],
        "graduation_years": "2024, 2023", "opens_at": "2026-12-01T08:00", "closes_at": "2027-02-01T08:00",
        "reminder_days": "7, 14, 21", "max_reminders": 2,
    }
    bad = client.post(reverse("tracer:wave_create"), {**data, "reminder_days": "14, 7"})
    assert bad.status_code == 200 and not Wave.objects.exists()
    response = client.post(reverse("tracer:wave_create"), data)
    wave = Wave.objects.get()
    assert response["Location"] == wave.get_absolute_url()
    assert wave.graduation_years == [2023, 2024] and wave.reminder_days == [7, 14, 21] and wave.max_reminders == 2
    assert set(wave.study_programs.all()) == {prodi_x, prodi_y}


def test_close(admin_user, prodi_x, django_capture_on_commit_callbacks):
    wave = make_wave(admin_user, [prodi_x])
    launch(django_capture_on_commit_callbacks, wave, admin_user)
    services.wave_close(wave=wave, by=admin_user)
    wave.refresh_from_db()
    assert not wave.is_open()


def test_closing_asks_first_and_says_who_can_no_longer_answer(admin_user, staff_x, prodi_x, graduates,
                                                              django_capture_on_commit_callbacks):
    wave = make_wave(admin_user, [prodi_x])
    launch(django_capture_on_commit_callbacks, wave, admin_user)
    invitation = Invitation.objects.filter(wave=wave).order_by("pk").first()
    Response.objects.create(invitation=invitation, version=wave.version, profile=invitation.profile, status="partial")
    url = reverse("tracer:wave_close", args=[wave.pk])
    client = client_for(admin_user)
    for response in (client.get(url), client.post(url)):  # the page, or a POST without the flag: still open
        assert response.status_code == 200
        assert (response.context["stats"]["invited"], response.context["stats"]["started"]) == (4, 1)
    assert client_for(staff_x).get(url).status_code == 403
    wave.refresh_from_db()
    assert wave.closes_at > timezone.now()
    assert client.post(url, {"confirm": "1"}).status_code == 302
    wave.refresh_from_db()
    assert wave.closes_at <= timezone.now()
    assert client.get(url).status_code == 302  # closed: nothing to confirm
