import pytest
from django.core.cache import cache
from django.db import connection
from django.template.backends import jinja2 as jinja2_backend
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext


@pytest.fixture(autouse=True, scope="session")
def _instrument_jinja2():
    """``response.context`` and ``response.templates`` for the Jinja2 public pages too.

    Django's test set-up instruments only its own template language (``template_rendered`` is
    sent by ``instrumented_test_render``); this does the same for the Jinja2 backend, with the
    context the template saw (the view's, the request and the context processors').
    """
    original = jinja2_backend.Template.render

    def render(self, context=None, request=None):
        context = {} if context is None else context
        content = original(self, context, request)
        template_rendered.send(sender=self, template=self.template, context=context)
        return content

    jinja2_backend.Template.render = render
    yield
    jinja2_backend.Template.render = original


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
