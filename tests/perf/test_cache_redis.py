"""The app's cache on Redis, as in production: the generation is shared by every process, one
Redis client serves the process, and an outage never serves stale pages nor flushes Redis."""

import shutil
import socket
import subprocess
import time

import pytest
import redis
from django.core.cache import cache, caches

from qxs import cache as page_cache
from tests.factories import ArticleFactory
from tests.reliability.servers import TcpProxy, free_port

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server"),
]


@pytest.fixture(scope="module")
def redis_server():
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(50):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    yield port
    process.terminate()
    process.wait(timeout=10)


def redis_settings(port):
    return {
        "default": {
            "BACKEND": "qxs.cache_backends.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "KEY_PREFIX": "qxs-test",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


@pytest.fixture
def redis_cache(redis_server, settings):
    settings.CACHES = redis_settings(redis_server)
    redis.Redis(port=redis_server).flushdb()  # this test's own server
    yield redis_server


def test_hits_and_invalidation_on_redis(client, redis_cache):
    """Pages are stored in Redis; an edit moves the shared generation and the page follows."""
    article = ArticleFactory(title="Redis 缓存前")
    assert client.get("/news/")["X-Cache"] == "miss"
    assert client.get("/news/")["X-Cache"] == "hit"
    article.title = "Redis 缓存后"
    article.save()
    response = client.get("/news/")
    assert response["X-Cache"] == "miss"
    assert "Redis 缓存后" in response.content.decode()


def test_a_bump_by_another_process_is_seen_at_once(client, redis_cache):
    ArticleFactory()
    client.get("/news/")
    assert client.get("/news/")["X-Cache"] == "hit"
    redis.Redis(port=redis_cache).incr(f"qxs-test:1:{page_cache.GENERATION_KEY}")
    assert client.get("/news/")["X-Cache"] == "miss"


def test_one_redis_client_serves_the_process(client, redis_cache, monkeypatch):
    """Django's RedisCache builds a redis.Redis per call (six per request were measured);
    here the first call builds one and every later request reuses it."""
    ArticleFactory()
    client.get("/news/")  # the backend and its client exist from here on
    built = []
    original = redis.Redis.__init__

    def counting(self, *args, **kwargs):
        built.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", counting)
    for url in ("/news/", "/news/", "/", "/pairs/"):
        assert client.get(url).status_code == 200
    assert built == []


def test_after_an_outage_no_stale_page_is_served_and_nothing_is_flushed(
    client, redis_cache, settings
):
    """A bump lost while Redis was away cannot bring an old page back: the first process to
    read Redis again starts a new generation. Other keys in Redis are left alone."""
    proxy = TcpProxy("127.0.0.1", redis_cache)
    proxy.up()
    try:
        settings.CACHES = redis_settings(proxy.port)
        caches["default"].retry_interval = 0.0  # try again at once, not after 5 s
        article = ArticleFactory(title="停机前的标题")
        cache.set("someone-else", "kept", timeout=None)
        client.get("/news/")
        assert client.get("/news/")["X-Cache"] == "hit"

        proxy.down()
        article.title = "停机时改的标题"
        article.save()  # its generation bump is lost
        during = client.get("/news/")
        assert during.status_code == 200
        assert "停机时改的标题" in during.content.decode()

        proxy.up()
        after = client.get("/news/")
        assert "停机时改的标题" in after.content.decode()
        assert after["X-Cache"] == "miss"
        assert cache.get("someone-else") == "kept"
    finally:
        proxy.down()


def test_a_bump_another_process_lost_during_an_outage_cannot_bring_back_an_old_page(
    client, redis_cache, settings
):
    """Another process wrote while Redis was away and could not bump the generation; this one
    only saw reads fail. When Redis answers again it starts a new generation all the same."""
    proxy = TcpProxy("127.0.0.1", redis_cache)
    proxy.up()
    try:
        settings.CACHES = redis_settings(proxy.port)
        caches["default"].retry_interval = 0.0
        article = ArticleFactory(title="另一进程改之前")
        client.get("/news/")
        assert client.get("/news/")["X-Cache"] == "hit"

        proxy.down()
        # The other process's write: no signal here, and its bump was lost with Redis.
        type(article).objects.filter(pk=article.pk).update(title="另一进程改之后")
        assert "另一进程改之后" in client.get("/news/").content.decode()

        proxy.up()
        assert "另一进程改之后" in client.get("/news/").content.decode()
    finally:
        proxy.down()
