"""A Redis cache that an outage degrades instead of breaking (issue 13).

Django's RedisCache lets every redis error through, so while Redis restarts every request that reads the cache
answers 500: the login's rate limits (allauth's and alumni/login_throttle.py's), import progress, cached counters.
`ResilientRedisCache` catches the errors of an unreachable or stalled server (connection refused or reset,
socket timeouts, a server still loading its data) and answers as an empty cache would:

- reads are misses: `get` returns the default, `get_many` {}, `has_key` False;
- writes are skipped: `set`, `set_many`, `delete`, `delete_many`, `touch`, `clear` do nothing;
- `add` answers True, as if the key was free: allauth's rate limit takes a lock with `cache.add` and counts a
  request as refused when it cannot get the lock, so this makes rate limits *fail open* (the request is allowed,
  nothing is counted) rather than shut everyone out;
- `incr`/`decr` answer `delta`, as if the counter had just been created.

Every skipped operation logs a warning (logger `core.cache`) naming the operation and the key. After an error the
backend does not touch Redis again for `DOWN_SECONDS` (OPTIONS, default 2 s), so a server that hangs costs one
socket timeout per process, not one per cache call; then it tries again and logs when Redis answers.

Errors that mean a bug (a wrong type in Redis, a value that does not pickle) still raise.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# BusyLoadingError (a restarted server still reading its dump) is a ConnectionError.
OUTAGE_ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)
DEFAULT_DOWN_SECONDS = 2.0


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's client builds a new `redis.Redis` for every cache call, which copies redis-py's table of ~170
    response callbacks each time (about a tenth of a millisecond per call, several calls per page). A `redis.Redis`
    is safe to share between threads (its connections come from the pool), so keep one per pool."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self.down_seconds = float(options.pop("DOWN_SECONDS", DEFAULT_DOWN_SECONDS))
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self._down_until = 0.0
        self._down = False

    # --- the guard ---------------------------------------------------------------------------------
    def _call(self, op: str, key, answer, func, /, *args, **kwargs):
        """func(*args) unless Redis is known to be down or fails now; then `answer`, with a warning."""
        if self._down and time.monotonic() < self._down_until:
            logger.warning("Cache unavailable (Redis down): %s %s skipped, answered %r", op, key, answer)
            return answer
        try:
            result = func(*args, **kwargs)
        except OUTAGE_ERRORS as exc:
            self._down = True
            self._down_until = time.monotonic() + self.down_seconds
            logger.warning(
                "Cache unavailable (%s: %s): %s %s skipped, answered %r; not retried for %.1f s",
                type(exc).__name__, exc, op, key, answer, self.down_seconds,
            )
            return answer
        if self._down:
            self._down = False
            logger.warning("Cache available again (Redis answers)")
        return result

    # --- reads: a miss ------------------------------------------------------------------------------
    def get(self, key, default=None, version=None):
        return self._call("get", key, default, super().get, key, default=default, version=version)

    def get_many(self, keys, version=None):
        return self._call("get_many", list(keys), {}, super().get_many, keys, version=version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, False, super().has_key, key, version=version)

    # --- writes: skipped ----------------------------------------------------------------------------
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, None, super().set, key, value, timeout=timeout, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # Django's contract: the keys that failed to be set. None of them reached Redis.
        return self._call(
            "set_many", list(data), list(data), super().set_many, data, timeout=timeout, version=version
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, False, super().touch, key, timeout=timeout, version=version)

    def delete(self, key, version=None):
        return self._call("delete", key, False, super().delete, key, version=version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", list(keys), None, super().delete_many, keys, version=version)

    def clear(self):
        return self._call("clear", "*", False, super().clear)

    # --- add and counters: fail open ----------------------------------------------------------------
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, True, super().add, key, value, timeout=timeout, version=version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, super().incr, key, delta=delta, version=version)

    # BaseCache.decr calls self.incr(key, -delta): guarded above. get_or_set, the async methods and
    # incr_version/decr_version go through the methods above as well.
