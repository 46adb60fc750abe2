"""The import's email check (issue 13): plain addresses skip Django's validate_email, so the widget must accept and
refuse exactly what validate_email does, with the same message."""

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation

from alumni.importing.resource import PLAIN_EMAIL_RE, EmailWidget

ADDRESSES = [
    # plain: the fast path
    "siti@example.org", "Siti.Aminah+alumni@mail.ugm.ac.id", "a_b%c-d@x-y.co", "a@b.cd", "1@2.xn",
    # not plain: validate_email decides
    ".siti@example.org", "siti.@example.org", "si..ti@example.org", "siti@-example.org", "siti@example-.org",
    "siti@example.o", "siti@example.org-", "siti@example", "siti@localhost", "siti@[127.0.0.1]", "siti@[999.1.1.1]",
    "si ti@example.org", "siti@@example.org", "a@b@example.org", '"siti aminah"@example.org', "o'brien@example.org",
    "siti@exämple.org", "sïti@example.org", "siti@example.xn--p1ai", "siti@123.example.4g", "siti@example.org.",
    "siti@" + "a" * 64 + ".org", "siti@" + "a" * 63 + ".org", "siti@example." + "a" * 64, "@example.org", "siti@",
]


def django_says(address: str) -> bool:
    try:
        validate_email(address)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("address", ADDRESSES)
def test_the_widget_answers_as_validate_email(address):
    widget = EmailWidget()
    try:
        with translation.override("en"):
            accepted = widget.clean(address) == address
        message = ""
    except ValueError as exc:
        accepted, message = False, str(exc)
    assert accepted == django_says(address)
    if not accepted:
        assert message == f"“{address}” is not a valid email address."


def test_every_plain_address_is_one_validate_email_accepts():
    plain = [address for address in ADDRESSES if PLAIN_EMAIL_RE.fullmatch(address)]
    assert len(plain) == 6
    assert all(django_says(address) for address in plain)
