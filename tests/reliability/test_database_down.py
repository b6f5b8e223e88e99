"""Database down: public pages answer 503 with a page in Chinese, /healthz 503; the site recovers
on its own when the database is back."""

import json
import os
import subprocess
import sys
from unittest import mock

import pytest
from django.db import connection
from django.db.utils import OperationalError
from django.test import Client

from .servers import ROOT, GunicornServer, TcpProxy, fetch

UNAVAILABLE = "服务暂时不可用"
PUBLIC_URLS = ["/", "/news/", "/meetings/", "/pairs/", "/agencies/"]


@pytest.fixture
def database_down():
    """Every new cursor fails as it does when the server is gone."""
    error = OperationalError("could not connect to server: Connection refused")
    with mock.patch.object(connection, "ensure_connection", side_effect=error):
        yield


@pytest.mark.django_db
def test_public_pages_answer_503_in_chinese_while_the_database_is_down(database_down):
    """Each public page answers 503 with the static Chinese page and Retry-After, never a 500."""
    client = Client(raise_request_exception=False)
    for url in PUBLIC_URLS:
        response = client.get(url)
        assert response.status_code == 503, url
        assert UNAVAILABLE in response.content.decode(), url
        assert int(response["Retry-After"]) > 0
        assert response["Cache-Control"] == "no-store"
        assert "Traceback" not in response.content.decode()


@pytest.mark.django_db
def test_healthz_answers_503_naming_the_database(database_down):
    """The health check says which part failed."""
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "error", "cache": "ok"}


def session_reading_middleware(get_response):
    """A middleware that queries the database before the view runs."""

    def middleware(request):
        connection.cursor()
        return get_response(request)

    return middleware


@pytest.mark.django_db
def test_a_database_error_inside_another_middleware_is_a_503_too(database_down, settings):
    """An error raised outside the view, which Django turns into a 500 before our middleware sees
    it, still gives the 503 page."""
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.session_reading_middleware"]
    response = Client(raise_request_exception=False).get("/news/")
    assert response.status_code == 503
    assert UNAVAILABLE in response.content.decode()


def run_app_without_database(database_url):
    """Ask a fresh process, whose database cannot be reached, for a public page and /healthz."""
    script = (
        "import django, json; django.setup()\n"
        "from django.test import Client\n"
        "client = Client(raise_request_exception=False)\n"
        "page, health = client.get('/news/'), client.get('/healthz')\n"
        "print(json.dumps([page.status_code, page.content.decode(), health.status_code,"
        " health.json()]))\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "qxs.settings.test",
        "DATABASE_URL": database_url,
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "database_url",
    [
        "postgres://postgres@127.0.0.1:9/qxs",  # nothing listens on the discard port
        "sqlite:////nonexistent-directory/db.sqlite3",
    ],
)
def test_a_real_unreachable_database_gives_503(database_url):
    """With a real connection failure (PostgreSQL refused, SQLite file impossible to open)."""
    status, body, health_status, health = run_app_without_database(database_url)
    assert status == 503
    assert UNAVAILABLE in body
    assert health_status == 503
    assert health["database"] == "error"


@pytest.mark.django_db(transaction=True)
def test_the_site_recovers_without_a_restart():
    """A gunicorn process whose PostgreSQL goes away answers 503, then 200 again once it is back,
    without being restarted (persistent connections are health-checked before reuse)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: a database server that can stop and come back")
    settings = connection.settings_dict
    proxy = TcpProxy(settings["HOST"] or "127.0.0.1", int(settings["PORT"] or 5432))
    proxy.up()
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    database_url = (
        f"postgres://{settings['USER']}{password}@127.0.0.1:{proxy.port}/{settings['NAME']}"
    )
    env = {"DJANGO_SETTINGS_MODULE": "qxs.settings.test", "DATABASE_URL": database_url}
    try:
        with GunicornServer(env) as server:
            # A new query string each time: a page the page cache already holds would be served
            # from it, database or not.
            assert fetch(server.url + "/news/?before")[0] == 200
            pid = server.process.pid

            proxy.down()
            status, headers, body = fetch(server.url + "/news/?during")
            assert status == 503
            assert UNAVAILABLE in body
            assert headers["Retry-After"]
            assert fetch(server.url + "/healthz")[0] == 503

            proxy.up()
            assert fetch(server.url + "/news/?after")[0] == 200
            assert fetch(server.url + "/healthz")[0] == 200
            assert server.process.pid == pid and server.process.poll() is None
    finally:
        proxy.down()


@pytest.mark.django_db
def test_the_503_page_falls_back_to_plain_text_if_it_cannot_render(database_down):
    """Even a broken 503 template (say, a static file missing from the manifest) gives a 503."""
    with mock.patch("qxs.middleware.render_to_string", side_effect=ValueError("no manifest")):
        response = Client(raise_request_exception=False).get("/news/")
    assert response.status_code == 503
    assert UNAVAILABLE in response.content.decode()
