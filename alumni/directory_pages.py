"""The directory's result cards, rendered once per visibility class, filters, page and language and shared by
everyone of that class for up to PAGE_SECONDS.

Rendering twenty cards (permission checks per part, links, the current job) cost more than all of the page's
queries together. Every viewer of one visibility class (alumni.selectors.visibility_class: superuser; member or
not, and staff of which study programs) sees exactly the same records and parts of them, except for their own
record, which they see whatever its settings. So:

- the fragment is never shared across classes (the class is part of the key);
- a viewer whose own record adds to what the class finds (their own record is not listed) gets the cards rendered
  for them alone, and so does a viewer whose own record is on a cached page (it is rendered as the class sees it);
- any change to a record, a job or an account (post_save / post_delete of AlumniProfile, Employment, User, and the
  import after its commit) moves the directory's generation, after the commit, and every fragment of an older
  generation is rendered anew. A visibility setting switched to private takes effect on the next request.

With the cache down (core.cache.ResilientRedisCache) every request renders its own cards.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

from django.utils.translation import get_language

from core import fragments

from .selectors import PEOPLE, visibility_class

PAGE_SECONDS = 60


def forget_directory_pages() -> None:
    """No cached directory page is served again (now, and after the current transaction commits)."""
    fragments.forget(PEOPLE)


def record_changed(sender, update_fields=None, **_kwargs) -> None:
    """post_save / post_delete receiver of AlumniProfile, Employment and User. A login (which saves last_login
    only) changes nothing the directory shows."""
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    forget_directory_pages()


def directory_results(*, scope, querystring: str, page: str | None, own_extra: int,
                      render: Callable[[], tuple[str, Iterable[int | None]]]) -> str:
    """The cards' HTML for this viewer. `render()` gives the HTML and the account ids of the records on the page;
    it runs on a miss and whenever the fragment may not be shared with this viewer."""
    if own_extra or not (scope.is_superuser or scope.is_member or scope.staff_program_ids):
        return render()[0]
    wanted = f"{visibility_class(scope)}\x1e{querystring}\x1e{page}\x1e{get_language()}"
    key = f"alumni:directory:page:{hashlib.sha256(wanted.encode()).hexdigest()[:32]}"
    entry, generations = fragments.fetch(key, [PEOPLE])
    if entry is not None and scope.user_id not in entry[0]:
        return entry[1]
    html, user_ids = render()
    fragments.store(key, generations, (frozenset(user_ids), html), PAGE_SECONDS)
    return html
