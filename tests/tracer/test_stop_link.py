# ruff: noqa: F811  (the fixtures `people` and `wave` come from test_reminders_without_account)
"""The stop link of tracer emails to people without an account (UU PDP: the right to object): in every email to an
address, one click to the page, one button to object, no login; the objection holds for that address in later
ticks, sends and waves, and becomes the account's when one verifies the address."""

import datetime

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alumni.models import Consent
from alumni.privacy import account_delete, consent_latest
from core.models import AuditLog, Notification
from core.notifications import notifications_deliver
from tracer import services
from tracer.models import Invitation, Response
from tracer.views_admin import wave_stats

from ..conftest import client_for
from ..factories import UserFactory
from .test_reminders_without_account import (  # noqa: F401  (fixtures people and wave)
    DAY,
    claimed_not_sent,
    people,
    recipients,
    tick,
    wave,
)
from .test_waves import make_wave

ADDRESS = "imported@example.org"


def stop_path(invitation):
    return reverse("tracer:stop", args=[invitation.token])


def objections():
    return Consent.objects.filter(user__isnull=True, email=ADDRESS)


def audits():
    return AuditLog.objects.filter(action="tracer.invitation.objected")


def object_with_csrf(invitation):
    """The person opens the link (GET) and presses the button (POST with the page's CSRF token)."""
    client = Client(enforce_csrf_checks=True)
    page = client.get(stop_path(invitation))
    assert page.status_code == 200
    token = page.context["csrf_token"]
    return client.post(stop_path(invitation), {"csrfmiddlewaretoken": str(token)})


@pytest.fixture
def imported(wave, people):
    return Invitation.objects.get(wave=wave, profile=people["imported"])


def test_the_first_link_and_the_reminders_carry_the_stop_link(django_capture_on_commit_callbacks, wave, imported,
                                                              people, settings):
    url = f"{settings.SITE_URL}/tracer/t/{imported.token}/stop/"
    link = Notification.objects.get(key=f"tracer_link:{imported.pk}")
    assert url in link.body and url in link.body_html
    tick(django_capture_on_commit_callbacks, timezone.now() + 8 * DAY)
    reminder = Notification.objects.get(key=f"tracer_reminder:{imported.pk}:1")
    assert url in reminder.body and url in reminder.body_html
    message = next(m for m in mail.outbox if m.to == [ADDRESS])
    assert url in message.body
    # The header carries the one-click address (RFC 8058): a mail client's button stops them with one POST.
    assert message.extra_headers["List-Unsubscribe"] == f"<{url}one-click/>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Accounts decide on their privacy page: their reminders have no stop link (their preferences page instead).
    for row in Notification.objects.filter(kind="tracer_reminder", recipient__isnull=False):
        assert "/stop/" not in row.body and "/stop/" not in row.body_html
    assert Notification.objects.filter(kind="tracer_reminder", recipient__isnull=False).count() == 2


def test_get_shows_the_page_and_post_records_one_objection(wave, imported):
    page = Client().get(stop_path(imported))
    assert page.status_code == 200 and page.context["state"] == "ask"
    assert b'method="post"' in page.content and b"csrfmiddlewaretoken" in page.content
    assert not objections().exists()  # a GET records nothing

    done = object_with_csrf(imported)
    assert done.status_code == 200 and done.context["state"] == "stopped" and done.context["just_now"]
    row = objections().get()
    assert (row.purpose, row.granted, row.wording_version, row.user_id) == ("tracer", False, "email-link", None)
    audit = audits().get()
    assert (audit.actor_id, audit.target_id, audit.data["account"]) == (None, str(imported.pk), False)

    # A second click changes nothing.
    again = Client().post(stop_path(imported))
    assert again.status_code == 200 and again.context["state"] == "stopped" and "just_now" not in again.context
    assert objections().count() == 1 and audits().count() == 1
    assert Consent.objects.count() == 2  # the fixture's objecting account, and this address


def test_a_post_without_the_csrf_token_is_refused(wave, imported):
    assert Client(enforce_csrf_checks=True).post(stop_path(imported)).status_code == 403
    assert not objections().exists()


def test_the_next_tick_sends_them_nothing(django_capture_on_commit_callbacks, wave, imported):
    start = timezone.now()
    Client().post(stop_path(imported))
    assert tick(django_capture_on_commit_callbacks, start + 8 * DAY) == {"due": 4, "claimed": 2}
    assert recipients() == ["ani@example.org", "bagus@example.org"]
    assert not Notification.objects.filter(to_email=ADDRESS, kind="tracer_reminder").exists()
    assert tick(django_capture_on_commit_callbacks, start + 15 * DAY) == {"due": 4, "claimed": 2}
    assert ADDRESS not in recipients()


def test_a_reminder_claimed_before_the_objection_is_not_sent(django_capture_on_commit_callbacks, wave, imported):
    rows = claimed_not_sent(django_capture_on_commit_callbacks, timezone.now() + 8 * DAY)
    Client().post(stop_path(imported))
    assert notifications_deliver([row.pk for row in rows]) == (2, 3)
    assert recipients() == ["ani@example.org", "bagus@example.org"]
    row = Notification.objects.get(key=f"tracer_reminder:{imported.pk}:1")
    assert row.sent_at is None and row.failed_at is not None
    assert row.last_error == "cancelled: objected to the tracer study"


def test_a_later_wave_does_not_email_them(django_capture_on_commit_callbacks, wave, imported, admin_user, prodi_x,
                                          people):
    Client().post(stop_path(imported))
    later = make_wave(admin_user, [prodi_x], opens=timezone.now() - datetime.timedelta(minutes=5),
                      closes=timezone.now() + 90 * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        services.wave_launch(wave=later, by=admin_user)
    # Invited (the accreditation counts them), not emailed: A and B, and the answered graduate's new link.
    assert recipients() == ["ani@example.org", "answered@example.org", "bagus@example.org"]
    new = Invitation.objects.get(wave=later, profile=people["imported"])
    assert not Notification.objects.filter(key=f"tracer_link:{new.pk}").exists()
    # Both waves count the address and the account that objected.
    assert wave_stats(later)["objected"] == 2 and wave_stats(wave)["objected"] == 2


def test_the_wave_page_shows_how_many_objected(wave, imported, admin_user):
    client = Client()
    client.force_login(admin_user)
    before = client.get(reverse("tracer:wave", args=[wave.pk]))
    assert before.context["stats"]["objected"] == 1  # the address whose account objected
    Client().post(stop_path(imported))
    after = client.get(reverse("tracer:wave", args=[wave.pk]))
    assert after.context["stats"]["objected"] == 2
    assert 'id="wave-objected">2 ' in after.content.decode()


def test_an_answered_invitation_has_nothing_to_stop(wave, people):
    answered = Invitation.objects.get(wave=wave, profile=people["answered"])
    page = Client().get(stop_path(answered))
    assert page.status_code == 200 and page.context["state"] == "answered"
    assert Client().post(stop_path(answered)).context["state"] == "answered"
    assert not Consent.objects.filter(email="answered@example.org").exists() and not audits().exists()


def test_a_wrong_token_is_404(wave, imported):
    bad = reverse("tracer:stop", args=[imported.token + "x"])
    assert Client().get(bad).status_code == 404 and Client().post(bad).status_code == 404
    assert not objections().exists()


def test_an_account_that_verifies_the_address_shows_the_objection(wave, imported):
    Client().post(stop_path(imported))
    user = UserFactory(email=ADDRESS)
    address = EmailAddress.objects.get(user=user, email=ADDRESS)
    address.verified = False  # signed up; the confirmation link comes now
    address.save(update_fields=["verified"])
    key = EmailConfirmationHMAC(address).key
    assert Client().post(reverse("account_confirm_email", args=[key])).status_code == 302  # the mail's link
    address.refresh_from_db()
    assert address.verified
    row = consent_latest(user=user)["tracer"]
    assert row is not None and (row.granted, row.wording_version, row.email) == (False, "email-link", ADDRESS)
    assert not Consent.objects.filter(user__isnull=True).exists()
    # Still one objection for the address, now under the account: nothing sent to it either.
    assert services.withdrawn_emails({ADDRESS}) == {ADDRESS}
    # Deleting the account scrubs the address from its consent history too.
    account_delete(user=user)
    assert not Consent.objects.filter(email=ADDRESS).exists()
    assert Consent.objects.filter(user=user, wording_version="email-link", granted=False).count() == 1


def test_a_graduate_with_an_account_meanwhile_objects_as_that_account(wave, imported, people):
    user = UserFactory(email="other@example.org")
    profile = people["imported"]
    profile.user = user
    profile.save(update_fields=["user"])
    Client().post(stop_path(imported))
    row = consent_latest(user=user)["tracer"]
    assert (row.granted, row.wording_version) == (False, "email-link")
    assert audits().get().data["account"] is True
    assert not objections().exists()
    assert Client().post(stop_path(imported)).context["state"] == "stopped"
    assert Consent.objects.filter(user=user).count() == 1


def test_the_employer_email_carries_the_stop_link_and_objecting_stops_it(django_capture_on_commit_callbacks,
                                                                         settings, national_surveys, staff_x,
                                                                         alumnus_a):
    from alumni.models import AlumniProfile
    from tracer.engine import EMPLOYER_KIND, employer_invite

    profile = AlumniProfile.objects.get(user=alumnus_a)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = employer_invite(profile=profile, by=staff_x, name="Pak Budi", email="budi@firma.example")
    url = f"{settings.SITE_URL}/tracer/t/{invitation.token}/stop/"
    row = Notification.objects.get(key=f"{EMPLOYER_KIND}:{invitation.pk}")
    assert url in row.body and row.sent_at is not None
    assert mail.outbox[-1].extra_headers["List-Unsubscribe"] == f"<{url}one-click/>"
    assert Client().post(reverse("tracer:stop", args=[invitation.token])).context["state"] == "stopped"
    assert Consent.objects.filter(user__isnull=True, email="budi@firma.example", granted=False).count() == 1
    # A second employer invitation to that address is claimed but never sent.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        second = employer_invite(profile=profile, by=staff_x, name="Pak Budi", email="budi@firma.example")
    assert not mail.outbox
    assert Notification.objects.get(key=f"{EMPLOYER_KIND}:{second.pk}").last_error == (
        "cancelled: objected to the tracer study")


def test_an_answered_invitation_is_not_stopped_after_the_fact(wave, imported):
    Response.objects.create(invitation=imported, version=wave.version, profile=imported.profile, status="submitted",
                            submitted_at=timezone.now())
    assert Client().get(stop_path(imported)).context["state"] == "answered"


@pytest.mark.django_db
def test_the_address_rule_follows_each_purposes_default():
    """alumni.privacy.addresses_withheld: the tracer study runs until an objection; fundraising needs a yes, which
    only an account under the address can give."""
    from alumni.privacy import CONSENT_WORDING, addresses_withheld, consent_record, consent_withdraw_address

    assert addresses_withheld({"New@Example.org"}, "tracer") == set()
    assert addresses_withheld({"new@example.org"}, "fundraising") == {"new@example.org"}
    consent_withdraw_address(email="New@Example.org", purpose="tracer")
    assert addresses_withheld({"new@example.org"}, "tracer") == {"new@example.org"}
    assert consent_withdraw_address(email="new@example.org", purpose="tracer") is None  # once
    user = UserFactory(email="new@example.org")
    consent_record(user=user, purpose="fundraising", granted=True, wording_version=CONSENT_WORDING["fundraising"][0])
    assert addresses_withheld({"new@example.org"}, "fundraising") == set()
    # An account's later yes does not lift the objection recorded for the address until it verifies the address.
    consent_record(user=user, purpose="tracer", granted=True, wording_version=CONSENT_WORDING["tracer"][0])
    assert addresses_withheld({"new@example.org"}, "tracer") == {"new@example.org"}


def test_staff_cannot_invite_an_employer_address_that_objected(national_surveys, prodi_x, staff_x, alumnus_a):
    """The form says so at once (nothing is made), instead of an invitation whose email is cancelled at send time."""
    from alumni.privacy import consent_withdraw_address

    consent_withdraw_address(email="budi@firma.example", purpose="tracer")
    data = {"study_program": prodi_x.pk, "nim": "15710001", "name": "Pak Budi", "position": "",
            "organisation": "Perpusnas", "email": "Budi@Firma.example"}
    mail.outbox.clear()
    response = client_for(staff_x).post(reverse("tracer:employer_invite"), data)
    assert response.status_code == 200
    assert len(response.context["form"].errors["email"]) == 1
    assert not Invitation.objects.filter(respondent=Invitation.Respondent.EMPLOYER).exists()
    assert not mail.outbox
    # Another address goes through.
    ok = client_for(staff_x).post(reverse("tracer:employer_invite"), {**data, "email": "sari@firma.example"})
    assert ok.status_code == 302
    assert Invitation.objects.filter(respondent=Invitation.Respondent.EMPLOYER, email="sari@firma.example").exists()


def one_click_path(invitation) -> str:
    return reverse("tracer:stop_one_click", args=[invitation.token])


def test_one_click_post_stops_the_emails_without_login_cookie_or_csrf_token(wave, imported):
    """RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" with nothing else."""
    client = Client(enforce_csrf_checks=True)
    response = client.post(one_click_path(imported), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Consent.objects.filter(user__isnull=True, email=ADDRESS, purpose="tracer", granted=False).count() == 1
    # Twice (the client retries): still one objection.
    assert client.post(one_click_path(imported), {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert Consent.objects.filter(email=ADDRESS, purpose="tracer").count() == 1
    assert services.withdrawn_emails({ADDRESS}) == {ADDRESS}


def test_one_click_needs_its_body_and_a_get_leads_to_the_stop_page(wave, imported):
    client = Client(enforce_csrf_checks=True)
    assert client.post(one_click_path(imported)).status_code == 400
    assert client.post(one_click_path(imported), {"List-Unsubscribe": "yes"}).status_code == 400
    assert not Consent.objects.filter(email=ADDRESS).exists()
    response = client.get(one_click_path(imported))
    assert response.status_code == 302 and response["Location"] == stop_path(imported)
    assert not Consent.objects.filter(email=ADDRESS).exists()  # a GET never objects


def test_one_click_after_an_answer_records_nothing(wave, imported):
    Response.objects.create(invitation=imported, version=wave.version, profile=imported.profile, status="submitted",
                            submitted_at=timezone.now())
    response = Client().post(one_click_path(imported), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Consent.objects.filter(email=ADDRESS).exists()
