"""Two app servers (gunicorn processes on different ports) sharing one PostgreSQL and one Redis:
what is published through one is visible through the other at once, and concurrent edits through
both lose nothing (a conflicting save is refused with the conflict shown, never silently lost).

Needs PostgreSQL and Redis (CI starts both); skipped on SQLite.
"""

import threading

import pytest
import redis
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse
from lxml import html as lxml_html

from articles.models import Article
from tests.factories import ArticleFactory

from .servers import Browser, GunicornServer, staff_session

REDIS_URL = "redis://127.0.0.1:6379/14"
CONFLICT = "没有保存"  # how the admin's conflict message (articles.forms) begins

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def two_servers(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: two processes share one database server")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).flushdb()
    except redis.exceptions.ConnectionError:
        pytest.skip("needs Redis on 127.0.0.1:6379")
    settings = connection.settings_dict
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    env = {
        "DJANGO_SETTINGS_MODULE": "qxs.settings.dev",
        "DJANGO_DEBUG": "false",
        # The sessions made here carry a hash keyed with this process's secret key.
        "DJANGO_SECRET_KEY": django_settings.SECRET_KEY,
        "DATABASE_URL": (
            f"postgres://{settings['USER']}{password}@{settings['HOST'] or '127.0.0.1'}:"
            f"{settings['PORT'] or 5432}/{settings['NAME']}"
        ),
        "REDIS_URL": REDIS_URL,
        "QXS_VAR_DIR": str(tmp_path),
    }
    with GunicornServer(env, workers=2) as first, GunicornServer(env, workers=2) as second:
        yield first, second
    redis.Redis.from_url(REDIS_URL).flushdb()


@pytest.fixture
def chief_editor():
    return get_user_model().objects.create_superuser("chief", password="x")


def test_published_through_one_is_visible_through_the_other_at_once(two_servers, chief_editor):
    """Server B has the news list cached; an article published through server A is on B's news
    list and its own page at once."""
    first, second = two_servers
    article = ArticleFactory(
        title="两台服务器之间的新闻", status=Article.Status.DRAFT, published_at=None
    )
    reader = Browser(second.url)
    assert "两台服务器之间的新闻" not in reader.get("/news/")[1]  # now in B's page cache
    assert reader.get("/news/")[0] == 200

    editor = Browser(first.url, staff_session(chief_editor))
    move_url = reverse("admin:articles_article_move", args=[article.pk, "publish"])
    status, page = editor.get(move_url)
    assert status == 200, page[:300]
    form = lxml_html.document_fromstring(page).forms[-1]
    values = dict(form.form_values())
    values.setdefault("loaded_version", str(article.version))
    status, _ = editor.request(move_url, values)
    assert status == 302

    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert "两台服务器之间的新闻" in reader.get("/news/")[1]
    status, page = reader.get(article.get_absolute_url())
    assert status == 200 and "两台服务器之间的新闻" in page


def test_edits_in_turn_through_both_servers_are_all_kept(two_servers, chief_editor):
    """Edits saved one after the other, alternately through A and B, each from a fresh form:
    every one is saved, the last wins, the version counts them all."""
    article = ArticleFactory(title="轮流编辑", summary="初稿")
    session = staff_session(chief_editor)
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    start = Article.objects.get(pk=article.pk).version
    for round_ in range(6):
        browser = Browser(two_servers[round_ % 2].url, session)
        status, _ = browser.submit(
            change_url, browser.open_form(change_url), summary=f"第{round_}次修改"
        )
        assert status == 302, round_
    article.refresh_from_db()
    assert article.summary == "第5次修改"
    assert article.version == start + 6


def test_concurrent_edits_of_one_version_never_lose_a_save_silently(two_servers, chief_editor):
    """Two editors open the same version, one through each server, and save at the same moment:
    exactly one save goes through, the other gets the form back with the conflict explained and
    what they typed still in it. Repeated, to give the race a chance."""
    article = ArticleFactory(title="同时编辑", summary="初稿")
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    sessions = [staff_session(chief_editor), staff_session(chief_editor)]
    for round_ in range(5):
        browsers = [
            Browser(server.url, key) for server, key in zip(two_servers, sessions, strict=True)
        ]
        forms = [browser.open_form(change_url) for browser in browsers]
        results = [None, None]
        barrier = threading.Barrier(2)

        def save(index, browser, form, summary, barrier=barrier, results=results):
            barrier.wait()
            results[index] = browser.submit(change_url, form, summary=summary)

        threads = [
            threading.Thread(
                target=save,
                args=(index, browsers[index], forms[index], f"第{round_}轮 编辑{index}"),
            )
            for index in (0, 1)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        statuses = sorted(status for status, _ in results)
        assert statuses == [200, 302], (round_, statuses)
        winner = next(i for i, (status, _) in enumerate(results) if status == 302)
        refused_page = results[1 - winner][1]
        assert CONFLICT in refused_page
        assert f"第{round_}轮 编辑{1 - winner}" in refused_page  # the refused input is kept
        article.refresh_from_db()
        assert article.summary == f"第{round_}轮 编辑{winner}"
