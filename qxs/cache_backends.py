"""A Redis cache that never takes the site down with it."""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

REDIS_FAILURES = (RedisConnectionError, RedisTimeoutError, OSError)


class ResilientRedisCache(RedisCache):
    """Django's ``RedisCache``, but an unreachable Redis is a cache miss, not an error.

    Django's backend raises on connection errors, so a stopped Redis would turn every cached page
    into a 500. Here reads miss, writes are dropped and the site serves from the database. After a
    failure Redis is left alone for ``retry_interval`` seconds (per process), so requests do not
    each wait for a connection timeout while it is down.

    A dropped write (a delete, or the page cache's generation bump) would leave a stale entry
    behind in Redis, so the first call that reaches Redis again after one clears it first.
    """

    retry_interval = 5.0
    writes = frozenset({"add", "set", "touch", "delete", "incr", "set_many", "delete_many"})

    def __init__(self, server, params):
        super().__init__(server, params)
        self._down_until = 0.0
        self._writes_lost = False

    def _call(self, method, fallback, *args, **kwargs):
        if time.monotonic() < self._down_until:
            self._writes_lost = self._writes_lost or method in self.writes
            return fallback
        try:
            if self._writes_lost:
                super().clear()
                self._writes_lost = False
                logger.warning("Redis is back: cleared it, writes made while it was down were lost")
            return getattr(super(), method)(*args, **kwargs)
        except REDIS_FAILURES as exc:
            self._writes_lost = self._writes_lost or method in self.writes
            self._down_until = time.monotonic() + self.retry_interval
            logger.warning(
                "Redis unavailable (%s), serving without the cache for %ss: %s",
                method,
                self.retry_interval,
                exc,
            )
            return fallback

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def incr(self, key, delta=1, version=None):
        missing = object()
        value = self._call("incr", missing, key, delta, version)
        if value is missing:
            # What Django's backends do for a key that is not there.
            raise ValueError(f"Key '{key}' not found (cache unavailable).")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def clear(self):
        return self._call("clear", False)
