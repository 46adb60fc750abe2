"""Personal-data rights (UU PDP 27/2022): consent per purpose, download my data, delete my account."""

import io
import json
import zipfile
from pathlib import Path
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alumni import privacy, selectors
from alumni.models import AlumniProfile, Consent, Employment, Role, User
from core.audit import audit_log
from core.models import AuditLog, Notification, NotificationPreference
from core.notifications import notification_claim, notification_preferences_save
from programs.models import Participation

from ..conftest import client_for
from ..factories import PASSWORD, EmploymentFactory, SessionFactory, UserFactory
from .test_accounts import confirmation_url, signup
from .test_profile import profile_form, tiny_png

PRIVACY = reverse("alumni:privacy")
EXPORT = reverse("alumni:privacy_export")
DELETE = reverse("alumni:privacy_delete")
TRACER, FUNDRAISING, DIRECTORY = Consent.Purpose.TRACER, Consent.Purpose.FUNDRAISING, Consent.Purpose.DIRECTORY


def version(purpose):
    return privacy.CONSENT_WORDING[purpose][0]


def names_in_directory(viewer, **filters):
    found = selectors.directory_search(viewer=viewer, filters=selectors.DirectoryFilters(**filters))
    return [profile.full_name for profile in found]


def claim(user, key, kind="fake_tracer_invitation"):
    return notification_claim(
        key=key, kind=kind, recipient=user, template="alumni/email/role_granted",
        context={"role": mock.Mock(study_program="Ilmu Perpustakaan", get_kind_display=lambda: "Staf")},
    )


# --- Consent -----------------------------------------------------------------------------------------------------


def test_consent_is_recorded_with_time_and_wording_version_and_latest_is_in_force(alumnus_a):
    first = privacy.consent_record(user=alumnus_a, purpose=TRACER, granted=True, wording_version=version(TRACER))
    second = privacy.consent_record(user=alumnus_a, purpose=TRACER, granted=False, wording_version=version(TRACER))
    assert (first.granted, first.wording_version) == (True, version(TRACER))
    assert second.at >= first.at
    assert list(Consent.objects.filter(user=alumnus_a).values_list("granted", flat=True)) == [False, True]
    assert privacy.consent_latest(user=alumnus_a)[TRACER] == second
    assert privacy.consent_in_force(user=alumnus_a, purpose=TRACER) is False
    # No decision yet: the documented default applies.
    assert privacy.consent_in_force(user=alumnus_a, purpose=FUNDRAISING) is False
    assert AuditLog.objects.filter(action="alumni.consent.withdrawn", actor=alumnus_a).exists()


def test_consent_counts_only_for_the_wording_shown(alumnus_a):
    with pytest.raises(ValidationError):
        privacy.consent_record(user=alumnus_a, purpose=TRACER, granted=True, wording_version="an-old-version")
    with pytest.raises(ValidationError):
        privacy.consent_record(user=alumnus_a, purpose="marketing", granted=True, wording_version="x")
    assert not Consent.objects.exists()
    # Withdrawing always works, whatever page it came from.
    privacy.consent_record(user=alumnus_a, purpose=TRACER, granted=False, wording_version="an-old-version")
    assert Consent.objects.get().granted is False


def test_privacy_page_shows_wording_state_toggle_and_history(alumnus_a):
    client = client_for(alumnus_a)
    response = client.post(PRIVACY, {"purpose": "fundraising", "granted": "1", "wording_version": version(FUNDRAISING)})
    assert response.status_code == 302
    client.post(PRIVACY, {"purpose": "fundraising", "granted": "0", "wording_version": version(FUNDRAISING)})
    html = client.get(PRIVACY).content.decode()
    for purpose in Consent.Purpose:
        assert str(privacy.CONSENT_WORDING[purpose][1])[:40] in html
        assert version(purpose) in html
        assert f'name="purpose" value="{purpose.value}"' in html
    history = client.get(PRIVACY).context["history"]
    assert [(c.purpose, c.granted, c.wording_version) for c in history] == [
        ("fundraising", False, version(FUNDRAISING)), ("fundraising", True, version(FUNDRAISING)),
    ]


def test_a_stale_page_cannot_grant(alumnus_a):
    response = client_for(alumnus_a).post(PRIVACY, {"purpose": "tracer", "granted": "1", "wording_version": "v0"},
                                          follow=True)
    assert not Consent.objects.exists()
    assert list(response.context["messages"])[0].level_tag == "error"


def test_withdrawing_directory_consent_removes_the_person_from_the_directory_at_once(alumnus_a, alumnus_b):
    assert "Ani Lestari" in names_in_directory(alumnus_b)
    client_for(alumnus_a).post(PRIVACY, {"purpose": "directory", "granted": "0",
                                         "wording_version": version(DIRECTORY)})
    assert AlumniProfile.objects.get(user=alumnus_a).listed_in_directory is False
    assert "Ani Lestari" not in names_in_directory(alumnus_b)
    response = client_for(alumnus_b).get(reverse("alumni:directory"), {"q": "Ani"})
    assert response.context["rows"] == []
    # Granting again lists her again.
    privacy.consent_record(user=alumnus_a, purpose=DIRECTORY, granted=True, wording_version=version(DIRECTORY))
    assert "Ani Lestari" in names_in_directory(alumnus_b)


def test_profile_form_checkbox_is_recorded_in_the_consent_history(alumnus_a, alumnus_b, staff_x):
    profile = AlumniProfile.objects.get(user=alumnus_a)
    response = client_for(alumnus_a).post(reverse("alumni:profile_edit"), profile_form(profile, listed_in_directory=""))
    assert response.status_code == 302
    row = Consent.objects.get(user=alumnus_a)
    assert (row.purpose, row.granted, row.wording_version) == ("directory", False, privacy.PROFILE_FORM_WORDING)
    assert "Ani Lestari" not in names_in_directory(alumnus_b)
    html = client_for(alumnus_a).get(PRIVACY).content.decode()
    assert "profile-form" not in html  # shown as words, not as the code
    # A save that leaves the box alone records nothing; staff changing the flag is not the person's consent.
    client_for(alumnus_a).post(reverse("alumni:profile_edit"), profile_form(profile, listed_in_directory="",
                                                                              bio="Pustakawan"))
    from alumni.services import profile_update

    profile.refresh_from_db()
    profile_update(profile=profile, by=staff_x, data={"listed_in_directory": True})
    assert Consent.objects.filter(user=alumnus_a).count() == 1


def test_withdrawn_purpose_suppresses_notifications_of_its_kinds(alumnus_a, monkeypatch):
    monkeypatch.setitem(privacy.NOTIFICATION_PURPOSES, "fake_tracer_invitation", TRACER)
    monkeypatch.setitem(privacy.NOTIFICATION_PURPOSES, "fake_campaign", FUNDRAISING)
    # No decision: tracer invitations go out until the person objects; fundraising needs a yes.
    assert claim(alumnus_a, "t:1") is not None
    assert claim(alumnus_a, "f:1", kind="fake_campaign") is None
    pending = claim(alumnus_a, "t:2")
    privacy.consent_record(user=alumnus_a, purpose=TRACER, granted=False, wording_version=version(TRACER))
    assert claim(alumnus_a, "t:3") is None
    # Already claimed but not yet sent: it will not go out either.
    pending.refresh_from_db()
    assert pending.failed_at is not None and pending.last_error == "consent withdrawn"
    # Kinds of no purpose are untouched.
    assert claim(alumnus_a, "r:1", kind="role_granted") is not None
    privacy.consent_record(user=alumnus_a, purpose=TRACER, granted=True, wording_version=version(TRACER))
    privacy.consent_record(user=alumnus_a, purpose=FUNDRAISING, granted=True, wording_version=version(FUNDRAISING))
    assert claim(alumnus_a, "t:4") is not None
    assert claim(alumnus_a, "f:2", kind="fake_campaign") is not None


def test_the_hook_costs_no_query_while_no_kind_maps_to_a_purpose(alumnus_a, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert privacy.consent_withheld({(alumnus_a.pk, "session_tomorrow")}) == set()


def test_register_notification_purpose_rejects_unknown_purposes():
    with pytest.raises(ValueError, match="unknown purpose"):
        privacy.register_notification_purpose("x", "marketing")


# --- Download my data --------------------------------------------------------------------------------------------


@pytest.fixture
def rich_a(alumnus_a, alumnus_b, tmp_path, settings, provinces):
    """Alumnus A with a photo, a job, consents, notifications, preferences and a session attended."""
    settings.MEDIA_ROOT = str(tmp_path)
    profile = AlumniProfile.objects.get(user=alumnus_a)
    profile.photo = SimpleUploadedFile("me.png", tiny_png(), content_type="image/png")
    profile.phone, profile.city, profile.bio = "+62 812 1111 2222", "Yogyakarta", "Pustakawan muda"
    profile.save()
    EmploymentFactory(profile=profile, employer="Perpustakaan Kota", position="Kepala Seksi", city="Sleman")
    privacy.consent_record(user=alumnus_a, purpose=TRACER, granted=True, wording_version=version(TRACER))
    claim(alumnus_a, "a:1", kind="role_granted")
    claim(alumnus_b, "b:1", kind="role_granted")
    notification_preferences_save(user=alumnus_a, enabled=[])
    session = SessionFactory(program__study_program=profile.study_program)
    Participation.objects.create(program=session.program, session=session, user=alumnus_a, attended=True)
    Participation.objects.create(program=session.program, session=session, user=alumnus_b, attended=True)
    audit_log(actor=alumnus_b, action="test.b", target=AlumniProfile.objects.get(user=alumnus_b),
              data={"secret": "Bagus only"})
    return alumnus_a


def export_of(user) -> tuple[dict, zipfile.ZipFile]:
    archive = zipfile.ZipFile(io.BytesIO(privacy.personal_data_export(user=user)))
    return json.loads(archive.read("data.json")), archive


def test_export_zip_holds_the_persons_data_and_no_one_elses(rich_a, alumnus_b):
    data, archive = export_of(rich_a)
    assert {"account", "profile", "employments", "consents", "notifications", "notification_preferences",
            "participations", "audit_log", "email_addresses", "roles"} <= set(data)
    assert data["account"]["email"] == "ani@example.org"
    profile = data["profile"]
    assert (profile["nim"], profile["phone"], profile["city"], profile["bio"]) == (
        "15710001", "+62 812 1111 2222", "Yogyakarta", "Pustakawan muda")
    assert {"vis_email", "listed_in_directory", "entry_year", "study_program", "graduation_date"} <= set(profile)
    assert profile["photo"] in archive.namelist()
    assert archive.read(profile["photo"]) == tiny_png()
    assert data["employments"][0]["employer"] == "Perpustakaan Kota"
    assert [(c["purpose"], c["granted"], c["wording_version"]) for c in data["consents"]] == [
        ("tracer", True, version(TRACER))]
    mine = Notification.objects.get(recipient=rich_a)
    assert [(n["kind"], n["subject"]) for n in data["notifications"]] == [("role_granted", mine.subject)]
    assert {"created_at", "sent_at"} <= set(data["notifications"][0])
    assert data["notification_preferences"]["in_force"]["session_tomorrow"] is False
    assert [(p["role"], p["status"], p["attended"]) for p in data["participations"]] == [
        ("participant", "registered", True)]
    assert {e["action"] for e in data["audit_log"]} >= {"alumni.consent.granted"}
    text = archive.read("data.json").decode()
    for other in ("bagus@example.org", "Bagus", "15710002"):
        assert other not in text


def test_export_includes_registered_providers(rich_a, monkeypatch):
    monkeypatch.setitem(privacy.PROVIDERS, "tracer_responses", privacy.PersonalDataProvider(
        name="tracer_responses", export=lambda user: [{"wave": 2026, "for": user.email}]))
    data, _archive = export_of(rich_a)
    assert data["tracer_responses"] == [{"wave": 2026, "for": "ani@example.org"}]
    with pytest.raises(ValueError):
        privacy.register_personal_data("profile", export=lambda user: None)


def test_download_is_an_attachment_for_the_logged_in_person_only(rich_a):
    response = client_for(rich_a).post(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("data.json"))
    assert data["account"]["email"] == "ani@example.org"
    assert AuditLog.objects.filter(action="alumni.data.exported", actor=rich_a).exists()
    anonymous = client_for(None).post(EXPORT)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("account_login"))


def test_staff_exporting_see_their_actions_on_others_without_the_others_data(alumnus_a, staff_x):
    from alumni.services import profile_update

    profile_update(profile=AlumniProfile.objects.get(user=alumnus_a), by=staff_x, data={"full_name": "Ani L."})
    data, archive = export_of(staff_x)
    assert "alumni.profile.updated" in {e["action"] for e in data["audit_log"]}
    assert "Ani" not in archive.read("data.json").decode()


# --- Delete my account -------------------------------------------------------------------------------------------


def delete(client, password=PASSWORD, word="HAPUS"):  # the confirmation word in Indonesian, the default
    return client.post(DELETE, {"password": password, "confirm": word})


def test_wrong_password_or_word_refuses_and_changes_nothing(rich_a):
    client = client_for(rich_a)
    before = AlumniProfile.objects.get(user=rich_a)
    for response in (delete(client, password="not-my-password"), delete(client, word="yes")):
        assert response.status_code == 200
        assert response.context["form"].errors
    after = AlumniProfile.objects.get(user=rich_a)
    assert (after.full_name, after.nim, after.phone, after.photo.name) == (
        before.full_name, before.nim, before.phone, before.photo.name)
    assert User.objects.get(pk=rich_a.pk).is_active
    assert client.get(reverse("dashboard")).status_code == 200  # still logged in
    assert not AuditLog.objects.filter(action="alumni.account.deleted").exists()


def test_delete_scrubs_identity_and_keeps_anonymous_statistics(rich_a, alumnus_b, staff_x, tmp_path,
                                                                django_capture_on_commit_callbacks):
    profile = AlumniProfile.objects.get(user=rich_a)
    photo_path = Path(tmp_path) / profile.photo.name
    assert photo_path.exists()
    cohort_before = selectors.cohort_counts(viewer=staff_x, study_program_ids=[profile.study_program_id])
    attended_before = Participation.objects.filter(attended=True).count()
    client = client_for(rich_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = delete(client, word="hapus")  # case does not matter
    assert response.status_code == 302 and response["Location"] == reverse("alumni:privacy_goodbye")
    assert client.get(reverse("dashboard")).status_code == 302  # logged out
    assert client.get(reverse("alumni:privacy_goodbye")).status_code == 200

    profile.refresh_from_db()
    user = User.objects.get(pk=rich_a.pk)
    marker = profile.nim
    assert marker.startswith("ANON-") and profile.full_name == marker
    assert (profile.email, profile.phone, profile.city, profile.bio, profile.photo.name, profile.province) == (
        "", "", "", "", "", None)
    assert not photo_path.exists()
    assert (profile.study_program_id, profile.entry_year, profile.graduation_date.year) == (
        rich_a.alumni_profile.study_program_id, 2015, 2019)
    assert profile.listed_in_directory is False
    # The record still counts in its cohort; it no longer counts as having an account.
    cohort_after = selectors.cohort_counts(viewer=staff_x, study_program_ids=[profile.study_program_id])
    assert [(r["entry_year"], r["total"]) for r in cohort_after] == [
        (r["entry_year"], r["total"]) for r in cohort_before
    ]
    assert sum(r["claimed"] for r in cohort_after) == sum(r["claimed"] for r in cohort_before) - 1
    assert marker not in names_in_directory(alumnus_b)
    job = Employment.objects.get(profile=profile)
    assert (job.employer, job.position, job.city) == ("", "", "")
    assert (job.employer_kind, job.scope, job.start_date.year) == ("government", "national", 2020)

    assert (user.full_name, user.is_active, user.has_usable_password()) == (marker, False, False)
    assert "ani" not in user.email
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not NotificationPreference.objects.filter(user=user).exists()
    assert set(Notification.objects.filter(recipient=user).values_list("subject", flat=True)) == {""}
    assert Participation.objects.filter(attended=True).count() == attended_before
    assert Participation.objects.filter(user=user, attended=True).count() == 1
    latest = privacy.consent_latest(user=user)
    assert all(row.granted is False and row.wording_version == "account-deleted" for row in latest.values())

    entry = AuditLog.objects.get(action="alumni.account.deleted")
    assert entry.target_repr == marker and entry.data == {"by": "self"}
    text = json.dumps(list(AuditLog.objects.filter(target_type__startswith="alumni.").values(
        "target_repr", "data")))
    for personal in ("Ani", "ani@example.org", "15710001", "Perpustakaan Kota", "Yogyakarta"):
        assert personal not in text
    # Bagus is untouched.
    assert AlumniProfile.objects.get(user=alumnus_b).full_name == "Bagus Pratama"


def test_deleted_person_cannot_log_in_and_the_email_signs_up_afresh(alumnus_a, client):
    privacy.account_delete(user=alumnus_a, by=alumnus_a)
    assert not client_for(None).login(email="ani@example.org", password=PASSWORD)
    response = client_for(None).post(reverse("account_login"), {"login": "ani@example.org", "password": PASSWORD})
    assert response.status_code == 200  # the form again, with an error
    mail.outbox.clear()
    signup(client, "ani@example.org", name="Ani Baru")
    fresh = User.objects.get(email="ani@example.org")
    assert fresh.pk != alumnus_a.pk and fresh.full_name == "Ani Baru"
    assert "confirm-email" in mail.outbox[-1].body  # a verification, not "someone tried your address"
    client.post(confirmation_url(mail.outbox[-1]))
    # The anonymised record is not handed back: the new account starts with no profile.
    assert not AlumniProfile.objects.filter(user=fresh).exists()
    assert client.get(reverse("dashboard")).status_code == 200


def test_deleting_calls_the_registered_anonymisers_before_scrubbing(alumnus_a, monkeypatch):
    seen = []
    monkeypatch.setitem(privacy.PROVIDERS, "donations", privacy.PersonalDataProvider(
        name="donations", anonymise=lambda user, marker: seen.append((user.email, marker))))
    marker = privacy.account_delete(user=alumnus_a)
    assert seen == [("ani@example.org", marker)]


def test_a_failing_anonymiser_aborts_the_whole_deletion(alumnus_a, monkeypatch):
    def boom(user, marker):
        raise RuntimeError("tracer store down")

    monkeypatch.setitem(privacy.PROVIDERS, "tracer", privacy.PersonalDataProvider(name="tracer", anonymise=boom))
    with pytest.raises(RuntimeError):
        privacy.account_delete(user=alumnus_a)
    assert User.objects.get(pk=alumnus_a.pk).email == "ani@example.org"
    assert AlumniProfile.objects.get(user=alumnus_a).nim == "15710001"


def test_staff_lose_their_roles_and_only_the_person_or_a_superuser_may_delete(alumnus_a, alumnus_b, staff_x):
    with pytest.raises(PermissionDenied):
        privacy.account_delete(user=alumnus_a, by=alumnus_b)
    with pytest.raises(PermissionDenied):
        privacy.account_delete(user=alumnus_a, by=staff_x)
    superuser = UserFactory(email="root@example.org", is_superuser=True, is_staff=True)
    with pytest.raises(ValidationError):
        privacy.account_delete(user=superuser, by=superuser)
    privacy.account_delete(user=staff_x, by=superuser)
    assert not Role.objects.filter(user=staff_x).exists()
    assert not User.objects.get(pk=staff_x.pk).is_staff
    with pytest.raises(ValidationError):
        privacy.account_delete(user=staff_x, by=superuser)  # already deleted


def test_anonymous_is_sent_to_log_in_for_every_privacy_action(db):
    client = client_for(None)
    for url in (PRIVACY, EXPORT, DELETE):
        for response in (client.get(url), client.post(url, {"password": PASSWORD, "confirm": "HAPUS"})):
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("account_login"))
