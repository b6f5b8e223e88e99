"""The WSGI module compiles the public templates before a worker takes its first request."""

import importlib

import pytest
from django.template import engines
from django.template.backends.jinja2 import Jinja2


def jinja2_env():
    (engine,) = [engine for engine in engines.all() if isinstance(engine, Jinja2)]
    return engine.env


def test_importing_the_wsgi_module_compiles_every_public_template():
    env = jinja2_env()
    env.cache.clear()

    wsgi = importlib.reload(importlib.import_module("qxs.wsgi"))

    names = env.list_templates(extensions=wsgi.TEMPLATE_EXTENSIONS)
    assert {"home.html", "base.html", "search/search.html", "articles/article_list.html"} <= set(
        names
    )
    cached = {key[1] for key in env.cache}
    assert set(names) <= cached


@pytest.mark.django_db
def test_a_compiled_template_is_the_one_a_page_renders_with(client):
    env = jinja2_env()
    env.cache.clear()
    importlib.import_module("qxs.wsgi").compile_templates()
    compiled = env.get_template("search/search.html")

    client.get("/search/")

    assert env.get_template("search/search.html") is compiled
