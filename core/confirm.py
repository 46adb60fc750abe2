"""Irreversible actions ask first, on the server: a GET shows what will happen (counts, the number to be issued, who
is emailed) with a form that POSTs `confirm=1`; a POST without it shows the same summary again and changes nothing.
It works without JavaScript, in tests, and against a stale page or a double submit that lost its flag."""

from __future__ import annotations

from django.http import HttpRequest

CONFIRM_FIELD = "confirm"
CONFIRM_VALUE = "1"


def is_confirmed(request: HttpRequest) -> bool:
    """True for a POST that carries the confirmation flag (the hidden field of a confirmation page's form)."""
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == CONFIRM_VALUE
