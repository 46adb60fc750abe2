"""allauth wiring: signup with mandatory verification, claiming imported records, reset, email change, limits."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from alumni.models import AlumniProfile, User

from ..conftest import client_for
from ..factories import PASSWORD, AlumniProfileFactory, UserFactory

SIGNUP = reverse("account_signup")
LOGIN = reverse("account_login")


def signup(client, email, name="Rina Wulandari"):
    return client.post(SIGNUP, {"full_name": name, "email": email, "password1": PASSWORD, "password2": PASSWORD})


def confirmation_url(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", message.body).group(1)


def test_signup_sends_verification_and_blocks_login_until_verified(db, client):
    response = signup(client, "rina@example.org")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="rina@example.org")
    assert user.full_name == "Rina Wulandari"
    assert len(mail.outbox) == 1
    assert not EmailAddress.objects.get(user=user).verified
    login = client_for(None).post(LOGIN, {"login": "rina@example.org", "password": PASSWORD})
    assert login.status_code == 302
    assert login["Location"] == reverse("account_email_verification_sent")
    assert client.get(reverse("dashboard")).status_code == 302


def test_verifying_email_claims_the_imported_record_instead_of_duplicating(prodi_x, client):
    imported = AlumniProfileFactory(user=None, study_program=prodi_x, full_name="Rina W.", email="Rina@Example.org")
    signup(client, "rina@example.org")
    user = User.objects.get(email="rina@example.org")
    assert AlumniProfile.objects.get(pk=imported.pk).user is None  # not before verification
    response = client.post(confirmation_url(mail.outbox[0]))
    assert response.status_code == 302
    imported.refresh_from_db()
    assert imported.user == user
    assert AlumniProfile.objects.count() == 1
    assert client.get(reverse("dashboard")).status_code == 200  # logged in on confirmation


def test_verified_account_without_a_record_is_asked_for_one(db, client):
    signup(client, "newcomer@example.org")
    client.post(confirmation_url(mail.outbox[0]))
    assert not AlumniProfile.objects.exists()
    response = client.get(reverse("dashboard"))
    assert reverse("alumni:profile_create") in response.content.decode()


def test_duplicate_email_signup_creates_nothing_and_does_not_reveal_the_account(alumnus_a, client):
    response = signup(client, "ANI@example.org")
    # allauth's enumeration protection: the page looks the same as for a new address...
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email__iexact="ani@example.org").count() == 1
    # ...and the real owner is told someone tried.
    assert mail.outbox[-1].to == ["ani@example.org"]


def test_password_reset_sets_a_new_password(alumnus_a, client):
    response = client.post(reverse("account_reset_password"), {"email": "ani@example.org"})
    assert response.status_code == 302
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", mail.outbox[-1].body).group(1)
    form_url = client.get(link)["Location"]  # allauth stores the key in the session and redirects
    response = client.post(form_url, {"password1": "a-brand-new-secret-7", "password2": "a-brand-new-secret-7"})
    assert response.status_code == 302
    assert client_for(None).login(email="ani@example.org", password="a-brand-new-secret-7")


def test_email_change_needs_verification_and_then_replaces_the_old_address(alumnus_a):
    client = client_for(alumnus_a)
    response = client.post(reverse("account_email"), {"action_add": "", "email": "ani.baru@example.org"})
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="ani.baru@example.org").verified is False
    client.post(confirmation_url(mail.outbox[-1]))
    alumnus_a.refresh_from_db()
    assert alumnus_a.email == "ani.baru@example.org"
    assert list(EmailAddress.objects.filter(user=alumnus_a).values_list("email", flat=True)) == [
        "ani.baru@example.org"
    ]


def test_login_attempts_are_rate_limited(alumnus_a):
    client = client_for(None)
    statuses = [
        client.post(LOGIN, {"login": "ani@example.org", "password": "wrong-password"}).status_code
        for _ in range(12)
    ]
    # allauth's default "login_failed" limit is 5 per 5 minutes per address: later tries are refused
    # even with the right password.
    response = client.post(LOGIN, {"login": "ani@example.org", "password": PASSWORD})
    assert statuses[0] == 200
    assert response.status_code in (200, 429)
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.parametrize("language,expected", [("id", "Masuk"), ("en", "Sign In")])
def test_login_page_speaks_the_chosen_language(db, language, expected):
    client = client_for(None)
    client.cookies["django_language"] = language
    response = client.get(LOGIN)
    assert expected in response.content.decode()


def test_logged_in_language_choice_is_saved_on_the_account(alumnus_a):
    client = client_for(alumnus_a)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/dashboard/"})
    assert response.status_code == 302
    alumnus_a.refresh_from_db()
    assert alumnus_a.language == "en"
    assert client.get(reverse("dashboard")).headers["Content-Language"] == "en"


def test_set_language_refuses_to_redirect_off_site(db):
    response = client_for(None).post(reverse("set_language"), {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_unverified_user_factory_helper_really_is_unverified(db):
    user = UserFactory(email="unverified@example.org", verified=False)
    assert not EmailAddress.objects.filter(user=user, verified=True).exists()
