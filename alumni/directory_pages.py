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
import time
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

from .selectors import visibility_class

PAGE_SECONDS = 60
GENERATION_KEY = "alumni:directory:generation"


def forget_directory_pages() -> None:
    """No cached directory page is served again: from now, and again after the current transaction commits (a page
    rendered in between from the data before the commit is not served either)."""
    cache.set(GENERATION_KEY, time.time_ns(), None)
    transaction.on_commit(lambda: cache.set(GENERATION_KEY, time.time_ns(), None))


def record_changed(sender, update_fields=None, **_kwargs) -> None:
    """post_save / post_delete receiver of AlumniProfile, Employment and User. A login (which saves last_login
    only) changes nothing the directory shows."""
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    forget_directory_pages()


def _generation(got: dict):
    generation = got.get(GENERATION_KEY)
    if generation is None:
        # Never set, or evicted: start one, so fragments stored before the eviction do not match again.
        generation = time.time_ns()
        if not cache.add(GENERATION_KEY, generation, None):
            generation = cache.get(GENERATION_KEY, generation)
    return generation


def directory_results(*, scope, querystring: str, page: str | None, own_extra: int,
                      render: Callable[[], tuple[str, Iterable[int | None]]]) -> str:
    """The cards' HTML for this viewer. `render()` gives the HTML and the account ids of the records on the page;
    it runs on a miss and whenever the fragment may not be shared with this viewer."""
    if own_extra or not (scope.is_superuser or scope.is_member or scope.staff_program_ids):
        return render()[0]
    wanted = f"{visibility_class(scope)}\x1e{querystring}\x1e{page}\x1e{get_language()}"
    key = f"alumni:directory:page:{hashlib.sha256(wanted.encode()).hexdigest()[:32]}"
    got = cache.get_many([GENERATION_KEY, key])
    generation = _generation(got)
    entry = got.get(key)
    if entry is not None and entry[0] == generation and scope.user_id not in entry[1]:
        return entry[2]
    html, user_ids = render()
    cache.set(key, (generation, frozenset(user_ids), html), PAGE_SECONDS)
    return html
