"""The app's page cache (qxs/cache.py): anonymous pages come from the cache and are never stale.

The staleness scenarios (publish, edit, unpublish, tags, pairs, agencies, meetings, the site
identity, a scheduled time, bulk writes) are in tests/staleness.py, run against the app by
tests/qxs/test_surrogate_staleness.py.
"""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from qxs import cache as page_cache
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def get(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, (url, response.status_code)
    return response


def text(response):
    return response.content.decode()


def twice_through_the_cache(rf, path, respond):
    """Two anonymous GETs of ``path`` through the page cache middleware in front of a view that
    answers ``respond(request)``: how many times the view ran, and the two pages."""
    from django.contrib.auth.models import AnonymousUser

    calls = []

    def view(request):
        calls.append(request)
        return respond(request)

    middleware = page_cache.PublicPageCacheMiddleware(view)
    pages = []
    for _ in range(2):
        request = rf.get(path)
        request.user = AnonymousUser()
        pages.append(middleware(request).content)
    return len(calls), pages


def test_second_anonymous_request_is_a_hit_with_the_same_page(client):
    """The first anonymous GET renders and stores the page, the second is served from the cache."""
    ArticleFactory(title="缓存中的新闻")
    first = get(client, "/news/")
    second = get(client, "/news/")
    assert first["X-Cache"] == "miss"
    assert second["X-Cache"] == "hit"
    assert "缓存中的新闻" in text(second)
    assert first["ETag"] == second["ETag"]


def test_a_hit_runs_no_query(client, django_assert_num_queries):
    """A page served from the cache costs no database query."""
    ArticleFactory()
    get(client, "/news/")
    with django_assert_num_queries(0):
        assert get(client, "/news/")["X-Cache"] == "hit"


def test_pages_expire_within_the_configured_bound(client, settings):
    """Without scheduled articles a page lives at most QXS_PAGE_CACHE_SECONDS."""
    settings.QXS_PAGE_CACHE_SECONDS = 60
    ArticleFactory()
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        get(client, "/news/")
        assert get(client, "/news/")["X-Cache"] == "hit"
    with time_machine.travel(now + datetime.timedelta(seconds=61), tick=False):
        assert get(client, "/news/")["X-Cache"] == "miss"


def test_bulk_writes_need_an_explicit_bump(client):
    """QuerySet.update() sends no signal: bump_content_generation() makes the change visible."""
    article = ArticleFactory(title="批量修改前")
    get(client, "/news/")
    Article.objects.filter(pk=article.pk).update(title="批量修改后")
    assert "批量修改前" in text(get(client, "/news/"))
    page_cache.bump_content_generation()
    assert "批量修改后" in text(get(client, "/news/"))


def test_staff_are_never_served_a_cached_page(client):
    """A logged-in editor sees the database, even when an anonymous copy is cached."""
    article = ArticleFactory(title="匿名缓存版本")
    get(client, "/news/")
    Article.objects.filter(pk=article.pk).update(title="数据库中的版本")
    editor = get_user_model().objects.create_user("editor", password="x", is_staff=True)
    staff = Client()
    staff.force_login(editor)
    response = get(staff, "/news/")
    assert "数据库中的版本" in text(response)
    assert "X-Cache" not in response
    # ... and an editor's page is never stored for the anonymous public either.
    assert "匿名缓存版本" in text(get(client, "/news/"))


def test_a_staff_post_bumps_the_generation(client):
    """Admin actions may write with QuerySet.update(): any successful staff POST invalidates."""
    editor = get_user_model().objects.create_user("chief", password="x", is_staff=True)
    staff = Client()
    staff.force_login(editor)
    before = page_cache.content_generation()
    # An admin form posted with errors (the password change) is a successful staff POST too.
    assert staff.post(reverse("admin:password_change"), {}).status_code == 200
    assert page_cache.content_generation() != before


def test_an_anonymous_post_does_not_bump_the_generation(client):
    """The public cannot empty the cache by posting."""
    before = page_cache.content_generation()
    client.post("/news/", {"q": "x"})
    client.post(reverse("admin:login"), {"username": "x", "password": "y"})
    assert page_cache.content_generation() == before


def test_private_responses_such_as_previews_are_never_stored(rf):
    """A response marked private/no-store (the admin preview) is rendered every time."""

    def preview(request):
        response = HttpResponse("预览")
        response["Cache-Control"] = "private, no-store"
        return response

    calls, _pages = twice_through_the_cache(rf, "/news/preview/", preview)
    assert calls == 2


def test_admin_and_health_are_not_cached(client):
    """The admin login page and /healthz always reach their view."""
    for url in ("/admin/login/", "/healthz"):
        client.get(url)
        assert "X-Cache" not in client.get(url)


def test_cached_pages_carry_no_csrf_token_and_set_no_cookie():
    """Public pages have no POST form: a hit is the same bytes for every reader, with no token
    and no Set-Cookie (the language switch is a link, so nothing per reader is left)."""
    ArticleFactory()
    get(Client(enforce_csrf_checks=True), "/news/")
    response = get(Client(enforce_csrf_checks=True), "/news/")
    assert response["X-Cache"] == "hit"
    assert "csrfmiddlewaretoken" not in text(response)
    assert not response.cookies


def test_a_page_that_renders_a_csrf_token_is_never_stored(rf):
    """Should a public page grow a form with a CSRF token, it is rendered for each reader: the
    token (and the cookie) are the reader's own and must never be served to someone else."""
    from django.middleware.csrf import get_token

    def with_a_form(request):
        return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')

    calls, pages = twice_through_the_cache(rf, "/news/with-a-form/", with_a_form)
    assert calls == 2
    assert pages[0] != pages[1]


def test_english_and_chinese_readers_never_get_each_others_page(client):
    """The language is the URL's (``qxs.locale``), never the browser's or a cookie's: whoever
    fills the cache first, /… is Chinese and /en/… English for every reader."""
    ArticleFactory()
    english_browser = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    english_browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    chinese_browser = Client(HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    for url, language in [("/news/", "zh-hans"), ("/en/news/", "en"), ("/", "zh-hans")]:
        readers = [english_browser, chinese_browser]
        if language == "en":
            readers.reverse()
        for reader in readers * 2:
            response = get(reader, url)
            assert f'<html lang="{language}"' in text(response), (url, language)
            assert response["Content-Language"] == language
        assert get(english_browser, url)["X-Cache"] == "hit"
        assert get(chinese_browser, url)["X-Cache"] == "hit"


def test_cookies_do_not_split_the_cache(client, settings):
    """A reader with an old language or font-size cookie gets the one stored copy of the URL:
    nothing on a page depends on a cookie."""
    ArticleFactory()
    stored = get(client, "/news/")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.cookies["qxs_font_size"] = "large"
    again = get(client, "/news/")
    assert again["X-Cache"] == "hit"
    assert text(again) == text(stored)
    assert 'lang="zh-hans"' in text(again)


def test_a_session_cookie_bypasses_the_cache(client):
    """Anyone with a session (a logged-in editor, or messages stored for them) gets a fresh page."""
    ArticleFactory()
    get(client, "/news/")
    client.cookies["sessionid"] = "anything"
    assert "X-Cache" not in get(client, "/news/")


def test_article_pages_and_feeds_answer_conditional_requests(client):
    """A reader sending back the ETag gets 304 Not Modified, before and after a hit."""
    article = ArticleFactory()
    for url in (article.get_absolute_url(), "/news/feed/"):
        first = get(client, url)
        etag = first["ETag"]
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
        assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_an_edit_changes_the_etag(client):
    """After an edit the old ETag no longer matches, so readers get the new page."""
    article = ArticleFactory(title="修改前")
    url = article.get_absolute_url()
    etag = get(client, url)["ETag"]
    article.title = "修改后"
    article.save()
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "修改后" in text(response)


def test_values_cached_for_a_generation_follow_the_content():
    """cached_for_generation() recomputes after a write and when a scheduled time passes."""
    calls = []

    def compute():
        calls.append(1)
        return Article.objects.published().count()

    now = timezone.now()
    ArticleFactory(published_at=now + datetime.timedelta(minutes=5))
    with time_machine.travel(now, tick=False):
        assert page_cache.cached_for_generation("count", compute) == 0
        assert page_cache.cached_for_generation("count", compute) == 0
        assert len(calls) == 1
    with time_machine.travel(now + datetime.timedelta(minutes=5, seconds=1), tick=False):
        assert page_cache.cached_for_generation("count", compute) == 1
        ArticleFactory()
        assert page_cache.cached_for_generation("count", compute) == 2


def test_head_is_served_from_the_cached_get(client):
    """A HEAD after a GET is a hit with the same ETag; a HEAD alone stores nothing."""
    ArticleFactory()
    client.head("/news/")
    assert get(client, "/news/")["X-Cache"] == "miss"
    head = client.head("/news/")
    assert head.status_code == 200
    assert head["X-Cache"] == "hit"
    assert head["Cache-Control"].startswith("public, ")


def test_a_hit_has_the_headers_the_rendered_page_had(client, settings):
    """A hit skips the inner middlewares but keeps what they added: language, framing, length;
    and it sets no cookie."""
    ArticleFactory()
    miss = get(client, "/news/")
    fresh = Client()
    hit = get(fresh, "/news/")
    assert hit["X-Cache"] == "hit"
    for header in ("Content-Language", "X-Frame-Options", "Content-Type"):
        assert hit[header] == miss[header]
    assert int(hit["Content-Length"]) == len(hit.content)
    assert not hit.cookies
    get(fresh, "/news/feed/")
    feed = Client().get("/news/feed/")
    assert feed["X-Cache"] == "hit"
    assert not feed.cookies


def test_a_page_varying_on_a_header_the_key_lacks_is_not_stored(rf):
    """Vary: User-Agent (or Accept-Language) is not in the key: such a page is always rendered."""

    def varying(request):
        response = HttpResponse("按浏览器不同")
        response["Vary"] = "Cookie, User-Agent"
        return response

    calls, _pages = twice_through_the_cache(rf, "/news/varying/", varying)
    assert calls == 2
