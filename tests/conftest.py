import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache, so nothing cached in one test (whose rows are rolled
    back) leaks into the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def count_queries():
    """``count_queries(client, url)``: the SQL statements of one anonymous GET of ``url`` made
    with an empty cache, so nothing the page or its parts keep is reused. The page must answer
    200 (or ``status``)."""

    def count(client, url, status=200):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == status, (url, response.status_code)
        return [query["sql"] for query in queries.captured_queries]

    return count
