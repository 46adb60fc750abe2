"""Where the careers emails point: the URL names of the other parts of the app, with a fallback while a part's
pages are not wired yet (the email still goes out and points at the careers list or the dashboard)."""

from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, reverse


def first_url(*candidates: tuple[str, list], fallback: str = "dashboard") -> str:
    """The first of (url name, args) that reverses, else `fallback`."""
    for name, args in candidates:
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return reverse(fallback)


def post_url(post) -> str:
    return first_url(("careers:post_detail", [post.pk]), ("careers:post_list", []))


def post_edit_url(post) -> str:
    """Where the poster edits or extends a post: its edit page, else its page."""
    return first_url(("careers:post_edit", [post.pk]), ("careers:post_detail", [post.pk]), ("careers:post_list", []))


def post_list_url() -> str:
    return first_url(("careers:post_list", []))


def alerts_url() -> str:
    return first_url(("careers:alerts", []))


def absolute(path: str) -> str:
    """A link inside an email body (core makes only the notification's own `link` absolute)."""
    return f"{settings.SITE_URL}{path}" if path.startswith("/") else path
