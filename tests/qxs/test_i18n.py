"""Chinese by default, an English translation shipped (compiled) and switchable without JS."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

from portal.models import SiteIdentity
from tests.factories import ArticleFactory, AttachmentFactory, ColumnFactory, MeetingFactory

pytestmark = pytest.mark.django_db

HAN = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]+")
# Han text allowed on an English page: the way back to Chinese and the logo's seal character.
ALLOWED_HAN = {"切换到中文", "质"}


@pytest.fixture
def english_content():
    """Content written in English, so any Chinese left on the page is untranslated UI."""
    SiteIdentity.objects.create(site_name="QXS", sponsor="Quality Bureau", site_code="2302000001")
    column = ColumnFactory(name="Work", slug="work")
    article = ArticleFactory(
        title="Symposium held",
        summary="A symposium.",
        body="<p>Text.</p>",
        column=column,
        source="AQSIQ",
        author="Quality Department",
        responsible_editor="Zhang",
        meeting=MeetingFactory(title="Symposium", venue__name="Qiqihar"),
    )
    article.tags.add("quality")
    AttachmentFactory(article=article, title="Agreement")
    ArticleFactory(title="Another", summary="Another one.", column=column, source="AQSIQ")
    return article


def switch_to_english(client):
    response = client.get("/language/", {"language": "en", "next": "/news/"})
    assert response.status_code == 302
    assert response["Location"] == "/news/"


def test_chinese_is_the_default(client):
    page = client.get("/news/").content.decode()
    assert '<html lang="zh-hans"' in page
    assert "跳到正文" in page
    assert 'href="/language/?language=en&amp;next=/news/"' in page


def test_language_switch_is_a_plain_link_without_a_csrf_token(client):
    """The header links to /language/ with the page to come back to; no form, no token, no
    CSRF cookie, so every reader of a language can be served the same cached page."""
    response = client.get("/news/?column=work&page=1")
    page = response.content.decode()
    switch = re.search(r'<p class="lang-switch">(.*?)</p>', page, re.S).group(1)
    assert (
        '<a href="/language/?language=en&amp;next=/news/%3Fcolumn%3Dwork%26page%3D1" '
        'hreflang="en" lang="en" rel="nofollow">English</a>'
    ) in switch
    assert "<form" not in switch
    assert "csrfmiddlewaretoken" not in page
    assert settings.CSRF_COOKIE_NAME not in response.cookies


def test_the_link_sets_the_language_cookie_and_comes_back(client):
    """Following the link sets the cookie; the page it returns to, and later ones, are English;
    the Chinese link on them switches back."""
    response = client.get("/language/", {"language": "en", "next": "/news/?column=work"})
    assert response.status_code == 302
    assert response["Location"] == "/news/?column=work"
    assert "no-store" in response["Cache-Control"]
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get("/news/").content.decode()
    assert '<html lang="en"' in page
    assert 'href="/language/?language=zh-hans&amp;next=/news/" hreflang="zh-Hans"' in page
    client.get("/language/", {"language": "zh-hans", "next": "/news/"})
    assert '<html lang="zh-hans"' in client.get("/news/").content.decode()


def test_the_language_cookie_has_the_configured_attributes(client, settings):
    """Name, lifetime and Secure/HttpOnly/SameSite come from the LANGUAGE_COOKIE_* settings
    (production sets Secure, HttpOnly and Lax)."""
    settings.LANGUAGE_COOKIE_NAME = "qxs_language"
    settings.LANGUAGE_COOKIE_SECURE = True
    settings.LANGUAGE_COOKIE_HTTPONLY = True
    settings.LANGUAGE_COOKIE_SAMESITE = "Lax"
    settings.LANGUAGE_COOKIE_AGE = 3600
    response = client.get("/language/", {"language": "en", "next": "/"}, secure=True)
    cookie = response.cookies["qxs_language"]
    assert cookie.value == "en"
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == 3600
    assert cookie["path"] == "/"


@pytest.mark.parametrize(
    "query",
    [
        {"language": "fr", "next": "/"},
        {"language": "", "next": "/"},
        {"language": "%00"},
        {"next": "/news/"},
        {"language": "en" * 500},
    ],
)
def test_an_unknown_language_is_a_400(client, query):
    response = client.get("/language/", query)
    assert response.status_code == 400
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "///evil.example/",
        "javascript:alert(1)",
        "/news/\nSet-Cookie: x=1",
        "/news/\x00",
        "\\evil.example",
        "",
    ],
)
def test_the_link_only_returns_to_this_site(client, next_url):
    """A foreign, malformed or missing ``next`` goes to the home page; never a 500."""
    response = client.get("/language/", {"language": "en", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_the_link_is_get_only_and_the_old_post_still_works(client):
    """/language/ refuses POST (it is a link); /i18n/setlang/ still takes a posted form."""
    assert client.post("/language/", {"language": "en"}).status_code == 405
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/news/"})
    assert response.status_code == 302
    assert '<html lang="en"' in client.get("/news/").content.decode()


def test_robots_txt_keeps_crawlers_off_the_switch(client):
    assert "Disallow: /language/" in client.get("/robots.txt").content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/news/",
        "/news/?date_from=bad",
        "/news/column/work/",
        "/news/tag/quality/",
        "/news/2004/",
        "ARTICLE",
        "/no-such-page/",
    ],
)
def test_english_pages_have_no_untranslated_interface_text(client, english_content, path):
    """After switching, the interface of every page type is English."""
    switch_to_english(client)
    if path == "ARTICLE":
        path = english_content.get_absolute_url()
    if path == "/news/2004/":
        path = f"/news/{english_content.published_at:%Y}/"
    response = client.get(path)
    page = response.content.decode()
    assert '<html lang="en"' in page
    leftovers = set(HAN.findall(page)) - ALLOWED_HAN
    assert not leftovers, leftovers


def test_english_article_page_reads_in_english(client, english_content):
    switch_to_english(client)
    page = client.get(english_content.get_absolute_url()).content.decode()
    assert "Published: " in page and "Source: AQSIQ" in page
    assert "Source" in page and "AQSIQ" in page
    assert "Text size" in page and "Print" in page
    assert " (PDF, " in page


def test_compiled_messages_are_committed_and_current():
    """The .mo ships with the code (make run needs no gettext tools) and matches the .po."""
    locale = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
    mo, po = locale / "django.mo", locale / "django.po"
    assert mo.exists() and po.exists()
    with mo.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    assert catalog.gettext("跳到正文") == "Skip to main content"
    assert catalog.pgettext("navigation", "帮扶对子") == "Helping pairs"
    assert catalog.ngettext("共 %(counter)s 条", "共 %(counter)s 条", 2) == "%(counter)s items"
    blocks = [block for block in po.read_text().split("\n\n") if "msgctxt" not in block]
    translated = [
        match.groups()
        for block in blocks
        if (match := re.search(r'^msgid "(.+)"\nmsgstr "(.+)"$', block, re.M))
    ]
    assert len(translated) > 100
    for msgid, msgstr in translated:
        if "\\" not in msgid:
            assert catalog.gettext(msgid) == msgstr, msgid
