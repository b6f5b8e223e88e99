"""Chinese at /…, English under /en/…: hreflang alternates, the switch link, English pages and
feeds, and the English translation shipped compiled."""

import gettext
import html
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.urls import reverse

from portal.context_processors import site
from portal.models import SiteIdentity
from tests.factories import (
    ArticleFactory,
    AttachmentFactory,
    ColumnFactory,
    HelpingPairFactory,
    MeetingFactory,
)

pytestmark = pytest.mark.django_db

HAN = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]+")
# Han text allowed on an English page: the way back to Chinese and the logo's seal character.
ALLOWED_HAN = {"中文", "质"}


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


PAGE_TYPES = [
    "/",
    "/news/",
    "/news/?column=work&page=1",
    "COLUMN",
    "TAG",
    "/news/2004/",
    "/news/2004/09/",
    "ARTICLE",
    "ARTICLE?print=1",
    "/meetings/",
    "MEETING",
    "/pairs/",
    "PAIR",
    "/agencies/",
    "AGENCY",
    "REGION",
    "/search/?q=质量",
    "/no-such-page/",
]


@pytest.fixture
def every_page(db):
    """One page of each type (Chinese paths), with a tag whose slug is Chinese."""
    column = ColumnFactory(name="工作动态", slug="work")
    article = ArticleFactory(title="质量兴市座谈会召开", column=column)
    article.published_at = article.published_at.replace(year=2004, month=9)
    article.save()
    article.tags.add("质量")
    pair = HelpingPairFactory()
    named = {
        "COLUMN": column.get_absolute_url(),
        "TAG": reverse("articles:tag", kwargs={"slug": article.tags.get().slug}),
        "ARTICLE": article.get_absolute_url(),
        "MEETING": pair.meeting.get_absolute_url(),
        "PAIR": pair.get_absolute_url(),
        "AGENCY": pair.helper.get_absolute_url(),
        "REGION": pair.helper.division.get_absolute_url(),
    }

    def path_of(page_type):
        path, _, query = page_type.partition("?")
        path = named.get(path, path)
        return f"{path}?{query}" if query else path

    return path_of


def alternates(page):
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', page))


def lang_switch(page):
    return re.search(r'<p class="lang-switch">(.*?)</p>', page, re.S).group(1).strip()


def switch_target(page):
    return html.unescape(re.search(r'href="([^"]+)"', lang_switch(page)).group(1))


def uri(path):
    """``path`` as it appears in an href: percent-encoded, ``&`` escaped for HTML."""
    return quote(path, safe="/?=&%").replace("&", "&amp;")


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_every_page_names_its_versions_and_links_to_the_other(client, every_page, page_type):
    """Both versions of every page type carry the three hreflang alternates (absolute, with the
    query string), and the header's switch is a plain link to the same page in the other
    language: no form, no token, no redirect through a switch URL."""
    chinese = every_page(page_type)
    english = f"/en{chinese}"
    expected = {
        "zh-Hans": f"http://testserver{uri(chinese)}",
        "en": f"http://testserver{uri(english)}",
        "x-default": f"http://testserver{uri(chinese)}",
    }
    status = 404 if page_type == "/no-such-page/" else 200
    for path, language, switch in [
        (chinese, "zh-hans", f'<a href="{uri(english)}" hreflang="en" lang="en">English</a>'),
        (english, "en", f'<a href="{uri(chinese)}" hreflang="zh-Hans" lang="zh-Hans">中文</a>'),
    ]:
        response = client.get(path)
        page = response.content.decode()
        assert response.status_code == status, path
        assert f'<html lang="{language}"' in page
        assert alternates(page) == expected, path
        assert lang_switch(page) == switch
        assert "<form" not in lang_switch(page)
        assert "csrfmiddlewaretoken" not in page
        assert settings.CSRF_COOKIE_NAME not in response.cookies


def test_following_the_switch_lands_on_the_same_page_in_english_and_back(client, every_page):
    """The link is the page itself: following it needs no redirect and sets nothing."""
    page = client.get("/news/?column=work").content.decode()
    english = switch_target(page)
    assert english == "/en/news/?column=work"
    response = client.get(english)
    assert response.status_code == 200
    assert not response.cookies
    assert '<html lang="en"' in response.content.decode()
    back = switch_target(response.content.decode())
    assert back == "/news/?column=work"
    assert '<html lang="zh-hans"' in client.get(back).content.decode()


def test_an_english_article_is_canonical_at_its_english_url(client, english_content):
    page = client.get(f"/en{english_content.get_absolute_url()}").content.decode()
    canonical = f"http://testserver/en{english_content.get_absolute_url()}"
    assert f'<link rel="canonical" href="{canonical}">' in page
    assert f'<meta property="og:url" content="{canonical}">' in page
    # Links within the English site stay in English.
    assert 'href="/en/news/"' in page
    assert 'href="/en/news/column/work/"' in page


@pytest.mark.parametrize(
    "feed",
    [
        "/news/feed/",
        "/news/feed/atom/",
        "/news/column/work/feed/",
        "/news/column/work/feed/atom/",
        "/news/tag/quality/feed/",
    ],
)
def test_feeds_under_en_are_english(client, english_content, feed):
    """A feed under /en/ has an English title and language, and links to English pages; the
    Chinese feed stays Chinese."""
    article_path = english_content.get_absolute_url()
    chinese = client.get(feed).content.decode()
    english = client.get(f"/en{feed}").content.decode()
    if "atom" in feed:
        assert 'xml:lang="zh-cn"' in chinese and 'xml:lang="en"' in english
    else:
        assert "<language>zh-cn</language>" in chinese
        assert "<language>en</language>" in english
    assert f"http://testserver{article_path}" in chinese
    assert f"http://testserver/en{article_path}" in english
    assert "http://testserver/en/" not in chinese
    assert "QXS · " in english
    # No Chinese interface text is left in the English feed (the content here is English).
    assert not HAN.findall(english)


def test_robots_txt_names_no_switch(client):
    """The switches are gone; both languages may be crawled; the sitemap is named."""
    robots = client.get("/robots.txt").content.decode()
    assert "/language/" not in robots and "/font-size/" not in robots and "/i18n/" not in robots
    assert "Disallow: /en/" not in robots
    assert "Sitemap: http://testserver/sitemap.xml" in robots


def test_the_site_identity_costs_one_query_then_none(rf, django_assert_num_queries):
    """The identity comes from the Django cache: one query on a cold cache, none after; and
    nothing at all for a template that never shows it."""
    SiteIdentity.objects.create(site_name="QXS")
    with django_assert_num_queries(0):
        site(rf.get("/sitemap.xml"))
    with django_assert_num_queries(1):
        assert site(rf.get("/en/news/"))["site_identity"].site_name == "QXS"
    with django_assert_num_queries(0):
        assert site(rf.get("/"))["site_identity"].site_name == "QXS"


def test_public_pages_never_read_the_reader_s_cookies_or_session(client, every_page):
    """A reader's cookies (a session, messages, old preferences) change nothing on a page, and
    reading a page never touches the session (which would add Vary: Cookie)."""
    plain = client.get("/news/").content.decode()
    client.cookies["qxs_font_size"] = "large"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.cookies["messages"] = "garbage"
    response = client.get("/news/")
    assert response.content.decode() == plain
    assert "Cookie" not in response.get("Vary", "")


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
    """The interface of every page type under /en/ is English."""
    if path == "ARTICLE":
        path = english_content.get_absolute_url()
    if path == "/news/2004/":
        path = f"/news/{english_content.published_at:%Y}/"
    response = client.get(f"/en{path}")
    page = response.content.decode()
    assert '<html lang="en"' in page
    leftovers = set(HAN.findall(page)) - ALLOWED_HAN
    assert not leftovers, leftovers


def test_english_article_page_reads_in_english(client, english_content):
    page = client.get(f"/en{english_content.get_absolute_url()}").content.decode()
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
