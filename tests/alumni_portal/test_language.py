"""The UI language (issue 14 §6): Bahasa Indonesia until the person picks another, whatever the browser asks for;
LANGUAGE_FOLLOWS_BROWSER lets an institution follow the browser instead. The switcher (its cookie) and a signed-in
person's saved language win in both cases."""

import pytest
from django.core import mail
from django.urls import reverse

from alumni.models import User
from tests.conftest import client_for
from tests.factories import PASSWORD

LOGIN = reverse("account_login")
ENGLISH_BROWSER = "en-US,en;q=0.9"
INDONESIAN_BROWSER = "id-ID,id;q=0.9,en;q=0.5"


def language_of(response) -> str:
    """The language a page was rendered in: its Content-Language, held to <html lang> and to a translated word."""
    html = response.content.decode()
    language = response["Content-Language"]
    assert f'<html lang="{language}">' in html
    assert ("Masuk" if language == "id" else "Sign In") in html
    return language


def test_an_english_browser_gets_bahasa_indonesia_by_default(db, settings):
    assert settings.LANGUAGE_FOLLOWS_BROWSER is False  # the shipped default
    response = client_for(None).get(LOGIN, HTTP_ACCEPT_LANGUAGE=ENGLISH_BROWSER)
    assert response.status_code == 200
    assert language_of(response) == "id"
    # The page is the same whatever the browser asks, so caches need not keep one copy per browser language.
    assert "accept-language" not in response.get("Vary", "").lower()


def test_with_language_follows_browser_an_english_browser_gets_english(db, settings):
    settings.LANGUAGE_FOLLOWS_BROWSER = True
    client = client_for(None)
    assert language_of(client.get(LOGIN, HTTP_ACCEPT_LANGUAGE=ENGLISH_BROWSER)) == "en"
    response = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE=INDONESIAN_BROWSER)
    assert language_of(response) == "id"
    assert "accept-language" in response["Vary"].lower()
    # A browser asking only for languages the portal does not speak gets the site's.
    assert language_of(client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="fr-FR,de;q=0.8")) == "id"


@pytest.mark.parametrize("follows_browser", [False, True])
def test_the_language_picked_in_the_switcher_wins_over_the_browser(db, settings, follows_browser):
    settings.LANGUAGE_FOLLOWS_BROWSER = follows_browser
    client = client_for(None)
    switched = client.post(reverse("set_language"), {"language": "en", "next": LOGIN},
                           HTTP_ACCEPT_LANGUAGE=INDONESIAN_BROWSER)
    assert switched.status_code == 302
    assert client.cookies["django_language"].value == "en"
    assert language_of(client.get(LOGIN, HTTP_ACCEPT_LANGUAGE=INDONESIAN_BROWSER)) == "en"
    client.post(reverse("set_language"), {"language": "id", "next": LOGIN}, HTTP_ACCEPT_LANGUAGE=ENGLISH_BROWSER)
    assert language_of(client.get(LOGIN, HTTP_ACCEPT_LANGUAGE=ENGLISH_BROWSER)) == "id"


@pytest.mark.parametrize("cookie", ["fr", "xx-invalid", ""])
def test_a_cookie_for_a_language_the_portal_does_not_speak_gives_the_site_language(db, cookie):
    client = client_for(None)
    client.cookies["django_language"] = cookie
    assert language_of(client.get(LOGIN, HTTP_ACCEPT_LANGUAGE=ENGLISH_BROWSER)) == "id"


@pytest.mark.parametrize("follows_browser", [False, True])
def test_a_signed_in_persons_saved_language_wins_over_browser_and_cookie(alumnus_a, settings, follows_browser):
    settings.LANGUAGE_FOLLOWS_BROWSER = follows_browser
    alumnus_a.language = "en"
    alumnus_a.save(update_fields=["language"])
    client = client_for(alumnus_a)
    client.cookies["django_language"] = "id"
    response = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE=INDONESIAN_BROWSER)
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()


def test_signing_up_from_an_english_browser_keeps_the_account_in_bahasa_indonesia(db):
    response = client_for(None).post(
        reverse("account_signup"),
        {"full_name": "Rina Wulandari", "email": "rina@example.org", "password1": PASSWORD, "password2": PASSWORD},
        HTTP_ACCEPT_LANGUAGE=ENGLISH_BROWSER,
    )
    assert response.status_code == 302
    assert User.objects.get(email="rina@example.org").language == "id"
    assert [m.subject for m in mail.outbox] == ["[Portal Alumni] Mohon Konfirmasi Alamat E-mail Anda"]


def test_signing_up_after_picking_english_saves_english(db):
    client = client_for(None)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.post(
        reverse("account_signup"),
        {"full_name": "Rina Wulandari", "email": "rina@example.org", "password1": PASSWORD, "password2": PASSWORD},
        HTTP_ACCEPT_LANGUAGE=INDONESIAN_BROWSER,
    )
    assert User.objects.get(email="rina@example.org").language == "en"
    assert [m.subject for m in mail.outbox] == ["[Portal Alumni] Please Confirm Your Email Address"]
