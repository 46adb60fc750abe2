"""Login throttling cannot lock out a person or a whole campus (issue 11 §4): a browser that logged in before
keeps logging in with the right password however many wrong ones an attacker sends elsewhere; the client IP is
read from X-Forwarded-For only as far as ALLAUTH_TRUSTED_PROXY_COUNT trusts it."""

import pytest
from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from alumni.login_throttle import DEFAULT_COOKIE_NAME, read_device

from ..factories import PASSWORD

LOGIN = reverse("account_login")
EMAIL = "ani@example.org"  # alumnus_a


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()
    yield
    cache.clear()


def log_in(client: Client, password: str = PASSWORD, **extra) -> bool:
    response = client.post(LOGIN, {"login": EMAIL, "password": password}, **extra)
    return response.wsgi_request.user.is_authenticated


def attack(times: int, *, email: str = EMAIL, first_ip: int = 1) -> None:
    """Wrong passwords for `email` from `times` different addresses (a botnet: no per-IP limit is reached)."""
    for n in range(times):
        Client(REMOTE_ADDR=f"203.0.113.{first_ip + n}").post(LOGIN, {"login": email, "password": "wrong-guess"})


def test_a_browser_that_logged_in_before_still_logs_in_after_an_attack(alumnus_a):
    person = Client(REMOTE_ADDR="198.51.100.20")
    assert log_in(person)
    assert DEFAULT_COOKIE_NAME in person.cookies
    person.post(reverse("account_logout"))

    attack(12)

    # A new browser is refused even with the right password: the account's budget is used up...
    assert not log_in(Client(REMOTE_ADDR="198.51.100.21"))
    # ...but the person's own browser is not.
    assert log_in(person)


def test_a_trusted_browser_still_gets_only_a_few_guesses(alumnus_a, settings):
    person = Client(REMOTE_ADDR="198.51.100.20")
    assert log_in(person)
    person.post(reverse("account_logout"))
    budget = int(settings.ACCOUNT_RATE_LIMITS["login_failed_trusted_device"].split("/")[0])
    for _ in range(budget):
        assert not log_in(person, password="wrong-guess")
    # A stolen cookie is no licence to guess: the device has its own limit.
    assert not log_in(person)


def test_a_forged_or_foreign_cookie_gives_no_exemption(alumnus_a, alumnus_b):
    other = Client(REMOTE_ADDR="198.51.100.30")
    response = other.post(LOGIN, {"login": "bagus@example.org", "password": PASSWORD})
    assert response.wsgi_request.user == alumnus_b  # this browser is trusted for Bagus, not for Ani
    other.post(reverse("account_logout"))
    forged = Client(REMOTE_ADDR="198.51.100.31")
    forged.cookies[DEFAULT_COOKIE_NAME] = "eyJkIjoieCIsImEiOlsiYSJdfQ:forged:signature"

    attack(6)

    assert not log_in(other)
    assert not log_in(forged)


def test_the_cookie_names_nobody(alumnus_a):
    person = Client()
    assert log_in(person)
    raw = person.cookies[DEFAULT_COOKIE_NAME]
    assert raw["httponly"]
    request = RequestFactory().get("/", HTTP_COOKIE=f"{DEFAULT_COOKIE_NAME}={raw.value}")
    device = read_device(request)
    assert EMAIL not in str(device)
    assert len(device["a"]) == 1 and len(device["a"][0]) == 32 and device["a"][0] != str(alumnus_a.pk)


def client_ip(settings, count: int, **headers) -> str:
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = count
    return get_adapter().get_client_ip(RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", **headers))


def test_client_ip_comes_from_x_forwarded_for_only_as_far_as_the_setting_trusts(settings):
    spoofed = {"HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.7"}  # the client wrote 1.2.3.4; the proxy appended
    assert client_ip(settings, 0, **spoofed) == "10.0.0.2"  # no proxy declared: the header is ignored
    assert client_ip(settings, 1, **spoofed) == "198.51.100.7"  # one proxy: its entry, not the client's own
    assert client_ip(settings, 2, **spoofed) == "1.2.3.4"
    assert client_ip(settings, 1) == "10.0.0.2"  # no header: the connection's address


def test_behind_the_proxy_one_noisy_client_does_not_lock_out_the_campus(alumnus_a, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/m/ip,5/5m/key"}
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    noisy = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.66")
    for n in range(5):
        noisy.post(LOGIN, {"login": f"nobody{n}@example.org", "password": "wrong-guess"})
    # Every request reaches the portal from the proxy (10.0.0.2); the IP that counts is the client's.
    assert log_in(Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.67"))
    assert not log_in(noisy)
