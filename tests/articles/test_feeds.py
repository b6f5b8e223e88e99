"""RSS 2.0 and Atom feeds: valid XML, full dates and sources, published articles only."""

import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ArticleFactory, ColumnFactory

from .test_views import at, hidden_articles

pytestmark = pytest.mark.django_db

DC = "{http://purl.org/dc/elements/1.1/}"
FEEDS = [
    ("articles:feed", {}),
    ("articles:feed-atom", {}),
    ("articles:column-feed", {"slug": "work"}),
    ("articles:column-feed-atom", {"slug": "work"}),
    ("articles:tag-feed", {"slug": "质量兴市"}),
    ("articles:tag-feed-atom", {"slug": "质量兴市"}),
]


@pytest.fixture
def news():
    column = ColumnFactory(slug="work", name="工作动态")
    published = ArticleFactory(
        title="座谈会召开",
        column=column,
        source="国家质检总局",
        author="质量司",
        summary="座谈会在齐齐哈尔召开。",
        published_at=at(2004, 9, 22, hour=9),
    )
    published.tags.add("质量兴市")
    for article in hidden_articles(column):
        article.tags.add("质量兴市")
    stub = ArticleFactory(title="仅有标题的旧闻", column=column, is_stub=True, body="")
    stub.tags.add("质量兴市")
    return published


@pytest.mark.parametrize(("name", "kwargs"), FEEDS)
def test_feeds_parse_and_list_published_articles_only(client, news, name, kwargs):
    """Each feed is well-formed XML a feed reader accepts, with the one published article."""
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    ET.fromstring(response.content)  # well-formed XML
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version in ("rss20", "atom10")
    assert [entry.title for entry in feed.entries] == ["座谈会召开"]
    entry = feed.entries[0]
    assert entry.link == f"http://testserver{news.get_absolute_url()}"
    assert entry.published_parsed[:5] == (2004, 9, 22, 1, 0)  # 09:00 in Beijing is 01:00 UTC
    assert "国家质检总局" in entry.summary
    assert {tag.term for tag in entry.tags} == {"工作动态", "质量兴市"}


def test_rss_items_carry_full_dates_and_the_source(client, news):
    root = ET.fromstring(client.get("/news/feed/").content)
    item = root.find("channel/item")
    assert item.findtext("pubDate") == "Wed, 22 Sep 2004 01:00:00 +0000"
    assert item.findtext(f"{DC}source") == "国家质检总局"
    assert item.findtext(f"{DC}creator") == "质量司"


def test_atom_entries_carry_published_and_updated(client, news):
    root = ET.fromstring(client.get("/news/feed/atom/").content)
    atom = "{http://www.w3.org/2005/Atom}"
    entry = root.find(f"{atom}entry")
    assert entry.findtext(f"{atom}published") == "2004-09-22T01:00:00+00:00"
    assert entry.findtext(f"{atom}updated")
    assert entry.findtext(f"{DC}source") == "国家质检总局"


def test_feeds_of_unknown_columns_and_tags_are_404(client):
    assert client.get("/news/column/nope/feed/").status_code == 404
    assert client.get("/news/tag/nope/feed/atom/").status_code == 404


def test_feed_query_count_does_not_grow_with_items(client):
    """20 items with tags cost the same queries as 2."""
    column = ColumnFactory(slug="work")

    def add(n):
        for _ in range(n):
            ArticleFactory(column=column).tags.add("质量兴市", "振兴东北")

    def count():
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/news/feed/").status_code == 200
        return len(queries.captured_queries)

    add(2)
    small = count()
    add(25)
    assert len(feedparser.parse(client.get("/news/feed/").content).entries) == 20
    large = count()
    assert small == large <= 4
