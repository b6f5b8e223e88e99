"""The reader's language comes from the URL alone: ``/en/…`` is English, everything else Chinese."""

import pytest
from django.conf import settings

from qxs.locale import language_from_path, path_in_language
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

CHINESE = "zh-hans"


@pytest.mark.parametrize(
    ("path", "language"),
    [
        ("/", CHINESE),
        ("/news/", CHINESE),
        ("/news/en/", CHINESE),
        ("/en/", "en"),
        ("/en", "en"),
        ("/en/news/2004/09/1/", "en"),
        ("/english/", CHINESE),
        ("/EN/", CHINESE),
        ("/fr/news/", CHINESE),
        ("/zh-hans/news/", CHINESE),
        ("/en-us/news/", CHINESE),
        ("", CHINESE),
    ],
)
def test_the_language_rule(path, language):
    """Only the /en/ prefix makes a page English; no prefix, or any other, is Chinese."""
    assert language_from_path(path) == language


@pytest.mark.parametrize(
    ("path", "chinese", "english"),
    [
        ("/", "/", "/en/"),
        ("/news/", "/news/", "/en/news/"),
        ("/en/news/", "/news/", "/en/news/"),
        ("/en", "/", "/en/"),
        ("/news/tag/质量/", "/news/tag/质量/", "/en/news/tag/质量/"),
        ("/fr/news/", "/fr/news/", "/en/fr/news/"),
    ],
)
def test_the_other_version_of_a_path(path, chinese, english):
    assert path_in_language(path, CHINESE) == chinese
    assert path_in_language(path, "en") == english


def get(client, path, **headers):
    response = client.get(path, **headers)
    return response, response.content.decode()


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"},
        {"HTTP_COOKIE": f"{settings.LANGUAGE_COOKIE_NAME}=en"},
        {"HTTP_ACCEPT_LANGUAGE": "en", "HTTP_COOKIE": f"{settings.LANGUAGE_COOKIE_NAME}=en"},
    ],
)
def test_browser_language_and_cookies_never_make_a_page_english(client, headers):
    """An English browser, or an old language cookie, still gets Chinese at /…"""
    for path in ("/", "/news/"):
        response, page = get(client, path, **headers)
        assert response["Content-Language"] == CHINESE
        assert '<html lang="zh-hans"' in page
        assert "跳到正文" in page


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9"},
        {"HTTP_COOKIE": f"{settings.LANGUAGE_COOKIE_NAME}=zh-hans"},
    ],
)
def test_browser_language_and_cookies_never_make_an_english_page_chinese(client, headers):
    for path in ("/en/", "/en/news/"):
        response, page = get(client, path, **headers)
        assert response["Content-Language"] == "en"
        assert '<html lang="en"' in page
        assert "Skip to main content" in page


def test_each_request_gets_its_own_language(client):
    """Nothing is left over from the previous request in the same thread."""
    for path, language in [
        ("/en/", "en"),
        ("/", CHINESE),
        ("/en/news/", "en"),
        ("/news/", CHINESE),
    ]:
        assert client.get(path)["Content-Language"] == language


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/en/",
        "/news/",
        "/en/news/",
        "ARTICLE",
        "/news/feed/",
        "/en/news/feed/",
        "/no-such-page/",
        "/en/no-such-page/",
        "/robots.txt",
        "/sitemap.xml",
        "/data/pairs.json",
    ],
)
def test_no_vary_on_accept_language_or_cookie(client, path):
    """The language machinery adds nothing to Vary, so one copy of a URL serves every reader."""
    article = ArticleFactory()
    if path == "ARTICLE":
        path = article.get_absolute_url()
    for headers in ({}, {"HTTP_ACCEPT_LANGUAGE": "en"}):
        response = client.get(path, **headers)
        assert response.status_code in (200, 404), path
        vary = {name.strip().lower() for name in response.get("Vary", "").split(",")}
        assert not vary & {"accept-language", "cookie"}, (path, response.get("Vary"))
        assert not response.cookies, path


def test_en_without_a_slash_redirects_to_the_english_home_page(client):
    response = client.get("/en")
    assert response.status_code == 301
    assert response["Location"] == "/en/"
    response = client.get("/en/news")
    assert response.status_code == 301
    assert response["Location"] == "/en/news/"


@pytest.mark.parametrize("path", ["/fr/", "/fr/news/", "/zh-hans/news/", "/EN/news/", "/en-us/"])
def test_an_unknown_prefix_is_a_chinese_404(client, path):
    response, page = get(client, path)
    assert response.status_code == 404
    assert response["Content-Language"] == CHINESE
    assert '<html lang="zh-hans"' in page
    assert "页面不存在" in page


@pytest.mark.parametrize(
    "path",
    [
        "/robots.txt",
        "/sitemap.xml",
        "/sitemap-articles.xml",
        "/data/pairs.json",
        "/data/agencies.csv",
    ],
)
def test_files_without_a_language_are_not_prefixed(client, path):
    """robots.txt, the sitemaps and the open data are served once, at /…, never under /en/."""
    ArticleFactory()
    assert client.get(path).status_code == 200
    assert client.get(f"/en{path}").status_code == 404


def test_the_admin_and_health_check_are_not_prefixed(client):
    admin = f"/{settings.ADMIN_URL}"
    assert client.get(admin).status_code == 302  # to its login page
    assert client.get(f"/en{admin}").status_code == 404
    assert client.get("/healthz").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/language/?language=en&next=/news/",
        "/language/?language=%00&next=%0D%0ASet-Cookie:x=1",
        "/en/language/?language=zh-hans",
        "/font-size/?size=large&next=/news/",
        "/i18n/setlang/",
    ],
)
def test_the_old_switch_urls_are_gone_and_answer_404(client, path):
    """The language and font-size switches that set cookies are gone: their old links are a
    plain 404 page (they were nofollow and disallowed in robots.txt, so nothing indexed them),
    never a 500 and never a cookie."""
    for method in (client.get, client.post):
        response = method(path)
        assert response.status_code == 404, (method, path)
        assert not response.cookies
