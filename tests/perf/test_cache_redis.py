"""The page cache on Redis, as in production: the generation is shared by every process."""

import shutil
import socket
import subprocess
import time

import pytest
from django.core.cache import cache

from qxs import cache as page_cache
from tests.factories import ArticleFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server"),
]

PORT = 8209


@pytest.fixture(scope="module")
def redis_server():
    process = subprocess.Popen(
        ["redis-server", "--port", str(PORT), "--bind", "127.0.0.1", "--save", ""],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(50):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", PORT)) == 0:
                break
        time.sleep(0.1)
    yield f"redis://127.0.0.1:{PORT}/0"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def redis_cache(redis_server, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_server,
            "KEY_PREFIX": "qxs-test",
        }
    }
    cache.clear()
    page_cache.process_pages.clear()
    yield
    cache.clear()
    page_cache.process_pages.clear()


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


def test_another_process_sees_the_page_and_the_bump(client, redis_cache):
    """A process without its own copy reads the page from Redis; a bump made by another process
    (only the shared generation changes) is seen at once."""
    ArticleFactory()
    client.get("/news/")
    page_cache.process_pages.clear()  # as if this were another worker
    assert client.get("/news/")["X-Cache"] == "hit"
    cache.incr(page_cache.GENERATION_KEY)  # another worker saved something
    assert client.get("/news/")["X-Cache"] == "miss"
