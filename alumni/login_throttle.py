"""Login throttling that cannot lock a person out (issue 11 §4).

allauth limits failed logins per account ("login_failed": N per 5 minutes per address) and per client IP. Alone,
the per-account limit lets anyone lock a graduate out by typing her address with wrong passwords from anywhere,
and the per-IP limit, behind a proxy that is not declared, is one bucket for the whole campus.

So:

- the client IP is the one allauth reads from X-Forwarded-For, as far as ALLAUTH_TRUSTED_PROXY_COUNT (allauth's
  own setting, from the environment, see README "Configuration") trusts the proxies in front of the portal;
- a browser that has logged in to an account before carries a signed "trusted device" cookie (set at every
  successful login, `remember_device`). For that account, such a browser is not counted in the account's or the
  IP's failed-login buckets but in its own (`login_failed_trusted_device`, per device and account): an attacker
  elsewhere can use up the account's budget, yet the person's own browser still logs in with the right password,
  and someone who stole the cookie still gets only a few guesses.

The cookie names no one: it holds a random device id and, for up to MAX_ACCOUNTS accounts, a keyed hash of the
account's id, signed with SECRET_KEY so it cannot be forged or extended.
"""

from __future__ import annotations

import secrets

from allauth.account.utils import filter_users_by_email
from allauth.core.internal import ratelimit
from django.conf import settings
from django.core import signing
from django.utils.crypto import salted_hmac

SALT = "alumni.login_throttle.trusted_device"
MAX_ACCOUNTS = 5
DEFAULT_COOKIE_NAME = "portal_trusted_device"
DEFAULT_COOKIE_AGE = 365 * 24 * 3600
TRUSTED_ACTION = "login_failed_trusted_device"


def cookie_name() -> str:
    return getattr(settings, "TRUSTED_DEVICE_COOKIE_NAME", DEFAULT_COOKIE_NAME)


def cookie_age() -> int:
    return int(getattr(settings, "TRUSTED_DEVICE_COOKIE_AGE", DEFAULT_COOKIE_AGE))


def account_tag(user_pk) -> str:
    """A keyed hash of an account's id: the cookie never carries the id itself."""
    return salted_hmac(SALT, str(user_pk)).hexdigest()[:32]


def read_device(request) -> dict | None:
    """{"d": device id, "a": [account tags]} from a valid cookie, else None (missing, forged or expired)."""
    raw = request.COOKIES.get(cookie_name())
    if not raw:
        return None
    try:
        data = signing.loads(raw, salt=SALT, max_age=cookie_age())
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("d"), str) or not isinstance(data.get("a"), list):
        return None
    return data


def trusted_device_key(request, credentials: dict) -> str | None:
    """The rate-limit key of this browser for the account named in `credentials`, if the browser logged in to
    that account before; else None (then allauth's own per-account and per-IP limits apply)."""
    device = read_device(request)
    email = (credentials.get("email") or "").strip()
    if device is None or not email:
        return None
    tags = set(device["a"])
    for user in filter_users_by_email(email, prefer_verified=True):
        tag = account_tag(user.pk)
        if tag in tags:
            return f"{device['d']}:{tag}"
    return None


def remember_device(request, response, user) -> None:
    """After a successful login: mark this browser as one that logged in to `user` (most recent first)."""
    device = read_device(request) or {"d": secrets.token_urlsafe(16), "a": []}
    tag = account_tag(user.pk)
    accounts = [tag, *[t for t in device["a"] if t != tag]][:MAX_ACCOUNTS]
    value = signing.dumps({"d": device["d"], "a": accounts}, salt=SALT, compress=True)
    response.set_cookie(
        cookie_name(), value, max_age=cookie_age(), httponly=True, samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


class TrustedDeviceAdapterMixin:
    """For the account adapter: allauth's failed-login limits, except for a browser trusted for that account."""

    def pre_authenticate(self, request, **credentials):
        key = trusted_device_key(request, credentials)
        if key is None:
            return super().pre_authenticate(request, **credentials)
        # The same contract as allauth's own: the usage is rolled back when the password turns out right.
        self._login_failed_rl_usage = ratelimit.consume(
            request, app="allauth.account", action=TRUSTED_ACTION, key=key
        )
        if not self._login_failed_rl_usage:
            raise self.validation_error("too_many_login_attempts")
        return None

    def post_login(self, request, user, **kwargs):
        response = super().post_login(request, user, **kwargs)
        if hasattr(response, "set_cookie"):
            remember_device(request, response, user)
        return response
