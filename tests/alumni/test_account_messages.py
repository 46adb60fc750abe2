"""What a person is told around signing in: that their imported record was found and linked (a claim), and every
message in their own language, also the one made while logging in."""

import datetime

from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import translation

from alumni.adapters import claim_message
from alumni.models import AlumniProfile, User

from ..conftest import client_for
from ..factories import PASSWORD, AlumniProfileFactory, UserFactory
from .test_accounts import confirmation_url, signup

LOGIN = reverse("account_login")


def told(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_claim_says_which_record_was_linked(prodi_x, client):
    imported = AlumniProfileFactory(user=None, study_program=prodi_x, full_name="Rina W.", email="rina@example.org",
                                    entry_year=2010, graduation_date=datetime.date(2014, 8, 30))
    client.cookies["django_language"] = "en"  # she signs up in English: her account's language
    signup(client, "rina@example.org")
    response = client.post(confirmation_url(mail.outbox[0]))
    imported.refresh_from_db()
    assert imported.user == User.objects.get(email="rina@example.org")
    assert ("We found your graduate record (S1 Ilmu Perpustakaan, cohort 2010) and linked it to this account."
            in told(response))


def test_no_claim_no_claim_message(db, client):
    client.cookies["django_language"] = "en"
    signup(client, "newcomer@example.org")
    response = client.post(confirmation_url(mail.outbox[0]))
    assert not AlumniProfile.objects.exists()
    assert not [m for m in told(response) if "record" in m]


def test_the_claim_message_is_made_in_the_persons_language_not_the_pages(prodi_x):
    profile = AlumniProfileFactory(user=None, study_program=prodi_x, entry_year=2010, graduation_date=None)
    with translation.override("en"):
        english = claim_message(profile)
    assert english == "We found your student record (S1 Ilmu Perpustakaan, cohort 2010) and linked it to this account."
    with translation.override("id"):
        assert "S1 Ilmu Perpustakaan" in claim_message(profile) and "2010" in claim_message(profile)


def test_the_login_message_speaks_the_saved_language_not_the_login_pages(db):
    UserFactory(email="eka@example.org", full_name="Eka Putra", language="en")
    client = client_for(None)  # a new browser: the login page is in Indonesian
    assert client.get(LOGIN).headers["Content-Language"] == "id"
    response = client.post(LOGIN, {"login": "eka@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert "Successfully signed in as Eka Putra." in told(response)
    assert client.get(reverse("dashboard")).headers["Content-Language"] == "en"


def test_an_indonesian_account_signing_in_from_an_english_page_is_told_in_indonesian(db):
    UserFactory(email="budi@example.org", full_name="Budi Santoso", language="id")
    client = client_for(None)
    client.cookies["django_language"] = "en"
    response = client.post(LOGIN, {"login": "budi@example.org", "password": PASSWORD})
    assert "Berhasil masuk sebagai Budi Santoso." in told(response)  # allauth's own Indonesian
