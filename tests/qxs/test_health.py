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
