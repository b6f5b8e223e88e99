from unittest import mock

import pytest

from qxs import health

pytestmark = pytest.mark.django_db


def test_healthz_reports_ok_when_database_and_cache_answer(client):
    """Both parts answer: 200 and {"database": "ok", "cache": "ok"}."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_healthz_names_the_failing_database(client):
    """A database that does not answer gives 503 and names the database, not a traceback."""
    with mock.patch.dict(health.CHECKS, {"database": mock.Mock(side_effect=RuntimeError("down"))}):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "error", "cache": "ok"}


def test_healthz_names_the_failing_cache(client):
    with mock.patch("qxs.health.cache") as cache:
        cache.get.return_value = None
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "error"}


def test_healthz_answers_whatever_the_host_header(client):
    """Container probes use the internal address, which is not an allowed host."""
    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200


def test_healthz_really_queries_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get("/healthz")


def test_healthz_database_answers_for_the_database_alone(client, django_assert_num_queries):
    """Varnish's backend probe: 200 {"database": "ok"}, one query, no cache involved."""
    with mock.patch("qxs.health.cache") as cache, django_assert_num_queries(1):
        response = client.get("/healthz/database", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    assert response.json() == {"database": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert not cache.method_calls


def test_healthz_database_stays_healthy_while_the_cache_fails(client):
    """Redis down does not make the backend sick: the site serves fine without it."""
    with mock.patch("qxs.health.cache") as cache:
        cache.get.return_value = None
        assert client.get("/healthz").status_code == 503
        assert client.get("/healthz/database").status_code == 200


def test_healthz_database_is_503_when_the_database_fails(client):
    with mock.patch.dict(health.CHECKS, {"database": mock.Mock(side_effect=RuntimeError("down"))}):
        response = client.get("/healthz/database")
    assert response.status_code == 503
    assert response.json() == {"database": "error"}
