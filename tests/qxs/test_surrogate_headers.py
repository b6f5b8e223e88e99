"""The caching headers every response gets (qxs/cache.py, contract item 3): public pages with
``s-maxage`` and their surrogate keys in ``xkey``, everything else private."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from articles.models import Article
from qxs import surrogate
from qxs.cache import PublicPageCacheMiddleware
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def through_middleware(rf, respond, path="/news/", **extra):
    """One anonymous GET of ``path`` through the middleware in front of ``respond(request)``."""
    request = rf.get(path, **extra)
    request.user = AnonymousUser()
    return PublicPageCacheMiddleware(respond)(request)


def directives(response):
    return {part.strip() for part in response["Cache-Control"].split(",")}


def test_a_public_page_is_public_for_the_configured_time(client, settings):
    """With nothing scheduled: public, browsers 60 s, shared caches QXS_PAGE_CACHE_SECONDS."""
    settings.QXS_PAGE_CACHE_SECONDS = 600
    article = ArticleFactory()
    with time_machine.travel(timezone.now(), tick=False):
        for url in ("/", "/news/", article.get_absolute_url(), "/news/feed/"):
            response = client.get(url)
            assert response.status_code == 200, url
            assert response["Cache-Control"] == "public, max-age=60, s-maxage=600", url


def test_s_maxage_ends_at_the_next_scheduled_publication(client):
    """A scheduled article needs no purge: shared caches drop the page when its time comes."""
    now = timezone.now()
    ArticleFactory()
    ArticleFactory(published_at=now + datetime.timedelta(seconds=90))
    with time_machine.travel(now, tick=False):
        assert directives(client.get("/news/")) == {"public", "max-age=60", "s-maxage=90"}
    with time_machine.travel(now + datetime.timedelta(seconds=60), tick=False):
        # A hit: the time left, not the time the page was first given.
        assert client.get("/news/")["X-Cache"] == "hit"
        assert directives(client.get("/news/")) == {"public", "max-age=30", "s-maxage=30"}


def test_s_maxage_is_capped(client, settings):
    settings.QXS_PAGE_CACHE_SECONDS = 120
    now = timezone.now()
    ArticleFactory(published_at=now + datetime.timedelta(hours=3))
    with time_machine.travel(now, tick=False):
        assert "s-maxage=120" in directives(client.get("/news/"))


def test_xkey_names_what_the_view_said_plus_site(rf):
    """The keys a view records with qxs.surrogate.add() go out in xkey, with ``site``."""

    def view(request):
        surrogate.add(request, surrogate.article(42), surrogate.NEWS, surrogate.column(3))
        return HttpResponse("页面")

    response = through_middleware(rf, view)
    assert response["xkey"] == "article-42 column-3 news site"


def test_a_hit_carries_the_keys_of_the_rendered_page(client):
    """Pages served from the app's cache keep their keys (the view does not run)."""
    ArticleFactory()
    first = client.get("/news/")
    second = client.get("/news/")
    assert second["X-Cache"] == "hit"
    assert "site" in second["xkey"].split()
    assert second["xkey"] == first["xkey"]


def test_anonymous_pages_send_no_cookie_and_do_not_vary_on_it(client):
    """The same bytes for every reader of a URL: no Set-Cookie, no Vary: Cookie."""
    article = ArticleFactory()
    for url in ("/", "/news/", article.get_absolute_url(), "/news/feed/", "/pairs/"):
        for _ in range(2):  # the miss and the hit
            response = Client().get(url)
            assert response.status_code == 200, url
            assert not response.cookies, url
            assert "cookie" not in response.get("Vary", "").lower(), url


def test_vary_cookie_is_dropped_for_a_request_without_the_session_cookie(rf):
    """A view that looked at the session (Vary: Cookie) of a reader with no session cookie
    cannot depend on it: the page stays public and keeps its other Vary."""

    def view(request):
        response = HttpResponse("页面")
        response["Vary"] = "Cookie, Accept-Encoding"
        return response

    response = through_middleware(rf, view)
    assert response["Vary"] == "Accept-Encoding"
    assert "public" in directives(response)


def test_a_signed_in_editor_gets_private_pages_without_keys(client):
    """Any request with the session cookie is private, whatever the page."""
    article = ArticleFactory()
    editor = get_user_model().objects.create_user("editor", password="x", is_staff=True)
    client.force_login(editor)
    for url in ("/", "/news/", article.get_absolute_url()):
        response = client.get(url)
        assert "private" in directives(response), url
        assert "public" not in directives(response), url
        assert "xkey" not in response, url


def test_admin_health_search_and_posts_are_never_public(client):
    never_public = [
        client.get("/admin/login/"),
        client.get("/healthz"),
        client.get("/healthz/database"),
        client.get("/search/", {"q": "质量"}),
        client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"}),
    ]
    for response in never_public:
        found = directives(response)
        assert "public" not in found, response.request["PATH_INFO"]
        assert found & {"private", "no-store"}, response.request["PATH_INFO"]
        assert "xkey" not in response


def test_the_search_page_is_never_stored_so_every_search_is_logged(client):
    from search.models import SearchQueryLog

    ArticleFactory(title="质量兴市")
    client.get("/search/", {"q": "质量"})
    client.get("/search/", {"q": "质量"})
    assert SearchQueryLog.objects.count() == 2


def test_a_preview_stays_private(client):
    """The admin preview says private, no-store; the middleware keeps it so."""
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    chief = get_user_model().objects.create_superuser("chief", password="x")
    client.force_login(chief)
    response = client.get(f"/admin/articles/article/{article.pk}/preview/")
    assert response.status_code == 200
    assert {"private", "no-store"} <= directives(response)


def test_not_found_is_private(client):
    """Only a 200 is public: a 404 must not be shared (the URL may exist after a publication)."""
    response = client.get("/news/no-such-page/")
    assert response.status_code == 404
    assert "private" in directives(response)


def test_a_response_that_sets_a_cookie_is_private(rf):
    def view(request):
        response = HttpResponse("页面")
        response.set_cookie("seen", "1")
        return response

    response = through_middleware(rf, view)
    assert "private" in directives(response)
    assert "xkey" not in response


def test_a_304_carries_the_public_headers(client):
    article = ArticleFactory()
    url = article.get_absolute_url()
    etag = client.get(url)["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    not_modified = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert "public" in directives(not_modified)
    assert not_modified["ETag"] == etag


def test_with_the_app_page_cache_off_pages_are_public_but_always_rendered(rf, settings):
    """QXS_APP_PAGE_CACHE=False (the default behind Varnish): headers only."""
    settings.QXS_APP_PAGE_CACHE = False
    calls = []

    def view(request):
        calls.append(1)
        surrogate.add(request, surrogate.HOME)
        return HttpResponse("首页")

    for _ in range(2):
        response = through_middleware(rf, view, path="/")
        assert "public" in directives(response)
        assert response["xkey"] == "home site"
        assert "X-Cache" not in response
        assert response["ETag"]
    assert len(calls) == 2


def test_dummy_cache_with_the_app_page_cache_off_serves_real_pages(client, settings):
    """The benchmark's cold rounds: Django's DummyCache and no app page cache."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    settings.QXS_APP_PAGE_CACHE = False
    settings.QXS_PAGE_CACHE_SECONDS = 600
    now = timezone.now()
    article = ArticleFactory(title="冷页面")
    ArticleFactory(published_at=now + datetime.timedelta(seconds=300))
    with time_machine.travel(now, tick=False):
        for url in ("/", "/news/", article.get_absolute_url(), "/pairs/"):
            for _ in range(2):
                response = client.get(url)
                assert response.status_code == 200, url
                assert response["Cache-Control"] == "public, max-age=60, s-maxage=300", url
                assert "X-Cache" not in response
        assert "冷页面" in client.get("/news/").content.decode()
