"""The search flood limit (search/ratelimit.py): per client address, shared through Redis, a 429
page in Chinese with Retry-After, lifted when Redis is down."""

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import redis
import time_machine
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from search.models import SearchQueryLog

pytestmark = pytest.mark.django_db

URL = reverse("search:search")
ROOT = Path(__file__).resolve().parents[2]
# This branch's Redis database for tests (never another's, never flushed whole by others).
REDIS_TEST_URL = "redis://127.0.0.1:6379/7"
CLOSED_PORT_URL = "redis://127.0.0.1:6390/0"


def redis_cache(location, prefix):
    return {
        "default": {
            "BACKEND": "qxs.cache_backends.ResilientRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


@pytest.fixture
def limit_three():
    """Three searches a minute per address (the test settings turn the limit off)."""
    with override_settings(QXS_SEARCH_RATE_LIMIT=3, QXS_SEARCH_RATE_WINDOW_SECONDS=60):
        cache.clear()
        yield
        cache.clear()


@pytest.fixture
def redis_db7():
    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = f"qxs-ratelimit-test-{os.getpid()}"
    yield prefix
    client = redis.Redis.from_url(REDIS_TEST_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def search(client, q="质量", ip="203.0.113.7", **extra):
    return client.get(URL, {"q": q}, REMOTE_ADDR=ip, **extra)


@pytest.mark.usefixtures("limit_three")
def test_over_the_limit_a_chinese_429_with_retry_after(client):
    """Three distinct searches pass; the fourth gets 429, a page in Chinese saying how long to
    wait, Retry-After in seconds, never cached, and no query log row."""
    with time_machine.travel(timezone.now().replace(second=10, microsecond=0), tick=False):
        statuses = [search(client, q).status_code for q in ("质量", "计量", "标准")]
        response = search(client, "打假")
    assert statuses == [200, 200, 200]
    assert response.status_code == 429
    assert response["Retry-After"] == "50"
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "搜索过于频繁" in page
    assert "请 50 秒后再试" in page
    assert SearchQueryLog.objects.filter(term="打假").count() == 0


@pytest.mark.usefixtures("limit_three")
def test_limit_resets_with_the_next_window(client):
    with time_machine.travel(timezone.now().replace(second=0, microsecond=0), tick=False) as t:
        for _ in range(3):
            search(client)
        assert search(client).status_code == 429
        t.shift(59)
        assert search(client).status_code == 429
        t.shift(2)
        assert search(client).status_code == 200


@pytest.mark.usefixtures("limit_three")
def test_each_address_has_its_own_count_and_the_blank_form_is_free(client):
    for _ in range(3):
        search(client)
    assert search(client).status_code == 429
    assert search(client, ip="198.51.100.20").status_code == 200
    # Opening the search page without a query costs nothing and is never refused.
    assert client.get(URL, REMOTE_ADDR="203.0.113.7").status_code == 200


@pytest.mark.usefixtures("limit_three")
@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_the_forwarded_address_counts_and_forged_ones_do_not(client):
    """Behind one proxy the client is the last X-Forwarded-For entry: changing the forged entries
    to its left does not give a fresh count, and two clients behind the proxy count apart."""
    for n in range(3):
        search(client, ip="10.0.0.2", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 203.0.113.7")
    response = search(client, ip="10.0.0.2", HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.7")
    assert response.status_code == 429
    response = search(client, ip="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert response.status_code == 200


@override_settings(QXS_SEARCH_RATE_LIMIT=0)
def test_zero_turns_the_limit_off(client):
    assert {search(client).status_code for _ in range(40)} == {200}


def test_redis_down_lifts_the_limit(client):
    """With Redis unreachable the count cannot be kept, and searching goes on."""
    with override_settings(
        QXS_SEARCH_RATE_LIMIT=2, CACHES=redis_cache(CLOSED_PORT_URL, "qxs-down")
    ):
        assert [search(client).status_code for _ in range(5)] == [200] * 5


def test_limit_counted_in_redis(client, redis_db7):
    minute = timezone.now().replace(second=5, microsecond=0)
    with (
        override_settings(QXS_SEARCH_RATE_LIMIT=2, CACHES=redis_cache(REDIS_TEST_URL, redis_db7)),
        time_machine.travel(minute, tick=False),
    ):
        statuses = [search(client).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    keys = list(redis.Redis.from_url(REDIS_TEST_URL).scan_iter(f"{redis_db7}:*search-rate*"))
    assert len(keys) == 1


PROCESS_SCRIPT = textwrap.dedent(
    """
    import json, sys, time
    import django
    django.setup()
    from django.http import HttpResponse
    from django.test import RequestFactory
    from search.ratelimit import limit_searches

    view = limit_searches(lambda request: HttpResponse("ok"))
    start_at = float(sys.argv[1])
    while time.time() < start_at:
        time.sleep(0.005)
    statuses = [
        view(RequestFactory().get("/search/", {"q": f"junk{n}"}, REMOTE_ADDR="203.0.113.9"))
        .status_code
        for n in range(int(sys.argv[2]))
    ]
    print(json.dumps(statuses))
    """
)


def test_two_processes_share_one_limit(redis_db7):
    """Two separate Python processes (as two gunicorn servers are), each with its own memory,
    search at the same moment from one address: 25 searches each against a limit of 30 leaves
    exactly 30 answered and 20 refused between them."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_"))},
        "DJANGO_SETTINGS_MODULE": "qxs.settings.dev",
        "DJANGO_SECRET_KEY": "x" * 50,
        "REDIS_URL": REDIS_TEST_URL,
        "QXS_SEARCH_RATE_LIMIT": "30",
        # A window long enough that the two processes always count in the same one.
        "QXS_SEARCH_RATE_WINDOW_SECONDS": "3600",
    }
    # Both processes use the settings' key prefix "qxs"; the address is one no other test uses,
    # and its key is removed below.
    start_at = time.time() + 3
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", PROCESS_SCRIPT, str(start_at), "25"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        results = []
        for process in processes:
            out, err = process.communicate(timeout=60)
            assert process.returncode == 0, err
            results.append(json.loads(out.strip().splitlines()[-1]))
    finally:
        client = redis.Redis.from_url(REDIS_TEST_URL)
        for key in client.scan_iter("qxs:*search-rate:*:203.0.113.9"):
            client.delete(key)
    # Counted per process, all 50 would pass (25 each, under 30).
    statuses = results[0] + results[1]
    assert statuses.count(200) == 30
    assert statuses.count(429) == 20
