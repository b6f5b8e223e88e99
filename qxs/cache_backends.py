"""A Redis cache that never takes the site down with it, with one client per process."""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

REDIS_FAILURES = (RedisConnectionError, RedisTimeoutError, OSError)


class SharedClientRedisCacheClient(RedisCacheClient):
    """Django's client, but one ``redis.Redis`` object per server instead of one per call.

    Django builds a new ``redis.Redis`` for every cache call (six per request were measured);
    building it costs about as much as the round trip. A ``redis.Redis`` is thread-safe (it takes
    a connection from its pool for each command), so one per server is kept.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(
                    self._servers[index], **self._pool_options
                )
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class ResilientRedisCache(RedisCache):
    """Django's ``RedisCache``, but an unreachable Redis is a cache miss, not an error.

    Django's backend raises on connection errors, so a stopped Redis would turn every cached page
    into a 500. Here reads miss, writes are dropped and the site serves from the database. After a
    failure Redis is left alone for ``retry_interval`` seconds (per process), so requests do not
    each wait for a connection timeout while it is down.

    A write dropped meanwhile (a ``set`` replacing a value, a ``delete``, an ``incr``) may leave an
    old value in Redis. The keys of those writes are remembered (up to ``max_lost_keys``) and
    deleted when Redis answers again, so the next read misses and computes afresh. Nothing else
    is touched: Redis is never flushed. The content generation has its own rule on top of this
    (``qxs.cache``): a process that could not read it starts a new one when Redis is back.
    """

    retry_interval = 5.0
    max_lost_keys = 10_000
    writes = frozenset({"add", "set", "touch", "delete", "incr", "set_many", "delete_many"})

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
        self._down_until = 0.0
        self._lost_keys = set()
        self._lock = threading.Lock()

    def _remember_lost(self, method, keys):
        if method not in self.writes:
            return
        with self._lock:
            room = self.max_lost_keys - len(self._lost_keys)
            if len(keys) > room:
                logger.error("Redis unavailable: too many lost writes, %s not remembered", keys)
            self._lost_keys.update(list(keys)[: max(0, room)])

    def _forget_lost_writes(self):
        """Delete the keys whose writes were lost while Redis was away (raises if it is still)."""
        with self._lock:
            keys, self._lost_keys = self._lost_keys, set()
        if not keys:
            return
        try:
            self._cache.delete_many(list(keys))
        except REDIS_FAILURES:
            with self._lock:
                self._lost_keys.update(keys)
            raise
        logger.warning("Redis is back: deleted %d keys whose writes were lost", len(keys))

    def _call(self, method, fallback, keys, *args, **kwargs):
        """Run ``method``; ``keys`` are the raw keys it writes (for remembering lost writes)."""
        if time.monotonic() < self._down_until:
            self._remember_lost(method, [self.make_and_validate_key(k) for k in keys])
            return fallback
        try:
            if self._lost_keys:
                self._forget_lost_writes()
            return getattr(super(), method)(*args, **kwargs)
        except REDIS_FAILURES as exc:
            self._remember_lost(method, [self.make_and_validate_key(k) for k in keys])
            self._down_until = time.monotonic() + self.retry_interval
            logger.warning(
                "Redis unavailable (%s), serving without the cache for %ss: %s",
                method,
                self.retry_interval,
                exc,
            )
            return fallback

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, [key], key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", default, (), key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, [key], key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, [key], key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, [key], key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, (), keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, (), key, version)

    def incr(self, key, delta=1, version=None):
        missing = object()
        value = self._call("incr", missing, [key], key, delta, version)
        if value is missing:
            # What Django's backends do for a key that is not there.
            raise ValueError(f"Key '{key}' not found (cache unavailable).")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        keys = list(keys)
        return self._call("delete_many", None, keys, keys, version)

    def clear(self):
        return self._call("clear", False, ())
