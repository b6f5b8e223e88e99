"""Redis down: the site keeps serving from the database (qxs.cache_backends.ResilientRedisCache)."""

import time
import uuid

import pytest
import redis
from django.core.cache import cache, caches
from django.test import Client, override_settings

from tests.factories import ArticleFactory

from .servers import TcpProxy
from .test_database_down import PUBLIC_URLS


def redis_cache(location, prefix="qxs-test"):
    return {
        "default": {
            "BACKEND": "qxs.cache_backends.ResilientRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


CLOSED_PORT = "redis://127.0.0.1:6390/0"


@pytest.fixture
def redis_down():
    with override_settings(CACHES=redis_cache(CLOSED_PORT)):
        yield cache


@pytest.fixture
def redis_up():
    """The machine's Redis, under a key prefix of this test's own (nothing is flushed there:
    others use that Redis); its keys expire within a minute."""
    location = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(location, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = f"qxs-test-{uuid.uuid4().hex}"
    with override_settings(CACHES=redis_cache(location, prefix)):
        yield cache


def test_an_unreachable_redis_is_a_miss_and_writes_are_dropped(redis_down):
    """Every cache operation answers as for an empty cache instead of raising."""
    assert redis_down.get("key") is None
    assert redis_down.get("key", "default") == "default"
    redis_down.set("key", "value")
    assert redis_down.add("key", "value") is False
    assert redis_down.get_or_set("key", "computed") == "computed"
    assert redis_down.get_many(["a", "b"]) == {}
    assert redis_down.set_many({"a": 1}) == ["a"]
    assert redis_down.delete("key") is False
    assert redis_down.has_key("key") is False
    assert redis_down.touch("key") is False
    redis_down.delete_many(["a"])
    redis_down.clear()
    with pytest.raises(ValueError):
        redis_down.incr("counter")


def test_after_a_failure_redis_is_left_alone_for_a_few_seconds(redis_down, monkeypatch):
    """Requests do not each pay a connection attempt while Redis is down."""
    redis_down.get("key")
    attempts = []
    monkeypatch.setattr(
        "django.core.cache.backends.redis.RedisCache.get",
        lambda *args, **kwargs: attempts.append(args),
    )
    started = time.monotonic()
    for _ in range(100):
        assert redis_down.get("key") is None
    assert attempts == []
    assert time.monotonic() - started < 0.5


@pytest.mark.django_db
def test_public_pages_are_served_from_the_database_while_redis_is_down(redis_down):
    """Pages answer 200 with their content; /healthz names the cache as the failing part."""
    article = ArticleFactory(title="缓存停了也能看到的新闻")
    client = Client()
    for url in [*PUBLIC_URLS, article.get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 200, url
    assert "缓存停了也能看到的新闻" in client.get(article.get_absolute_url()).content.decode()
    health = client.get("/healthz")
    assert health.json() == {"database": "ok", "cache": "error"}


def test_a_reachable_redis_is_used_normally(redis_up):
    """The wrapper changes nothing while Redis answers."""
    redis_up.set("key", {"a": 1}, 60)
    assert redis_up.get("key") == {"a": 1}
    assert redis_up.add("n", 1, 60) is True
    assert redis_up.incr("n") == 2
    assert redis_up.get("n") == 2


def test_writes_lost_while_redis_was_down_do_not_leave_stale_entries(redis_up):
    """A delete or a set dropped during an outage would leave the old value in Redis; the first
    call after Redis answers again deletes those keys, so no old value is ever served. Nothing
    else is touched: Redis is never flushed."""
    proxy = TcpProxy("127.0.0.1", 6379)
    proxy.up()
    prefix = f"qxs-test-{uuid.uuid4().hex}"
    try:
        location = f"redis://127.0.0.1:{proxy.port}/15"
        with override_settings(CACHES=redis_cache(location, prefix)):
            caches["default"].retry_interval = 0.0  # try again at once, not after 5 s
            cache.set("page", "old version", 60)
            cache.set("identity", "old name", 60)
            cache.set("untouched", "still here", 60)
            proxy.down()
            cache.delete("page")  # dropped: Redis is unreachable
            cache.set("identity", "new name", 60)  # dropped too
            assert cache.get("page") is None
            proxy.up()
            assert cache.get("page") is None
            assert cache.get("identity") is None
            assert cache.get("untouched") == "still here"
            cache.set("page", "new version", 60)
            assert cache.get("page") == "new version"
    finally:
        proxy.down()
