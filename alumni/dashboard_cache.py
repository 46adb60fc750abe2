"""A member's dashboard, rendered once and kept in the cache (core.fragments) until something it shows changes.

Everyone who runs no study program (members, pending people, students, staff-less accounts) has a dashboard
made only of their own things: their record and job, their verification request, the classmates waiting for
their vouch, their privacy choices, and the cards of the apps above (team invitations, sessions, instalments
due). It is stored per person and language under the generations of that data: PEOPLE (records, jobs,
accounts), ROLES, PERSONAL (consents and vouches: moved by the receivers in AlumniConfig.ready() and by the
services that write them with update()) and the generations each card registered
(alumni.extensions.register_dashboard_card). Any change moves a generation, and the next request builds the page
anew; DASHBOARD_SECONDS bounds what only time changes (a session that ended a minute ago).

Staff dashboards (counts of work waiting, the activity list, charts) are rendered on every request.

The body holds no CSRF token of its own: its forms carry a placeholder that each request replaces with a token
for the person's current CSRF secret, so a page cached before a new login still posts.
"""

from __future__ import annotations

from collections.abc import Callable

from django.middleware.csrf import get_token
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core import fragments

from .extensions import DASHBOARD_GENERATIONS
from .scope import PEOPLE, ROLES

# Consents and vouches: what (besides records, jobs and accounts) only the dashboard of one person shows.
PERSONAL = "alumni:personal"
DASHBOARD_SECONDS = 60
# What `{% csrf_token %}` renders into a cached body instead of a token (alphanumeric, never a real token).
CSRF_PLACEHOLDER = "csrfplaceholder0dashboard0body0000000000000000000000000000000000"


def personal_changed(sender=None, **_kwargs) -> None:
    """post_save / post_delete receiver of Consent and Vouch; services that write them with update() call it."""
    fragments.forget(PERSONAL)


def cacheable(scope) -> bool:
    """Whose dashboard is made only of their own things (no staff or admin card)."""
    return not (scope.is_staff or scope.is_admin)


def dashboard_body(request, build: Callable[[str], str]) -> SafeString:
    """The dashboard's content for request.user: from the cache, or `build(csrf_token)` stored for the next
    request. `build` renders the content with the given string as the CSRF token."""
    key = f"alumni:dashboard:{request.user.pk}:{get_language()}"
    html, generations = fragments.fetch(key, [PEOPLE, ROLES, PERSONAL, *DASHBOARD_GENERATIONS])
    if html is None:
        html = build(CSRF_PLACEHOLDER)
        fragments.store(key, generations, html, DASHBOARD_SECONDS)
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    # Our own template's output, escaped where it renders data.
    return mark_safe(html)  # noqa: S308
