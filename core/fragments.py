"""Parts of pages that many people see alike, kept in the cache until the data behind them changes.

A fragment is stored under a key the caller builds (everything the fragment depends on: what it shows, for whom,
the language) together with the *generations* of the data it was built from. A generation is a token in the
cache that the code changing that data moves (`forget(name)`: a post_save / post_delete receiver, or a service
that writes with `update()`); a fragment whose generations moved since it was built is built anew. So a change
shows on the next request, and the time limit (`seconds`) only bounds what a write that forgot to move the
generation could leave behind.

`forget` moves the generation at once and again after the current transaction commits: a fragment built in
between from the data as it was before the commit is not served either.

Reading costs one cache round trip (`get_many` of the fragment and its generations). With the cache down
(core.cache.ResilientRedisCache answers misses) every request builds its own fragment.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.db import transaction

PREFIX = "fragment:generation:"


def _generation_key(name: str) -> str:
    return f"{PREFIX}{name}"


def forget(name: str) -> None:
    """Every fragment built from the data `name` is stale, now and after the current transaction commits."""
    cache.set(_generation_key(name), time.time_ns(), None)
    transaction.on_commit(lambda: cache.set(_generation_key(name), time.time_ns(), None))


def generation_of(name: str):
    """The current generation token of `name` (mostly for tests)."""
    return cache.get(_generation_key(name))


def fetch(key: str, generations: Iterable[str]) -> tuple[Any | None, tuple]:
    """(the stored value, or None when missing or stale; the generations it must be stored with)."""
    found, current = fetch_many([key], generations)
    return found.get(key), current


def fetch_many(keys: Iterable[str], generations: Iterable[str]) -> tuple[dict[str, Any], tuple]:
    """({key: stored value} of the keys stored under the current generations; those generations)."""
    keys, names = list(keys), list(generations)
    generation_keys = [_generation_key(name) for name in names]
    got = cache.get_many([*generation_keys, *keys])
    current = []
    for generation_key in generation_keys:
        token = got.get(generation_key)
        if token is None:
            # Never set, or evicted: start one, so a fragment stored before the eviction does not match again.
            token = time.time_ns()
            if not cache.add(generation_key, token, None):
                token = cache.get(generation_key, token)
        current.append(token)
    current = tuple(current)
    return {key: got[key][1] for key in keys if key in got and got[key][0] == current}, current


def store(key: str, generations: tuple, value: Any, seconds: int) -> None:
    cache.set(key, (generations, value), seconds)


def store_many(values: dict[str, Any], generations: tuple, seconds: int) -> None:
    cache.set_many({key: (generations, value) for key, value in values.items()}, seconds)


def get_or_build(key: str, generations: Iterable[str], build: Callable[[], Any], seconds: int) -> Any:
    """The value stored under `key` for the current generations, or build() stored under them."""
    value, current = fetch(key, generations)
    if value is None:
        value = build()
        store(key, current, value, seconds)
    return value
