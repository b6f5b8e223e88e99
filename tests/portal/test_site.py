"""The site around the news: home, base template, site identity, sitemap, robots.txt, errors."""

import datetime
import itertools
import re
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.views import defaults

from articles.models import Article
from portal.models import SiteIdentity
from tests.content import at, hidden_articles
from tests.factories import (
    AgencyFactory,
    ArticleFactory,
    ColumnFactory,
    HelpingPairFactory,
    ImageFactory,
    MeetingFactory,
    MeetingParticipantFactory,
    UserFactory,
)
from tests.pages import budget

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
HOUR = datetime.timedelta(hours=1)


# --- Home ----------------------------------------------------------------------------------


def test_home_shows_symposium_featured_latest_and_pairs(client):
    meeting = MeetingFactory(title="东北老工业基地质量兴市工作座谈会")
    MeetingFactory(title="另一次会议")
    pair = HelpingPairFactory(meeting=meeting)
    MeetingParticipantFactory(meeting=meeting)
    ArticleFactory(title="推荐稿件", featured=True, cover_image=ImageFactory(alt_text="会场"))
    ArticleFactory(title="最新稿件")
    hidden = hidden_articles()
    page = client.get("/").content.decode()
    assert "东北老工业基地质量兴市工作座谈会" in page
    assert "结成 1 个帮扶对子" in page
    assert "推荐稿件" in page and 'alt="会场"' in page
    assert "最新稿件" in page
    assert str(pair.helper) in page and str(pair.helped) in page
    for article in hidden:
        assert article.title not in page
    assert page.count("<h1") == 1


def test_home_leads_with_the_headline_then_the_three_newest_featured(client):
    """The 头条 leads even when newer featured articles exist (PostgreSQL sorts a NULL
    ``headline_until > now`` first when descending, which once hid it); the featured cards are
    the three newest featured articles other than the 头条, without title-only stubs."""
    now = timezone.now()
    ArticleFactory(
        title="本周头条",
        cover_image=ImageFactory(),
        headline_until=now + HOUR,
        published_at=now - 48 * HOUR,
    )
    for number in range(4):
        ArticleFactory(
            title=f"推荐稿件{number}",
            featured=True,
            cover_image=ImageFactory(),
            published_at=now - (number + 1) * HOUR,
        )
    ArticleFactory(title="仅有标题的推荐", featured=True, is_stub=True, published_at=now)
    page = client.get("/").content.decode()
    headline = page.split('<section class="headline"')[1].split("</section>")[0]
    featured = page.split('aria-labelledby="featured-heading"')[1].split("</section>")[0]
    assert "本周头条" in headline
    assert [f"推荐稿件{number}" in featured for number in range(4)] == [True] * 3 + [False]
    assert "本周头条" not in featured and "仅有标题的推荐" not in featured


def test_a_featured_headline_is_not_repeated_among_the_featured(client):
    now = timezone.now()
    ArticleFactory(
        title="推荐的头条", featured=True, cover_image=ImageFactory(), headline_until=now + HOUR
    )
    ArticleFactory(title="另一篇推荐", featured=True, published_at=now - HOUR)
    page = client.get("/").content.decode()
    assert page.count("推荐的头条") == 1
    assert "推荐的头条" in page.split('<section class="headline"')[1].split("</section>")[0]
    assert "另一篇推荐" in page.split('aria-labelledby="featured-heading"')[1]


def test_a_featured_headline_leaves_three_other_featured_cards(client):
    """The 头条 is also the newest featured article: the cards are still the three newest
    others, and the latest news lists neither the 头条 nor them."""
    now = timezone.now()
    ArticleFactory(
        title="推荐的头条", featured=True, cover_image=ImageFactory(), headline_until=now + HOUR
    )
    for number in range(4):
        ArticleFactory(
            title=f"推荐稿件{number}", featured=True, published_at=now - (number + 1) * HOUR
        )
    page = client.get("/").content.decode()
    featured = page.split('aria-labelledby="featured-heading"')[1].split("</section>")[0]
    assert [f"推荐稿件{number}" in featured for number in range(4)] == [True] * 3 + [False]
    assert page.count("推荐的头条") == 1


def test_home_query_count_does_not_grow(client, count_queries):
    meeting = MeetingFactory()

    def add(n):
        for _ in range(n):
            ArticleFactory(featured=True, cover_image=ImageFactory())
            ArticleFactory()
            HelpingPairFactory(meeting=meeting)

    add(1)
    small = len(count_queries(client, "/"))
    add(10)
    large = len(count_queries(client, "/"))
    assert small == large <= budget("page")


# --- Base template, accessibility and strict-CSP rules --------------------------------------


@pytest.fixture
def pages(client):
    """Every public page type this app builds, rendered for an anonymous reader."""
    column = ColumnFactory(slug="work")
    article = ArticleFactory(column=column, published_at=at(2004, 9, 22))
    article.tags.add("质量兴市")
    urls = [
        "/",
        "/news/",
        "/news/?column=nope",
        "/news/column/work/",
        "/news/tag/质量兴市/",
        "/news/2004/",
        "/news/2004/09/",
        "/sitemap/",
        article.get_absolute_url(),
        f"{article.get_absolute_url()}?print=1",
    ]
    return {url: client.get(url).content.decode() for url in urls}


def test_pages_follow_the_accessibility_basics(pages):
    """lang, a skip link to main, one h1, landmarks, labelled navigation and headings in order."""
    for url, page in pages.items():
        assert re.search(r'<html lang="zh-hans"', page), url
        assert '<a class="skip-link" href="#main">' in page, url
        assert '<main id="main"' in page, url
        assert page.count("<h1") == 1, url
        assert "<header" in page and "<footer" in page, url
        assert re.search(r'<nav class="main-nav" aria-label="[^"]+">', page), url
        levels = [int(level) for level in re.findall(r"<h([1-6])", page)]
        assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), (url, levels)
        for field_id in re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', page):
            assert f'for="{field_id}"' in page, (url, field_id)


def test_every_page_has_a_meta_description(pages):
    """Lists too (issue 15): a page's description is its own, never empty."""
    descriptions = {}
    for url, page in pages.items():
        found = re.findall(r'<meta name="description" content="([^"]*)">', page)
        assert len(found) == 1 and found[0].strip(), (url, found)
        descriptions[url] = found[0]
    assert descriptions["/news/2004/"] != descriptions["/news/2004/09/"]
    assert descriptions["/news/"] != descriptions["/news/tag/质量兴市/"]


def test_pages_have_no_inline_script_style_or_handlers(pages):
    """A strict Content Security Policy can hold: scripts are files, no style attributes."""
    for url, page in pages.items():
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), url
        assert " style=" not in page, url
        assert not re.search(r"\son[a-z]+=", page), url
        assert "//cdn" not in page and "googleapis" not in page, url


def test_navigation_names_every_section(client):
    page = client.get("/").content.decode()
    for label, href in [
        ("首页", "/"),
        ("新闻", "/news/"),
        ("会议", "/meetings/"),
        ("帮扶对子", "/pairs/"),
        ("机构", "/agencies/"),
        ("搜索", "/search/"),
    ]:
        assert re.search(rf'<a href="{re.escape(href)}"[^>]*>{label}</a>', page), label


def test_navigation_marks_the_current_section(client):
    article = ArticleFactory()
    page = client.get("/news/").content.decode()
    assert '<a href="/news/" class="is-active" aria-current="page">新闻</a>' in page
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<a href="/news/" class="is-active">新闻</a>' in page
    assert 'aria-current="page">首页' not in page


# --- Site identity -------------------------------------------------------------------------


def test_footer_shows_the_site_identity_staff_edit(client):
    SiteIdentity.objects.create(
        site_code="2302000001", icp_number="黑ICP备05000000号", sponsor="齐齐哈尔市质量技术监督局"
    )
    page = client.get("/news/").content.decode()
    assert "网站标识码" in page and "2302000001" in page
    assert "黑ICP备05000000号" in page
    assert "主办单位" in page and "齐齐哈尔市质量技术监督局" in page
    assert '<meta name="SiteIDCode" content="2302000001">' in page


def test_site_identity_is_read_once_then_from_the_cache():
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        SiteIdentity.current()
        SiteIdentity.current()
    assert len(queries.captured_queries) == 1
    identity = SiteIdentity.current()
    identity.sponsor = "新的主办单位"
    identity.save()
    assert SiteIdentity.current().sponsor == "新的主办单位"
    assert SiteIdentity.objects.count() == 1


@pytest.mark.parametrize("saved", [True, False], ids=["saved identity", "no identity yet"])
def test_a_cold_page_reads_its_identity_and_its_expiry_in_one_query(client, settings, saved):
    """With nothing cached anywhere, the footer's identity and the page's ``s-maxage`` (the
    next scheduled publication) come from one statement, saved identity or not."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    settings.QXS_APP_PAGE_CACHE = False
    if saved:
        SiteIdentity.objects.create(sponsor="齐齐哈尔市质量技术监督局")
    now = timezone.now()
    ArticleFactory(title="已发布")
    ArticleFactory(published_at=now + datetime.timedelta(seconds=90))
    with time_machine.travel(now, tick=False), CaptureQueriesContext(connection) as queries:
        response = client.get("/news/")
    page = response.content.decode()
    assert "已发布" in page
    assert ("齐齐哈尔市质量技术监督局" in page) is saved
    assert "s-maxage=90" in response["Cache-Control"]
    statements = [query["sql"] for query in queries.captured_queries]
    identity = [sql for sql in statements if "qxs_siteidentity" in sql]
    schedule = [sql for sql in statements if "pinned_until" in sql]
    assert len(identity) == 1
    assert schedule == identity


def test_site_identity_admin_edits_the_single_row(client):
    admin = UserFactory(username="boss", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get("/admin/portal/siteidentity/")
    assert response.status_code == 302
    assert response["Location"].endswith("/admin/portal/siteidentity/add/")
    response = client.post(
        "/admin/portal/siteidentity/add/",
        {"site_name": "质量兴市", "sponsor": "某市质量技术监督局", "icp_number": "黑ICP备1号"},
    )
    assert response.status_code == 302
    assert SiteIdentity.current().icp_number == "黑ICP备1号"
    response = client.get("/admin/portal/siteidentity/")
    assert response["Location"].endswith("/admin/portal/siteidentity/1/change/")


# --- Sitemap and robots.txt ----------------------------------------------------------------


def test_sitemap_index_and_sections_list_public_pages_only(client):
    column = ColumnFactory(slug="work")
    published = ArticleFactory(column=column)
    stub = ArticleFactory(column=column, is_stub=True, body="")
    hidden = hidden_articles(column)
    meeting = MeetingFactory()
    pair = HelpingPairFactory(meeting=meeting)
    agency = AgencyFactory()

    index = ET.fromstring(client.get("/sitemap.xml").content)
    sections = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert "http://testserver/sitemap-articles.xml" in sections
    locations = set()
    for section in sections:
        response = client.get(section.removeprefix("http://testserver"))
        assert response.status_code == 200
        locations |= {loc.text for loc in ET.fromstring(response.content).iter(f"{SITEMAP}loc")}

    def absolute(obj):
        return f"http://testserver{obj.get_absolute_url()}"

    assert absolute(published) in locations
    for obj in (column, meeting, pair, agency, pair.helper):
        assert absolute(obj) in locations
    assert "http://testserver/news/" in locations
    article_ids = {int(pk) for pk in re.findall(r"/news/\d{4}/\d{2}/(\d+)/", " ".join(locations))}
    assert article_ids == {published.pk}  # no stub, draft, review, archived or scheduled one
    assert len(hidden) == 4 and stub.pk not in article_ids


def test_sitemap_query_count_does_not_grow(client, count_queries):
    column = ColumnFactory()

    def add(n):
        for _ in range(n):
            ArticleFactory(column=column)

    add(2)
    small = len(count_queries(client, "/sitemap-articles.xml"))
    add(30)
    large = len(count_queries(client, "/sitemap-articles.xml"))
    assert small == large <= 4


def test_the_sitemap_index_finds_the_latest_change_without_loading_every_article(client):
    """The articles' section's ``<lastmod>`` is the newest change of a listed article, read
    with ``MAX()``; the section sizes are counted in the same statement (Django's index would
    call ``lastmod()`` on every published article)."""
    column = ColumnFactory(slug="work")
    older, newer = ArticleFactory(column=column), ArticleFactory(column=column)
    Article.objects.filter(pk=older.pk).update(updated_at=at(2020, 1, 1))
    Article.objects.filter(pk=newer.pk).update(updated_at=at(2021, 3, 4))
    stub = ArticleFactory(column=column, is_stub=True, body="")
    Article.objects.filter(pk=stub.pk).update(updated_at=at(2024, 1, 1))  # not listed
    MeetingFactory()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/sitemap.xml")
    index = ET.fromstring(response.content)
    lastmods = {
        entry.find(f"{SITEMAP}loc").text: entry.find(f"{SITEMAP}lastmod")
        for entry in index.iter(f"{SITEMAP}sitemap")
    }
    assert lastmods["http://testserver/sitemap-articles.xml"].text.startswith("2021-03-0")
    statements = [query["sql"] for query in queries.captured_queries]
    article_rows = [sql for sql in statements if '"articles_article"."updated_at"' in sql]
    assert article_rows == []
    measured = [sql for sql in statements if "MAX(" in sql]
    assert len(measured) == 1 and measured[0].count("COUNT(") == 4


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


# --- Error pages ---------------------------------------------------------------------------


def test_404_page_is_in_chinese_and_in_the_design(client):
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in page
    assert 'class="site-header"' in page and 'class="site-footer"' in page


@pytest.mark.parametrize(
    ("view", "status", "text"),
    [(defaults.permission_denied, 403, "无权访问"), (defaults.bad_request, 400, "请求有误")],
)
def test_400_and_403_pages_are_in_chinese(rf, view, status, text):
    request = rf.get("/")
    response = view(request, Exception())
    assert response.status_code == status
    assert text in response.content.decode()


def test_500_page_needs_no_database_or_context_processors(rf, django_assert_num_queries):
    request = rf.get("/")
    with django_assert_num_queries(0):
        response = defaults.server_error(request)
    page = response.content.decode()
    assert response.status_code == 500
    assert "服务器出错了" in page
    assert "/static/css/site.css" in page


def test_csrf_failure_page_is_in_chinese():
    """A form posted from an expired page (here the admin's login) explains itself
    (403_csrf.html)."""
    from django.test import Client
    from django.urls import reverse

    response = Client(enforce_csrf_checks=True).post(reverse("admin:login"), {"username": "x"})
    assert response.status_code == 403
    assert "请求无法验证" in response.content.decode()


def test_unpublished_articles_are_nowhere_on_the_site(client):
    """Drafts and scheduled articles appear on no list, feed, sitemap or home page."""
    hidden = hidden_articles(ColumnFactory(slug="work"))
    ArticleFactory(title="公开稿件")
    seen = ""
    for url in ["/", "/news/", "/news/column/work/", "/news/feed/", "/news/feed/atom/"]:
        seen += client.get(url).content.decode()
    assert "公开稿件" in seen
    for article in hidden:
        assert article.title not in seen
    assert Article.objects.published().count() == 1


@pytest.mark.django_db
def test_pages_name_an_icon_served_from_static(client):
    """Browsers get the site icon from static/ instead of asking /favicon.ico for a 404."""
    from django.contrib.staticfiles import finders

    page = client.get("/").content.decode()
    assert 'rel="icon"' in page
    assert finders.find("img/favicon.svg")
